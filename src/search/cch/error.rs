//! Typed errors of the CCH module: wrong input sizes, ids out of range, and a metric used with
//! a hierarchy it was not customized for.

/// Everything building, customizing or querying a CCH can fail with.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CchError {
    /// Two arrays that must have one entry per arc (or per node) differ in length.
    #[error("{what}: expected {expected} entries, got {got}")]
    Length {
        what: &'static str,
        expected: usize,
        got: usize,
    },
    /// An arc names a node that does not exist.
    #[error("arc {arc} names node {node}, but the graph has {node_count} nodes")]
    ArcNode {
        arc: usize,
        node: u32,
        node_count: usize,
    },
    /// A query names a node that does not exist.
    #[error("node {node} does not exist (the graph has {node_count} nodes)")]
    Node { node: u32, node_count: usize },
    /// A node order is not a permutation of the nodes.
    #[error("the node order is not a permutation: node {node} appears twice or is out of range")]
    NotAPermutation { node: u32 },
    /// The graph has more arcs or hierarchy edges than the 31-bit ids used inside allow.
    #[error("{what}: {count} is more than a hierarchy supports (2^31 - 1)")]
    TooLarge { what: &'static str, count: usize },
    /// A metric was customized for another hierarchy.
    #[error(
        "this metric belongs to hierarchy #{metric_cch}, not #{cch}; customize it again for this one"
    )]
    ForeignMetric { metric_cch: u64, cch: u64 },
}
