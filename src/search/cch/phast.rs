//! One-to-all and all-to-one distances (PHAST): an upward search from the start, then one
//! sweep over all ranks from the top down, each node pulling from its upper neighbours. Ranks
//! are the storage order, so the sweep streams through `first_out`, `head` and the weights.

use super::contract::Cch;
use super::customize::Metric;
use super::error::CchError;
use super::{INFINITE_WEIGHT, UNREACHABLE, upward};

/// Reusable buffers for one-to-all and all-to-one sweeps on one hierarchy.
#[derive(Debug, Clone)]
pub struct Phast<'a> {
    cch: &'a Cch,
    by_rank: Vec<u64>,
    by_node: Vec<u64>,
}

impl<'a> Phast<'a> {
    /// Buffers for sweeps on `cch`.
    pub fn new(cch: &'a Cch) -> Phast<'a> {
        let n = cch.node_count();
        Phast {
            cch,
            by_rank: vec![UNREACHABLE; n],
            by_node: vec![UNREACHABLE; n],
        }
    }

    /// Distances from input node `source` to every input node (indexed by node,
    /// [`UNREACHABLE`] where there is no path).
    pub fn one_to_all(&mut self, metric: &Metric, source: u32) -> Result<&[u64], CchError> {
        self.run(metric, source, true)
    }

    /// Distances from every input node to `target` (indexed by node).
    pub fn all_to_one(&mut self, metric: &Metric, target: u32) -> Result<&[u64], CchError> {
        self.run(metric, target, false)
    }

    fn run(&mut self, metric: &Metric, start: u32, forward: bool) -> Result<&[u64], CchError> {
        metric.check_belongs_to(self.cch)?;
        let cch = self.cch;
        let r = cch.check_node(start)?;
        let (up, down) = if forward {
            (&metric.forward, &metric.backward)
        } else {
            (&metric.backward, &metric.forward)
        };
        let d = &mut self.by_rank;
        d.fill(UNREACHABLE);
        upward::search::<false>(cch, up, r, d, &mut []);
        for v in (0..cch.node_count()).rev() {
            let range = cch.first_out[v] as usize..cch.first_out[v + 1] as usize;
            let mut dv = d[v];
            for (&u, &w) in cch.head[range.clone()].iter().zip(&down[range]) {
                let du = d[u as usize];
                if w != INFINITE_WEIGHT && du != UNREACHABLE {
                    dv = dv.min(du + u64::from(w));
                }
            }
            d[v] = dv;
        }
        for (out, &rank) in self.by_node.iter_mut().zip(&cch.rank_of) {
            *out = d[rank as usize];
        }
        Ok(&self.by_node)
    }
}
