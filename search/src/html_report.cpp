#include <crimp/search/html_report.hpp>

#include "svg_chart.hpp"

#include <crimp/search/front.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace crimp::search
{

namespace
{

constexpr const char *style = R"(body{font-family:sans-serif;margin:24px;color:#222;max-width:1120px}
h1{font-size:22px}h2{font-size:17px;margin-top:28px}
.charts{display:flex;flex-wrap:wrap;gap:12px}
svg{background:#fff;border:1px solid #ddd}
.frame{fill:none;stroke:#888}.grid{stroke:#eee}.tick{font-size:10px;fill:#555}
.label{font-size:12px;fill:#222}.title{font-size:13px;font-weight:bold;fill:#222}
.evaluated{fill:#9aa;opacity:.7}.front{fill:#d62728}.baseline{fill:#111;stroke:#fff}
.reference{fill:#1f77b4;stroke:#fff}.point-label{font-size:9px;fill:#1f77b4}
.curve{fill:none;stroke:#d62728;stroke-width:2}
.wide{overflow-x:auto}table{border-collapse:collapse;font-size:11px}
td,th{border:1px solid #ccc;padding:3px 5px;text-align:right;white-space:nowrap}
th{background:#f3f3f3}td.name{text-align:left}pre{background:#f6f6f6;padding:8px;font-size:11px}
.legend span{display:inline-block;margin-right:14px;font-size:12px}
.dot{display:inline-block;width:10px;height:10px;border-radius:5px;margin-right:4px;vertical-align:middle})";

struct projection {
    const char *title;
    const char *x_label;
    const char *y_label;
    bool log_x;
    // Index into (accuracy %, mCE, compression ratio) of the x and y values.
    int x;
    int y;
};

constexpr projection projections[] = {
    {"Accuracy against compression ratio", "compression ratio", "validation accuracy (%)", true, 2, 0},
    {"mCE against compression ratio", "compression ratio", "mCE (baseline = 100)", true, 2, 1},
    {"Accuracy against mCE", "mCE (baseline = 100)", "validation accuracy (%)", false, 1, 0},
};

std::array<double, 3> coordinates(const std::array<double, 3> &objectives)
{
    return {100.0 * (1.0 - objectives[0]), objectives[1], 1.0 / objectives[2]};
}

std::string projection_charts(const run_state &state, const std::vector<std::size_t> &front,
                              const std::vector<reference_model> &references)
{
    std::vector<std::array<double, 3>> evaluated;
    for (const auto &record : state.evaluations) {
        if (record.ok) {
            evaluated.push_back(coordinates({1.0 - record.accuracy, record.mce, 1.0 / record.compression_ratio}));
        }
    }
    std::vector<std::array<double, 3>> front_points;
    for (const auto position : front) {
        const auto &record = state.evaluations[position];
        front_points.push_back(coordinates({1.0 - record.accuracy, record.mce, 1.0 / record.compression_ratio}));
    }
    const std::array<double, 3> baseline = {100.0 * state.baseline_accuracy, 100.0, 1.0};

    std::string out = "<div class=\"charts\">";
    for (const auto &view : projections) {
        std::vector<svg::series> data(4);
        data[0].style = "evaluated";
        data[1].style = "front";
        data[2].style = "baseline";
        data[3].style = "reference";
        for (const auto &p : evaluated) {
            data[0].points.push_back({p[view.x], p[view.y]});
        }
        for (const auto &p : front_points) {
            data[1].points.push_back({p[view.x], p[view.y]});
        }
        if (state.baseline_accuracy > 0.0) {
            data[2].points.push_back({baseline[view.x], baseline[view.y]});
        }
        for (const auto &reference : references) {
            const auto p = coordinates(reference.objectives);
            data[3].points.push_back({p[view.x], p[view.y]});
            data[3].labels.push_back(reference.name.substr(0, reference.name.find(' ')));
        }
        out += svg::scatter({view.title, view.x_label, view.y_label, view.log_x}, data);
    }
    return out + "</div><p class=\"legend\"><span><i class=\"dot evaluated\" style=\"background:#9aa\"></i>evaluated"
                 "</span><span><i class=\"dot\" style=\"background:#d62728\"></i>front</span><span><i class=\"dot\" "
                 "style=\"background:#111\"></i>baseline</span><span><i class=\"dot\" style=\"background:#1f77b4\">"
                 "</i>reference</span></p>";
}

std::string hypervolume_chart(const run_state &state)
{
    std::vector<svg::point> points;
    for (const auto &generation : state.generations) {
        points.push_back({static_cast<double>(generation.generation), generation.hypervolume});
    }
    return svg::line({fmt::format("Hypervolume per generation (reference point {}, {}, {})", state.reference_point[0],
                                  state.reference_point[1], state.reference_point[2]),
                      "generation", "hypervolume", false},
                     points);
}

// Background colour of a CE cell: green below 100 (more robust than the baseline), red above.
std::string heat_colour(double ce)
{
    const double strength = std::min(1.0, std::abs(ce - 100.0) / 100.0);
    const int fade = static_cast<int>(255.0 - 150.0 * strength);
    return ce <= 100.0 ? fmt::format("rgb({0},255,{0})", fade) : fmt::format("rgb(255,{0},{0})", fade);
}

std::string heatmap(const run_state &state, const std::vector<std::size_t> &front)
{
    std::string out = "<table><tr><th>genome</th>";
    for (const auto &name : state.corruption_names) {
        out += "<th>" + svg::escape(name) + "</th>";
    }
    out += "</tr>";
    for (const auto position : front) {
        const auto &record = state.evaluations[position];
        out += "<tr><td class=\"name\">" + svg::escape(record.key) + "</td>";
        for (const double ce : record.corruption_errors) {
            out += fmt::format("<td style=\"background:{}\">{:.0f}</td>", heat_colour(ce), ce);
        }
        out += "</tr>";
    }
    return out + "</table>";
}

std::string front_table(const run_state &state, const std::vector<std::size_t> &front)
{
    // The same columns and number formats as `crimp front --csv`.
    std::string out = "<table><tr>";
    const auto header = model_table_header();
    for (std::size_t start = 0, comma = 0; start < header.size() - 1; start = comma + 1) {
        comma = std::min(header.find(',', start), header.size() - 1);
        out += "<th>" + header.substr(start, comma - start) + "</th>";
    }
    out += "</tr>";
    for (const auto position : front) {
        const auto &record = state.evaluations[position];
        const test_record *test = nullptr;
        for (const auto &entry : state.test_front) {
            test = entry.key == record.key ? &entry : test;
        }
        auto row = model_table_row(record.key, record, test);
        row.pop_back();
        out += "<tr>";
        for (std::size_t start = 0, comma = 0; start <= row.size(); start = comma + 1) {
            comma = std::min(row.find(',', start), row.size());
            out += "<td" + std::string(start == 0 ? " class=\"name\"" : "") + ">"
                   + svg::escape(row.substr(start, comma - start)) + "</td>";
        }
        out += "</tr>";
    }
    return out + "</table>";
}

std::string dominance_summary(const run_state &state, const std::vector<std::size_t> &front,
                              const std::vector<reference_model> &references)
{
    std::string out = "<table><tr><th>reference model</th><th>dominated by</th></tr>";
    std::size_t dominated = 0;
    for (const auto &reference : references) {
        const auto keys = dominating_keys(state, front, reference);
        dominated += keys.empty() ? 0 : 1;
        out += "<tr><td class=\"name\">" + svg::escape(reference.name) + "</td><td class=\"name\">"
               + (keys.empty() ? std::string("none") : fmt::format("{} front member(s), e.g. {}", keys.size(), keys.front()))
               + "</td></tr>";
    }
    return fmt::format("<p>The front dominates <b>{} of the {}</b> reference models (validation accuracy, mCE and "
                       "compression ratio).</p>",
                       dominated, references.size())
           + out + "</table>";
}

} // namespace

std::string html_report(const run_state &state, const std::string &title, const std::vector<reference_model> &references)
{
    const auto front = front_positions(state);
    const int generation = state.generations.empty() ? -1 : state.generations.back().generation;
    std::string html = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
                       + svg::escape(title) + "</title><style>" + style + "</style></head><body>";
    html += "<h1>" + svg::escape(title) + "</h1>";
    const std::string baseline = state.baseline_accuracy > 0.0
                                     ? fmt::format("Baseline validation accuracy {:.2f} %.", 100.0 * state.baseline_accuracy)
                                     : std::string("This run file does not record the baseline's accuracy.");
    html += fmt::format("<p>crimp {}: {} generations complete, {} evaluations ({} failed), {} on the front. {}</p>",
                        svg::escape(state.crimp_version), generation + 1, state.evaluations.size(),
                        std::count_if(state.evaluations.begin(), state.evaluations.end(),
                                      [](const evaluation_record &record) { return !record.ok; }),
                        front.size(), baseline);
    html += "<h2>Objectives</h2>" + projection_charts(state, front, references);
    if (!references.empty()) {
        html += "<h2>Reference models</h2>" + dominance_summary(state, front, references);
    }
    html += "<h2>Hypervolume</h2>" + hypervolume_chart(state);
    html += "<h2>CE per corruption of the front (baseline = 100)</h2>" + heatmap(state, front);
    html += "<h2>Front</h2><div class=\"wide\">" + front_table(state, front) + "</div>";
    html += "<h2>Configuration</h2><pre>" + svg::escape(state.config_json) + "</pre>";
    return html + "</body></html>\n";
}

} // namespace crimp::search
