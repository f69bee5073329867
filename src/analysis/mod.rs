//! Analyses built from searches: a route and its explanation, alternatives, Pareto sets,
//! and the diagnosis of missing routes. Parallel analyses (rayon) live here too.

pub mod alternatives;
pub mod assign;
pub mod calibrate;
pub mod critical;
/// Demand files are read in [`crate::inputs::demand`]; kept here under their old path.
pub mod demand {
    pub use crate::inputs::demand::*;
}
pub mod diagnose;
pub mod isochrone;
pub mod many;
pub mod matrix;
pub mod pareto;
pub mod propose;
pub mod route;
pub mod router;
pub mod scenario;

pub use route::{Planner, Route, RouteOutcome, Step};
