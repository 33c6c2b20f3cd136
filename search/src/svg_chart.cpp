#include "svg_chart.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace crimp::search::svg
{

namespace
{

constexpr double left = 64.0;
constexpr double right = 16.0;
constexpr double top = 28.0;
constexpr double bottom = 48.0;

struct scale {
    double low = 0.0;
    double high = 1.0;
    bool log = false;

    double value(double raw) const { return log ? std::log10(std::max(raw, 1e-12)) : raw; }
    double fraction(double raw) const { return high > low ? (value(raw) - low) / (high - low) : 0.5; }
};

scale fit(const std::vector<double> &values, bool log)
{
    scale result;
    result.log = log;
    if (values.empty()) {
        return result;
    }
    double low = std::numeric_limits<double>::infinity();
    double high = -std::numeric_limits<double>::infinity();
    for (const double raw : values) {
        low = std::min(low, result.value(raw));
        high = std::max(high, result.value(raw));
    }
    const double margin = high > low ? 0.05 * (high - low) : 0.5;
    result.low = low - margin;
    result.high = high + margin;
    return result;
}

std::string tick_label(double value, bool log)
{
    const double raw = log ? std::pow(10.0, value) : value;
    return std::abs(raw) >= 100 ? fmt::format("{:.0f}", raw) : fmt::format("{:.3g}", raw);
}

// The frame, five ticks per axis, the axis labels and the title.
std::string frame(const axes &layout, const scale &x, const scale &y, double width, double height)
{
    const double plot_width = width - left - right;
    const double plot_height = height - top - bottom;
    std::string out = fmt::format("<rect class=\"frame\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>", left, top,
                                  plot_width, plot_height);
    for (int i = 0; i <= 4; ++i) {
        const double fraction = i / 4.0;
        const double px = left + fraction * plot_width;
        const double py = top + (1.0 - fraction) * plot_height;
        out += fmt::format("<line class=\"grid\" x1=\"{0:.1f}\" y1=\"{1}\" x2=\"{0:.1f}\" y2=\"{2}\"/>", px, top,
                           top + plot_height);
        out += fmt::format("<line class=\"grid\" x1=\"{1}\" y1=\"{0:.1f}\" x2=\"{2}\" y2=\"{0:.1f}\"/>", py, left,
                           left + plot_width);
        out += fmt::format("<text class=\"tick\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>", px,
                           top + plot_height + 16, tick_label(x.low + fraction * (x.high - x.low), x.log));
        out += fmt::format("<text class=\"tick\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>", left - 6,
                           py + 4, tick_label(y.low + fraction * (y.high - y.low), y.log));
    }
    out += fmt::format("<text class=\"label\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>",
                       left + plot_width / 2, height - 8, escape(layout.x_label + (layout.log_x ? " (log)" : "")));
    out += fmt::format("<text class=\"label\" transform=\"translate(14,{:.1f}) rotate(-90)\" "
                       "text-anchor=\"middle\">{}</text>",
                       top + plot_height / 2, escape(layout.y_label));
    out += fmt::format("<text class=\"title\" x=\"{}\" y=\"18\">{}</text>", left, escape(layout.title));
    return out;
}

} // namespace

std::string escape(const std::string &text)
{
    std::string out;
    for (const char character : text) {
        switch (character) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        default:
            out += character;
        }
    }
    return out;
}

std::string scatter(const axes &layout, const std::vector<series> &data)
{
    constexpr double width = 520.0;
    constexpr double height = 380.0;
    std::vector<double> xs;
    std::vector<double> ys;
    for (const auto &group : data) {
        for (const auto &p : group.points) {
            xs.push_back(p.x);
            ys.push_back(p.y);
        }
    }
    const auto x = fit(xs, layout.log_x);
    const auto y = fit(ys, false);
    std::string out = fmt::format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" "
                                  "viewBox=\"0 0 {0} {1}\">",
                                  width, height);
    out += frame(layout, x, y, width, height);
    for (const auto &group : data) {
        for (std::size_t i = 0; i < group.points.size(); ++i) {
            const auto &p = group.points[i];
            const double px = left + x.fraction(p.x) * (width - left - right);
            const double py = top + (1.0 - y.fraction(p.y)) * (height - top - bottom);
            out += fmt::format("<circle class=\"{}\" cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"{}\"/>", group.style, px, py,
                               group.style == "evaluated" ? 3 : 5);
            if (i < group.labels.size()) {
                out += fmt::format("<text class=\"point-label\" x=\"{:.1f}\" y=\"{:.1f}\">{}</text>", px + 6, py - 4,
                                   escape(group.labels[i]));
            }
        }
    }
    return out + "</svg>";
}

std::string line(const axes &layout, const std::vector<point> &points)
{
    constexpr double width = 520.0;
    constexpr double height = 300.0;
    std::vector<double> xs;
    std::vector<double> ys;
    for (const auto &p : points) {
        xs.push_back(p.x);
        ys.push_back(p.y);
    }
    const auto x = fit(xs, false);
    const auto y = fit(ys, false);
    std::string out = fmt::format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" "
                                  "viewBox=\"0 0 {0} {1}\">",
                                  width, height);
    out += frame(layout, x, y, width, height);
    std::string path;
    for (const auto &p : points) {
        const double px = left + x.fraction(p.x) * (width - left - right);
        const double py = top + (1.0 - y.fraction(p.y)) * (height - top - bottom);
        path += fmt::format("{}{:.1f},{:.1f} ", path.empty() ? "M" : "L", px, py);
        out += fmt::format("<circle class=\"front\" cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"3\"/>", px, py);
    }
    return out + fmt::format("<path class=\"curve\" d=\"{}\"/></svg>", path);
}

} // namespace crimp::search::svg
