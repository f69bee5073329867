//! Minimum vertex separators between two node sets by max-flow, for nested dissection.
//!
//! Each node is split into an in-vertex and an out-vertex joined by an arc of capacity 1
//! (infinite for the source and sink sets); graph edges become infinite arcs from out to in.
//! Augmenting paths are found by breadth-first search, so a cut of `c` nodes costs `c + 1`
//! searches over the split graph. The cut is read off the last search: nodes whose in-vertex
//! is reachable but whose out-vertex is not.

/// An undirected graph on local ids `0..k`: sorted, duplicate-free neighbour lists, no loops.
#[derive(Debug, Clone, Default)]
pub(crate) struct LocalGraph {
    pub first: Vec<u32>,
    pub adj: Vec<u32>,
}

impl LocalGraph {
    /// Builds from neighbour lists (each edge listed from both ends).
    pub fn from_lists(lists: &mut [Vec<u32>]) -> LocalGraph {
        let mut first = Vec::with_capacity(lists.len() + 1);
        let mut adj = Vec::new();
        first.push(0);
        for (v, list) in lists.iter_mut().enumerate() {
            list.sort_unstable();
            list.dedup();
            adj.extend(list.iter().copied().filter(|&u| u as usize != v));
            first.push(adj.len() as u32);
        }
        LocalGraph { first, adj }
    }

    pub fn node_count(&self) -> usize {
        self.first.len() - 1
    }

    #[inline]
    pub fn neighbours(&self, v: u32) -> &[u32] {
        &self.adj[self.first[v as usize] as usize..self.first[v as usize + 1] as usize]
    }

    /// The subgraph induced by `nodes` (local ids), renumbered `0..nodes.len()` in that order.
    pub fn induced(&self, nodes: &[u32]) -> LocalGraph {
        let mut new_id = vec![u32::MAX; self.node_count()];
        for (i, &v) in nodes.iter().enumerate() {
            new_id[v as usize] = i as u32;
        }
        let mut first = Vec::with_capacity(nodes.len() + 1);
        let mut adj = Vec::new();
        first.push(0);
        for &v in nodes {
            let start = adj.len();
            adj.extend(
                self.neighbours(v)
                    .iter()
                    .map(|&u| new_id[u as usize])
                    .filter(|&u| u != u32::MAX),
            );
            adj[start..].sort_unstable();
            first.push(adj.len() as u32);
        }
        LocalGraph { first, adj }
    }

    /// Breadth-first hop distances from `start` (`u32::MAX` where unreachable).
    pub fn bfs(&self, start: u32) -> Vec<u32> {
        let mut dist = vec![u32::MAX; self.node_count()];
        let mut queue = std::collections::VecDeque::new();
        dist[start as usize] = 0;
        queue.push_back(start);
        while let Some(v) = queue.pop_front() {
            for &u in self.neighbours(v) {
                if dist[u as usize] == u32::MAX {
                    dist[u as usize] = dist[v as usize] + 1;
                    queue.push_back(u);
                }
            }
        }
        dist
    }
}

/// A vertex cut: `separator` nodes, and for every node whether it lies on the source side.
#[derive(Debug, Clone)]
pub(crate) struct Cut {
    pub separator: Vec<u32>,
    pub source_side: Vec<bool>,
}

const INF: u32 = u32::MAX / 2;

