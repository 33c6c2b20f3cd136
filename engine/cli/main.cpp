#include "command_line.hpp"

int main(int argc, char *argv[])
{
    const std::vector<crimp::cli::command> commands = {
        crimp::cli::make_models_command(),
        crimp::cli::make_train_command(),
        crimp::cli::make_evaluate_command(),
    };
    return crimp::cli::run_command_line(argc, argv, commands);
}
