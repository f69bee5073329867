//! Metrics: forward and backward weights of every hierarchy edge for one input weight vector,
//! made shortest by relaxing lower triangles (customization).
//!
//! Edge `e` joins a lower rank `x` to a higher rank `y`; `forward[e]` is the weight of
//! `x -> y`, `backward[e]` of `y -> x`. A triangle `z < x < y` gives `x -> z -> y` and
//! `y -> z -> x`. Nodes are processed by elimination-tree level: every lower neighbour of `x`
//! is a descendant, so on a lower level, and a node writes only its own upward edges, which
//! form one contiguous range. Nodes of one level are therefore independent, and split among
//! rayon tasks by contiguous ranges; each node's arithmetic is the same whether run in
//! parallel or not, so the result does not depend on the thread count.

use rayon::prelude::*;

use super::INFINITE_WEIGHT;
use super::contract::{Cch, NONE};
use super::error::CchError;

/// A `via` entry of an infinite edge. Otherwise a `via` entry is `zy << 32 | zx` for the
/// lower triangle `z < x < y` that gave the weight (so unpacking reads no other array), or
/// `NONE << 32 | arc` for an input arc.
pub(crate) const VIA_NONE: u64 = u64::MAX;

fn via_triangle(e_zx: usize, e_zy: usize) -> u64 {
    (e_zy as u64) << 32 | e_zx as u64
}

/// Levels with fewer edges than this are customized without spawning tasks.
const PARALLEL_MIN_EDGES: usize = 4096;

/// Customized weights of a hierarchy for one input weight vector (`u32` in the caller's unit,
/// [`INFINITE_WEIGHT`] = closed or unreachable). Belongs to exactly one [`Cch`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Metric {
    pub(crate) cch_id: u64,
    pub(crate) forward: Vec<u32>,
    pub(crate) backward: Vec<u32>,
    /// How each direction's weight arises (see [`VIA_NONE`]). Read only to unpack paths.
    pub(crate) forward_via: Vec<u64>,
    pub(crate) backward_via: Vec<u64>,
}

impl Metric {
    /// Customizes `cch` for `weights` (one per input arc), in parallel on the current rayon
    /// pool. Parallel arcs keep the minimum (the lowest arc index among equals).
    pub fn new(cch: &Cch, weights: &[u32]) -> Result<Metric, CchError> {
        customize(cch, weights, true)
    }

    /// The same customization on the calling thread only (same result as [`Metric::new`]).
    pub fn new_sequential(cch: &Cch, weights: &[u32]) -> Result<Metric, CchError> {
        customize(cch, weights, false)
    }

    /// The id of the hierarchy this metric belongs to.
    pub fn cch_id(&self) -> u64 {
        self.cch_id
    }

    /// Upward weights by edge (lower rank to higher rank).
    pub fn forward(&self) -> &[u32] {
        &self.forward
    }

    /// Downward weights by edge (higher rank to lower rank).
    pub fn backward(&self) -> &[u32] {
        &self.backward
    }

    /// `Ok` when this metric was customized for `cch`.
    pub fn check_belongs_to(&self, cch: &Cch) -> Result<(), CchError> {
        if self.cch_id == cch.id {
            Ok(())
        } else {
            Err(CchError::ForeignMetric {
                metric_cch: self.cch_id,
                cch: cch.id,
            })
        }
    }
}

impl Cch {
    /// Shorthand for [`Metric::new`].
    pub fn customize(&self, weights: &[u32]) -> Result<Metric, CchError> {
        Metric::new(self, weights)
    }
}

/// One contiguous run of nodes of a level and the edge slices they own.
struct Chunk<'a> {
    first_node: u32,
    end_node: u32,
    forward: &'a mut [u32],
    backward: &'a mut [u32],
    forward_via: &'a mut [u64],
    backward_via: &'a mut [u64],
}

