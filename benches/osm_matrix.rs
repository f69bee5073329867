//! The 1000 x 1000 matrix on imported Monaco (../shared/data/osrm-monaco.osm.pbf, imported
//! with `--vehicle car --modes road`), in process: the library's `matrix_for` (the method the
//! CLI, the server and Python use) on a loaded network and engine, minimising distance. Also
//! writes the 1000 places' coordinates to `target/osm-matrix-points.json`, for
//! `benches/osrm_table.py`, which times OSRM's in-process CH table on the same points.
//! Skipped when the extract is not there.

use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use steppe::analysis::matrix::matrix_for;
use steppe::cost::profile::{ModeSet, Objective, Profile};
use steppe::graph::Weights;
use steppe::graph::engine::Engine;
use steppe::import::osm::{ImportOptions, Vehicle, import};
use steppe::network::load_dir;

/// 1000 places drawn without replacement by a fixed linear congruential sequence, so the
/// points are the same in every run and for the OSRM script.
fn sample(n: usize, k: usize) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..n).collect();
    let mut state: u64 = 12;
    for i in 0..k.min(n) {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let j = i + (state >> 33) as usize % (n - i);
        idx.swap(i, j);
    }
    idx.truncate(k.min(n));
    idx
}

fn bench(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let pbf = root.join("../shared/data/osrm-monaco.osm.pbf");
    if !pbf.is_file() {
        eprintln!("skipped: {} not found", pbf.display());
        return;
    }
    let tmp = tempfile::tempdir().expect("a temporary folder");
    import(&ImportOptions {
        input: pbf,
        output: tmp.path().to_path_buf(),
        bbox: None,
        boundaries: None,
        road: true,
        rail: false,
        vehicle: Vehicle::Car,
        progress: false,
    })
    .expect("Monaco imports");
    let network = load_dir(tmp.path()).expect("loads");
    let engine = Engine::build(&network).expect("an engine");
    let all: Vec<_> = network.places().map(|(ix, _)| ix).collect();
    let points: Vec<_> = sample(all.len(), 1000)
        .into_iter()
        .map(|i| all[i])
        .collect();
    let coords: Vec<[f64; 2]> = points
        .iter()
        .map(|&p| {
            let pos = network.graph[p].position;
            [pos.x(), pos.y()]
        })
        .collect();
    let out = root.join("target/osm-matrix-points.json");
    std::fs::write(&out, serde_json::to_string(&coords).expect("json")).expect("writes points");
    eprintln!("{} points written to {}", coords.len(), out.display());

    let mut profile = Profile::new(network.params.clone());
    profile.objective = Objective::Distance;
    profile.modes = ModeSet {
        road: true,
        rail: false,
    };
    let mut g = c.benchmark_group("matrix 1000x1000 imported Monaco");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(10));
    g.bench_function("weights + matrix_for", |b| {
        b.iter_with_large_drop(|| {
            let w = Weights::compile(&network, &engine.graph, &profile);
            matrix_for(&network, &engine, &w, &points, &points).expect("a matrix")
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
