//! simplestyle-spec colours shared by every GeoJSON writer, so maps of networks, routes and
//! loads read alike: road orange, 1520 mm rail green, 1435 mm rail purple.

use crate::network::model::{Layer, PlaceKind, Status};

/// Line colour of a layer.
pub fn layer_colour(layer: Layer) -> &'static str {
    match layer {
        Layer::Road => "#e6550d",
        Layer::Rail { gauge_mm: 1520 } => "#1a9850",
        Layer::Rail { gauge_mm: 1435 } => "#6a3d9a",
        Layer::Rail { .. } => "#525252",
    }
}

/// Opacity that marks status: existing solid, under construction half, proposed pale.
pub fn status_opacity(status: Status) -> f64 {
    match status {
        Status::Existing => 1.0,
        Status::UnderConstruction => 0.6,
        Status::Proposed => 0.35,
    }
}

/// Marker colour and maki symbol of a place kind.
pub fn place_marker(kind: PlaceKind) -> (&'static str, &'static str, &'static str) {
    match kind {
        PlaceKind::City => ("#252525", "city", "medium"),
        PlaceKind::Town => ("#737373", "village", "small"),
        PlaceKind::RailStation => ("#1a9850", "rail", "small"),
        PlaceKind::Terminal => ("#3182bd", "warehouse", "medium"),
        PlaceKind::BorderCrossing => ("#de2d26", "roadblock", "medium"),
        PlaceKind::BorderPost => ("#fc9272", "police", "small"),
        PlaceKind::Port => ("#08519c", "harbor", "medium"),
        PlaceKind::Mine => ("#8c6d31", "industry", "small"),
        PlaceKind::Junction => ("#bdbdbd", "circle", "small"),
    }
}
