//! Property tests against independent oracles: the compact Dijkstra against petgraph's
//! dijkstra on random graphs (with and without blocked nodes, forward and backward), and the
//! Pareto search against brute-force enumeration of every simple path on small graphs.

#![allow(clippy::needless_range_loop)]
use std::collections::BTreeSet;

use petgraph::graph::{DiGraph, NodeIndex};
use proptest::prelude::*;

use steppe::graph::csr::{Csr, NodeIx};
use steppe::search::dijkstra::{Direction, SearchSpace};
use steppe::search::mask::{AllNodes, NodeMask};
use steppe::search::pareto::ParetoSpace;

fn arcs_strategy(
    max_n: usize,
    max_m: usize,
    max_w: u32,
) -> impl Strategy<Value = (usize, Vec<(u32, u32, u32)>)> {
    (2..=max_n).prop_flat_map(move |n| {
        let arc = (0..n as u32, 0..n as u32, 0..=max_w);
        (Just(n), prop::collection::vec(arc, 0..=max_m))
    })
}

fn oracle(
    n: usize,
    arcs: &[(u32, u32, u32)],
    blocked: &BTreeSet<u32>,
    source: u32,
) -> Vec<Option<u64>> {
    let mut g: DiGraph<(), u64> = DiGraph::new();
    let nodes: Vec<NodeIndex> = (0..n).map(|_| g.add_node(())).collect();
    for &(t, h, w) in arcs {
        if blocked.contains(&h) && h != source {
            continue;
        }
        g.add_edge(nodes[t as usize], nodes[h as usize], u64::from(w));
    }
    let d = petgraph::algo::dijkstra(&g, nodes[source as usize], None, |e| *e.weight());
    (0..n).map(|i| d.get(&nodes[i]).copied()).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn compact_dijkstra_equals_petgraph(
        (n, arcs) in arcs_strategy(40, 160, 1000),
        src in 0u32..40,
        blocked in prop::collection::btree_set(0u32..40, 0..6),
    ) {
        let source = src % n as u32;
        let pairs: Vec<(u32, u32)> = arcs.iter().map(|&(t, h, _)| (t, h)).collect();
        let (csr, pos) = Csr::from_arcs(n, &pairs);
        let mut weight = vec![0u32; arcs.len()];
        for (i, &(_, _, w)) in arcs.iter().enumerate() {
            weight[pos[i].index()] = w;
        }
        // Reuse one search space across both runs: generations must isolate them.
        let mut space = SearchSpace::new(n);
        space.start(Direction::Forward, [(source, 0)]);
        space.run_all(&csr, &weight, &AllNodes);
        let expected = oracle(n, &arcs, &BTreeSet::new(), source);
        for v in 0..n {
            prop_assert_eq!(space.distance(v as u32), expected[v], "node {}", v);
            // The path's arcs are consecutive and sum to the distance.
            if let Some(d) = expected[v] {
                let path = space.path_arcs(&csr, v as u32);
                let sum: u64 = path.iter().map(|a| u64::from(weight[*a as usize])).sum();
                prop_assert_eq!(sum, d);
                let mut at = source;
                for a in &path {
                    prop_assert_eq!(csr.tail[*a as usize], at);
                    at = csr.head[*a as usize];
                }
                prop_assert_eq!(at, v as u32);
            }
        }
        // With blocked nodes.
        let mut mask = NodeMask::open(n);
        for b in &blocked {
            if (*b as usize) < n {
                mask.block(NodeIx(*b));
            }
        }
        let blocked: BTreeSet<u32> = blocked.into_iter().filter(|b| (*b as usize) < n).collect();
        space.start(Direction::Forward, [(source, 0)]);
        space.run_all(&csr, &weight, &mask);
        let expected = oracle(n, &arcs, &blocked, source);
        for v in 0..n {
            prop_assert_eq!(space.distance(v as u32), expected[v], "blocked, node {}", v);
        }
        // Backward search equals a forward search on the reversed graph.
        let reversed: Vec<(u32, u32, u32)> = arcs.iter().map(|&(t, h, w)| (h, t, w)).collect();
        space.start(Direction::Backward, [(source, 0)]);
        space.run_all(&csr, &weight, &AllNodes);
        let expected = oracle(n, &reversed, &BTreeSet::new(), source);
        for v in 0..n {
            prop_assert_eq!(space.distance(v as u32), expected[v], "backward, node {}", v);
        }
    }

    #[test]
    fn pareto_equals_brute_force(
        (n, arcs) in arcs_strategy(7, 16, 0),
        weights in prop::collection::vec((1u32..20, 1u32..20), 16),
    ) {
        let arcs: Vec<(u32, u32, u32, u32)> = arcs
            .iter()
            .zip(weights.iter())
            .map(|(&(t, h, _), &(a, b))| (t, h, a, b))
            .collect();
        let pairs: Vec<(u32, u32)> = arcs.iter().map(|&(t, h, _, _)| (t, h)).collect();
        let (csr, pos) = Csr::from_arcs(n, &pairs);
        let mut time = vec![0u32; arcs.len()];
        let mut money = vec![0u32; arcs.len()];
        for (i, &(_, _, a, b)) in arcs.iter().enumerate() {
            time[pos[i].index()] = a;
            money[pos[i].index()] = b;
        }
        let target = n as u32 - 1;
        let mut space = ParetoSpace::new(1_000_000);
        let found = space.search(&csr, &time, &money, &AllNodes, &[0], &[target]).unwrap();

        // Brute force: every simple path 0 -> target.
        let mut all: Vec<(u64, u64)> = Vec::new();
        let mut stack = vec![(0u32, 0u64, 0u64, 1u64 << 0)];
        while let Some((v, t, m, seen)) = stack.pop() {
            if v == target {
                all.push((t, m));
                continue;
            }
            for a in csr.out_range(v) {
                let h = csr.head[a];
                if seen & (1 << h) == 0 {
                    stack.push((h, t + u64::from(time[a]), m + u64::from(money[a]), seen | (1 << h)));
                }
            }
        }
        let mut front: Vec<(u64, u64)> = all
            .iter()
            .copied()
            .filter(|&(t, m)| !all.iter().any(|&(t2, m2)| t2 <= t && m2 <= m && (t2 < t || m2 < m)))
            .collect();
        front.sort();
        front.dedup();
        let got: Vec<(u64, u64)> = found.iter().map(|p| (p.time, p.money)).collect();
        prop_assert_eq!(&got, &front);
        // Each path is real and sums to its label.
        for p in &found {
            let mut at = 0u32;
            let (mut t, mut m) = (0u64, 0u64);
            for a in &p.arcs {
                prop_assert_eq!(csr.tail[*a as usize], at);
                at = csr.head[*a as usize];
                t += u64::from(time[*a as usize]);
                m += u64::from(money[*a as usize]);
            }
            prop_assert_eq!(at, target);
            prop_assert_eq!((t, m), (p.time, p.money));
        }
    }
}
