#include "compression_test_support.hpp"
#include "test_support.hpp"

#include <crimp/engine/error.hpp>
#include <crimp/search/evaluation_service.hpp>
#include <crimp/search/front.hpp>
#include <crimp/search/model_table.hpp>
#include <crimp/search/run_file.hpp>

#include <doctest/doctest.h>
#include <pagmo/utils/multi_objective.hpp>

#include <cmath>
#include <set>

using namespace crimp;
using namespace crimp::search;
using compression::route_kind;
using crimp::testing::temporary_folder;

namespace
{

search_config small_config()
{
    search_config config;
    config.baseline = "baseline.pt";
    config.sparsity_max = 0.9;
    config.bits_min = 2;
    config.bits_max = 32;
    config.clusters_max = 64;
    config.finetune_epochs_max = 3;
    config.threads = 1;
    return config;
}

} // namespace

TEST_CASE("genome encoding round trip")
{
    const genome_space space(small_config());
    CHECK(space.dimension() == 6);
    CHECK(space.integer_genes() == 5);
    const std::vector<compression::genome> genomes = {{0.0, 32, 0, route_kind::ptq, false, 0},
                                                      {0.5, 8, 16, route_kind::finetune, true, 2},
                                                      {0.9, 2, 64, route_kind::finetune, false, 3},
                                                      {0.25, 4, 2, route_kind::ptq, true, 0}};
    for (const auto &genome : genomes) {
        CHECK(space.decode(space.encode(genome)) == genome);
    }
    // Genes round to what compression expresses, so nearby vectors are one genome.
    auto genes = space.encode(genomes[1]);
    genes[0] += 0.001;
    genes[1] += 0.3;
    CHECK(genome_key(space.decode(genes)) == genome_key(genomes[1]));
    CHECK(genome_key(genomes[0]) == "s0.00-b32-k0-ptq-fi0");
}

TEST_CASE("genes with equal bounds are fixed")
{
    auto config = small_config();
    config.sparsity_max = 0.0;
    config.clusters_max = 0;
    config.routes = {route_kind::ptq};
    const genome_space space(config);
    CHECK(space.dimension() == 2); // bits and full-integer
    CHECK(space.integer_genes() == 2);
    const auto [lower, upper] = space.bounds();
    for (std::size_t i = 0; i < lower.size(); ++i) {
        CHECK(lower[i] < upper[i]);
    }
    const auto genome = space.decode({5.0, 1.0});
    CHECK(genome == compression::genome{0.0, 5, 0, route_kind::ptq, true, 0});
}

TEST_CASE("out-of-bounds and NaN genes are repaired")
{
    const genome_space space(small_config());
    std::vector<double> genes = {std::nan(""), 12.0, -3.0, 1.0, 0.0, 2.0};
    CHECK(space.repair(genes));
    CHECK(genes[0] == 0.0);
    CHECK(genes[1] == 9.0);
    CHECK(genes[2] == 0.0);
    CHECK_FALSE(space.repair(genes));
    CHECK_THROWS_AS(space.decode({std::nan(""), 8.0, 0.0, 0.0, 0.0, 1.0}), usage_error);
}

TEST_CASE("search configuration is validated")
{
    auto config = small_config();
    CHECK_NOTHROW(validate(config));
    for (const int population : {6, 10, 4}) {
        config.population = population;
        CHECK_THROWS_WITH_AS(validate(config), doctest::Contains(("population " + std::to_string(population)).c_str()),
                             usage_error);
    }
    config = small_config();
    config.clusters_max = 48;
    CHECK_THROWS_WITH_AS(validate(config), doctest::Contains("clusters-max 48"), usage_error);
    config = small_config();
    config.bits_max = 12;
    CHECK_THROWS_WITH_AS(validate(config), doctest::Contains("bits-max 12"), usage_error);
    CHECK_THROWS_WITH_AS(parse_routes("ptq,ptq"), doctest::Contains("twice"), usage_error);
    CHECK_THROWS_WITH_AS(parse_routes("ptq,qat"), doctest::Contains("'qat'"), usage_error);
    CHECK(config_from_json(config_to_json(small_config()), "memory").clusters_max == 64);
}

