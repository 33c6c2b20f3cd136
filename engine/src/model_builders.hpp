#pragma once

// Constructors of the zoo's architecture families, called by make_classifier.

#include <crimp/engine/classifier.hpp>

namespace crimp
{

// ResNet for CIFAR (He et al., 2016, section 4.2): 6n+2 layers in three stages of 16, 32 and 64
// channels, parameter-free identity shortcuts that subsample and zero-pad channels (option A).
classifier_ptr make_cifar_resnet(int depth, int classes);

// ResNet-18 (basic blocks) or ResNet-50 (bottlenecks) with a 3×3 stride-1 stem and no max-pool, the
// usual adaptation of the ImageNet networks to 32×32 inputs.
classifier_ptr make_resnet(int depth, int classes);

// VGG-11/16/19 with batch norm after every convolution and a single linear classifier on the 512
// features left after five 2×2 max-pools.
classifier_ptr make_vgg(int depth, int classes);

// MobileNetV2 (Sandler et al., 2018) with CIFAR strides: a stride-1 stem and stride 1 in the second
// stage, so that the final feature map is 4×4.
classifier_ptr make_mobilenetv2(int classes);

} // namespace crimp
