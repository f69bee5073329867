//! The editable network model and everything that reads it from files: the format, loading,
//! validation and place-name resolution.

pub mod cache;
pub mod edit;
pub mod format;
pub mod geography;
pub mod load;
pub mod model;
pub mod names;
pub mod snap;
pub mod validate;

pub use load::{load_dir, load_embedded};
pub use model::{Country, Layer, Link, LinkId, Mode, Network, Place, PlaceId, PlaceKind, Status};
