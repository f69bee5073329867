//! One-to-all Dijkstra: steppe's CSR search (reused search space) against petgraph's
//! dijkstra on the same graph, in the same run: the embedded network (mode-expanded,
//! generalized-cost weights) and a 40k-node road graph.

mod common;

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};

use steppe::cost::profile::Profile;
use steppe::graph::{SearchGraph, Weights};
use steppe::network::{load_embedded, names};
use steppe::search::dijkstra::{Direction, SearchSpace};
use steppe::search::mask::AllNodes;

use common::{big_graph, petgraph_of, print_ratio, time_it};

fn one_to_all(c: &mut Criterion) {
    // Embedded network.
    let network = load_embedded().expect("embedded network");
    let graph = SearchGraph::build(&network);
    let weights = Weights::compile(&network, &graph, &Profile::new(network.params.clone()));
    let ub = names::resolve(&network, "Ulaanbaatar").expect("UB");
    let source = graph.nodes_of(ub)[0].0;
    let arcs: Vec<(u32, u32, u32)> = (0..graph.arc_count())
        .filter(|a| weights.weight[*a] != steppe::graph::CLOSED)
        .map(|a| (graph.csr.tail[a], graph.csr.head[a], weights.weight[a]))
        .collect();
    let (pg, pg_nodes) = petgraph_of(graph.node_count(), &arcs);
    let mut space = SearchSpace::new(graph.node_count());
    let mut group = c.benchmark_group("one_to_all/embedded");
    group.bench_function("steppe", |b| {
        b.iter(|| {
            space.start(Direction::Forward, [(source, 0)]);
            space.run_all(&graph.csr, &weights.weight, &AllNodes);
            black_box(space.distance(0))
        })
    });
    group.bench_function("petgraph", |b| {
        b.iter(|| {
            black_box(
                petgraph::algo::dijkstra(&pg, pg_nodes[source as usize], None, |e| *e.weight())
                    .len(),
            )
        })
    });
    group.finish();
    let ours = time_it(Duration::from_secs(1), || {
        space.start(Direction::Forward, [(source, 0)]);
        space.run_all(&graph.csr, &weights.weight, &AllNodes);
    });
    let peer = time_it(Duration::from_secs(1), || {
        black_box(petgraph::algo::dijkstra(
            &pg,
            pg_nodes[source as usize],
            None,
            |e| *e.weight(),
        ));
    });
    print_ratio("one_to_all/embedded", ours, peer);

    // A large road graph.
    let (name, g) = big_graph();
    let n = g.csr.node_count();
    let (pg, pg_nodes) = petgraph_of(n, &g.arcs);
    let sources: Vec<u32> = (0..8).map(|i| (i * 4_999 % n) as u32).collect();
    let mut space = SearchSpace::new(n);
    let mut group = c.benchmark_group(format!("one_to_all/{name}"));
    group.sample_size(20);
    let mut k = 0usize;
    group.bench_function("steppe", |b| {
        b.iter(|| {
            k = (k + 1) % sources.len();
            space.start(Direction::Forward, [(sources[k], 0)]);
            space.run_all(&g.csr, &g.weight, &AllNodes);
            black_box(space.distance(0))
        })
    });
    group.bench_function("petgraph", |b| {
        b.iter(|| {
            k = (k + 1) % sources.len();
            black_box(
                petgraph::algo::dijkstra(&pg, pg_nodes[sources[k] as usize], None, |e| *e.weight())
                    .len(),
            )
        })
    });
    group.finish();
    let ours = time_it(Duration::from_secs(2), || {
        k = (k + 1) % sources.len();
        space.start(Direction::Forward, [(sources[k], 0)]);
        space.run_all(&g.csr, &g.weight, &AllNodes);
    });
    let peer = time_it(Duration::from_secs(2), || {
        k = (k + 1) % sources.len();
        black_box(petgraph::algo::dijkstra(
            &pg,
            pg_nodes[sources[k] as usize],
            None,
            |e| *e.weight(),
        ));
    });
    print_ratio(&format!("one_to_all/{name}"), ours, peer);
}

criterion_group!(benches, one_to_all);
criterion_main!(benches);
