//! The compact search graph.
