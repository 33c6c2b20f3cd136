#include <crimp/corruption/preview.hpp>

#include <crimp/engine/error.hpp>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <string>

namespace crimp::corruption
{

namespace
{

constexpr int scale = 4;
constexpr int tile = image_side * scale;
constexpr int gap = 4;
constexpr int label_width = 150;
constexpr int header_height = 24;

void draw_tile(cv::Mat &canvas, const rgb_image &image, int row, int column)
{
    // OpenCV stores colour images as BGR, so the channels are swapped while wrapping the RGB bytes.
    const cv::Mat rgb(image_side, image_side, CV_8UC3, const_cast<std::uint8_t *>(image.data()));
    cv::Mat bgr;
    cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
    cv::Mat enlarged;
    cv::resize(bgr, enlarged, cv::Size(tile, tile), 0, 0, cv::INTER_NEAREST);
    const int x = label_width + column * (tile + gap);
    const int y = header_height + row * (tile + gap);
    enlarged.copyTo(canvas(cv::Rect(x, y, tile, tile)));
}

void draw_text(cv::Mat &canvas, const std::string &text, int x, int y)
{
    cv::putText(canvas, text, cv::Point(x, y), cv::FONT_HERSHEY_SIMPLEX, 0.45, cv::Scalar(0, 0, 0), 1, cv::LINE_AA);
}

} // namespace

void write_preview(const std::filesystem::path &file, const rgb_image &image, std::uint64_t image_index,
                   const std::vector<int> &corruptions, std::uint64_t seed, const corruption_resources &resources)
{
    const int rows = static_cast<int>(corruptions.size());
    const int width = label_width + 6 * (tile + gap);
    const int height = header_height + rows * (tile + gap);
    cv::Mat canvas(height, width, CV_8UC3, cv::Scalar(255, 255, 255));

    draw_text(canvas, "clean", label_width + tile / 3, 16);
    for (int severity = 1; severity <= severities; ++severity) {
        draw_text(canvas, "severity " + std::to_string(severity), label_width + severity * (tile + gap) + 20, 16);
    }
    for (int row = 0; row < rows; ++row) {
        const int corruption = corruptions[static_cast<std::size_t>(row)];
        draw_text(canvas, std::string(corruption_list()[static_cast<std::size_t>(corruption)].name), 6,
                  header_height + row * (tile + gap) + tile / 2);
        draw_tile(canvas, image, row, 0);
        for (int severity = 1; severity <= severities; ++severity) {
            draw_tile(canvas, apply_corruption(corruption, severity, image, seed, image_index, resources), row, severity);
        }
    }

    if (file.has_parent_path()) {
        std::error_code ignored;
        std::filesystem::create_directories(file.parent_path(), ignored);
    }
    bool written = false;
    try {
        written = cv::imwrite(file.string(), canvas);
    } catch (const cv::Exception &error) {
        throw input_error("failed to write preview '" + file.string() + "': " + error.what());
    }
    if (!written) {
        throw input_error("failed to write preview '" + file.string() + "': check the folder and the .png extension");
    }
}

} // namespace crimp::corruption