TEST_CASE("tie breaker keeps crowding distances finite")
{
    // Four mutually non-dominated genomes that share their compression ratio, and four failed ones.
    const std::vector<std::array<double, 3>> shared_ratio = {{0.1, 140.0, 0.25}, {0.2, 120.0, 0.25},
                                                             {0.3, 110.0, 0.25}, {0.4, 100.0, 0.25}};
    for (const auto &objectives : {shared_ratio, std::vector<std::array<double, 3>>(4, failed_objectives)}) {
        std::vector<pagmo::vector_double> front;
        for (std::size_t i = 0; i < objectives.size(); ++i) {
            const std::vector<double> genes = {0.1 * static_cast<double>(i), 4.0, 1.0};
            const auto broken = with_tie_breaker(objectives[i], genes.data(), genes.size());
            CHECK(std::abs(broken[2] - objectives[i][2]) < 1e-9 * (1.0 + objectives[i][2]));
            front.emplace_back(broken.begin(), broken.end());
        }
        for (const double distance : pagmo::crowding_distance(front)) {
            CHECK_FALSE(std::isnan(distance));
        }
    }
}

TEST_CASE("evaluation cache and failed genomes")
{
    temporary_folder folder;
    auto config = small_config();
    config.routes = {route_kind::ptq, route_kind::finetune};
    // No training images: every fine-tuning genome fails, which must not stop the batch.
    auto evaluator = std::make_shared<genome_evaluator>(config, crimp::testing::random_resnet20(22),
                                                        crimp::testing::random_scoring_set(), fit_data{});
    run_state state;
    int saves = 0;
    evaluation_service service(config, evaluator, state, [&saves] { ++saves; }, folder.path() / "models");

    const auto &space = service.space();
    const auto ptq = space.encode({0.5, 4, 0, route_kind::ptq, false, 0});
    const auto finetune = space.encode({0.5, 4, 0, route_kind::finetune, false, 1});
    std::vector<double> batch = ptq;
    batch.insert(batch.end(), finetune.begin(), finetune.end());
    batch.insert(batch.end(), ptq.begin(), ptq.end());

    const auto objectives = service.evaluate_batch(batch, 0);
    REQUIRE(objectives.size() == 9);
    REQUIRE(state.evaluations.size() == 2);
    CHECK(saves == 2);
    CHECK(state.cache_hits == 1);
    CHECK(state.evaluations[0].ok);
    CHECK(state.evaluations[0].batch_position == 0);
    CHECK(std::filesystem::exists(packed_model_path(folder.path() / "models", state.evaluations[0].key)));
    CHECK_FALSE(state.evaluations[1].ok);
    CHECK(state.evaluations[1].error.find("training images") != std::string::npos);
    CHECK(objectives[3] == doctest::Approx(failed_objectives[0]));
    CHECK(objectives[0] == doctest::Approx(objectives[6]));

    // The same genomes again come from the cache.
    service.evaluate_batch(batch, 1);
    CHECK(state.evaluations.size() == 2);
    CHECK(saves == 2);
    CHECK(state.cache_hits == 4);
}

