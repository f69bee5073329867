//! Dijkstra's algorithm on CSR arrays with a reusable search space: distances, parents and a
//! heap that live across queries and are reset in O(1) by a generation counter, so a query
//! allocates nothing. It settles one node per step, so callers decide when to stop
//! (one target, a set of targets, a budget for isochrones, or all nodes).

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::graph::csr::Csr;
use crate::graph::weights::CLOSED;
use crate::search::mask::Admit;

/// No parent arc (a source, or not reached).
pub const NO_ARC: u32 = u32::MAX;

/// Which way a search runs: along arcs (one-to-all) or against them (all-to-one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Forward,
    Backward,
}

/// Memory for repeated searches on graphs of up to `capacity` nodes.
#[derive(Debug, Clone)]
pub struct SearchSpace {
    dist: Vec<u64>,
    parent: Vec<u32>,
    stamp: Vec<u32>,
    done: Vec<u32>,
    generation: u32,
    heap: BinaryHeap<Reverse<(u64, u32)>>,
    direction: Direction,
}

impl SearchSpace {
    /// A search space for graphs of `capacity` nodes.
    pub fn new(capacity: usize) -> SearchSpace {
        SearchSpace {
            dist: vec![0; capacity],
            parent: vec![NO_ARC; capacity],
            stamp: vec![0; capacity],
            done: vec![0; capacity],
            generation: 0,
            heap: BinaryHeap::new(),
            direction: Direction::Forward,
        }
    }

    /// Node capacity.
    pub fn capacity(&self) -> usize {
        self.dist.len()
    }

    /// Starts a new search from `sources` (node, initial distance).
    pub fn start(&mut self, direction: Direction, sources: impl IntoIterator<Item = (u32, u64)>) {
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            self.stamp.iter_mut().for_each(|s| *s = 0);
            self.done.iter_mut().for_each(|s| *s = 0);
            self.generation = 1;
        }
        self.heap.clear();
        self.direction = direction;
        for (node, d) in sources {
            let i = node as usize;
            if i >= self.dist.len() {
                continue;
            }
            if self.stamp[i] != self.generation || d < self.dist[i] {
                self.stamp[i] = self.generation;
                self.dist[i] = d;
                self.parent[i] = NO_ARC;
                self.heap.push(Reverse((d, node)));
            }
        }
    }

    /// Settles the next node and relaxes its arcs. Returns the node and its distance, or
    /// `None` when nothing reachable is left.
    #[inline]
    pub fn settle_next<A: Admit>(
        &mut self,
        csr: &Csr,
        weight: &[u32],
        admit: &A,
    ) -> Option<(u32, u64)> {
        let g = self.generation;
        while let Some(Reverse((d, u))) = self.heap.pop() {
            let ui = u as usize;
            if self.done[ui] == g || d > self.dist[ui] {
                continue;
            }
            self.done[ui] = g;
            match self.direction {
                Direction::Forward => {
                    for a in csr.out_range(u) {
                        let w = weight[a];
                        if w == CLOSED {
                            continue;
                        }
                        let v = csr.head[a];
                        self.relax(v, d + u64::from(w), a as u32, admit);
                    }
                }
                Direction::Backward => {
                    for k in csr.in_range(u) {
                        let a = csr.in_arc[k] as usize;
                        let w = weight[a];
                        if w == CLOSED {
                            continue;
                        }
                        let v = csr.in_tail[k];
                        self.relax(v, d + u64::from(w), a as u32, admit);
                    }
                }
            }
            return Some((u, d));
        }
        None
    }

    #[inline(always)]
    fn relax<A: Admit>(&mut self, v: u32, nd: u64, arc: u32, admit: &A) {
        let vi = v as usize;
        let g = self.generation;
        if self.stamp[vi] != g {
            if !admit.admits(v) {
                return;
            }
            self.stamp[vi] = g;
            self.dist[vi] = nd;
            self.parent[vi] = arc;
            self.heap.push(Reverse((nd, v)));
        } else if nd < self.dist[vi] && self.done[vi] != g {
            self.dist[vi] = nd;
            self.parent[vi] = arc;
            self.heap.push(Reverse((nd, v)));
        }
    }

    /// Runs to exhaustion: afterwards every reachable node has its final distance.
    pub fn run_all<A: Admit>(&mut self, csr: &Csr, weight: &[u32], admit: &A) {
        while self.settle_next(csr, weight, admit).is_some() {}
    }

    /// Runs until `target` is settled; returns its distance.
    pub fn run_to<A: Admit>(
        &mut self,
        csr: &Csr,
        weight: &[u32],
        admit: &A,
        target: u32,
    ) -> Option<u64> {
        if self.is_settled(target) {
            return self.distance(target);
        }
        while let Some((u, d)) = self.settle_next(csr, weight, admit) {
            if u == target {
                return Some(d);
            }
        }
        None
    }

    /// Runs until every node in `targets` is settled or nothing is left.
    pub fn run_to_all_of<A: Admit>(
        &mut self,
        csr: &Csr,
        weight: &[u32],
        admit: &A,
        targets: &[u32],
    ) {
        let mut left = targets.iter().filter(|t| !self.is_settled(**t)).count();
        while left > 0 {
            match self.settle_next(csr, weight, admit) {
                Some((u, _)) if targets.contains(&u) => left -= 1,
                Some(_) => {}
                None => break,
            }
        }
    }

    /// Distance of a node reached in the current search.
    #[inline]
    pub fn distance(&self, node: u32) -> Option<u64> {
        let i = node as usize;
        (i < self.stamp.len() && self.stamp[i] == self.generation).then(|| self.dist[i])
    }

    /// True once a node's distance is final.
    pub fn is_settled(&self, node: u32) -> bool {
        let i = node as usize;
        i < self.done.len() && self.done[i] == self.generation
    }

    /// The arc by which a node was reached, if it was reached from another node.
    pub fn parent_arc(&self, node: u32) -> Option<u32> {
        let i = node as usize;
        (self.stamp.get(i) == Some(&self.generation) && self.parent[i] != NO_ARC)
            .then(|| self.parent[i])
    }

    /// Arcs of the shortest path to `node`, in travel order (for a backward search: from
    /// `node` towards the sources). Empty for a source or an unreached node.
    pub fn path_arcs(&self, csr: &Csr, node: u32) -> Vec<u32> {
        let mut arcs = Vec::new();
        let mut v = node;
        while let Some(a) = self.parent_arc(v) {
            arcs.push(a);
            v = match self.direction {
                Direction::Forward => csr.tail[a as usize],
                Direction::Backward => csr.head[a as usize],
            };
            if arcs.len() > self.dist.len() {
                break;
            }
        }
        if self.direction == Direction::Forward {
            arcs.reverse();
        }
        arcs
    }

    /// The node a path to `node` started from.
    pub fn root_of(&self, csr: &Csr, node: u32) -> u32 {
        let mut v = node;
        let mut steps = 0;
        while let Some(a) = self.parent_arc(v) {
            v = match self.direction {
                Direction::Forward => csr.tail[a as usize],
                Direction::Backward => csr.head[a as usize],
            };
            steps += 1;
            if steps > self.dist.len() {
                break;
            }
        }
        v
    }
}
