//! Point-to-point queries: upward searches from the source (forward weights) and the target
//! (backward weights) along the elimination tree, meeting at the best common ancestor; paths
//! are unpacked into input arcs through the middle nodes recorded by customization.

use super::contract::{Cch, NONE};
use super::customize::{Metric, VIA_NONE};
use super::error::CchError;
use super::{UNREACHABLE, upward};

/// Source rank, target rank, and the best meeting (distance, rank) if any.
type Searched = (u32, u32, Option<(u64, u32)>);

/// A reusable point-to-point query on one hierarchy. It owns its buffers (two distances and
/// two predecessor edges per node) and resets only what a query touched, so a distance query
/// allocates nothing.
#[derive(Debug, Clone)]
pub struct CchQuery<'a> {
    cch: &'a Cch,
    forward_dist: Vec<u64>,
    backward_dist: Vec<u64>,
    forward_pred: Vec<u32>,
    backward_pred: Vec<u32>,
    /// Hierarchy edges still to unpack, with `true` for the upward direction.
    stack: Vec<(u32, bool)>,
    /// The upward half of a route, from the meeting node down.
    up_edges: Vec<u32>,
}

impl<'a> CchQuery<'a> {
    /// Buffers for queries on `cch`.
    pub fn new(cch: &'a Cch) -> CchQuery<'a> {
        let n = cch.node_count();
        CchQuery {
            cch,
            forward_dist: vec![UNREACHABLE; n],
            backward_dist: vec![UNREACHABLE; n],
            forward_pred: vec![NONE; n],
            backward_pred: vec![NONE; n],
            stack: Vec::new(),
            up_edges: Vec::new(),
        }
    }

    /// Shortest distance from input node `source` to `target` under `metric`, `None` when
    /// `target` cannot be reached.
    pub fn distance(
        &mut self,
        metric: &Metric,
        source: u32,
        target: u32,
    ) -> Result<Option<u64>, CchError> {
        let (rs, rt, best) = self.search(metric, source, target)?;
        self.reset(rs, rt);
        Ok(best.map(|(d, _)| d))
    }

    /// Shortest distance and path (input arc indices in travel order) from `source` to
    /// `target`, `None` when `target` cannot be reached. Only the returned path is allocated.
    pub fn path(
        &mut self,
        metric: &Metric,
        source: u32,
        target: u32,
    ) -> Result<Option<(u64, Vec<u32>)>, CchError> {
        let (rs, rt, best) = self.search(metric, source, target)?;
        let result = best.map(|(d, m)| {
            let mut arcs = Vec::new();
            self.unpack_route(metric, rs, rt, m, &mut arcs);
            (d, arcs)
        });
        self.reset(rs, rt);
        Ok(result)
    }

    /// Like [`CchQuery::path`], but writes the arcs into `arcs` (cleared first), so repeated
    /// queries reuse one vector and allocate nothing.
    pub fn path_into(
        &mut self,
        metric: &Metric,
        source: u32,
        target: u32,
        arcs: &mut Vec<u32>,
    ) -> Result<Option<u64>, CchError> {
        arcs.clear();
        let (rs, rt, best) = self.search(metric, source, target)?;
        if let Some((_, m)) = best {
            self.unpack_route(metric, rs, rt, m, arcs);
        }
        self.reset(rs, rt);
        Ok(best.map(|(d, _)| d))
    }

    /// Both upward searches, interleaved in rank order: below the lowest common ancestor
    /// the two chains are disjoint; above it every node is on both, its distances are final
    /// when reached, and a side whose distance already reaches the best meeting is not
    /// relaxed further (weights are non-negative). Returns the ranks and the best meeting
    /// (distance, rank; ties: the lowest rank).
    fn search(&mut self, metric: &Metric, source: u32, target: u32) -> Result<Searched, CchError> {
        metric.check_belongs_to(self.cch)?;
        let cch = self.cch;
        let rs = cch.check_node(source)?;
        let rt = cch.check_node(target)?;
        self.forward_dist[rs as usize] = 0;
        self.forward_pred[rs as usize] = NONE;
        self.backward_dist[rt as usize] = 0;
        self.backward_pred[rt as usize] = NONE;
        let (mut a, mut b) = (rs, rt);
        let mut best: Option<(u64, u32)> = None;
        loop {
            if a != NONE && (b == NONE || a < b) {
                upward::relax::<true>(
                    cch,
                    &metric.forward,
                    a,
                    &mut self.forward_dist,
                    &mut self.forward_pred,
                );
                a = cch.parent[a as usize];
            } else if b != NONE && (a == NONE || b < a) {
                upward::relax::<true>(
                    cch,
                    &metric.backward,
                    b,
                    &mut self.backward_dist,
                    &mut self.backward_pred,
                );
                b = cch.parent[b as usize];
            } else if a != NONE {
                let (f, r) = (
                    self.forward_dist[a as usize],
                    self.backward_dist[a as usize],
                );
                if f != UNREACHABLE && r != UNREACHABLE && best.is_none_or(|(d, _)| f + r < d) {
                    best = Some((f + r, a));
                }
                let bound = best.map_or(UNREACHABLE, |(d, _)| d);
                if f < bound {
                    upward::relax::<true>(
                        cch,
                        &metric.forward,
                        a,
                        &mut self.forward_dist,
                        &mut self.forward_pred,
                    );
                }
                if r < bound {
                    upward::relax::<true>(
                        cch,
                        &metric.backward,
                        a,
                        &mut self.backward_dist,
                        &mut self.backward_pred,
                    );
                }
                a = cch.parent[a as usize];
                b = a;
            } else {
                break;
            }
        }
        Ok((rs, rt, best))
    }

    fn reset(&mut self, rs: u32, rt: u32) {
        upward::reset(self.cch, rs, &mut self.forward_dist);
        upward::reset(self.cch, rt, &mut self.backward_dist);
    }

    /// Appends the input arcs of `s -> meet -> t` to `out`.
    fn unpack_route(&mut self, metric: &Metric, rs: u32, rt: u32, meet: u32, out: &mut Vec<u32>) {
        let cch = self.cch;
        // Upward half, collected from the meeting node down, then unpacked in travel order.
        let mut up_edges = std::mem::take(&mut self.up_edges);
        up_edges.clear();
        let mut x = meet;
        while x != rs {
            let e = self.forward_pred[x as usize];
            if e == NONE {
                break;
            }
            up_edges.push(e);
            x = cch.tail[e as usize];
        }
        for &e in up_edges.iter().rev() {
            self.unpack_edge(metric, e, true, out);
        }
        self.up_edges = up_edges;
        let mut x = meet;
        while x != rt {
            let e = self.backward_pred[x as usize];
            if e == NONE {
                break;
            }
            self.unpack_edge(metric, e, false, out);
            x = cch.tail[e as usize];
        }
    }

    /// Appends the input arcs of hierarchy edge `e` (upward when `up`) to `out`.
    fn unpack_edge(&mut self, metric: &Metric, e: u32, up: bool, out: &mut Vec<u32>) {
        unpack(metric, e, up, &mut self.stack, out);
    }
}

/// Expands hierarchy edge `e` (upward when `up`) into input arcs in travel order, using
/// `stack` as scratch. A shortcut `x -> y` through `z` is `x -> z` (downward on edge `zx`)
/// then `z -> y` (upward on `zy`); both have a lower low end than `e`, so this ends.
pub(crate) fn unpack(
    metric: &Metric,
    e: u32,
    up: bool,
    stack: &mut Vec<(u32, bool)>,
    out: &mut Vec<u32>,
) {
    stack.clear();
    stack.push((e, up));
    while let Some((e, up)) = stack.pop() {
        let via = if up {
            metric.forward_via[e as usize]
        } else {
            metric.backward_via[e as usize]
        };
        let (e_zx, e_zy) = (via as u32, (via >> 32) as u32);
        if via == VIA_NONE {
            continue; // an infinite edge is never on a found path
        }
        if e_zy == NONE {
            out.push(e_zx); // an input arc
            continue;
        }
        if up {
            stack.push((e_zy, true));
            stack.push((e_zx, false));
        } else {
            stack.push((e_zx, true));
            stack.push((e_zy, false));
        }
    }
}