fn customize(cch: &Cch, weights: &[u32], parallel: bool) -> Result<Metric, CchError> {
    if weights.len() != cch.arc_edge.len() {
        return Err(CchError::Length {
            what: "arc weights",
            expected: cch.arc_edge.len(),
            got: weights.len(),
        });
    }
    let m = cch.edge_count();
    let mut forward = vec![INFINITE_WEIGHT; m];
    let mut backward = vec![INFINITE_WEIGHT; m];
    let mut forward_via = vec![VIA_NONE; m];
    let mut backward_via = vec![VIA_NONE; m];
    for (a, (&ae, &w)) in cch.arc_edge.iter().zip(weights).enumerate() {
        if ae == NONE || w == INFINITE_WEIGHT {
            continue;
        }
        let e = (ae >> 1) as usize;
        let (weight, via) = if ae & 1 == 0 {
            (&mut forward[e], &mut forward_via[e])
        } else {
            (&mut backward[e], &mut backward_via[e])
        };
        if w < *weight {
            *weight = w;
            *via = u64::from(NONE) << 32 | a as u64;
        }
    }
    let threads = rayon::current_num_threads().max(1);
    for l in 0..cch.level_count() {
        let (lo, hi) = (cch.level_first[l], cch.level_first[l + 1]);
        let (elo, ehi) = (
            cch.first_out[lo as usize] as usize,
            cch.first_out[hi as usize] as usize,
        );
        let (done_f, rest_f) = forward.split_at_mut(elo);
        let (done_b, rest_b) = backward.split_at_mut(elo);
        let (_, rest_fv) = forward_via.split_at_mut(elo);
        let (_, rest_bv) = backward_via.split_at_mut(elo);
        let (done_f, done_b) = (&*done_f, &*done_b);
        let level_edges = ehi - elo;
        let target = if parallel && level_edges >= PARALLEL_MIN_EDGES {
            (level_edges / (threads * 4)).max(PARALLEL_MIN_EDGES / 4)
        } else {
            usize::MAX
        };
        let mut chunks = Vec::new();
        let (mut f, mut b, mut fv, mut bv) = (
            &mut rest_f[..level_edges],
            &mut rest_b[..level_edges],
            &mut rest_fv[..level_edges],
            &mut rest_bv[..level_edges],
        );
        let mut start = lo;
        while start < hi {
            let mut end = start + 1;
            let base = cch.first_out[start as usize] as usize;
            while end < hi && (cch.first_out[end as usize] as usize - base) < target {
                end += 1;
            }
            let len = cch.first_out[end as usize] as usize - base;
            let (cf, rf) = f.split_at_mut(len);
            let (cb, rb) = b.split_at_mut(len);
            let (cfv, rfv) = fv.split_at_mut(len);
            let (cbv, rbv) = bv.split_at_mut(len);
            (f, b, fv, bv) = (rf, rb, rfv, rbv);
            chunks.push(Chunk {
                first_node: start,
                end_node: end,
                forward: cf,
                backward: cb,
                forward_via: cfv,
                backward_via: cbv,
            });
            start = end;
        }
        let run = |chunk: Chunk<'_>| relax_chunk(cch, done_f, done_b, chunk);
        if chunks.len() > 1 {
            chunks.into_par_iter().for_each(run);
        } else {
            chunks.into_iter().for_each(run);
        }
    }
    Ok(Metric {
        cch_id: cch.id,
        forward,
        backward,
        forward_via,
        backward_via,
    })
}

/// Relaxes every lower triangle of the upward edges of the chunk's nodes. `done_*` hold the
/// final weights of all edges below the chunk's level.
fn relax_chunk(cch: &Cch, done_f: &[u32], done_b: &[u32], c: Chunk<'_>) {
    let offset = cch.first_out[c.first_node as usize] as usize;
    for x in c.first_node..c.end_node {
        let end = cch.first_out[x as usize + 1] as usize;
        for k in cch.first_down[x as usize] as usize..cch.first_down[x as usize + 1] as usize {
            let z = cch.down_tail[k];
            let e_zx = cch.down_edge[k] as usize;
            let (z_to_x, x_to_z) = (u64::from(done_f[e_zx]), u64::from(done_b[e_zx]));
            if z_to_x == u64::from(INFINITE_WEIGHT) && x_to_z == u64::from(INFINITE_WEIGHT) {
                continue;
            }
            let mut p = cch.first_out[x as usize] as usize;
            for e_zy in e_zx + 1..cch.first_out[z as usize + 1] as usize {
                let y = cch.head[e_zy];
                // Chordality: every upper neighbour of z above x is an upper neighbour of x.
                while p < end && cch.head[p] != y {
                    p += 1;
                }
                if p == end {
                    break;
                }
                let via_f = x_to_z + u64::from(done_f[e_zy]);
                let i = p - offset;
                if via_f < u64::from(c.forward[i]) {
                    c.forward[i] = via_f as u32;
                    c.forward_via[i] = via_triangle(e_zx, e_zy);
                }
                let via_b = u64::from(done_b[e_zy]) + z_to_x;
                if via_b < u64::from(c.backward[i]) {
                    c.backward[i] = via_b as u32;
                    c.backward_via[i] = via_triangle(e_zx, e_zy);
                }
            }
        }
    }
}
