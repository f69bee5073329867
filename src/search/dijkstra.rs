//! Dijkstra's algorithm on CSR arrays with a reusable search space: distances, parents and a
//! heap that live across queries and are reset in O(1) by a generation counter, so a query
//! allocates nothing. Per-node state is one packed record; the queue is a 4-ary heap with lazy deletion (a node may
//! be queued more than once; stale entries are skipped when popped).
//! It settles one node per step, so callers decide when to stop
//! (one target, a set of targets, a budget for isochrones, or all nodes).

use crate::graph::csr::Csr;
use crate::graph::weights::CLOSED;
use crate::search::dary_heap::DaryHeap;
use crate::search::mask::Admit;

/// No parent arc (a source, or not reached).
pub const NO_ARC: u32 = u32::MAX;

/// Which way a search runs: along arcs (one-to-all) or against them (all-to-one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Forward,
    Backward,
}

/// Per-node search state, packed so a relaxation touches one cache line.
/// `stamp` is `2 x generation` once reached and `2 x generation + 1` once settled.
#[derive(Debug, Clone, Copy, Default)]
struct NodeState {
    dist: u64,
    parent: u32,
    stamp: u32,
}

/// Memory for repeated searches on graphs of up to `capacity` nodes.
#[derive(Debug, Clone)]
pub struct SearchSpace {
    state: Vec<NodeState>,
    generation: u32,
    heap: DaryHeap,
    direction: Direction,
    /// Targets of `run_to_all_of`, marked with the current generation while pending.
    target_mark: Vec<u32>,
}

impl SearchSpace {
    /// A search space for graphs of `capacity` nodes.
    pub fn new(capacity: usize) -> SearchSpace {
        SearchSpace {
            state: vec![NodeState::default(); capacity],
            generation: 0,
            heap: DaryHeap::new(),
            direction: Direction::Forward,
            target_mark: vec![0; capacity],
        }
    }

    /// Node capacity.
    pub fn capacity(&self) -> usize {
        self.state.len()
    }

    #[inline(always)]
    fn reached_stamp(&self) -> u32 {
        self.generation << 1
    }

    /// Starts a new search from `sources` (node, initial distance).
    pub fn start(&mut self, direction: Direction, sources: impl IntoIterator<Item = (u32, u64)>) {
        self.generation += 1;
        if self.generation >= u32::MAX >> 1 {
            self.state.iter_mut().for_each(|s| s.stamp = 0);
            self.target_mark.iter_mut().for_each(|m| *m = 0);
            self.generation = 1;
        }
        self.heap.clear();
        self.direction = direction;
        let reached = self.reached_stamp();
        for (node, d) in sources {
            let Some(s) = self.state.get_mut(node as usize) else {
                continue;
            };
            if s.stamp != reached || d < s.dist {
                *s = NodeState {
                    dist: d,
                    parent: NO_ARC,
                    stamp: reached,
                };
                self.heap.push(d, node);
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
        let reached = self.reached_stamp();
        while let Some((d, u)) = self.heap.pop() {
            let s = &mut self.state[u as usize];
            if s.stamp != reached || d > s.dist {
                continue; // settled already, or a stale entry
            }
            s.stamp = reached | 1;
            match self.direction {
                Direction::Forward => {
                    let range = csr.out_range(u);
                    let first = range.start as u32;
                    // Zipped slices: no bounds check per arc.
                    let heads = &csr.head[range.clone()];
                    let weights = &weight[range];
                    for (i, (&v, &w)) in heads.iter().zip(weights).enumerate() {
                        if w != CLOSED {
                            self.relax(v, d + u64::from(w), first + i as u32, admit);
                        }
                    }
                }
                Direction::Backward => {
                    for k in csr.in_range(u) {
                        let a = csr.in_arc[k] as usize;
                        let w = weight[a];
                        if w != CLOSED {
                            self.relax(csr.in_tail[k], d + u64::from(w), a as u32, admit);
                        }
                    }
                }
            }
            return Some((u, d));
        }
        None
    }

    #[inline(always)]
    fn relax<A: Admit>(&mut self, v: u32, nd: u64, arc: u32, admit: &A) {
        let reached = self.reached_stamp();
        let s = &mut self.state[v as usize];
        if s.stamp == reached {
            if nd < s.dist {
                s.dist = nd;
                s.parent = arc;
                self.heap.push(nd, v);
            }
        } else if s.stamp != reached | 1 && admit.admits(v) {
            *s = NodeState {
                dist: nd,
                parent: arc,
                stamp: reached,
            };
            self.heap.push(nd, v);
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
        // Mark the unsettled targets (deduplicated) with this search's generation.
        let g = self.generation;
        let mut left = 0usize;
        for &t in targets {
            if let Some(mark) = self.target_mark.get_mut(t as usize)
                && *mark != g
                && self.state[t as usize].stamp != (g << 1 | 1)
            {
                *mark = g;
                left += 1;
            }
        }
        while left > 0 {
            match self.settle_next(csr, weight, admit) {
                Some((u, _)) if self.target_mark[u as usize] == g => {
                    self.target_mark[u as usize] = 0;
                    left -= 1;
                }
                Some(_) => {}
                None => break,
            }
        }
        for &t in targets {
            if let Some(mark) = self.target_mark.get_mut(t as usize) {
                *mark = 0;
            }
        }
    }

    /// Distance of a node reached in the current search.
    #[inline]
    pub fn distance(&self, node: u32) -> Option<u64> {
        let s = self.state.get(node as usize)?;
        (s.stamp >> 1 == self.generation && s.stamp != 0).then_some(s.dist)
    }

    /// True once a node's distance is final.
    pub fn is_settled(&self, node: u32) -> bool {
        self.state
            .get(node as usize)
            .is_some_and(|s| s.stamp == self.reached_stamp() | 1)
    }

    /// The arc by which a node was reached, if it was reached from another node.
    pub fn parent_arc(&self, node: u32) -> Option<u32> {
        let s = self.state.get(node as usize)?;
        (s.stamp >> 1 == self.generation && s.stamp != 0 && s.parent != NO_ARC).then_some(s.parent)
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
            if arcs.len() > self.state.len() {
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
            if steps > self.state.len() {
                break;
            }
        }
        v
    }
}
