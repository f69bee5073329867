//! steppe: a freight route planner for the corridors between Mongolia and Kazakhstan.
//!
//! Data flows one way: network files ([`network`]) are validated into a model, the model and a
//! request profile ([`cost`]) are compiled into a compact search graph ([`graph`]), searches
//! ([`search`]) run on that graph, analyses ([`analysis`]) combine searches, and [`output`]
//! writes tables, JSON, CSV and GeoJSON.

pub mod analysis;
pub mod cost;
pub mod error;
pub mod graph;
pub mod import;
pub mod inputs;
pub mod network;
pub mod output;
pub mod search;
pub mod server;

pub use error::{Error, Result};
