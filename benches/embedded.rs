//! The planner's everyday commands on the embedded corridor network, each against its budget
//! (route < 5 ms, assignment < 50 ms) and a peer in the same run: one petgraph Dijkstra over
//! the same compiled graph (what a route costs without steppe's search space and weights).

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

use steppe::analysis::assign::assign;
use steppe::analysis::demand::network_demand;
use steppe::analysis::route::{Planner, RouteOutcome};
use steppe::cost::profile::Profile;
use steppe::graph::{SearchGraph, Weights};
use steppe::network::load_embedded;

fn embedded(c: &mut Criterion) {
    let n = load_embedded().expect("the embedded network loads");
    let g = SearchGraph::build(&n);
    let p = Profile::new(n.params.clone());
    let ub = n.place_by_id("mn_ulaanbaatar").expect("UB");
    let almaty = n.place_by_id("kz_almaty").expect("Almaty");
    let d = network_demand(&n).expect("demand");
    let mut group = c.benchmark_group("embedded");
    group.bench_function(
        "route UB-Almaty (weights compiled + search + explanation)",
        |b| {
            b.iter(|| {
                let mut planner = Planner::new(&n, &g, &p);
                match planner.route(ub, almaty, &[]).expect("routes") {
                    RouteOutcome::Found(r) => black_box(r.totals.usd),
                    RouteOutcome::NoRoute(_) => 0.0,
                }
            })
        },
    );
    let w = Weights::compile(&n, &g, &p);
    let (pg, nodes) = {
        let mut pg = petgraph::graph::DiGraph::<(), u64>::new();
        let nodes: Vec<_> = (0..g.node_count()).map(|_| pg.add_node(())).collect();
        for a in 0..g.arc_count() {
            if w.weight[a] != u32::MAX {
                pg.add_edge(
                    nodes[g.csr.tail[a] as usize],
                    nodes[g.csr.head[a] as usize],
                    u64::from(w.weight[a]),
                );
            }
        }
        (pg, nodes)
    };
    let source = g.source_of(ub).expect("hub").0 as usize;
    group.bench_function(
        "peer: petgraph dijkstra one-to-all on the same weights",
        |b| {
            b.iter(|| {
                black_box(petgraph::algo::dijkstra(&pg, nodes[source], None, |e| {
                    *e.weight()
                }))
            })
        },
    );
    group.bench_function(
        "assign the embedded demand (each flow at its commodity's costs)",
        |b| b.iter(|| black_box(assign(&n, &g, &w, &d).tonne_km)),
    );
    group.finish();
}

criterion_group!(benches, embedded);
criterion_main!(benches);
