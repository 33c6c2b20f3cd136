#include "test_support.hpp"

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <random>

namespace crimp::testing
{

std::optional<std::filesystem::path> shared_dir()
{
    const std::filesystem::path folder = CRIMP_TEST_SHARED_DIR;
    if (std::filesystem::is_directory(folder / "data")) {
        return folder;
    }
    return std::nullopt;
}

void skip(const std::string &reason)
{
    std::cout << "SKIPPED: " << reason << std::endl;
    if (const char *status = std::getenv("CRIMP_TEST_SKIP_STATUS"); status != nullptr) {
        std::exit(std::atoi(status));
    }
}

temporary_folder::temporary_folder()
{
    std::random_device entropy;
    m_path = std::filesystem::temp_directory_path() / ("crimp-test-" + std::to_string(entropy()));
    std::filesystem::create_directories(m_path);
}

temporary_folder::~temporary_folder()
{
    std::error_code ignored;
    std::filesystem::remove_all(m_path, ignored);
}

void write_bytes(const std::filesystem::path &file, const std::string &bytes)
{
    std::ofstream stream(file, std::ios::binary | std::ios::trunc);
    stream.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string cifar10_record(int label, unsigned char fill)
{
    std::string record(1 + image_bytes, static_cast<char>(fill));
    record[0] = static_cast<char>(label);
    return record;
}

} // namespace crimp::testing
