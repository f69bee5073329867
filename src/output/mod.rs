//! Writers: plain-text tables, JSON, CSV and GeoJSON, and atomic file output.

pub mod atomic;
pub mod geojson;
pub mod many;
pub mod propose;
pub mod route;
pub mod scenario;
pub mod style;
pub mod table;
