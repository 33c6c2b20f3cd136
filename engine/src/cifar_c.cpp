#include <crimp/engine/cifar_c.hpp>

#include <crimp/engine/dataset.hpp>
#include <crimp/engine/error.hpp>
#include <crimp/engine/npy.hpp>

#include <sstream>

namespace crimp
{

namespace
{

std::string shape_text(const std::vector<std::size_t> &shape)
{
    std::ostringstream text;
    text << '(';
    for (std::size_t d = 0; d < shape.size(); ++d) {
        text << (d > 0 ? ", " : "") << shape[d];
    }
    text << (shape.size() == 1 ? ",)" : ")");
    return text.str();
}

} // namespace

corrupted_images read_corrupted_images(const std::filesystem::path &folder, const std::string &corruption)
{
    const auto image_file = folder / (corruption + ".npy");
    const auto label_file = folder / "labels.npy";

    npy_array images = read_npy(image_file);
    if (images.descr != "|u1") {
        throw input_error("invalid corrupted images '" + image_file.string() + "': expected dtype uint8 ('|u1'), found '"
                          + images.descr + "'");
    }
    const auto &shape = images.shape;
    if (shape.size() != 4 || shape[1] != image_side || shape[2] != image_side || shape[3] != image_channels
        || shape[0] == 0 || shape[0] % corruption_severities != 0) {
        throw input_error("invalid corrupted images '" + image_file.string()
                          + "': expected shape (5·N, 32, 32, 3) with N > 0, found " + shape_text(shape));
    }

    const npy_array label_array = read_npy(label_file);
    if (label_array.shape.size() != 1) {
        throw input_error("invalid labels '" + label_file.string() + "': expected a 1-D array, found shape "
                          + shape_text(label_array.shape));
    }
    const auto all_labels = npy_to_int64(label_array, label_file);
    if (all_labels.size() != shape[0]) {
        throw input_error("row counts disagree: '" + image_file.string() + "' has " + std::to_string(shape[0])
                          + " images but '" + label_file.string() + "' has " + std::to_string(all_labels.size())
                          + " labels");
    }

    corrupted_images result;
    result.corruption = corruption;
    result.images_per_severity = shape[0] / corruption_severities;
    result.labels.assign(all_labels.begin(), all_labels.begin() + static_cast<std::ptrdiff_t>(result.images_per_severity));
    for (std::size_t i = 0; i < all_labels.size(); ++i) {
        if (all_labels[i] != result.labels[i % result.images_per_severity]) {
            throw input_error("invalid labels '" + label_file.string() + "': row " + std::to_string(i)
                              + " should repeat the label of row " + std::to_string(i % result.images_per_severity)
                              + " because every severity covers the same images, found "
                              + std::to_string(all_labels[i]) + " instead of "
                              + std::to_string(result.labels[i % result.images_per_severity]));
        }
    }
    result.pixels = std::move(images.data);
    return result;
}

} // namespace crimp
