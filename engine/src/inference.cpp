#include <crimp/engine/image_batches.hpp>
#include <crimp/engine/inference.hpp>

#include <torch/nn/functional/loss.h>

namespace crimp
{

namespace
{

// Calls `consume(logits, start, end)` for each batch of images [start, end), in evaluation mode and
// without gradients, restoring the model's training mode afterwards.
template <typename Consumer>
void for_each_batch(ClassifierImpl &model, const torch::Tensor &images, const normalisation &statistics,
                    std::int64_t batch_size, const torch::Device &device, Consumer consume)
{
    torch::NoGradGuard no_grad;
    const bool was_training = model.is_training();
    model.eval();
    const std::int64_t count = images.size(0);
    for (std::int64_t start = 0; start < count; start += batch_size) {
        const std::int64_t end = std::min(count, start + batch_size);
        const auto batch = normalise(images.slice(0, start, end).to(device), statistics);
        consume(model.forward(batch), start, end);
    }
    model.train(was_training);
}

} // namespace

image_predictions classify(ClassifierImpl &model, const torch::Tensor &images, const normalisation &statistics,
                           std::int64_t batch_size, const torch::Device &device)
{
    image_predictions predictions;
    predictions.labels.reserve(static_cast<std::size_t>(images.size(0)));
    predictions.confidences.reserve(static_cast<std::size_t>(images.size(0)));
    for_each_batch(model, images, statistics, batch_size, device,
                   [&](const torch::Tensor &logits, std::int64_t, std::int64_t) {
                       const auto [confidence, label] = torch::softmax(logits, 1).max(1);
                       const auto cpu_labels = label.to(torch::kCPU).contiguous();
                       const auto cpu_confidences = confidence.to(torch::kCPU, torch::kFloat32).contiguous();
                       predictions.labels.insert(predictions.labels.end(), cpu_labels.data_ptr<std::int64_t>(),
                                                 cpu_labels.data_ptr<std::int64_t>() + cpu_labels.numel());
                       predictions.confidences.insert(predictions.confidences.end(), cpu_confidences.data_ptr<float>(),
                                                      cpu_confidences.data_ptr<float>() + cpu_confidences.numel());
                   });
    return predictions;
}

prediction_tally predict(ClassifierImpl &model, const torch::Tensor &images, const torch::Tensor &labels,
                         const normalisation &statistics, std::int64_t batch_size, const torch::Device &device,
                         int classes)
{
    prediction_tally tally;
    auto correct_per_class = torch::zeros({classes}, torch::kInt64);
    auto total_per_class = torch::zeros({classes}, torch::kInt64);
    for_each_batch(model, images, statistics, batch_size, device,
                   [&](const torch::Tensor &logits, std::int64_t start, std::int64_t end) {
                       const auto batch_labels = labels.slice(0, start, end).to(device);
                       tally.loss_sum += torch::nn::functional::cross_entropy(
                                             logits, batch_labels,
                                             torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum))
                                             .item<double>();
                       const auto hits = logits.argmax(1).eq(batch_labels).to(torch::kCPU);
                       const auto cpu_labels = batch_labels.to(torch::kCPU);
                       correct_per_class.index_add_(0, cpu_labels, hits.to(torch::kInt64));
                       total_per_class.index_add_(0, cpu_labels, torch::ones_like(cpu_labels));
                   });

    tally.correct_per_class.assign(correct_per_class.data_ptr<std::int64_t>(),
                                   correct_per_class.data_ptr<std::int64_t>() + classes);
    tally.total_per_class.assign(total_per_class.data_ptr<std::int64_t>(), total_per_class.data_ptr<std::int64_t>() + classes);
    tally.correct = correct_per_class.sum().item<std::int64_t>();
    tally.total = images.size(0);
    return tally;
}

} // namespace crimp
