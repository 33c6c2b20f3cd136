#include "test_support.hpp"

#include <crimp/engine/checkpoint.hpp>
#include <crimp/engine/error.hpp>

#include <doctest/doctest.h>
#include <torch/nn.h>

using namespace crimp;
using crimp::testing::temporary_folder;

namespace
{

model_metadata example_metadata()
{
    model_metadata metadata;
    metadata.architecture = "resnet20";
    metadata.dataset = dataset_kind::cifar100;
    metadata.classes = 100;
    metadata.statistics = dataset_normalisation(dataset_kind::cifar100);
    metadata.split = {17, 5000, 45000};
    metadata.training = {"sgd", 0.1, 0.9, 5e-4, 128, 3, 10, 99, 2, 12.5, {}};
    metadata.training.history.push_back({1, 0.1, 2.5, 0.2, 2.4, 0.25, 4.0, 1000.0});
    metadata.training.history.push_back({2, 0.05, 2.0, 0.3, 2.1, 0.35, 4.5, 1100.0});
    return metadata;
}

} // namespace

TEST_CASE("checkpoint round trip keeps weights and metadata")
{
    temporary_folder folder;
    const auto file = folder.path() / "model.pt";
    torch::manual_seed(3);
    auto model = make_classifier("resnet20", 100);
    // Training-mode passes move the batch-norm running statistics away from their initial values.
    model->train();
    model->forward(torch::randn({4, 3, 32, 32}));
    save_model(file, *model, example_metadata());

    const auto loaded = load_model(file);
    const auto &metadata = loaded.metadata;
    CHECK(metadata.architecture == "resnet20");
    CHECK(metadata.dataset == dataset_kind::cifar100);
    CHECK(metadata.classes == 100);
    CHECK(metadata.statistics.mean == dataset_normalisation(dataset_kind::cifar100).mean);
    CHECK(metadata.split.seed == 17);
    CHECK(metadata.split.validation_images == 5000);
    CHECK(metadata.split.train_images == 45000);
    CHECK(metadata.training.best_epoch == 2);
    CHECK(metadata.training.seed == 99);
    REQUIRE(metadata.training.history.size() == 2);
    CHECK(metadata.training.history[1].validation_accuracy == doctest::Approx(0.35));

    torch::NoGradGuard no_grad;
    model->eval();
    loaded.model->eval();
    const auto images = torch::randn({3, 3, 32, 32});
    CHECK(torch::equal(model->forward(images), loaded.model->forward(images)));
    CHECK_FALSE(std::filesystem::exists(folder.path() / "model.pt.partial"));
}

TEST_CASE("checkpoint rejects missing and foreign files")
{
    temporary_folder folder;
    CHECK_THROWS_AS(load_model(folder.path() / "absent.pt"), input_error);

    const auto garbage = folder.path() / "garbage.pt";
    crimp::testing::write_bytes(garbage, "not a model");
    try {
        load_model(garbage);
        FAIL("expected input_error");
    } catch (const input_error &error) {
        CHECK(std::string(error.what()).find("garbage.pt") != std::string::npos);
    }

    // A plain LibTorch archive without crimp metadata.
    const auto plain = folder.path() / "plain.pt";
    torch::serialize::OutputArchive archive;
    make_classifier("resnet20", 10)->save(archive);
    archive.save_to(plain.string());
    try {
        load_model(plain);
        FAIL("expected input_error");
    } catch (const input_error &error) {
        CHECK(std::string(error.what()).find("no crimp metadata") != std::string::npos);
    }
}
