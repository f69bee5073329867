//! Searches on compiled graphs. This module sees only CSR arrays and integer weights, never
//! places, modes or money.

pub mod cch;
pub mod dary_heap;
pub mod dijkstra;
pub mod mask;
pub mod pareto;

pub use dijkstra::{Direction, SearchSpace};
pub use mask::{Admit, AllNodes, NodeMask};