/// A minimum vertex separator between `sources` and `sinks` (disjoint, non-empty), or `None`
/// when every separator has more than `limit` nodes (or the sets touch).
pub(crate) fn vertex_separator(
    g: &LocalGraph,
    sources: &[u32],
    sinks: &[u32],
    limit: usize,
) -> Option<Cut> {
    let k = g.node_count();
    // Vertex 2v is in(v), 2v+1 is out(v); each holds deg(v)+1 arcs, in(v)'s first.
    let base = |v: usize| 2 * g.first[v] as usize + 2 * v;
    let deg = |v: usize| (g.first[v + 1] - g.first[v]) as usize;
    let arc_total = 2 * g.adj.len() + 2 * k;
    let mut head = vec![0u32; arc_total];
    let mut rev = vec![0u32; arc_total];
    let mut cap = vec![0u32; arc_total];
    let mut terminal = vec![0u8; k]; // 1 source, 2 sink
    for &s in sources {
        terminal[s as usize] = 1;
    }
    for &t in sinks {
        terminal[t as usize] = 2;
    }
    for (v, &kind) in terminal.iter().enumerate() {
        let (a_in, a_out) = (base(v), base(v) + deg(v) + 1);
        head[a_in] = 2 * v as u32 + 1;
        rev[a_in] = a_out as u32;
        cap[a_in] = if kind == 0 { 1 } else { INF };
        head[a_out] = 2 * v as u32;
        rev[a_out] = a_in as u32;
        for (i, &u) in g.neighbours(v as u32).iter().enumerate() {
            let u = u as usize;
            // Position of v in u's list: lists are sorted.
            let j = g
                .neighbours(u as u32)
                .binary_search(&(v as u32))
                .unwrap_or(0);
            let fwd = a_out + 1 + i; // out(v) -> in(u)
            let back = base(u) + 1 + j; // in(u) -> out(v), residual
            head[fwd] = 2 * u as u32;
            cap[fwd] = INF;
            rev[fwd] = back as u32;
            head[back] = 2 * v as u32 + 1;
            rev[back] = fwd as u32;
        }
    }
    let first = |x: usize| -> usize {
        let v = x / 2;
        if x.is_multiple_of(2) {
            base(v)
        } else {
            base(v) + deg(v) + 1
        }
    };
    let mut parent = vec![u32::MAX; 2 * k];
    let mut seen = vec![0u32; 2 * k];
    let mut stamp = 0u32;
    let mut queue = Vec::with_capacity(2 * k);
    let mut flow = 0usize;
    loop {
        stamp += 1;
        queue.clear();
        for &s in sources {
            seen[2 * s as usize] = stamp;
            parent[2 * s as usize] = u32::MAX;
            queue.push(2 * s);
        }
        let mut found = None;
        let mut qi = 0;
        'bfs: while qi < queue.len() {
            let x = queue[qi] as usize;
            qi += 1;
            let end = first(x) + deg(x / 2) + 1;
            for a in first(x)..end {
                let y = head[a] as usize;
                if cap[a] > 0 && seen[y] != stamp {
                    seen[y] = stamp;
                    parent[y] = a as u32;
                    if y.is_multiple_of(2) && terminal[y / 2] == 2 {
                        found = Some(y);
                        break 'bfs;
                    }
                    queue.push(y as u32);
                }
            }
        }
        let Some(mut y) = found else { break };
        flow += 1;
        if flow > limit {
            return None;
        }
        while parent[y] != u32::MAX {
            let a = parent[y] as usize;
            cap[a] -= 1;
            cap[rev[a] as usize] += 1;
            y = head[rev[a] as usize] as usize;
        }
    }
    let reach = |x: usize| seen[x] == stamp;
    let separator: Vec<u32> = (0..k)
        .filter(|&v| reach(2 * v) && !reach(2 * v + 1))
        .map(|v| v as u32)
        .collect();
    let source_side = (0..k).map(|v| reach(2 * v) && reach(2 * v + 1)).collect();
    Some(Cut {
        separator,
        source_side,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A path 0-1-2-3-4: the cut between {0} and {4} is one middle node.
    #[test]
    fn path_is_cut_by_one_node() {
        let mut lists = vec![vec![1], vec![0, 2], vec![1, 3], vec![2, 4], vec![3]];
        let g = LocalGraph::from_lists(&mut lists);
        let cut = vertex_separator(&g, &[0], &[4], 5).expect("a cut exists");
        assert_eq!(cut.separator.len(), 1);
        assert!(cut.source_side[0] && !cut.source_side[4]);
    }

    /// Two parallel paths 0-1-3 and 0-2-3: two nodes must go.
    #[test]
    fn two_paths_need_two_nodes_and_limit_prunes() {
        let mut lists = vec![vec![1, 2], vec![0, 3], vec![0, 3], vec![1, 2]];
        let g = LocalGraph::from_lists(&mut lists);
        let cut = vertex_separator(&g, &[0], &[3], 4).expect("a cut exists");
        assert_eq!(cut.separator, vec![1, 2]);
        assert!(vertex_separator(&g, &[0], &[3], 1).is_none());
    }
}
