#include <crimp/compression/compressed_model.hpp>

#include <crimp/engine/compressible_layers.hpp>

#include <torch/utils.h>

#include <set>

namespace crimp::compression
{

void apply_encoding(compressed_model &compressed)
{
    torch::NoGradGuard no_grad;
    auto layers = compressible_layers(*compressed.model);
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const auto &encoded = compressed.layers.at(i);
        layers[i].weight.copy_(decode_weight(encoded));
        *layers[i].rewrites = {};
        if (encoded.input.enabled()) {
            layers[i].rewrites->input = [quantizer = encoded.input](const torch::Tensor &input) {
                return quantize_activation(input, quantizer);
            };
        }
    }
}

compressed_model uncompressed(const trained_model &baseline)
{
    compressed_model result{baseline.model, baseline.metadata, {}, {}};
    for (const auto &layer : compressible_layers(*baseline.model)) {
        result.layers.push_back(encode_float(layer.name, layer.weight, {}));
    }
    return result;
}

std::vector<torch::Tensor> float_tensors(ClassifierImpl &model)
{
    std::set<const void *> weights;
    for (const auto &layer : compressible_layers(model)) {
        weights.insert(layer.weight.unsafeGetTensorImpl());
    }
    std::vector<torch::Tensor> tensors;
    auto add = [&](const torch::Tensor &tensor) {
        if (tensor.is_floating_point() && weights.count(tensor.unsafeGetTensorImpl()) == 0) {
            tensors.push_back(tensor);
        }
    };
    for (const auto &parameter : model.parameters()) {
        add(parameter);
    }
    for (const auto &buffer : model.buffers()) {
        add(buffer);
    }
    return tensors;
}

classifier_ptr copy_model(ClassifierImpl &model, const model_metadata &metadata)
{
    torch::NoGradGuard no_grad;
    auto copy = make_classifier(metadata.architecture, metadata.classes);
    auto source_parameters = model.parameters();
    auto target_parameters = copy->parameters();
    for (std::size_t i = 0; i < source_parameters.size(); ++i) {
        target_parameters[i].copy_(source_parameters[i]);
    }
    auto source_buffers = model.buffers();
    auto target_buffers = copy->buffers();
    for (std::size_t i = 0; i < source_buffers.size(); ++i) {
        target_buffers[i].copy_(source_buffers[i]);
    }
    return copy;
}

} // namespace crimp::compression
