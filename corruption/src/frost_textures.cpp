#include <crimp/corruption/corruption.hpp>

#include <crimp/engine/error.hpp>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace crimp::corruption
{

std::shared_ptr<const frost_textures> load_frost_textures(const std::filesystem::path &folder)
{
    // frost6.jpg ships with the textures but the reference never picks it (it draws randint(5)).
    static const char *const names[] = {"frost1.png", "frost2.png", "frost3.png", "frost4.jpg", "frost5.jpg"};
    auto textures = std::make_shared<frost_textures>();
    for (const char *name : names) {
        const auto file = folder / name;
        const cv::Mat bgr = cv::imread(file.string(), cv::IMREAD_COLOR);
        if (bgr.empty()) {
            throw input_error("frost texture '" + file.string()
                              + "' not found or unreadable: pass --frost-dir, or fetch the textures with "
                                "scripts/download_cifar.sh --frost");
        }
        cv::Mat resized;
        cv::resize(bgr, resized, cv::Size(), 0.2, 0.2, cv::INTER_LINEAR);
        cv::Mat rgb;
        cv::cvtColor(resized, rgb, cv::COLOR_BGR2RGB);

        frost_texture texture;
        texture.height = rgb.rows;
        texture.width = rgb.cols;
        texture.rgb.assign(rgb.data, rgb.data + rgb.total() * rgb.elemSize());
        textures->push_back(std::move(texture));
    }
    return textures;
}

} // namespace crimp::corruption
