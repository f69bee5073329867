//! Exact bi-criteria (time, money) shortest paths by label setting (Martins' algorithm).
//!
//! Labels leave the heap in lexicographic (time, money) order, so a label is Pareto-optimal
//! at its node exactly when its money is below that of every label already settled there:
//! one comparison per node. Every path returned is non-dominated and every non-dominated
//! (time, money) pair is returned once.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::graph::csr::Csr;
use crate::graph::weights::CLOSED;
use crate::search::mask::Admit;

/// One non-dominated path: its totals and its arcs in travel order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParetoPath {
    /// Sum of the time weights (seconds in steppe's compiled graphs).
    pub time: u64,
    /// Sum of the money weights (US cents in steppe's compiled graphs).
    pub money: u64,
    pub arcs: Vec<u32>,
}

/// The search stopped because it created more labels than allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LabelLimit(pub usize);

#[derive(Debug, Clone, Copy)]
struct Label {
    time: u64,
    money: u64,
    node: u32,
    arc: u32,
    pred: u32,
}

const NONE: u32 = u32::MAX;

/// Reusable memory for Pareto searches.
#[derive(Debug, Clone)]
pub struct ParetoSpace {
    max_labels: usize,
    labels: Vec<Label>,
    best_money: Vec<u64>,
    heap: BinaryHeap<Reverse<(u64, u64, u32)>>,
}

impl ParetoSpace {
    /// A search space that gives up after creating `max_labels` labels (a memory guard).
    pub fn new(max_labels: usize) -> ParetoSpace {
        ParetoSpace {
            max_labels,
            labels: Vec::new(),
            best_money: Vec::new(),
            heap: BinaryHeap::new(),
        }
    }

    /// All Pareto-optimal (time, money) paths from any of `sources` to any of `targets`,
    /// fastest first. Arcs whose weight is [`CLOSED`] are not used.
    pub fn search<A: Admit>(
        &mut self,
        csr: &Csr,
        time: &[u32],
        money: &[u32],
        admit: &A,
        sources: &[u32],
        targets: &[u32],
    ) -> Result<Vec<ParetoPath>, LabelLimit> {
        let n = csr.node_count();
        self.labels.clear();
        self.heap.clear();
        self.best_money.clear();
        self.best_money.resize(n, u64::MAX);
        let mut target_best = u64::MAX;
        let mut found: Vec<u32> = Vec::new();
        for &s in sources {
            if (s as usize) < n {
                self.labels.push(Label {
                    time: 0,
                    money: 0,
                    node: s,
                    arc: NONE,
                    pred: NONE,
                });
                self.heap
                    .push(Reverse((0, 0, (self.labels.len() - 1) as u32)));
            }
        }
        while let Some(Reverse((t, m, li))) = self.heap.pop() {
            let label = self.labels[li as usize];
            let v = label.node as usize;
            if m >= self.best_money[v] || m >= target_best {
                continue;
            }
            self.best_money[v] = m;
            if targets.contains(&label.node) {
                target_best = m;
                found.push(li);
                continue;
            }
            for a in csr.out_range(label.node) {
                let (wt, wm) = (time[a], money[a]);
                if wt == CLOSED || wm == CLOSED {
                    continue;
                }
                let h = csr.head[a];
                let (nt, nm) = (t + u64::from(wt), m + u64::from(wm));
                if nm >= self.best_money[h as usize] || nm >= target_best || !admit.admits(h) {
                    continue;
                }
                if self.labels.len() >= self.max_labels {
                    return Err(LabelLimit(self.max_labels));
                }
                self.labels.push(Label {
                    time: nt,
                    money: nm,
                    node: h,
                    arc: a as u32,
                    pred: li,
                });
                self.heap
                    .push(Reverse((nt, nm, (self.labels.len() - 1) as u32)));
            }
        }
        Ok(found
            .into_iter()
            .map(|li| {
                let l = self.labels[li as usize];
                let mut arcs = Vec::new();
                let mut cur = li;
                while cur != NONE {
                    let x = self.labels[cur as usize];
                    if x.arc != NONE {
                        arcs.push(x.arc);
                    }
                    cur = x.pred;
                }
                arcs.reverse();
                ParetoPath {
                    time: l.time,
                    money: l.money,
                    arcs,
                }
            })
            .collect())
    }
}
