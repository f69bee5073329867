//! Tests on the real graphs in ../shared/data (ignored unless that folder exists; `.ci/run`
//! runs them with `--ignored` when it does).

use std::path::PathBuf;

use petgraph::graph::{DiGraph, NodeIndex};

use steppe::graph::gr::read_gr;
use steppe::search::dijkstra::{Direction, SearchSpace};
use steppe::search::mask::AllNodes;

fn data(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data")
        .join(path)
}

#[test]
#[ignore = "needs ../shared/data"]
fn bremen_reads_with_the_documented_counts() {
    let g = read_gr(&data("fast_paths/bremen_time.gr")).unwrap();
    // shared/data/README: 40,461 nodes; 86,475 arcs raw, 305 loops and 21 zero-weight arcs
    // skipped (parallel arcs are kept here; fast_paths keeps only the cheapest).
    assert_eq!(g.csr.node_count(), 40_461);
    assert_eq!(g.arcs.len(), 86_475 - 305 - 21);
}

#[test]
#[ignore = "needs ../shared/data"]
fn dijkstra_equals_petgraph_on_real_road_graphs() {
    for file in [
        "fast_paths/bremen_dist.gr",
        "fast_paths/graph_ballard.gr",
        "fast_paths/south_seattle_car.gr",
    ] {
        let g = read_gr(&data(file)).unwrap();
        let (g2, _) = g.reordered_for_locality();
        for g in [&g, &g2] {
            let n = g.csr.node_count();
            let mut pg: DiGraph<(), u64> = DiGraph::new();
            let nodes: Vec<NodeIndex> = (0..n).map(|_| pg.add_node(())).collect();
            for &(t, h, w) in &g.arcs {
                pg.add_edge(nodes[t as usize], nodes[h as usize], u64::from(w));
            }
            let mut space = SearchSpace::new(n);
            for s in [0usize, n / 3, n / 2, n - 1] {
                space.start(Direction::Forward, [(s as u32, 0)]);
                space.run_all(&g.csr, &g.weight, &AllNodes);
                let expected = petgraph::algo::dijkstra(&pg, nodes[s], None, |e| *e.weight());
                for (v, node) in nodes.iter().enumerate() {
                    assert_eq!(
                        space.distance(v as u32),
                        expected.get(node).copied(),
                        "{file}: {s} -> {v}"
                    );
                }
            }
        }
    }
}

#[test]
#[ignore = "needs ../shared/data"]
fn malformed_gr_lines_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.gr");
    let mut text = std::fs::read_to_string(data("fast_paths/graph_23rd.gr")).unwrap();
    text.push_str("a 1 two 3\n");
    std::fs::write(&path, text).unwrap();
    let e = read_gr(&path).unwrap_err().to_string();
    assert!(e.contains("bad.gr: line 5171"), "{e}");
}
