//! The frozen graph as plain arrays (compressed sparse rows), forward and backward. This is
//! all a search sees: no places, no modes, no money.

/// Index of a node in a compiled graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeIx(pub u32);

/// Index of an arc in a compiled graph (the position of its weight in weight arrays).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ArcIx(pub u32);

impl NodeIx {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

impl ArcIx {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// Directed graph in CSR form. Arc `a` (forward numbering) goes from the node whose range
/// `first_out[u]..first_out[u+1]` contains `a` to `head[a]`. The backward arrays list, for
/// each node, its incoming arcs (`in_arc`, forward numbering) and their tails.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Csr {
    pub first_out: Vec<u32>,
    pub head: Vec<u32>,
    pub tail: Vec<u32>,
    pub first_in: Vec<u32>,
    pub in_tail: Vec<u32>,
    pub in_arc: Vec<u32>,
}

impl Csr {
    /// Builds from `(tail, head)` pairs. Returns the graph and, for each input pair, the arc
    /// index it received (arcs are reordered by tail; the order among equal tails is kept).
    pub fn from_arcs(node_count: usize, arcs: &[(u32, u32)]) -> (Csr, Vec<ArcIx>) {
        let n = node_count;
        let mut first_out = vec![0u32; n + 1];
        for &(t, _) in arcs {
            first_out[t as usize + 1] += 1;
        }
        for i in 0..n {
            first_out[i + 1] += first_out[i];
        }
        let mut fill = first_out.clone();
        let mut head = vec![0u32; arcs.len()];
        let mut tail = vec![0u32; arcs.len()];
        let mut position = Vec::with_capacity(arcs.len());
        for &(t, h) in arcs {
            let slot = fill[t as usize] as usize;
            fill[t as usize] += 1;
            head[slot] = h;
            tail[slot] = t;
            position.push(ArcIx(slot as u32));
        }
        let mut first_in = vec![0u32; n + 1];
        for &h in &head {
            first_in[h as usize + 1] += 1;
        }
        for i in 0..n {
            first_in[i + 1] += first_in[i];
        }
        let mut fill_in = first_in.clone();
        let mut in_tail = vec![0u32; head.len()];
        let mut in_arc = vec![0u32; head.len()];
        for (a, &h) in head.iter().enumerate() {
            let slot = fill_in[h as usize] as usize;
            fill_in[h as usize] += 1;
            in_tail[slot] = tail[a];
            in_arc[slot] = a as u32;
        }
        (
            Csr {
                first_out,
                head,
                tail,
                first_in,
                in_tail,
                in_arc,
            },
            position,
        )
    }

    pub fn node_count(&self) -> usize {
        self.first_out.len().saturating_sub(1)
    }

    pub fn arc_count(&self) -> usize {
        self.head.len()
    }

    /// Outgoing arc range of a node.
    #[inline]
    pub fn out_range(&self, node: u32) -> std::ops::Range<usize> {
        self.first_out[node as usize] as usize..self.first_out[node as usize + 1] as usize
    }

    /// Incoming arc range of a node (indices into `in_tail` / `in_arc`).
    #[inline]
    pub fn in_range(&self, node: u32) -> std::ops::Range<usize> {
        self.first_in[node as usize] as usize..self.first_in[node as usize + 1] as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csr_keeps_every_arc_once_both_ways() {
        let arcs = [(2, 0), (0, 1), (1, 2), (0, 2), (2, 1)];
        let (g, pos) = Csr::from_arcs(3, &arcs);
        assert_eq!(g.arc_count(), 5);
        for (i, &(t, h)) in arcs.iter().enumerate() {
            let a = pos[i].index();
            assert_eq!((g.tail[a], g.head[a]), (t, h));
            assert!(g.out_range(t).contains(&a));
            assert!(
                g.in_range(h)
                    .any(|k| g.in_arc[k] as usize == a && g.in_tail[k] == t)
            );
        }
    }
}
