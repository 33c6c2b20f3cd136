#include "compression_test_support.hpp"

#include <torch/utils.h>

namespace crimp::testing
{

trained_model random_resnet20(std::uint64_t seed)
{
    torch::manual_seed(seed);
    trained_model result;
    result.metadata.architecture = "resnet20";
    result.metadata.dataset = dataset_kind::cifar10;
    result.metadata.classes = 10;
    result.metadata.statistics = dataset_normalisation(dataset_kind::cifar10);
    result.metadata.split = {0, 5000, 45000};
    result.model = make_classifier("resnet20", 10);
    result.model->train();
    {
        torch::NoGradGuard no_grad;
        result.model->forward(torch::randn({8, 3, 32, 32}));
    }
    result.model->eval();
    return result;
}

fit_data random_images(std::int64_t train, std::int64_t validation, std::uint64_t seed)
{
    torch::manual_seed(seed);
    fit_data data;
    data.train_images = torch::randint(0, 256, {train, 3, 32, 32}, torch::kUInt8);
    data.train_labels = torch::randint(0, 10, {train}, torch::kInt64);
    data.validation_images = torch::randint(0, 256, {validation, 3, 32, 32}, torch::kUInt8);
    data.validation_labels = torch::randint(0, 10, {validation}, torch::kInt64);
    data.statistics = dataset_normalisation(dataset_kind::cifar10);
    data.classes = 10;
    return data;
}

search::scoring_set random_scoring_set()
{
    const auto data = random_images(4, 20, 21);
    search::scoring_set set;
    set.clean_images = data.validation_images;
    set.clean_labels = data.validation_labels;
    set.corruption_names = {"gaussian_noise"};
    set.corrupted_images.push_back(torch::randint(0, 256, {5 * 4, 3, 32, 32}, torch::kUInt8));
    set.corrupted_labels.push_back(torch::randint(0, 10, {4}, torch::kInt64).repeat({5}));
    return set;
}

} // namespace crimp::testing
