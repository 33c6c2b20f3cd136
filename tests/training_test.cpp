#include "test_support.hpp"

#include <crimp/engine/checkpoint.hpp>
#include <crimp/engine/error.hpp>
#include <crimp/engine/evaluation.hpp>
#include <crimp/engine/training.hpp>

#include <doctest/doctest.h>

using namespace crimp;
using crimp::testing::temporary_folder;

TEST_CASE("short training run beats chance")
{
    const auto shared = crimp::testing::shared_dir();
    if (!shared) {
        crimp::testing::skip("shared CIFAR-10 data not found");
        return;
    }
    temporary_folder folder;
    training_options options;
    options.architecture = "resnet20";
    options.data_dir = *shared / "data";
    options.output = folder.path() / "resnet20.pt";
    options.epochs = 3;
    options.train_images = 4000;
    options.validation_images = 1000;
    options.threads = 1;
    options.device = "cpu";
    options.seed = 5;

    const auto summary = train_classifier(options);
    CHECK(summary.metadata.training.history.size() == 3);
    CHECK(summary.metadata.split.train_images == 4000);
    // Chance is 10 %; three epochs on 4000 images reach about 35 % on this data.
    CHECK(summary.best_accuracy > 0.25);

    evaluation_options evaluation;
    evaluation.model_file = options.output;
    evaluation.data_dir = options.data_dir;
    evaluation.split = split_kind::validation;
    evaluation.threads = 1;
    evaluation.device = "cpu";
    const auto report = evaluate_model_file(evaluation);
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
    training_options options;
    options.data_dir = *shared / "data";
    options.output = folder.path() / "resnet20.pt";
    options.epochs = 1;
    options.train_images = 256;
    options.validation_images = 0;
    options.threads = 1;
    options.device = "cpu";

    const auto summary = train_classifier(options);
    CHECK(summary.metadata.split.validation_images == 0);
    CHECK(summary.metadata.training.best_epoch == 1);

    // The model has no validation split to evaluate on.
    evaluation_options evaluation;
    evaluation.model_file = options.output;
    evaluation.data_dir = options.data_dir;
    evaluation.split = split_kind::validation;
    evaluation.device = "cpu";
    CHECK_THROWS_AS(evaluate_model_file(evaluation), usage_error);
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
