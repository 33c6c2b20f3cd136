#include <crimp/engine/classifier.hpp>
#include <crimp/engine/error.hpp>
#include <crimp/engine/model_zoo.hpp>

#include <doctest/doctest.h>
#include <torch/nn.h>

#include <map>

using namespace crimp;

TEST_CASE("zoo parameter counts match published models")
{
    // Published counts for CIFAR-10 (10 classes): ResNet-20 0.27 M and ResNet-56 0.85 M (He et al., 2016,
    // table 6); ResNet-18, ResNet-50 and MobileNetV2 as in the widely used CIFAR ports of these networks.
    // The VGG counts omit the convolution biases that batch norm makes redundant.
    const std::map<std::string, std::int64_t> expected = {
        {"resnet20", 269722},  {"resnet56", 853018},  {"resnet18", 11173962}, {"resnet50", 23520842},
        {"vgg11", 9228362},    {"vgg16", 14724042},   {"vgg19", 20035018},    {"mobilenetv2", 2296922},
    };
    const auto summaries = describe_architectures(10);
    REQUIRE(summaries.size() == expected.size());
    for (const auto &summary : summaries) {
        CAPTURE(summary.name);
        CHECK(summary.parameters == expected.at(summary.name));
    }
}

TEST_CASE("zoo multiply-accumulate counts")
{
    // ResNet-20 needs about 41 M multiply-accumulates per image, ResNet-18 about 0.56 G.
    std::map<std::string, std::int64_t> macs;
    for (const auto &summary : describe_architectures(10)) {
        macs[summary.name] = summary.macs_per_image;
    }
    CHECK(macs["resnet20"] == 40551040);
    CHECK(macs["resnet18"] == 555422720);
    CHECK(macs["mobilenetv2"] == 91154944);
}

TEST_CASE("zoo models map images to logits")
{
    torch::NoGradGuard no_grad;
    const auto images = torch::randn({2, 3, 32, 32});
    for (const auto &name : architecture_names()) {
        CAPTURE(name);
        for (const int classes : {10, 100}) {
            auto model = make_classifier(name, classes);
            model->eval();
            const auto logits = model->forward(images);
            CHECK(logits.sizes() == torch::IntArrayRef({2, classes}));
            CHECK(torch::isfinite(logits).all().item<bool>());
        }
    }
}

TEST_CASE("zoo rejects unknown model")
{
    try {
        make_classifier("resnet21", 10);
        FAIL("expected usage_error");
    } catch (const usage_error &error) {
        const std::string message = error.what();
        CHECK(message.find("resnet21") != std::string::npos);
        CHECK(message.find("mobilenetv2") != std::string::npos);
    }
}

TEST_CASE("zoo parameter paths are stable")
{
    auto model = make_classifier("resnet20", 10);
    const auto parameters = model->named_parameters();
    CHECK(parameters.contains("conv1.weight"));
    CHECK(parameters.contains("layer1.0.conv1.weight"));
    CHECK(parameters.contains("layer3.2.bn2.bias"));
    CHECK(parameters.contains("fc.weight"));
}
