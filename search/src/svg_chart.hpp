#pragma once

// Minimal SVG charts for the HTML report: a scatter plot with labelled axes and a line chart.

#include <string>
#include <vector>

namespace crimp::search::svg
{

struct point {
    double x = 0.0;
    double y = 0.0;
};

// A series of points drawn in one style: "evaluated", "front", "baseline" or "reference" (CSS classes).
struct series {
    std::vector<point> points;
    std::string style;
    // Labels shown beside the points (reference models); empty for none.
    std::vector<std::string> labels;
};

struct axes {
    std::string title;
    std::string x_label;
    std::string y_label;
    bool log_x = false;
};

// A scatter plot of the series (drawn in order, later ones on top), 520×380 pixels.
std::string scatter(const axes &layout, const std::vector<series> &data);

// A line chart through the points, 520×300 pixels.
std::string line(const axes &layout, const std::vector<point> &points);

// Escapes &, <, > and quotes for HTML text and attributes.
std::string escape(const std::string &text);

} // namespace crimp::search::svg
