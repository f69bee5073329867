//! The upward search of every CCH query: from a start rank, walk the elimination tree to the
//! root; every upper neighbour of a node is one of its ancestors, so visiting ancestors in
//! rank order settles each before it is scanned, and no priority queue is needed.

use super::contract::{Cch, NONE};
use super::{INFINITE_WEIGHT, UNREACHABLE};

/// The ranks from `start` up to its elimination-tree root, lowest first.
pub(crate) fn ancestors(cch: &Cch, start: u32) -> impl Iterator<Item = u32> + '_ {
    std::iter::successors((start != NONE).then_some(start), move |&x| {
        let p = cch.parent[x as usize];
        (p != NONE).then_some(p)
    })
}

/// Upward search from `start` on `weights` (a metric's forward weights for searches along
/// arcs, backward weights for searches against them). `dist` must be [`UNREACHABLE`] on the
/// ancestors of `start` (see [`reset`]); when `PRED`, `pred[y]` receives the edge that gave
/// `dist[y]`.
#[inline]
pub(crate) fn search<const PRED: bool>(
    cch: &Cch,
    weights: &[u32],
    start: u32,
    dist: &mut [u64],
    pred: &mut [u32],
) {
    dist[start as usize] = 0;
    if PRED {
        pred[start as usize] = NONE;
    }
    for x in ancestors(cch, start) {
        relax::<PRED>(cch, weights, x, dist, pred);
    }
}

/// Relaxes the upward edges of rank `x` (a no-op while `x` is unreached).
#[inline]
pub(crate) fn relax<const PRED: bool>(
    cch: &Cch,
    weights: &[u32],
    x: u32,
    dist: &mut [u64],
    pred: &mut [u32],
) {
    {
        let dx = dist[x as usize];
        if dx == UNREACHABLE {
            return;
        }
        let range = cch.up_range(x);
        let first = range.start;
        for (i, (&y, &w)) in cch.head[range.clone()]
            .iter()
            .zip(&weights[range])
            .enumerate()
        {
            if w == INFINITE_WEIGHT {
                continue;
            }
            let nd = dx + u64::from(w);
            if nd < dist[y as usize] {
                dist[y as usize] = nd;
                if PRED {
                    pred[y as usize] = (first + i) as u32;
                }
            }
        }
    }
}

/// Sets `dist` back to [`UNREACHABLE`] on the ancestors of `start`: O(touched).
pub(crate) fn reset(cch: &Cch, start: u32, dist: &mut [u64]) {
    for x in ancestors(cch, start) {
        dist[x as usize] = UNREACHABLE;
    }
}
