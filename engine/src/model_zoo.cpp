#include "model_builders.hpp"

#include <crimp/engine/classifier.hpp>
#include <crimp/engine/error.hpp>
#include <crimp/engine/model_zoo.hpp>

#include <functional>

namespace crimp
{

namespace
{

struct zoo_entry {
    const char *name;
    const char *description;
    std::function<classifier_ptr(int)> build;
};

const std::vector<zoo_entry> &zoo()
{
    static const std::vector<zoo_entry> entries = {
        {"resnet20", "CIFAR ResNet, 3 stages of 3 basic blocks", [](int c) { return make_cifar_resnet(20, c); }},
        {"resnet56", "CIFAR ResNet, 3 stages of 9 basic blocks", [](int c) { return make_cifar_resnet(56, c); }},
        {"resnet18", "ResNet-18, 3x3 stem, no max-pool", [](int c) { return make_resnet(18, c); }},
        {"resnet50", "ResNet-50 (bottlenecks), 3x3 stem, no max-pool", [](int c) { return make_resnet(50, c); }},
        {"vgg11", "VGG-11 with batch norm", [](int c) { return make_vgg(11, c); }},
        {"vgg16", "VGG-16 with batch norm", [](int c) { return make_vgg(16, c); }},
        {"vgg19", "VGG-19 with batch norm", [](int c) { return make_vgg(19, c); }},
        {"mobilenetv2", "MobileNetV2 with CIFAR strides", [](int c) { return make_mobilenetv2(c); }},
    };
    return entries;
}

const zoo_entry &find_entry(const std::string &architecture)
{
    for (const auto &entry : zoo()) {
        if (architecture == entry.name) {
            return entry;
        }
    }
    std::string valid;
    for (const auto &entry : zoo()) {
        valid += (valid.empty() ? "" : ", ") + std::string(entry.name);
    }
    throw usage_error("unknown model '" + architecture + "': expected one of " + valid);
}

} // namespace

classifier_ptr make_classifier(const std::string &architecture, int classes)
{
    if (classes < 2) {
        throw usage_error("invalid class count " + std::to_string(classes) + ": expected at least 2");
    }
    return find_entry(architecture).build(classes);
}

std::vector<std::string> architecture_names()
{
    std::vector<std::string> names;
    for (const auto &entry : zoo()) {
        names.emplace_back(entry.name);
    }
    return names;
}

void check_architecture(const std::string &architecture)
{
    find_entry(architecture);
}

std::vector<architecture_summary> describe_architectures(int classes)
{
    if (classes < 2) {
        throw usage_error("invalid class count " + std::to_string(classes) + ": expected at least 2");
    }
    std::vector<architecture_summary> summaries;
    for (const auto &entry : zoo()) {
        const auto model = entry.build(classes);
        std::int64_t parameters = 0;
        for (const auto &parameter : model->parameters()) {
            parameters += parameter.numel();
        }
        summaries.push_back({entry.name, entry.description, parameters, model->macs_per_image()});
    }
    return summaries;
}

} // namespace crimp
