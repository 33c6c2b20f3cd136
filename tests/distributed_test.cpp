#include "mpi_protocol.hpp"
#include "simulated_evaluation.hpp"

#include <crimp/engine/error.hpp>
#include <crimp/search/evaluation_service.hpp>
#include <crimp/search/genome_runner.hpp>
#include <crimp/search/genome_space.hpp>

#include "compression_test_support.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

using namespace crimp;
using namespace crimp::search;
using compression::route_kind;

namespace
{

evaluation_record sample_record()
{
    evaluation_record record;
    record.genome = {0.37, 4, 16, route_kind::finetune, true, 2};
    record.key = genome_key(record.genome);
    record.ok = true;
    record.accuracy = 1.0 / 3.0;
    record.mce = 101.23456789012345;
    record.corruption_errors = {1e-300, 0.1, 250.0};
    record.severity_errors = {0.1, 0.2, std::numeric_limits<double>::quiet_NaN(), 0.4, 0.5};
    record.packed_bytes = 123456789;
    record.compression_ratio = 7.25;
    record.deflate_ratio = std::nextafter(3.0, 4.0);
    record.seconds = 12.5;
    record.batch_position = 6;
    record.objectives = {2.0 / 3.0, 101.23456789012345, 1.0 / 7.25};
    return record;
}

// Evaluates with the simulated evaluation and hands the results back in reverse order, as worker ranks
// that finish out of order would.
class reversing_runner : public genome_runner
{
public:
    void run(const std::vector<evaluation_task> &tasks, const evaluation_sink &finished) override
    {
        for (auto task = tasks.rbegin(); task != tasks.rend(); ++task) {
            evaluation_record record;
            record.genome = task->genome;
            record.key = genome_key(task->genome);
            record.batch_position = task->batch_position;
            simulate_evaluation(record, 0, 0.9, 2);
            finished(record, {});
            ++evaluated;
        }
    }

    int evaluated = 0;
};

} // namespace

TEST_CASE("MPI messages carry evaluation records bit for bit")
{
    mpi_protocol::result_body sent{42, sample_record(), {0, 1, 2, 255, 128}};
    const auto received = mpi_protocol::decode_result(mpi_protocol::encode(sent));
    const auto &a = sent.record;
    const auto &b = received.record;
    CHECK(received.id == 42);
    CHECK(received.packed == sent.packed);
    CHECK(b.key == a.key);
    CHECK(b.genome == a.genome);
    CHECK(b.ok == a.ok);
    CHECK(b.accuracy == a.accuracy);
    CHECK(b.mce == a.mce);
    CHECK(b.corruption_errors == a.corruption_errors);
    REQUIRE(b.severity_errors.size() == 5);
    CHECK(std::isnan(b.severity_errors[2]));
    CHECK(b.severity_errors[4] == a.severity_errors[4]);
    CHECK(b.packed_bytes == a.packed_bytes);
    CHECK(b.deflate_ratio == a.deflate_ratio);
    CHECK(b.objectives == a.objectives);

    const auto task = mpi_protocol::decode_task(mpi_protocol::encode(mpi_protocol::task_body{7, a.genome}));
    CHECK(task.id == 7);
    CHECK(task.genome == a.genome);
    const auto ready = mpi_protocol::decode_ready(mpi_protocol::encode(mpi_protocol::ready_body{"node17", 4242, {0.1, 0.25}}));
    CHECK(ready.host == "node17");
    CHECK(ready.process_id == 4242);
    CHECK(ready.fingerprint == std::vector<double>{0.1, 0.25});
    CHECK(mpi_protocol::decode_text(mpi_protocol::encode_text("baseline not found")) == "baseline not found");

    CHECK_THROWS_WITH_AS(mpi_protocol::decode_task({0xff, 0x00}), doctest::Contains("malformed MPI message"),
                         std::runtime_error);
    const auto short_genome = nlohmann::json::to_cbor({{"id", 1}, {"genome", {0.5, 4}}});
    CHECK_THROWS_WITH_AS(mpi_protocol::decode_task(short_genome), doctest::Contains("6 numbers"), std::runtime_error);
}

