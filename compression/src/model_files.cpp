#include <crimp/compression/model_files.hpp>

#include <crimp/compression/packed_format.hpp>

namespace crimp::compression
{

trained_model load_any_model(const std::filesystem::path &file)
{
    if (!is_packed_file(file)) {
        return load_model(file);
    }
    auto packed = read_packed(file);
    return {packed.model, packed.metadata};
}

} // namespace crimp::compression
