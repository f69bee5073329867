//! The metric-independent hierarchy: the chordal supergraph of the input graph under a node
//! order, stored as upward edges in CSR by rank, with the elimination tree, the lower
//! triangles' entry points (downward adjacency) and the map from input arcs to edges.
//!
//! Nodes are renumbered by rank so sweeps stream through memory. After elimination, ranks
//! are re-sorted by elimination-tree level (height above the leaves), keeping the old rank
//! within a level: this is a topological order of the same tree, so it gives the same chordal
//! graph, and it makes every level a contiguous range of ranks and of edges, which is what the
//! parallel customization splits on.

use std::sync::atomic::{AtomicU64, Ordering};

use super::error::CchError;
use super::order::{NodeOrder, check_arcs};
use crate::graph::csr::Csr;

/// No node / no edge.
pub(crate) const NONE: u32 = u32::MAX;

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// A customizable contraction hierarchy (metric-independent). All per-node arrays are indexed
/// by rank; edges run from a lower rank (`tail`) to a higher rank (`head`).
#[derive(Debug, Clone)]
pub struct Cch {
    pub(crate) id: u64,
    /// Input node -> rank.
    pub(crate) rank_of: Vec<u32>,
    /// Rank -> input node.
    pub(crate) node_at: Vec<u32>,
    /// Upward edges of rank `r`: `first_out[r]..first_out[r + 1]`, heads ascending.
    pub(crate) first_out: Vec<u32>,
    pub(crate) head: Vec<u32>,
    pub(crate) tail: Vec<u32>,
    /// Elimination-tree parent (the lowest upper neighbour), `NONE` for roots.
    pub(crate) parent: Vec<u32>,
    /// Lower neighbours of rank `r`: `first_down[r]..first_down[r + 1]` into `down_tail`
    /// (their ranks, ascending) and `down_edge` (the edge joining them to `r`).
    pub(crate) first_down: Vec<u32>,
    pub(crate) down_tail: Vec<u32>,
    pub(crate) down_edge: Vec<u32>,
    /// Ranks where each elimination-tree level starts, then the node count.
    pub(crate) level_first: Vec<u32>,
    /// For each input arc: `edge << 1 | 1` if it runs downward (high to low rank), `edge << 1`
    /// if upward, `NONE` for a loop.
    pub(crate) arc_edge: Vec<u32>,
}

impl Cch {
    /// Builds the hierarchy of the graph with arcs `tail[a] -> head[a]` on `node_count` nodes
    /// under `order`. Directions and parallel arcs do not matter here, only to metrics.
    pub fn new(
        node_count: usize,
        tail: &[u32],
        head: &[u32],
        order: &NodeOrder,
    ) -> Result<Cch, CchError> {
        check_arcs(node_count, tail, head)?;
        if order.len() != node_count {
            return Err(CchError::Length {
                what: "node order",
                expected: node_count,
                got: order.len(),
            });
        }
        let limit = (1usize << 31) - 1;
        if tail.len() > limit {
            return Err(CchError::TooLarge {
                what: "input arcs",
                count: tail.len(),
            });
        }
        let n = node_count;
        let rank0 = order.ranks();
        // Elimination: the upper neighbours of x, minus its parent, become upper neighbours
        // of the parent; the rest of the fill follows as the parent is eliminated in turn.
        let mut upper: Vec<Vec<u32>> = vec![Vec::new(); n];
        for (&t, &h) in tail.iter().zip(head) {
            let (a, b) = (rank0[t as usize], rank0[h as usize]);
            if a != b {
                upper[a.min(b) as usize].push(a.max(b));
            }
        }
        let mut parent0 = vec![NONE; n];
        for x in 0..n {
            let mut list = std::mem::take(&mut upper[x]);
            list.sort_unstable();
            list.dedup();
            if let Some(&p) = list.first() {
                parent0[x] = p;
                upper[p as usize].extend_from_slice(&list[1..]);
            }
            upper[x] = list;
        }
        let mut level = vec![0u32; n];
        for x in 0..n {
            if parent0[x] != NONE {
                let p = parent0[x] as usize;
                level[p] = level[p].max(level[x] + 1);
            }
        }
        let level_count = level.iter().max().map_or(0, |&l| l as usize + 1);
        let mut level_first = vec![0u32; level_count + 1];
        for &l in &level {
            level_first[l as usize + 1] += 1;
        }
        for l in 0..level_count {
            level_first[l + 1] += level_first[l];
        }
        // Stable counting sort by level: new rank of each old rank.
        let mut fill = level_first.clone();
        let mut new_rank = vec![0u32; n];
        for x in 0..n {
            let l = level[x] as usize;
            new_rank[x] = fill[l];
            fill[l] += 1;
        }
        let mut old_at = vec![0u32; n];
        for x in 0..n {
            old_at[new_rank[x] as usize] = x as u32;
        }
        let mut first_out = Vec::with_capacity(n + 1);
        first_out.push(0u32);
        let mut head_r = Vec::new();
        let mut tail_r = Vec::new();
        let mut parent = vec![NONE; n];
        for (r, &x) in old_at.iter().enumerate() {
            let start = head_r.len();
            head_r.extend(upper[x as usize].iter().map(|&y| new_rank[y as usize]));
            head_r[start..].sort_unstable();
            tail_r.resize(head_r.len(), r as u32);
            first_out.push(head_r.len() as u32);
            if parent0[x as usize] != NONE {
                parent[r] = new_rank[parent0[x as usize] as usize];
            }
        }
        drop(upper);
        let m = head_r.len();
        if m > limit {
            return Err(CchError::TooLarge {
                what: "hierarchy edges",
                count: m,
            });
        }
        let mut first_down = vec![0u32; n + 1];
        for &y in &head_r {
            first_down[y as usize + 1] += 1;
        }
        for r in 0..n {
            first_down[r + 1] += first_down[r];
        }
        let mut fill = first_down.clone();
        let mut down_tail = vec![0u32; m];
        let mut down_edge = vec![0u32; m];
        for e in 0..m {
            let y = head_r[e] as usize;
            let k = fill[y] as usize;
            fill[y] += 1;
            down_tail[k] = tail_r[e];
            down_edge[k] = e as u32;
        }
        let rank_of: Vec<u32> = rank0.iter().map(|&r| new_rank[r as usize]).collect();
        let node_at: Vec<u32> = old_at
            .iter()
            .map(|&x| order.node_at()[x as usize])
            .collect();
        let mut cch = Cch {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            rank_of,
            node_at,
            first_out,
            head: head_r,
            tail: tail_r,
            parent,
            first_down,
            down_tail,
            down_edge,
            level_first,
            arc_edge: Vec::new(),
        };
        cch.arc_edge = tail
            .iter()
            .zip(head)
            .map(|(&t, &h)| {
                let (a, b) = (cch.rank_of[t as usize], cch.rank_of[h as usize]);
                match cch.edge_between(a.min(b), a.max(b)) {
                    Some(e) if a != b => e << 1 | u32::from(a > b),
                    _ => NONE,
                }
            })
            .collect();
        Ok(cch)
    }