TEST_CASE("simulated evaluations cost their time and depend on the genome alone")
{
    const auto simulated = [](compression::genome genome, int milliseconds) {
        evaluation_record record;
        record.genome = genome;
        simulate_evaluation(record, milliseconds, 0.9, 3);
        return record;
    };
    const auto start = std::chrono::steady_clock::now();
    const auto first = simulated({0.5, 4, 0, route_kind::ptq, false, 0}, 30);
    CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(30));
    const auto again = simulated({0.5, 4, 0, route_kind::ptq, false, 0}, 0);
    CHECK(first.objectives == again.objectives);
    CHECK(first.ok);
    CHECK(first.corruption_errors.size() == 3);
    CHECK(first.severity_errors.size() == 15);

    // More sparsity and fewer bits cost accuracy and buy compression; fine-tuning recovers some.
    const auto sparser = simulated({0.9, 4, 0, route_kind::ptq, false, 0}, 0);
    const auto fewer_bits = simulated({0.5, 2, 0, route_kind::ptq, false, 0}, 0);
    const auto finetuned = simulated({0.9, 4, 0, route_kind::finetune, false, 1}, 0);
    CHECK(sparser.accuracy < first.accuracy);
    CHECK(sparser.compression_ratio > first.compression_ratio);
    CHECK(fewer_bits.accuracy < first.accuracy);
    CHECK(fewer_bits.compression_ratio > first.compression_ratio);
    CHECK(finetuned.accuracy > sparser.accuracy);
    CHECK(simulated({0.0, 32, 0, route_kind::ptq, false, 0}, 0).compression_ratio == doctest::Approx(1.0));
}

TEST_CASE("worker layout shares the threads of one process")
{
    search_config config;
    config.threads = 4;
    config.workers = 2;
    CHECK(resolve_worker_layout(config).workers == 2);
    CHECK(resolve_worker_layout(config).threads_per_worker == 2);
    config.workers = 3;
    CHECK(resolve_worker_layout(config).threads_per_worker == 1);
    config.threads = 1;
    CHECK(resolve_worker_layout(config).workers == 1);
}

TEST_CASE("results that arrive out of order are stored in batch order")
{
    crimp::testing::temporary_folder folder;
    search_config config;
    config.baseline = "baseline.pt";
    config.threads = 1;
    config.clusters_max = 16;
    config.bits_max = 8;
    auto evaluator = std::make_shared<genome_evaluator>(config, crimp::testing::random_resnet20(31),
                                                        crimp::testing::random_scoring_set(), fit_data{});
    run_state state;
    evaluation_service service(config, evaluator, state, [] {}, folder.path() / "models");
    std::vector<double> batch;
    for (const double sparsity : {0.1, 0.3, 0.5, 0.7}) {
        const auto genes = service.space().encode({sparsity, 4, 0, route_kind::ptq, false, 0});
        batch.insert(batch.end(), genes.begin(), genes.end());
    }
    reversing_runner runner;
    const auto objectives = service.evaluate_batch(batch, 3, &runner);
    CHECK(runner.evaluated == 4);
    REQUIRE(state.evaluations.size() == 4);
    for (std::size_t i = 0; i < 4; ++i) {
        CHECK(state.evaluations[i].batch_position == i);
        CHECK(state.evaluations[i].generation == 3);
    }
    CHECK(objectives[0] < objectives[9]);
    CHECK(service.evaluate_batch(batch, 4, &runner).size() == 12);
    CHECK(runner.evaluated == 4);
}

TEST_CASE("simulated evaluation settings are validated and default to off")
{
    search_config config;
    config.baseline = "baseline.pt";
    config.simulate_eval_ms = -5;
    CHECK_THROWS_WITH_AS(validate(config), doctest::Contains("simulate-eval-ms -5"), usage_error);
    config.simulate_eval_ms = 250;
    CHECK(config_from_json(config_to_json(config), "memory").simulate_eval_ms == 250);
    auto document = nlohmann::json::parse(config_to_json(config));
    document.erase("simulate_eval_ms");
    CHECK(config_from_json(document.dump(), "memory").simulate_eval_ms == 0);
}
