//! Compiling a network and a request profile into a compact search graph: CSR arrays of
//! mode-expanded nodes, integer weights per request, and O-D dependent node masks.

pub mod csr;
pub mod engine;
pub mod engine_cache;
pub mod gr;
pub mod restrictions;
pub mod search_graph;
pub mod weights;

pub use csr::{ArcIx, Csr, NodeIx};
pub use search_graph::{ArcKind, NodeInfo, SearchGraph};
pub use weights::{ArcCost, CLOSED, Weights};
