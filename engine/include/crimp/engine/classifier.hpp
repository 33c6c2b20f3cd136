#pragma once

#include <torch/nn/module.h>
#include <torch/types.h>

#include <cstdint>
#include <memory>
#include <string>

namespace crimp
{

// Base of every model in the zoo: a 32×32 RGB image classifier whose multiply-accumulate count is
// known from its construction.
class ClassifierImpl : public torch::nn::Module
{
public:
    // Maps normalised images (N, 3, 32, 32) to class logits (N, classes).
    virtual torch::Tensor forward(torch::Tensor images) = 0;

    // Multiply-accumulates of one forward pass over one 32×32 image, counting convolutions and linear layers.
    std::int64_t macs_per_image() const { return m_macs; }

protected:
    explicit ClassifierImpl(const std::string &name) : torch::nn::Module(name) {}

    std::int64_t m_macs = 0;
};

using classifier_ptr = std::shared_ptr<ClassifierImpl>;

// Builds an untrained zoo model; raises usage_error for an unknown architecture name.
classifier_ptr make_classifier(const std::string &architecture, int classes);

} // namespace crimp
