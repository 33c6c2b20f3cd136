#include "test_support.hpp"

#include <crimp/engine/checkpoint.hpp>
#include <crimp/engine/error.hpp>
#include <crimp/engine/evaluation.hpp>
#include <crimp/engine/training.hpp>

#include <doctest/doctest.h>

using namespace crimp;
using crimp::testing::temporary_folder;

namespace
{

// Options for a short single-threaded CPU run, so that results do not depend on the machine.
training_options cpu_training_options(const std::filesystem::path &data_dir, const std::filesystem::path &output)
{
    training_options options;
    options.data_dir = data_dir;
    options.output = output;
    options.threads = 1;
    options.device = "cpu";
    return options;
}

evaluation_options cpu_evaluation_options(const std::filesystem::path &model_file, const std::filesystem::path &data_dir,
                                          split_kind split)
{
    evaluation_options options;
    options.model_file = model_file;
    options.data_dir = data_dir;
    options.split = split;
    options.threads = 1;
    options.device = "cpu";
    return options;
}

} // namespace

TEST_CASE("short training run beats chance")
{
    const auto shared = crimp::testing::shared_dir();
    if (!shared) {
        crimp::testing::skip("shared CIFAR-10 data not found");
        return;
    }
    temporary_folder folder;
    auto options = cpu_training_options(*shared / "data", folder.path() / "resnet20.pt");
    options.architecture = "resnet20";
    options.epochs = 3;
    options.train_images = 4000;
    options.validation_images = 1000;
    options.seed = 5;

    const auto summary = train_classifier(options);
    CHECK(summary.metadata.training.history.size() == 3);
    CHECK(summary.metadata.split.train_images == 4000);
    // Chance is 10 %.
    CHECK(summary.best_accuracy > 0.25);

    const auto report = evaluate_model_file(cpu_evaluation_options(options.output, options.data_dir, split_kind::validation));
    CHECK(report.images == 1000);
    // The validation split is rebuilt from the seed stored in the model, so evaluation repeats training's score.
    CHECK(report.accuracy == doctest::Approx(summary.best_accuracy));
    CHECK(report.per_class_accuracy.size() == 10);
}

TEST_CASE("training without validation split")
{
    const auto shared = crimp::testing::shared_dir();
    if (!shared) {
        crimp::testing::skip("shared CIFAR-10 data not found");
        return;
    }
    temporary_folder folder;
    auto options = cpu_training_options(*shared / "data", folder.path() / "resnet20.pt");
    options.epochs = 1;
    options.train_images = 256;
    options.validation_images = 0;

    const auto summary = train_classifier(options);
    CHECK(summary.metadata.split.validation_images == 0);
    CHECK(summary.metadata.training.best_epoch == 1);

    // The model has no validation split to evaluate on.
    CHECK_THROWS_AS(evaluate_model_file(cpu_evaluation_options(options.output, options.data_dir, split_kind::validation)),
                    usage_error);
}

TEST_CASE("training options are validated")
{
    training_options options;
    options.output = "unused.pt";
    options.epochs = 0;
    CHECK_THROWS_AS(train_classifier(options), usage_error);

    options.epochs = 1;
    options.architecture = "lenet";
    CHECK_THROWS_AS(train_classifier(options), usage_error);

    options.architecture = "resnet20";
    options.optimizer = "rmsprop";
    CHECK_THROWS_AS(train_classifier(options), usage_error);
}
