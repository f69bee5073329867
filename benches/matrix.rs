//! Many-to-many: the full matrix of the embedded network and a 1000 x 1000 matrix on a 40k-node
//! road graph, at 1 and 2 threads (the parallel speed-up), with fast_paths (contraction
//! hierarchies, one query per cell) as the peer on the same graph.

mod common;

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use rayon::prelude::*;

use steppe::analysis::matrix::matrix;
use steppe::cost::profile::Profile;
use steppe::graph::gr::WeightedGraph;
use steppe::graph::{SearchGraph, Weights};
use steppe::network::load_embedded;
use steppe::search::dijkstra::{Direction, SearchSpace};
use steppe::search::mask::AllNodes;

use common::big_graph;

fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("thread pool")
}

/// Distances from every source to every target: one search per source, stopped when all
/// targets are settled; sources in parallel.
fn raw_matrix(g: &WeightedGraph, sources: &[u32], targets: &[u32]) -> Vec<Option<u64>> {
    sources
        .par_iter()
        .map_init(
            || SearchSpace::new(g.csr.node_count()),
            |space, &s| {
                space.start(Direction::Forward, [(s, 0)]);
                space.run_to_all_of(&g.csr, &g.weight, &AllNodes, targets);
                targets
                    .iter()
                    .map(|t| space.distance(*t))
                    .collect::<Vec<_>>()
            },
        )
        .flatten()
        .collect()
}

fn time_once(f: impl FnOnce()) -> Duration {
    let t = Instant::now();
    f();
    t.elapsed()
}

fn matrices(c: &mut Criterion) {
    // Embedded network: every place to every place.
    let network = load_embedded().expect("embedded network");
    let graph = SearchGraph::build(&network);
    let weights = Weights::compile(&network, &graph, &Profile::new(network.params.clone()));
    let places: Vec<_> = network.places().map(|(ix, _)| ix).collect();
    let mut group = c.benchmark_group("matrix/embedded 177x177");
    for threads in [1, 2] {
        let p = pool(threads);
        group.bench_function(format!("{threads} thread(s)"), |b| {
            b.iter(|| {
                p.install(|| {
                    black_box(
                        matrix(&network, &graph, &weights, &places, &places)
                            .cells
                            .len(),
                    )
                })
            })
        });
    }
    group.finish();
    let (p1, p2) = (pool(1), pool(2));
    let t1 = common::time_it(Duration::from_secs(2), || {
        p1.install(|| black_box(matrix(&network, &graph, &weights, &places, &places)));
    });
    let t2 = common::time_it(Duration::from_secs(2), || {
        p2.install(|| black_box(matrix(&network, &graph, &weights, &places, &places)));
    });
    let cells = (places.len() * places.len()) as f64;
    println!(
        "MATRIX embedded {}x{}: 1 thread {:.2} ms, 2 threads {:.2} ms, speed-up {:.2}x, {:.0} ns/cell at 2 threads",
        places.len(),
        places.len(),
        t1.as_secs_f64() * 1e3,
        t2.as_secs_f64() * 1e3,
        t1.as_secs_f64() / t2.as_secs_f64(),
        t2.as_secs_f64() * 1e9 / cells
    );

    // Large graph: 1000 x 1000.
    let (name, g) = big_graph();
    let n = g.csr.node_count() as u32;
    let pick = |k: u32, salt: u32| (k.wrapping_mul(2_654_435_761).wrapping_add(salt)) % n;
    let sources: Vec<u32> = (0..1000).map(|k| pick(k, 17)).collect();
    let targets: Vec<u32> = (0..1000).map(|k| pick(k, 1_000_003)).collect();
    let mut group = c.benchmark_group(format!("matrix/{name} 1000x1000"));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    for threads in [1, 2] {
        let p = pool(threads);
        group.bench_function(format!("{threads} thread(s)"), |b| {
            b.iter(|| p.install(|| black_box(raw_matrix(&g, &sources, &targets).len())))
        });
    }
    group.finish();
    let t1 = time_once(|| {
        p1.install(|| black_box(raw_matrix(&g, &sources, &targets)));
    });
    let t2 = time_once(|| {
        p2.install(|| black_box(raw_matrix(&g, &sources, &targets)));
    });

    // Peer: fast_paths contraction hierarchy, one query per cell, on a 100 x 100 subset.
    let mut input = fast_paths::InputGraph::new();
    for &(t, h, w) in &g.arcs {
        input.add_edge(t as usize, h as usize, w as usize);
    }
    input.freeze();
    let prepare = Instant::now();
    let fast = fast_paths::prepare(&input);
    let prepare = prepare.elapsed();
    let mut calc = fast_paths::create_calculator(&fast);
    let sub_s = &sources[..100];
    let sub_t = &targets[..100];
    let fp = time_once(|| {
        for &s in sub_s {
            for &t in sub_t {
                black_box(
                    calc.calc_path(&fast, s as usize, t as usize)
                        .map(|p| p.get_weight()),
                );
            }
        }
    });
    // Same answers.
    let ours = raw_matrix(&g, sub_s, sub_t);
    for (i, &s) in sub_s.iter().enumerate() {
        for (j, &t) in sub_t.iter().enumerate() {
            let theirs = calc
                .calc_path(&fast, s as usize, t as usize)
                .map(|p| p.get_weight() as u64);
            let mine = if s == t { Some(0) } else { ours[i * 100 + j] };
            assert_eq!(
                mine,
                theirs.or(if s == t { Some(0) } else { None }),
                "{s}->{t}"
            );
        }
    }
    let per_cell_fp = fp.as_secs_f64() * 1e9 / 10_000.0;
    println!(
        "MATRIX {name} 1000x1000: 1 thread {:.2} s, 2 threads {:.2} s, speed-up {:.2}x; {:.0} ns/cell at 2 threads; fast_paths {:.0} ns/cell (1 thread, one CH query per cell, {:.1} s preparation)",
        t1.as_secs_f64(),
        t2.as_secs_f64(),
        t1.as_secs_f64() / t2.as_secs_f64(),
        t2.as_secs_f64() * 1e9 / 1e6,
        per_cell_fp,
        prepare.as_secs_f64()
    );
}

criterion_group!(benches, matrices);
criterion_main!(benches);
