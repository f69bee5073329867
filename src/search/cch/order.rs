//! A metric-independent node order by nested dissection (inertial flow).
//!
//! The graph (directions ignored) is cut by a small vertex separator into two sides of at
//! least a quarter each; the sides are ordered recursively and the separator ranks above both.
//! A separator is found per projection: nodes sorted by a key, the first and last quarter
//! taken as source and sink sets, and a minimum vertex cut between them computed by max-flow
//! ([`super::separator`]); the smallest cut wins (ties: the more balanced one).
//!
//! Keys: with coordinates, projections on four directions (x, y, x+y, x-y), as in RoutingKit's
//! inertial flow. Without coordinates (the `.gr` files), breadth-first hop distances from
//! far-apart nodes stand in for geometry: the key is the distance from a peripheral node `a`,
//! the difference of distances to `a` and to the node `b` farthest from it, and the distance
//! from the node farthest from both. Chosen over greedy minimum degree because the hierarchy
//! it gives is far smaller on road graphs (and the same separator code serves both cases).

use super::error::CchError;
use super::separator::{LocalGraph, vertex_separator};

/// Pieces this small are ordered as they come: any order of a tiny piece is nearly as good.
const LEAF_SIZE: usize = 8;

/// A permutation of the nodes: `node_at[rank]` is the node of that rank (0 = eliminated first,
/// the top of the hierarchy last).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeOrder {
    node_at: Vec<u32>,
}

impl NodeOrder {
    /// Wraps a list of nodes from lowest to highest rank, checking it is a permutation.
    pub fn from_nodes(node_at: Vec<u32>) -> Result<NodeOrder, CchError> {
        let mut seen = vec![false; node_at.len()];
        for &v in &node_at {
            match seen.get_mut(v as usize) {
                Some(s) if !*s => *s = true,
                _ => return Err(CchError::NotAPermutation { node: v }),
            }
        }
        Ok(NodeOrder { node_at })
    }

    /// Nodes from lowest to highest rank.
    pub fn node_at(&self) -> &[u32] {
        &self.node_at
    }

    /// Number of nodes ordered.
    pub fn len(&self) -> usize {
        self.node_at.len()
    }

    /// True for the order of an empty graph.
    pub fn is_empty(&self) -> bool {
        self.node_at.is_empty()
    }

    /// For every node, its rank.
    pub fn ranks(&self) -> Vec<u32> {
        let mut rank = vec![0u32; self.node_at.len()];
        for (r, &v) in self.node_at.iter().enumerate() {
            rank[v as usize] = r as u32;
        }
        rank
    }

    /// Nested dissection of the graph with arcs `tail[a] -> head[a]` on `node_count` nodes.
    /// `coordinates` (one `(x, y)` per node, any planar unit such as degrees of lon/lat) are
    /// used for the projections when given; otherwise breadth-first distances are.
    pub fn nested_dissection(
        node_count: usize,
        tail: &[u32],
        head: &[u32],
        coordinates: Option<&[(f64, f64)]>,
    ) -> Result<NodeOrder, CchError> {
        check_arcs(node_count, tail, head)?;
        if let Some(c) = coordinates
            && c.len() != node_count
        {
            return Err(CchError::Length {
                what: "coordinates",
                expected: node_count,
                got: c.len(),
            });
        }
        let mut lists = vec![Vec::new(); node_count];
        for (&t, &h) in tail.iter().zip(head) {
            if t != h {
                lists[t as usize].push(h);
                lists[h as usize].push(t);
            }
        }
        let g = LocalGraph::from_lists(&mut lists);
        drop(lists);
        let ids: Vec<u32> = (0..node_count as u32).collect();
        let mut node_at = Vec::with_capacity(node_count);
        dissect(&g, &ids, coordinates, &mut node_at);
        NodeOrder::from_nodes(node_at)
    }
}

/// Checks that arc arrays match and name existing nodes.
pub(crate) fn check_arcs(node_count: usize, tail: &[u32], head: &[u32]) -> Result<(), CchError> {
    if tail.len() != head.len() {
        return Err(CchError::Length {
            what: "arc heads",
            expected: tail.len(),
            got: head.len(),
        });
    }
    for (arc, (&t, &h)) in tail.iter().zip(head).enumerate() {
        for node in [t, h] {
            if node as usize >= node_count {
                return Err(CchError::ArcNode {
                    arc,
                    node,
                    node_count,
                });
            }
        }
    }
    Ok(())
}

