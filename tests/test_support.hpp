#pragma once

#include <crimp/engine/dataset.hpp>

#include <filesystem>
#include <optional>
#include <string>

namespace crimp::testing
{

// The folder of shared test data (CIFAR-10 copies, reference outputs), if it exists.
std::optional<std::filesystem::path> shared_dir();

// Reports a test as skipped for the given reason. Under CTest, which sets CRIMP_TEST_SKIP_STATUS, the
// process exits with that status so CTest lists the case as skipped; a direct run prints the reason.
void skip(const std::string &reason);

// A fresh folder under the system temporary folder, removed with its contents on destruction.
class temporary_folder
{
public:
    temporary_folder();
    ~temporary_folder();
    temporary_folder(const temporary_folder &) = delete;
    temporary_folder &operator=(const temporary_folder &) = delete;

    const std::filesystem::path &path() const { return m_path; }

private:
    std::filesystem::path m_path;
};

// Writes raw bytes to a file.
void write_bytes(const std::filesystem::path &file, const std::string &bytes);

// A CIFAR-10 record: the label byte followed by 3072 pixel bytes that all equal `fill`.
std::string cifar10_record(int label, unsigned char fill);

} // namespace crimp::testing
