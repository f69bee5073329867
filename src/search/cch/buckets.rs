//! Many-to-many distance tables by buckets (Knopp et al. 2007) on elimination-tree searches:
//! each target's backward upward search leaves (target, distance) at the nodes it reaches;
//! each source's forward upward search scans the buckets of its ancestors.

use rayon::prelude::*;

use super::contract::Cch;
use super::customize::Metric;
use super::error::CchError;
use super::{UNREACHABLE, upward};

/// Distances from every source to every target (input nodes), row-major `sources.len() x
/// targets.len()`, [`UNREACHABLE`] where there is no path. Rows are computed in parallel on
/// the current rayon pool; the result does not depend on the thread count.
pub fn many_to_many(
    cch: &Cch,
    metric: &Metric,
    sources: &[u32],
    targets: &[u32],
) -> Result<Vec<u64>, CchError> {
    metric.check_belongs_to(cch)?;
    let source_ranks = sources
        .iter()
        .map(|&s| cch.check_node(s))
        .collect::<Result<Vec<u32>, CchError>>()?;
    let target_ranks = targets
        .iter()
        .map(|&t| cch.check_node(t))
        .collect::<Result<Vec<u32>, CchError>>()?;
    let cols = targets.len();
    let mut matrix = vec![UNREACHABLE; sources.len() * cols];
    if matrix.is_empty() {
        return Ok(matrix);
    }
    let n = cch.node_count();
    // Buckets in CSR by rank: count, then fill.
    let mut dist = vec![UNREACHABLE; n];
    let mut first = vec![0u32; n + 1];
    for &rt in &target_ranks {
        upward::search::<false>(cch, &metric.backward, rt, &mut dist, &mut []);
        for x in upward::ancestors(cch, rt) {
            if dist[x as usize] != UNREACHABLE {
                first[x as usize + 1] += 1;
            }
        }
        upward::reset(cch, rt, &mut dist);
    }
    for x in 0..n {
        first[x + 1] += first[x];
    }
    let total = first[n] as usize;
    let mut fill = first.clone();
    let mut bucket: Vec<(u32, u64)> = vec![(0, 0); total];
    for (j, &rt) in target_ranks.iter().enumerate() {
        upward::search::<false>(cch, &metric.backward, rt, &mut dist, &mut []);
        for x in upward::ancestors(cch, rt) {
            let d = dist[x as usize];
            if d != UNREACHABLE {
                bucket[fill[x as usize] as usize] = (j as u32, d);
                fill[x as usize] += 1;
            }
        }
        upward::reset(cch, rt, &mut dist);
    }
    matrix
        .par_chunks_mut(cols)
        .zip(source_ranks.par_iter())
        .for_each_init(
            || vec![UNREACHABLE; n],
            |dist, (row, &rs)| {
                upward::search::<false>(cch, &metric.forward, rs, dist, &mut []);
                for x in upward::ancestors(cch, rs) {
                    let d = dist[x as usize];
                    if d == UNREACHABLE {
                        continue;
                    }
                    let range = first[x as usize] as usize..first[x as usize + 1] as usize;
                    for &(j, dt) in &bucket[range] {
                        let cell = &mut row[j as usize];
                        *cell = (*cell).min(d + dt);
                    }
                }
                upward::reset(cch, rs, dist);
            },
        );
    Ok(matrix)
}