/// Appends the order of the piece `g` (whose local node `i` is global node `ids[i]`) to `out`.
fn dissect(g: &LocalGraph, ids: &[u32], coords: Option<&[(f64, f64)]>, out: &mut Vec<u32>) {
    let k = g.node_count();
    if k <= LEAF_SIZE {
        out.extend_from_slice(ids);
        return;
    }
    // Components are independent: order each on its own, no separator needed.
    let first_bfs = g.bfs(0);
    if first_bfs.contains(&u32::MAX) {
        let mut component = vec![u32::MAX; k];
        let mut count = 0u32;
        for v in 0..k {
            if component[v] != u32::MAX {
                continue;
            }
            for (u, d) in g.bfs(v as u32).into_iter().enumerate() {
                if d != u32::MAX {
                    component[u] = count;
                }
            }
            count += 1;
        }
        let mut members = vec![Vec::new(); count as usize];
        for (v, &c) in component.iter().enumerate() {
            members[c as usize].push(v as u32);
        }
        for m in members {
            recurse(g, ids, &m, coords, out);
        }
        return;
    }
    let mut best: Option<(Vec<u32>, Vec<bool>)> = None;
    let quarter = (k / 4).max(1);
    for key in projections(g, ids, coords, &first_bfs) {
        let mut by_key: Vec<u32> = (0..k as u32).collect();
        by_key.sort_by(|&a, &b| key[a as usize].total_cmp(&key[b as usize]).then(a.cmp(&b)));
        let limit = best.as_ref().map_or(k, |b| b.0.len());
        let Some(cut) = vertex_separator(g, &by_key[..quarter], &by_key[k - quarter..], limit)
        else {
            continue;
        };
        let balance = |side: &[bool]| {
            let a = side.iter().filter(|&&s| s).count();
            a.abs_diff(k - a)
        };
        let better = match &best {
            None => true,
            Some((sep, side)) => {
                cut.separator.len() < sep.len()
                    || (cut.separator.len() == sep.len()
                        && balance(&cut.source_side) < balance(side))
            }
        };
        if better {
            best = Some((cut.separator, cut.source_side));
        }
    }
    let Some((separator, source_side)) = best else {
        out.extend_from_slice(ids);
        return;
    };
    let mut in_sep = vec![false; k];
    for &v in &separator {
        in_sep[v as usize] = true;
    }
    let side_a: Vec<u32> = (0..k as u32)
        .filter(|&v| !in_sep[v as usize] && source_side[v as usize])
        .collect();
    let side_b: Vec<u32> = (0..k as u32)
        .filter(|&v| !in_sep[v as usize] && !source_side[v as usize])
        .collect();
    recurse(g, ids, &side_a, coords, out);
    recurse(g, ids, &side_b, coords, out);
    out.extend(separator.iter().map(|&v| ids[v as usize]));
}

fn recurse(
    g: &LocalGraph,
    ids: &[u32],
    members: &[u32],
    coords: Option<&[(f64, f64)]>,
    out: &mut Vec<u32>,
) {
    if members.is_empty() {
        return;
    }
    let sub = g.induced(members);
    let sub_ids: Vec<u32> = members.iter().map(|&v| ids[v as usize]).collect();
    dissect(&sub, &sub_ids, coords, out);
}

/// Keys to sort a connected piece by, one vector per projection.
fn projections(
    g: &LocalGraph,
    ids: &[u32],
    coords: Option<&[(f64, f64)]>,
    first_bfs: &[u32],
) -> Vec<Vec<f64>> {
    if let Some(c) = coords {
        let at = |v: usize| c[ids[v] as usize];
        let k = g.node_count();
        return [(1.0, 0.0), (0.0, 1.0), (1.0, 1.0), (1.0, -1.0)]
            .iter()
            .map(|&(dx, dy)| {
                (0..k)
                    .map(|v| {
                        let (x, y) = at(v);
                        x * dx + y * dy
                    })
                    .collect()
            })
            .collect();
    }
    let farthest = |d: &[u32]| -> u32 {
        (0..d.len())
            .max_by_key(|&v| (d[v], std::cmp::Reverse(v)))
            .unwrap_or(0) as u32
    };
    let a = farthest(first_bfs);
    let da = g.bfs(a);
    let b = farthest(&da);
    let db = g.bfs(b);
    let both: Vec<u32> = da.iter().zip(&db).map(|(&x, &y)| x.min(y)).collect();
    let c = farthest(&both);
    let dc = g.bfs(c);
    let f = |d: &[u32]| d.iter().map(|&x| f64::from(x)).collect::<Vec<f64>>();
    let diff = da
        .iter()
        .zip(&db)
        .map(|(&x, &y)| f64::from(x) - f64::from(y))
        .collect();
    vec![f(&da), diff, f(&dc)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_order_is_a_permutation_with_a_small_top_separator() {
        let side = 20u32;
        let (mut tail, mut head) = (Vec::new(), Vec::new());
        for y in 0..side {
            for x in 0..side {
                if x + 1 < side {
                    tail.push(y * side + x);
                    head.push(y * side + x + 1);
                }
                if y + 1 < side {
                    tail.push(y * side + x);
                    head.push((y + 1) * side + x);
                }
            }
        }
        let n = (side * side) as usize;
        let order = NodeOrder::nested_dissection(n, &tail, &head, None).expect("valid arcs");
        assert_eq!(order.len(), n);
        let coords: Vec<(f64, f64)> = (0..n as u32)
            .map(|v| (f64::from(v % side), f64::from(v / side)))
            .collect();
        let geo = NodeOrder::nested_dissection(n, &tail, &head, Some(&coords)).expect("valid");
        assert_eq!(geo.len(), n);
    }

    #[test]
    fn rejects_bad_input() {
        assert!(NodeOrder::from_nodes(vec![0, 0]).is_err());
        assert!(NodeOrder::nested_dissection(2, &[0], &[2], None).is_err());
    }
}
