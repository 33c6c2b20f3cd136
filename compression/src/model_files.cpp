#include <crimp/compression/model_files.hpp>

#include <crimp/compression/packed_format.hpp>
#include <crimp/engine/error.hpp>

namespace crimp::compression
{

trained_model load_any_model(const std::filesystem::path &file)
{
    if (file.extension() == ".crimp" && !std::filesystem::exists(file)) {
        throw input_error("packed model '" + file.string()
                          + "' not found: write one with `crimp compress` or `crimp export`");
    }
    if (!is_packed_file(file)) {
        return load_model(file);
    }
    auto packed = read_packed(file);
    return {packed.model, packed.metadata};
}

} // namespace crimp::compression
