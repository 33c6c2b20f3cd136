#include <crimp/engine/device.hpp>

#include <crimp/engine/error.hpp>

#include <ATen/Parallel.h>
#include <torch/cuda.h>

#include <thread>

namespace crimp
{

torch::Device resolve_device(const std::string &name)
{
    if (name == "cpu") {
        return torch::kCPU;
    }
    if (name == "cuda") {
        if (!torch::cuda::is_available()) {
            throw usage_error("--device cuda: this LibTorch build has no CUDA support or no GPU is visible; use --device cpu");
        }
        return torch::kCUDA;
    }
    if (name == "auto") {
        return torch::cuda::is_available() ? torch::Device(torch::kCUDA) : torch::Device(torch::kCPU);
    }
    throw usage_error("invalid device '" + name + "': expected cpu, cuda or auto");
}

int set_torch_threads(int threads)
{
    if (threads < 0) {
        throw usage_error("invalid thread count " + std::to_string(threads) + ": expected 0 (all cores) or more");
    }
    const int resolved = threads == 0 ? static_cast<int>(std::max(1U, std::thread::hardware_concurrency())) : threads;
    at::set_num_threads(resolved);
    return resolved;
}

} // namespace crimp
