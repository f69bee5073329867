//! Importers: other data sources turned into steppe network folders.

pub mod osm;
