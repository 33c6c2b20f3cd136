#include <crimp/engine/checkpoint.hpp>

#include <crimp/engine/error.hpp>

#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>

namespace crimp
{

namespace
{

constexpr const char *metadata_key = "crimp_metadata";

} // namespace

void save_model(const std::filesystem::path &file, ClassifierImpl &model, const model_metadata &metadata)
{
    torch::serialize::OutputArchive archive;
    model.save(archive);
    archive.write(metadata_key, c10::IValue(metadata_to_json(metadata)));

    auto partial = file;
    partial += ".partial";
    try {
        archive.save_to(partial.string());
    } catch (const c10::Error &error) {
        throw input_error("failed to write model '" + file.string() + "': " + error.what_without_backtrace());
    }
    std::error_code status;
    std::filesystem::rename(partial, file, status);
    if (status) {
        throw input_error("failed to write model '" + file.string() + "': " + status.message());
    }
}

trained_model load_model(const std::filesystem::path &file)
{
    if (!std::filesystem::is_regular_file(file)) {
        throw input_error("model file '" + file.string() + "' not found: train one with `crimp train`");
    }

    torch::serialize::InputArchive archive;
    c10::IValue metadata_value;
    try {
        archive.load_from(file.string(), torch::kCPU);
        if (!archive.try_read(metadata_key, metadata_value) || !metadata_value.isString()) {
            throw input_error("invalid model file '" + file.string()
                              + "': it has no crimp metadata, so it was not written by `crimp train`");
        }
    } catch (const c10::Error &error) {
        throw input_error("invalid model file '" + file.string() + "': " + error.what_without_backtrace());
    }

    trained_model result;
    result.metadata = metadata_from_json(metadata_value.toStringRef(), file.string());
    try {
        result.model = make_classifier(result.metadata.architecture, result.metadata.classes);
    } catch (const usage_error &error) {
        throw input_error("invalid model file '" + file.string() + "': " + error.what());
    }
    try {
        result.model->load(archive);
    } catch (const c10::Error &error) {
        throw input_error("invalid weights in model file '" + file.string() + "' for architecture "
                          + result.metadata.architecture + ": " + error.what_without_backtrace());
    }
    return result;
}

} // namespace crimp
