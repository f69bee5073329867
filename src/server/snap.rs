//! Snapping a coordinate to the nearest place a request's modes can start or end at.
//!
//! A linear scan over the places: the embedded network has about two hundred. The index is
//! its own type so that a spatial index (an R-tree over places, or over road and rail
//! segments once the OpenStreetMap importer lands) can replace the scan without touching the
//! services.

use geo::{Distance, Haversine, Point};
use petgraph::stable_graph::NodeIndex;

use crate::cost::profile::ModeSet;
use crate::network::Network;
use crate::network::model::{Mode, Status};

/// A place a coordinate snapped to, and how far it was.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Snapped {
    pub place: NodeIndex,
    /// Great-circle distance from the coordinate to the place, metres.
    pub distance_m: f64,
}

/// Places with the modes of the links that reach them.
#[derive(Debug, Clone)]
pub struct SnapIndex {
    places: Vec<(NodeIndex, Point<f64>, ModeSet)>,
}

impl SnapIndex {
    /// Indexes every open place that an existing (or under-construction/proposed) link
    /// reaches, with the modes of those links.
    pub fn new(network: &Network) -> SnapIndex {
        let mut places = Vec::new();
        for (ix, p) in network.places() {
            if p.closed {
                continue;
            }
            let mut modes = ModeSet {
                road: false,
                rail: false,
            };
            for e in network
                .graph
                .edges_directed(ix, petgraph::Direction::Outgoing)
                .chain(
                    network
                        .graph
                        .edges_directed(ix, petgraph::Direction::Incoming),
                )
            {
                let l: &crate::network::model::Link = e.weight();
                if l.closed {
                    continue;
                }
                match l.mode {
                    Mode::Road => modes.road = true,
                    Mode::Rail => modes.rail = true,
                }
            }
            if modes.road || modes.rail {
                places.push((ix, p.position, modes));
            }
        }
        SnapIndex { places }
    }

    /// Up to `n` places nearest to `(lon, lat)` that a link of one of `modes` reaches,
    /// nearest first (ties by place order). Places not yet built are left out unless the
    /// request includes them.
    pub fn nearest(
        &self,
        network: &Network,
        lon: f64,
        lat: f64,
        modes: ModeSet,
        statuses: &dyn Fn(Status) -> bool,
        n: usize,
    ) -> Vec<Snapped> {
        let at = Point::new(lon, lat);
        let mut hits: Vec<Snapped> = self
            .places
            .iter()
            .filter(|(_, _, m)| (m.road && modes.road) || (m.rail && modes.rail))
            .filter(|(ix, _, _)| statuses(network.place(*ix).status))
            .map(|(ix, pos, _)| Snapped {
                place: *ix,
                distance_m: Haversine.distance(at, *pos),
            })
            .collect();
        hits.sort_by(|a, b| {
            a.distance_m
                .total_cmp(&b.distance_m)
                .then(a.place.index().cmp(&b.place.index()))
        });
        hits.truncate(n);
        hits
    }
}

/// Parses `lon,lat`: two finite numbers, longitude in -180..=180, latitude in -90..=90.
pub fn parse_lon_lat(s: &str) -> Option<(f64, f64)> {
    let (a, b) = s.split_once(',')?;
    let lon: f64 = a.trim().parse().ok()?;
    let lat: f64 = b.trim().parse().ok()?;
    (lon.is_finite()
        && lat.is_finite()
        && (-180.0..=180.0).contains(&lon)
        && (-90.0..=90.0).contains(&lat))
    .then_some((lon, lat))
}

/// True when `s` looks like a coordinate pair rather than a place name (digits, sign, dot,
/// comma and spaces only).
pub fn looks_like_coordinate(s: &str) -> bool {
    s.contains(',')
        && s.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | ',' | ' ' | 'e' | 'E'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_coordinates() {
        assert_eq!(parse_lon_lat("106.9,47.9"), Some((106.9, 47.9)));
        assert_eq!(parse_lon_lat("200,1"), None);
        assert_eq!(parse_lon_lat("1,NaN"), None);
        assert_eq!(parse_lon_lat("Almaty"), None);
        assert!(looks_like_coordinate("76.9, 43.2"));
        assert!(!looks_like_coordinate("Almaty"));
    }
}
