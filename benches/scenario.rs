//! Scenarios and criticality on the embedded network: a scenario run with incremental weight
//! updates against a full rebuild (graph, weights, assignment) as the peer, and a full
//! criticality sweep over every element the demand uses.

mod common;

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};

use steppe::analysis::assign::assign;
use steppe::analysis::critical::{Kinds, criticality};
use steppe::analysis::demand::network_demand;
use steppe::analysis::scenario::{apply, read_scenario, run_scenario};
use steppe::cost::profile::Profile;
use steppe::graph::{SearchGraph, Weights};
use steppe::network::load_embedded;

use common::{print_ratio, time_it};

fn scenarios(c: &mut Criterion) {
    let network = load_embedded().expect("embedded network");
    let graph = SearchGraph::build(&network);
    let profile = Profile::new(network.params.clone());
    let weights = Weights::compile(&network, &graph, &profile);
    let demand = network_demand(&network).expect("demand");
    let baseline = assign(&network, &graph, &weights, &demand);
    let scenario = read_scenario(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("networks/mn-kz/scenarios/winter-altai-closure.json"),
    )
    .expect("scenario");

    let mut group = c.benchmark_group("scenario/winter-altai-closure");
    group.bench_function("incremental", |b| {
        b.iter(|| {
            black_box(
                run_scenario(&network, &graph, &weights, &baseline, &demand, &scenario)
                    .map(|r| r.changes.len()),
            )
        })
    });
    let full = || {
        let applied = apply(&network, &profile, &scenario).expect("applies");
        let g = SearchGraph::build(&applied.network);
        let w = Weights::compile(&applied.network, &g, &applied.profile);
        black_box(assign(&applied.network, &g, &w, &demand).tonne_km)
    };
    group.bench_function("full rebuild", |b| b.iter(full));
    group.finish();
    let ours = time_it(Duration::from_secs(1), || {
        black_box(
            run_scenario(&network, &graph, &weights, &baseline, &demand, &scenario)
                .map(|r| r.changes.len()),
        )
        .ok();
    });
    let peer = time_it(Duration::from_secs(1), || {
        full();
    });
    print_ratio("scenario run, incremental vs full rebuild", ours, peer);

    let mut group = c.benchmark_group("critical/embedded");
    group.bench_function("every element", |b| {
        b.iter(|| {
            black_box(
                criticality(&network, &graph, &weights, &demand, Kinds::ALL)
                    .0
                    .len(),
            )
        })
    });
    group.finish();
    let t = time_it(Duration::from_secs(2), || {
        black_box(criticality(&network, &graph, &weights, &demand, Kinds::ALL));
    });
    let (impacts, _) = criticality(&network, &graph, &weights, &demand, Kinds::ALL);
    println!(
        "CRITICAL sweep over {} elements: {:.2} ms",
        impacts.len(),
        t.as_secs_f64() * 1e3
    );
}

criterion_group!(benches, scenarios);
criterion_main!(benches);
