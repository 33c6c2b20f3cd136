#pragma once

// The corruption functions, one per CIFAR-10-C corruption. Each writes the corrupted `image` at `severity`
// (1 to 5) into `output`, drawing random numbers from `random` only.

#include <crimp/corruption/corruption.hpp>
#include <crimp/corruption/random.hpp>

namespace crimp::corruption::detail
{

using corruption_function = void (*)(const rgb_image &image, int severity, counter_rng &random,
                                     const corruption_resources &resources, rgb_image &output);

#define CRIMP_DECLARE_CORRUPTION(name)                                                                                \
    void name(const rgb_image &image, int severity, counter_rng &random, const corruption_resources &resources,      \
              rgb_image &output)

// noise.cpp
CRIMP_DECLARE_CORRUPTION(gaussian_noise);
CRIMP_DECLARE_CORRUPTION(shot_noise);
CRIMP_DECLARE_CORRUPTION(impulse_noise);
CRIMP_DECLARE_CORRUPTION(speckle_noise);

// blur.cpp
CRIMP_DECLARE_CORRUPTION(defocus_blur);
CRIMP_DECLARE_CORRUPTION(zoom_blur);
CRIMP_DECLARE_CORRUPTION(gaussian_blur);

// motion.cpp
CRIMP_DECLARE_CORRUPTION(glass_blur);
CRIMP_DECLARE_CORRUPTION(motion_blur);

// weather.cpp
CRIMP_DECLARE_CORRUPTION(snow);
CRIMP_DECLARE_CORRUPTION(frost);
CRIMP_DECLARE_CORRUPTION(fog);
CRIMP_DECLARE_CORRUPTION(spatter);

// elastic.cpp
CRIMP_DECLARE_CORRUPTION(elastic_transform);

// digital.cpp
CRIMP_DECLARE_CORRUPTION(brightness);
CRIMP_DECLARE_CORRUPTION(contrast);
CRIMP_DECLARE_CORRUPTION(pixelate);
CRIMP_DECLARE_CORRUPTION(jpeg_compression);
CRIMP_DECLARE_CORRUPTION(saturate);

#undef CRIMP_DECLARE_CORRUPTION

} // namespace crimp::corruption::detail
