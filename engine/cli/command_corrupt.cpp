#include "command_line.hpp"

#include <crimp/corruption/corrupted_sets.hpp>
#include <crimp/corruption/corruption_cache.hpp>
#include <crimp/corruption/preview.hpp>
#include <crimp/engine/error.hpp>
#include <crimp/engine/npy.hpp>
#include <crimp/engine/training.hpp>

#include <spdlog/spdlog.h>
#include <tbb/global_control.h>

#include <chrono>
#include <thread>

namespace crimp::cli
{

namespace
{

namespace corruption = crimp::corruption;

struct corrupt_inputs {
    std::vector<corruption::rgb_image> images;
    std::vector<std::int64_t> labels;
};

corrupt_inputs load_inputs(const po::variables_map &values, const std::filesystem::path &data_dir)
{
    const auto dataset = parse_dataset(values["dataset"].as<std::string>());
    const auto split = parse_split(values["split"].as<std::string>());
    if (split == split_kind::train) {
        throw usage_error("invalid --split train: corrupt the test or validation split");
    }
    const split_record record{values["split-seed"].as<std::uint64_t>(), values["validation-images"].as<std::size_t>(), 0};
    const image_set set = load_split_images(dataset, data_dir, record, split);

    std::size_t count = values["images"].as<std::size_t>();
    if (count == 0 || count > set.size()) {
        count = set.size();
    }
    corrupt_inputs inputs;
    for (std::size_t i = 0; i < count; ++i) {
        inputs.images.push_back(corruption::from_planar(set.pixels.data() + i * image_bytes));
        inputs.labels.push_back(set.labels[i]);
    }
    return inputs;
}

std::filesystem::path prepare_output_folder(const std::string &folder)
{
    const std::filesystem::path path = folder;
    std::error_code status;
    std::filesystem::create_directories(path, status);
    if (status || !std::filesystem::is_directory(path)) {
        throw input_error("cannot create output folder '" + folder + "': " + (status ? status.message() : "not a folder"));
    }
    return path;
}

// Writes beside the target and renames, so an interrupted run leaves no truncated .npy file.
template <typename T>
void write_npy_atomically(const std::filesystem::path &file, const std::vector<T> &values,
                          const std::vector<std::size_t> &shape)
{
    auto partial = file;
    partial += ".partial";
    write_npy(partial, values, shape);
    std::filesystem::rename(partial, file);
}

void write_npy_sets(const std::filesystem::path &folder, const corrupt_inputs &inputs, const std::vector<int> &corruptions,
                    const std::vector<int> &severities, std::uint64_t seed,
                    const corruption::corruption_resources &resources)
{
    const std::size_t count = inputs.images.size();
    const std::size_t rows = severities.size() * count;
    std::vector<std::int64_t> labels;
    for (std::size_t s = 0; s < severities.size(); ++s) {
        labels.insert(labels.end(), inputs.labels.begin(), inputs.labels.end());
    }
    write_npy_atomically(folder / "labels.npy", labels, {rows});

    for (const int index : corruptions) {
        const std::string name(corruption::corruption_list()[static_cast<std::size_t>(index)].name);
        const auto start = std::chrono::steady_clock::now();
        const auto pixels = corruption::corrupt_images(inputs.images, index, severities, seed, resources);
        write_npy_atomically(folder / (name + ".npy"), pixels, {rows, 32, 32, 3});
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        spdlog::info("{}: {} images in {:.2f} s ({:.3f} ms per image)", name, rows, seconds,
                     1000.0 * seconds / static_cast<double>(rows));
    }
}

} // namespace

command make_corrupt_command()
{
    command entry;
    entry.name = "corrupt";
    entry.summary = "Write CIFAR-10-C style corrupted sets (.npy or an HDF5 cache), or a preview grid of one image.";
    entry.add_options = [](po::options_description &options) {
        options.add_options()
            ("dataset", po::value<std::string>()->default_value("cifar10")->value_name("NAME"), "cifar10 or cifar100")
            ("data-dir", po::value<std::string>()->default_value("")->value_name("DIR"),
             "folder with the CIFAR binaries (default: $CRIMP_DATA, else data/)")
            ("split", po::value<std::string>()->default_value("test"),
             "test, or validation (held out from the training files as `crimp train` does)")
            ("validation-images", po::value<std::size_t>()->default_value(5000)->value_name("N"),
             "size of the validation split, as given to `crimp train`")
            ("split-seed", po::value<std::uint64_t>()->default_value(0), "seed of the validation split")
            ("images", po::value<std::size_t>()->default_value(0)->value_name("N"),
             "corrupt the first N images of the split, in file order (0: all)")
            ("corruptions", po::value<std::string>()->default_value("all")->value_name("LIST"),
             "comma-separated corruption names, or all (the 15 benchmark and 4 extra corruptions)")
            ("severities", po::value<std::string>()->default_value("1,2,3,4,5")->value_name("LIST"),
             "comma-separated severities from 1 to 5")
            ("seed", po::value<std::uint64_t>()->default_value(0), "seed of the random corruptions")
            ("frost-dir", po::value<std::string>()->value_name("DIR"),
             "folder with frost1.png ... frost5.jpg (default: DATA_DIR/frost)")
            ("out", po::value<std::string>()->value_name("DIR"),
             "write DIR/<corruption>.npy (uint8, severity-major) and DIR/labels.npy")
            ("cache", po::value<std::string>()->value_name("FILE.h5"),
             "fill an HDF5 cache of the corrupted sets (all five severities)")
            ("preview", po::value<std::string>()->value_name("FILE.png"),
             "write a grid of one image under every corruption and severity")
            ("image", po::value<std::size_t>()->default_value(0)->value_name("I"), "image shown by --preview")
            ("threads", po::value<int>()->default_value(0)->value_name("N"), "worker threads (0: one per core)");
    };
    entry.run = [](const po::variables_map &values) {
        // 1. Validate the requests before loading any data.
        if (values.count("out") + values.count("cache") + values.count("preview") == 0) {
            throw usage_error("nothing to do: pass --out DIR, --cache FILE.h5 or --preview FILE.png");
        }
        const auto corruptions = corruption::parse_corruption_list(values["corruptions"].as<std::string>());
        const auto severities = corruption::parse_severity_list(values["severities"].as<std::string>());
        const auto seed = values["seed"].as<std::uint64_t>();
        const int threads = values["threads"].as<int>();
        if (threads < 0) {
            throw usage_error("invalid --threads " + std::to_string(threads) + ": expected 0 (all cores) or more");
        }
        const tbb::global_control parallelism(
            tbb::global_control::max_allowed_parallelism,
            threads == 0 ? std::max(1U, std::thread::hardware_concurrency()) : static_cast<std::size_t>(threads));

        std::filesystem::path output_folder;
        if (values.count("out") != 0U) {
            output_folder = prepare_output_folder(values["out"].as<std::string>());
        }

        // 2. Load the frost textures when frost is requested, then the images.
        const auto data_dir = resolve_data_dir(values["data-dir"].as<std::string>());
        corruption::corruption_resources resources;
        if (corruption::needs_frost_textures(corruptions)) {
            const std::filesystem::path frost_dir =
                values.count("frost-dir") != 0U ? std::filesystem::path(values["frost-dir"].as<std::string>())
                                                 : data_dir / "frost";
            resources.frost = corruption::load_frost_textures(frost_dir);
        }
        const auto inputs = load_inputs(values, data_dir);

        // 3. Produce what was requested.
        if (values.count("preview") != 0U) {
            const auto image = values["image"].as<std::size_t>();
            if (image >= inputs.images.size()) {
                throw usage_error("invalid --image " + std::to_string(image) + ": the split has "
                                  + std::to_string(inputs.images.size()) + " images");
            }
            corruption::write_preview(values["preview"].as<std::string>(), inputs.images[image], image, corruptions, seed,
                                      resources);
            spdlog::info("wrote {}", values["preview"].as<std::string>());
        }
        if (values.count("out") != 0U) {
            write_npy_sets(output_folder, inputs, corruptions, severities, seed, resources);
            spdlog::info("wrote {} corruption(s) of {} images to {}", corruptions.size(), inputs.images.size(),
                         output_folder.string());
        }
        if (values.count("cache") != 0U) {
            corruption::corruption_cache cache(values["cache"].as<std::string>(), inputs.images, seed);
            for (const int index : corruptions) {
                cache.load_or_generate(index, resources);
            }
            spdlog::info("corruption cache {} contains {} corruption(s)", cache.file().string(), corruptions.size());
        }
    };
    return entry;
}

} // namespace crimp::cli
