//! Customizable contraction hierarchies (Dibbelt, Strasser, Wagner 2016) on plain arrays.
//!
//! Three phases, three objects, data flowing one way:
//! 1. [`NodeOrder`] (metric-independent, once per graph): nested dissection by inertial flow.
//!    With node coordinates the projections are onto four compass directions; without them
//!    (the `.gr` benchmark files) the projections are breadth-first distances from far-apart
//!    nodes, so the same max-flow separators are used either way.
//! 2. [`Cch`] (metric-independent, once per graph): nodes eliminated in order on the
//!    undirected graph; the chordal supergraph is stored as upward edges in CSR by rank, with
//!    the elimination tree and, for each input arc, the edge it maps to.
//! 3. [`Metric`] (per weight vector, milliseconds): input arc weights copied onto their edges,
//!    then every lower triangle relaxed, level by level of the elimination tree (rayon).
//!
//! Queries on a customized hierarchy: [`CchQuery`] (point to point, with paths as input arc
//! indices), [`Phast`] (one-to-all and all-to-one) and [`many_to_many`] (buckets).
//!
//! Weights are `u32` in whatever unit the caller compiled (seconds, cents, metres);
//! `u32::MAX` is a closed arc. Distances are `u64`, `u64::MAX` meaning unreachable.
//! Customized (shortcut) weights saturate: a shortcut whose weight would reach `u32::MAX` is
//! infinite rather than wrapped, so weights must keep every shortest path below `2^32 - 1`.
//!
//! Queries take `&Metric` and check it belongs to their hierarchy ([`CchError::ForeignMetric`]
//! otherwise); node ids out of range are [`CchError::Node`]. Nothing here panics on input.

pub mod buckets;
pub mod contract;
pub mod customize;
pub mod error;
pub mod order;
pub mod phast;
pub mod query;
mod separator;
mod upward;

pub use buckets::many_to_many;
pub use contract::Cch;
pub use customize::Metric;
pub use error::CchError;
pub use order::NodeOrder;
pub use phast::Phast;
pub use query::CchQuery;

/// A closed arc (infinite weight) in input and customized weights.
pub const INFINITE_WEIGHT: u32 = u32::MAX;

/// An unreachable node in distance results.
pub const UNREACHABLE: u64 = u64::MAX;
