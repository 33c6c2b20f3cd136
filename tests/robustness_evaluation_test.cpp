#include "test_support.hpp"

#include <crimp/corruption/corrupted_sets.hpp>
#include <crimp/engine/checkpoint.hpp>
#include <crimp/engine/error.hpp>
#include <crimp/objectives/robustness_evaluation.hpp>

#include <doctest/doctest.h>
#include <torch/nn.h>

using namespace crimp;
using crimp::testing::temporary_folder;

namespace
{

// A data folder whose CIFAR-10 test file is the first 1000 exact test images, and two untrained
// ResNet-20 models saved with crimp metadata. prepare() returns false when the shared data is absent.
struct evaluation_fixture {
    temporary_folder folder;
    std::filesystem::path data_dir;
    std::filesystem::path model_file;
    std::filesystem::path other_model_file;

    bool prepare()
    {
        const auto shared = crimp::testing::shared_dir();
        if (!shared) {
            return false;
        }
        data_dir = folder.path() / "data";
        std::filesystem::create_directories(data_dir / "cifar-10-batches-bin");
        std::filesystem::copy_file(*shared / "data/cifar-10-exact/test_batch.first1000.bin",
                                   data_dir / "cifar-10-batches-bin/test_batch.bin");
        std::filesystem::create_directory_symlink(*shared / "data/frost", data_dir / "frost");

        model_metadata metadata;
        metadata.architecture = "resnet20";
        metadata.classes = 10;
        metadata.statistics = dataset_normalisation(dataset_kind::cifar10);
        torch::manual_seed(1);
        model_file = folder.path() / "model.pt";
        save_model(model_file, *make_classifier("resnet20", 10), metadata);
        other_model_file = folder.path() / "other.pt";
        save_model(other_model_file, *make_classifier("resnet20", 10), metadata);
        return true;
    }

    objectives::robustness_options options() const
    {
        objectives::robustness_options result;
        result.model_file = model_file;
        result.data_dir = data_dir;
        result.corruptions = corruption::parse_corruption_list("benchmark");
        result.images_per_cell = 40;
        result.cache_file = folder.path() / "cache.h5";
        result.bootstrap_resamples = 200;
        result.threads = 1;
        result.device = "cpu";
        return result;
    }
};

} // namespace

TEST_CASE("model against itself has mCE 100")
{
    evaluation_fixture fixture;
    if (!fixture.prepare()) {
        crimp::testing::skip("shared CIFAR-10 data not found");
        return;
    }
    auto options = fixture.options();
    options.baseline_file = fixture.model_file;
    const auto report = objectives::evaluate_robustness(options);

    REQUIRE(report.scores.has_value());
    CHECK(report.scores->mce == doctest::Approx(100.0));
    REQUIRE(report.mce_interval.has_value());
    CHECK(report.mce_interval->low == doctest::Approx(100.0));
    CHECK(report.mce_interval->high == doctest::Approx(100.0));
    CHECK(report.cells.size() == 75);
    CHECK(report.cells.front().images == 40);
    CHECK(report.clean_images == 1000);
    CHECK(std::filesystem::exists(options.cache_file));
}

TEST_CASE("robustness evaluation reuses the cache")
{
    evaluation_fixture fixture;
    if (!fixture.prepare()) {
        crimp::testing::skip("shared CIFAR-10 data not found");
        return;
    }
    auto options = fixture.options();
    options.corruptions = corruption::parse_corruption_list("fog,contrast");
    options.baseline_file = fixture.other_model_file;
    options.calibration = true;
    const auto first = objectives::evaluate_robustness(options);
    const auto second = objectives::evaluate_robustness(options);

    REQUIRE(first.cells.size() == 10);
    for (std::size_t i = 0; i < first.cells.size(); ++i) {
        CHECK(first.cells[i].error == second.cells[i].error);
        CHECK(first.cells[i].baseline_error == second.cells[i].baseline_error);
    }
    // Two of the 15 benchmark corruptions are not enough for an mCE.
    CHECK_FALSE(first.scores.has_value());
    REQUIRE(first.expected_calibration_error.has_value());
    CHECK(*first.expected_calibration_error >= 0.0);
    CHECK(*first.expected_calibration_error <= 1.0);

    // A different corruption seed does not match the cache's.
    options.corruption_seed = 5;
    CHECK_THROWS_AS(objectives::evaluate_robustness(options), input_error);
}

TEST_CASE("default cache file names the split")
{
    CHECK(objectives::default_cache_file("cifar10", split_kind::test, 5000, 0, 3).filename() == "cifar10-test-seed3.h5");
    CHECK(objectives::default_cache_file("cifar100", split_kind::validation, 5000, 7, 0).filename()
          == "cifar100-validation-5000-7-seed0.h5");
}