TEST_CASE("run file round trip")
{
    temporary_folder folder;
    run_state state;
    state.config_json = config_to_json(small_config());
    state.crimp_version = "test";
    state.corruption_names = {"gaussian_noise", "contrast"};
    evaluation_record ok;
    ok.key = "s0.50-b4-k0-ptq-fi0";
    ok.genome = {0.5, 4, 0, route_kind::ptq, false, 0};
    ok.ok = true;
    ok.accuracy = 0.8;
    ok.mce = 110.0;
    ok.corruption_errors = {105.0, 115.0};
    ok.severity_errors = {0.1, 0.2, 0.3, 0.4, 0.5, 0.2, 0.3, 0.4, 0.5, 0.6};
    ok.packed_bytes = 1234;
    ok.compression_ratio = 7.5;
    ok.objectives = {0.2, 110.0, 1.0 / 7.5};
    evaluation_record failed;
    failed.key = "s0.50-b4-k0-finetune1-fi0";
    failed.genome = {0.5, 4, 0, route_kind::finetune, false, 1};
    failed.error = "training diverged";
    failed.objectives = failed_objectives;
    failed.batch_position = 1;
    state.evaluations = {ok, failed};
    state.generations.push_back({0, {{0.5, 4.0}, {0.5, 5.0}}, {ok.objectives, failed.objectives}, {0}, 1.5, 2, 0, 3.0});
    state.checkpoint = search_checkpoint{0, "algorithm text", {{0.5, 4.0}, {0.5, 5.0}}, {ok.objectives, failed.objectives}};
    state.test_front = {{ok.key, 0.79, 112.0}};
    state.elapsed_seconds = 10.0;

    const auto file = folder.path() / "run.h5";
    write_run_file(file, state);
    const auto reread = read_run_file(file);
    CHECK(reread.config_json == state.config_json);
    CHECK(reread.corruption_names == state.corruption_names);
    REQUIRE(reread.evaluations.size() == 2);
    CHECK(reread.evaluations[0].severity_errors == ok.severity_errors);
    CHECK(reread.evaluations[0].genome == ok.genome);
    CHECK(reread.evaluations[1].error == "training diverged");
    CHECK_FALSE(reread.evaluations[1].ok);
    CHECK(reread.evaluations[1].batch_position == 1);
    REQUIRE(reread.generations.size() == 1);
    CHECK(reread.generations[0].front == std::vector<std::size_t>{0});
    CHECK(reread.generations[0].population == state.generations[0].population);
    REQUIRE(reread.checkpoint.has_value());
    CHECK(reread.checkpoint->algorithm == "algorithm text");
    CHECK(reread.test_front.at(0).mce == 112.0);
    CHECK(front_positions(reread) == std::vector<std::size_t>{0});

    crimp::testing::write_bytes(folder.path() / "other.h5", "not hdf5");
    CHECK_THROWS_AS(read_run_file(folder.path() / "other.h5"), input_error);
    CHECK_THROWS_WITH_AS(read_run_file(folder.path() / "absent.h5"), doctest::Contains("not found"), input_error);
}

TEST_CASE("hypervolume ignores points beyond the reference")
{
    const std::array<double, 3> reference = {1.0, 500.0, 1.0};
    CHECK(hypervolume({{0.5, 250.0, 0.5}}, reference) == doctest::Approx(0.5 * 250.0 * 0.5));
    CHECK(hypervolume({{0.5, 250.0, 0.5}, failed_objectives}, reference) == doctest::Approx(62.5));
    CHECK(hypervolume({failed_objectives}, reference) == 0.0);
}

TEST_CASE("model table round trip and dominance")
{
    temporary_folder folder;
    evaluation_record record;
    record.key = "s0.50-b4-k0-ptq-fi0";
    record.genome = {0.5, 4, 0, route_kind::ptq, false, 0};
    record.accuracy = 0.8;
    record.mce = 110.0;
    record.compression_ratio = 8.0;
    const test_record test{record.key, 0.79, 112.0};
    const auto file = folder.path() / "models.csv";
    crimp::testing::write_bytes(file, model_table_header() + model_table_row("t4 pruning", record, &test)
                                          + model_table_row(record.key, record, nullptr));
    const auto models = read_model_table(file);
    REQUIRE(models.size() == 2);
    CHECK(models[0].name == "t4 pruning");
    CHECK(models[0].objectives[0] == doctest::Approx(0.2));
    CHECK(models[0].objectives[1] == doctest::Approx(110.0));
    CHECK(models[0].objectives[2] == doctest::Approx(0.125));

    CHECK(dominates({0.1, 100.0, 0.1}, {0.2, 100.0, 0.1}));
    CHECK_FALSE(dominates({0.1, 100.0, 0.1}, {0.1, 100.0, 0.1}));
    CHECK_FALSE(dominates({0.1, 120.0, 0.1}, {0.2, 100.0, 0.1}));

    crimp::testing::write_bytes(file, "name,accuracy\nx,0.5\n");
    CHECK_THROWS_WITH_AS(read_model_table(file), doctest::Contains("no column 'mce'"), input_error);
    crimp::testing::write_bytes(file, "name,accuracy,mce,compression_ratio\nx,high,100,2\n");
    CHECK_THROWS_WITH_AS(read_model_table(file), doctest::Contains("row 2"), input_error);
}