    /// The hierarchy of a CSR graph: input arc `a` is the CSR arc `a`.
    pub fn from_csr(csr: &Csr, order: &NodeOrder) -> Result<Cch, CchError> {
        Cch::new(csr.node_count(), &csr.tail, &csr.head, order)
    }

    /// The edge joining ranks `low < high`, if any.
    #[inline]
    pub(crate) fn edge_between(&self, low: u32, high: u32) -> Option<u32> {
        let range = self.up_range(low);
        let start = range.start;
        self.head[range]
            .binary_search(&high)
            .ok()
            .map(|i| (start + i) as u32)
    }

    /// Upward edge range of a rank.
    #[inline]
    pub(crate) fn up_range(&self, rank: u32) -> std::ops::Range<usize> {
        self.first_out[rank as usize] as usize..self.first_out[rank as usize + 1] as usize
    }

    /// Identifies this hierarchy; a [`super::Metric`] carries the id it was customized for.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// Number of input nodes.
    pub fn node_count(&self) -> usize {
        self.node_at.len()
    }

    /// Number of input arcs the hierarchy was built from (metrics need one weight each).
    pub fn input_arc_count(&self) -> usize {
        self.arc_edge.len()
    }

    /// Number of undirected edges of the chordal supergraph.
    pub fn edge_count(&self) -> usize {
        self.head.len()
    }

    /// Number of edges that no input arc maps to (pure shortcuts).
    pub fn shortcut_count(&self) -> usize {
        let mut hit = vec![false; self.head.len()];
        for &ae in &self.arc_edge {
            if ae != NONE {
                hit[(ae >> 1) as usize] = true;
            }
        }
        hit.iter().filter(|&&h| !h).count()
    }

    /// Number of elimination-tree levels (the parallel customization's sequential steps).
    pub fn level_count(&self) -> usize {
        self.level_first.len() - 1
    }

    /// The rank of an input node.
    pub fn rank_of(&self, node: u32) -> Option<u32> {
        self.rank_of.get(node as usize).copied()
    }

    /// Bytes of the arrays a distance query or PHAST sweep reads, per edge: `first_out` and
    /// `parent` (4 B per node each), `head`, forward and backward weight (4 B per edge each).
    pub fn query_bytes_per_edge(&self) -> f64 {
        let n = self.node_count() as f64;
        let m = self.edge_count().max(1) as f64;
        (8.0 * n + 12.0 * m) / m
    }

    pub(crate) fn check_node(&self, node: u32) -> Result<u32, CchError> {
        self.rank_of(node).ok_or(CchError::Node {
            node,
            node_count: self.node_count(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 4-cycle 0-1-2-3-0 ordered 0,2,1,3: eliminating 0 joins 1 and 3 (one shortcut).
    #[test]
    fn cycle_gets_one_chord() {
        let order = NodeOrder::from_nodes(vec![0, 2, 1, 3]).expect("permutation");
        let cch = Cch::new(4, &[0, 1, 2, 3], &[1, 2, 3, 0], &order).expect("valid");
        assert_eq!(cch.edge_count(), 5);
        assert_eq!(cch.shortcut_count(), 1);
        for r in 0..4u32 {
            for e in cch.up_range(r) {
                assert!(cch.head[e] > r);
            }
        }
    }
}
