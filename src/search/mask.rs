//! Which nodes a search may enter: all of them, or all but a blocked set.

/// Decides whether a search may enter a node. Searches are generic over it so that the
/// unrestricted case costs nothing.
pub trait Admit {
    fn admits(&self, node: u32) -> bool;
}

/// Every node may be entered.
#[derive(Debug, Clone, Copy, Default)]
pub struct AllNodes;

impl Admit for AllNodes {
    #[inline(always)]
    fn admits(&self, _node: u32) -> bool {
        true
    }
}

/// A set of blocked nodes, one bit each.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NodeMask {
    blocked: Vec<u64>,
}

impl NodeMask {
    /// A mask that blocks nothing, for `n` nodes.
    pub fn open(n: usize) -> NodeMask {
        NodeMask {
            blocked: vec![0; n.div_ceil(64)],
        }
    }
    pub fn block(&mut self, node: crate::graph::csr::NodeIx) {
        let i = node.index();
        if let Some(w) = self.blocked.get_mut(i / 64) {
            *w |= 1 << (i % 64);
        }
    }
    pub fn is_blocked(&self, node: u32) -> bool {
        let i = node as usize;
        self.blocked
            .get(i / 64)
            .is_some_and(|w| w & (1 << (i % 64)) != 0)
    }
    /// True when nothing is blocked.
    pub fn is_empty(&self) -> bool {
        self.blocked.iter().all(|w| *w == 0)
    }
}

impl Admit for NodeMask {
    #[inline]
    fn admits(&self, node: u32) -> bool {
        !self.is_blocked(node)
    }
}
