#include "command_line.hpp"

#include <malloc.h>

namespace
{

// LibTorch allocates activation buffers of up to a few hundred MiB per layer and frees them after every
// batch. With glibc's default thresholds such buffers are mapped and unmapped again each time, and the
// page faults cost more than the convolutions. Keeping buffers below 512 MiB on the heap avoids that, at
// the price of a larger resident memory. Measured on 2 cores: MobileNetV2 training went from 91 to 133
// images/s, ResNet-20 inference from about 1700 to 2800.
void keep_tensor_buffers_on_heap()
{
    mallopt(M_MMAP_THRESHOLD, 512 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
}

} // namespace

int main(int argc, char *argv[])
{
    keep_tensor_buffers_on_heap();
    const std::vector<crimp::cli::command> commands = {
        crimp::cli::make_models_command(),
        crimp::cli::make_train_command(),
        crimp::cli::make_compress_command(),
        crimp::cli::make_evaluate_command(),
        crimp::cli::make_corrupt_command(),
        crimp::cli::make_mce_command(),
        crimp::cli::make_search_command(),
        crimp::cli::make_resume_command(),
        crimp::cli::make_status_command(),
        crimp::cli::make_front_command(),
        crimp::cli::make_export_command(),
        crimp::cli::make_report_command(),
        crimp::cli::make_techniques_command(),
    };
    return crimp::cli::run_command_line(argc, argv, commands);
}
