//! Shared bench helpers: graphs (real when ../shared/data exists, synthetic otherwise), the
//! petgraph peer, and a ratio printer so each run states how much faster we are.
#![allow(dead_code)]

use std::path::PathBuf;
use std::time::{Duration, Instant};

use petgraph::graph::{DiGraph, NodeIndex};

use steppe::graph::gr::{WeightedGraph, read_gr, synthetic_grid};

/// `../shared/data` beside the checkout, if present.
pub fn shared_data() -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
    p.is_dir().then_some(p)
}

/// Bremen (fast_paths test map, 40k nodes, time metric) or a synthetic 200x200 grid,
/// renumbered in breadth-first order (both steppe and the peers get the same ids).
pub fn big_graph() -> (String, WeightedGraph) {
    if let Some(dir) = shared_data() {
        let path = dir.join("fast_paths/bremen_time.gr");
        if let Ok(g) = read_gr(&path) {
            return (
                "bremen_time (40k nodes)".into(),
                g.reordered_for_locality().0,
            );
        }
    }
    (
        "synthetic grid 200x200".into(),
        synthetic_grid(200).reordered_for_locality().0,
    )
}

/// The same arcs as a petgraph DiGraph with u64 weights.
pub fn petgraph_of(n: usize, arcs: &[(u32, u32, u32)]) -> (DiGraph<(), u64>, Vec<NodeIndex>) {
    let mut g = DiGraph::with_capacity(n, arcs.len());
    let nodes: Vec<NodeIndex> = (0..n).map(|_| g.add_node(())).collect();
    for &(t, h, w) in arcs {
        g.add_edge(nodes[t as usize], nodes[h as usize], u64::from(w));
    }
    (g, nodes)
}

/// Mean time of `f` over about `budget`.
pub fn time_it(budget: Duration, mut f: impl FnMut()) -> Duration {
    f();
    let start = Instant::now();
    let mut runs = 0u32;
    while start.elapsed() < budget {
        f();
        runs += 1;
    }
    start.elapsed() / runs.max(1)
}

/// Prints "label: ours X, peer Y, peer/ours = R".
pub fn print_ratio(label: &str, ours: Duration, peer: Duration) {
    println!(
        "RATIO {label}: steppe {:.3} ms, peer {:.3} ms, peer/steppe = {:.2}x",
        ours.as_secs_f64() * 1e3,
        peer.as_secs_f64() * 1e3,
        peer.as_secs_f64() / ours.as_secs_f64()
    );
}
