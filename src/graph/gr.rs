//! Reading plain weighted arc lists (the fast_paths `.gr` format: `a <from> <to> <weight>`
//! per line, 0-based ids) into CSR arrays, for benchmarks and tests on real road graphs.

use std::path::Path;

use crate::error::{Error, Result};
use crate::graph::csr::Csr;

/// A graph read from an arc list: CSR arrays and one weight per arc.
#[derive(Debug, Clone)]
pub struct WeightedGraph {
    pub csr: Csr,
    pub weight: Vec<u32>,
    /// The arcs as read (tail, head, weight), after dropping loops and zero weights.
    pub arcs: Vec<(u32, u32, u32)>,
}

/// Parses `.gr` text. Loops and zero-weight arcs are skipped (as fast_paths does); any other
/// malformed line is an error naming its line.
pub fn parse_gr(text: &str, origin: &Path) -> Result<WeightedGraph> {
    let mut arcs = Vec::new();
    let mut max_id = 0u32;
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('c') || line.starts_with('p') {
            continue;
        }
        let bad = |what: &str| Error::Input {
            path: origin.to_path_buf(),
            message: format!("line {}: {what}: {line:?}", i + 1),
        };
        let mut parts = line.split_whitespace();
        if parts.next() != Some("a") {
            return Err(bad("expected `a <from> <to> <weight>`"));
        }
        let mut num = || -> Result<u32> {
            parts
                .next()
                .and_then(|p| p.parse::<u32>().ok())
                .ok_or_else(|| bad("expected three whole numbers after `a`"))
        };
        let (t, h, w) = (num()?, num()?, num()?);
        if w == u32::MAX {
            return Err(bad("weight too large"));
        }
        max_id = max_id.max(t).max(h);
        if t != h && w > 0 {
            arcs.push((t, h, w));
        }
    }
    if arcs.is_empty() {
        return Err(Error::Input {
            path: origin.to_path_buf(),
            message: "no arcs".into(),
        });
    }
    Ok(from_arcs(max_id as usize + 1, arcs))
}

impl WeightedGraph {
    /// Renumbers nodes in breadth-first order (ignoring direction), so nodes near each other
    /// in the graph sit near each other in memory: fewer cache misses per relaxation, as in
    /// RoutingKit's and OSRM's node orderings. Returns the new graph and, for each old id, its
    /// new id.
    pub fn reordered_for_locality(&self) -> (WeightedGraph, Vec<u32>) {
        let n = self.csr.node_count();
        let mut order: Vec<u32> = Vec::with_capacity(n);
        let mut new_id = vec![u32::MAX; n];
        let mut queue = std::collections::VecDeque::new();
        for root in 0..n as u32 {
            if new_id[root as usize] != u32::MAX {
                continue;
            }
            new_id[root as usize] = order.len() as u32;
            order.push(root);
            queue.push_back(root);
            while let Some(u) = queue.pop_front() {
                let outs = self.csr.out_range(u).map(|a| self.csr.head[a]);
                let ins = self.csr.in_range(u).map(|k| self.csr.in_tail[k]);
                for v in outs.chain(ins) {
                    if new_id[v as usize] == u32::MAX {
                        new_id[v as usize] = order.len() as u32;
                        order.push(v);
                        queue.push_back(v);
                    }
                }
            }
        }
        let arcs: Vec<(u32, u32, u32)> = self
            .arcs
            .iter()
            .map(|&(t, h, w)| (new_id[t as usize], new_id[h as usize], w))
            .collect();
        (from_arcs(n, arcs), new_id)
    }
}

impl WeightedGraph {
    /// Builds a graph from `(tail, head, weight)` arcs on `n` nodes.
    pub fn from_arcs(n: usize, arcs: Vec<(u32, u32, u32)>) -> WeightedGraph {
        from_arcs(n, arcs)
    }
}

fn from_arcs(n: usize, arcs: Vec<(u32, u32, u32)>) -> WeightedGraph {
    let pairs: Vec<(u32, u32)> = arcs.iter().map(|&(t, h, _)| (t, h)).collect();
    let (csr, pos) = Csr::from_arcs(n, &pairs);
    let mut weight = vec![0u32; arcs.len()];
    for (i, &(_, _, w)) in arcs.iter().enumerate() {
        weight[pos[i].index()] = w;
    }
    WeightedGraph { csr, weight, arcs }
}

/// Reads a `.gr` file.
pub fn read_gr(path: &Path) -> Result<WeightedGraph> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    parse_gr(&text, path)
}

/// A deterministic synthetic road-like graph: a `side` x `side` grid with both-way arcs of
/// pseudo-random weight 1..=1000 and a few diagonal shortcuts. Stands in for real graphs
/// when `../shared/data` is absent.
pub fn synthetic_grid(side: u32) -> WeightedGraph {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % 1000) as u32 + 1
    };
    let id = |x: u32, y: u32| y * side + x;
    let mut arcs = Vec::new();
    for y in 0..side {
        for x in 0..side {
            if x + 1 < side {
                let w = next();
                arcs.push((id(x, y), id(x + 1, y), w));
                arcs.push((id(x + 1, y), id(x, y), w));
            }
            if y + 1 < side {
                let w = next();
                arcs.push((id(x, y), id(x, y + 1), w));
                arcs.push((id(x, y + 1), id(x, y), w));
            }
            if x + 1 < side && y + 1 < side && next() < 100 {
                let w = next() + 400;
                arcs.push((id(x, y), id(x + 1, y + 1), w));
            }
        }
    }
    from_arcs((side * side) as usize, arcs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_arcs_and_skips_loops_and_zero_weights() {
        let g = parse_gr("a 0 1 5\na 1 1 3\na 1 2 0\na 2 0 7\n", Path::new("t.gr")).unwrap();
        assert_eq!(g.csr.node_count(), 3);
        assert_eq!(g.arcs, vec![(0, 1, 5), (2, 0, 7)]);
    }

    #[test]
    fn reordering_keeps_the_graph() {
        let g = synthetic_grid(12);
        let (r, new_id) = g.reordered_for_locality();
        assert_eq!(r.arcs.len(), g.arcs.len());
        let mut seen = vec![false; new_id.len()];
        for id in &new_id {
            assert!(!seen[*id as usize]);
            seen[*id as usize] = true;
        }
        for (a, b) in g.arcs.iter().zip(r.arcs.iter()) {
            assert_eq!((new_id[a.0 as usize], new_id[a.1 as usize], a.2), *b);
        }
    }

    #[test]
    fn names_the_bad_line() {
        let e = parse_gr("a 0 1 5\na 0 x 5\n", Path::new("t.gr")).unwrap_err();
        assert!(e.to_string().contains("t.gr: line 2"), "{e}");
    }
}
