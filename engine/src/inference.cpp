#include <crimp/engine/image_batches.hpp>
#include <crimp/engine/inference.hpp>

#include <torch/nn/functional/loss.h>

namespace crimp
{

prediction_tally predict(ClassifierImpl &model, const torch::Tensor &images, const torch::Tensor &labels,
                         const normalisation &statistics, std::int64_t batch_size, const torch::Device &device,
                         int classes)
{
    torch::NoGradGuard no_grad;
    const bool was_training = model.is_training();
    model.eval();

    prediction_tally tally;
    auto correct_per_class = torch::zeros({classes}, torch::kInt64);
    auto total_per_class = torch::zeros({classes}, torch::kInt64);
    const std::int64_t count = images.size(0);
    for (std::int64_t start = 0; start < count; start += batch_size) {
        const std::int64_t end = std::min(count, start + batch_size);
        const auto batch = normalise(images.slice(0, start, end).to(device), statistics);
        const auto batch_labels = labels.slice(0, start, end).to(device);
        const auto logits = model.forward(batch);

        tally.loss_sum += torch::nn::functional::cross_entropy(
                              logits, batch_labels, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum))
                              .item<double>();
        const auto hits = logits.argmax(1).eq(batch_labels).to(torch::kCPU);
        const auto cpu_labels = batch_labels.to(torch::kCPU);
        correct_per_class.index_add_(0, cpu_labels, hits.to(torch::kInt64));
        total_per_class.index_add_(0, cpu_labels, torch::ones_like(cpu_labels));
    }

    tally.correct_per_class.assign(correct_per_class.data_ptr<std::int64_t>(),
                                   correct_per_class.data_ptr<std::int64_t>() + classes);
    tally.total_per_class.assign(total_per_class.data_ptr<std::int64_t>(), total_per_class.data_ptr<std::int64_t>() + classes);
    tally.correct = correct_per_class.sum().item<std::int64_t>();
    tally.total = count;
    model.train(was_training);
    return tally;
}

} // namespace crimp
