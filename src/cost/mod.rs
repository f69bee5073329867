//! The cost model: parameters from `params.json`, the request profile that says what a
//! search minimises and what it may use, the rates resolved for one request, and the cost
//! formulas (links, borders, transfers, terminals): the one place that knows tariffs and hours.

pub mod formulas;
pub mod params;
pub mod profile;
pub mod rates;
pub mod request;
