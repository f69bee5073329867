//! The cost model: parameters from `params.json` and the request profile that says what a
//! search minimises and what it may use.

pub mod params;
pub mod profile;
