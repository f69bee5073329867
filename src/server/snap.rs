//! Snapping a coordinate to the nearest place a request's modes can start or end at: an
//! R-tree over the places on the unit sphere (as in [`crate::network::snap`]), walked
//! nearest first and filtered by the request's modes and statuses.

use geo::{Distance, Haversine, Point};
use petgraph::stable_graph::NodeIndex;
use rstar::RTree;
use rstar::primitives::GeomWithData;

use crate::cost::profile::ModeSet;
use crate::network::Network;
use crate::network::model::{Mode, Status};
use crate::network::snap::sphere;

/// A place a coordinate snapped to, and how far it was.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Snapped {
    pub place: NodeIndex,
    /// Great-circle distance from the coordinate to the place, metres.
    pub distance_m: f64,
}

/// Places with the modes of the links that reach them: (place, road, rail).
pub struct SnapIndex {
    tree: RTree<GeomWithData<[f64; 3], (NodeIndex, bool, bool)>>,
}

impl SnapIndex {
    /// Indexes every open place that an open link reaches, with the modes of those links.
    pub fn new(network: &Network) -> SnapIndex {
        let mut points = Vec::new();
        for (ix, p) in network.places() {
            if p.closed {
                continue;
            }
            let (mut road, mut rail) = (false, false);
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
                    Mode::Road => road = true,
                    Mode::Rail => rail = true,
                }
            }
            if road || rail {
                points.push(GeomWithData::new(
                    sphere(p.position.x(), p.position.y()),
                    (ix, road, rail),
                ));
            }
        }
        SnapIndex {
            tree: RTree::bulk_load(points),
        }
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
        // Chord order is great-circle order; a few more than asked for are taken so that
        // ties are settled by place order, as the answer promises.
        let mut hits: Vec<Snapped> = self
            .tree
            .nearest_neighbor_iter(&sphere(lon, lat))
            .filter(|hit| {
                let (ix, road, rail) = hit.data;
                ((road && modes.road) || (rail && modes.rail)) && statuses(network.place(ix).status)
            })
            .take(n.saturating_add(8))
            .map(|hit| Snapped {
                place: hit.data.0,
                distance_m: Haversine.distance(at, network.place(hit.data.0).position),
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

    /// The R-tree finds what a scan of every place finds, for every mode set, on points
    /// across the region.
    #[test]
    fn the_index_finds_what_a_scan_finds() {
        let network = crate::network::load_embedded().expect("the embedded network");
        let index = SnapIndex::new(&network);
        let mut state: u64 = 5;
        let mut next = || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        let existing = |s: Status| s == Status::Existing;
        for _ in 0..300 {
            let (lon, lat) = (55.0 + next() * 70.0, 38.0 + next() * 17.0);
            for modes in [
                ModeSet {
                    road: true,
                    rail: false,
                },
                ModeSet {
                    road: false,
                    rail: true,
                },
                ModeSet {
                    road: true,
                    rail: true,
                },
            ] {
                let got = index.nearest(&network, lon, lat, modes, &existing, 3);
                let at = Point::new(lon, lat);
                let mut want: Vec<Snapped> = network
                    .places()
                    .filter(|(ix, p)| {
                        existing(p.status)
                            && network
                                .graph
                                .edges_directed(*ix, petgraph::Direction::Outgoing)
                                .chain(
                                    network
                                        .graph
                                        .edges_directed(*ix, petgraph::Direction::Incoming),
                                )
                                .any(|e| {
                                    let m = e.weight().mode;
                                    (m == Mode::Road && modes.road)
                                        || (m == Mode::Rail && modes.rail)
                                })
                    })
                    .map(|(ix, p)| Snapped {
                        place: ix,
                        distance_m: Haversine.distance(at, p.position),
                    })
                    .collect();
                want.sort_by(|a, b| {
                    a.distance_m
                        .total_cmp(&b.distance_m)
                        .then(a.place.index().cmp(&b.place.index()))
                });
                want.truncate(3);
                assert_eq!(got, want, "at {lon},{lat} for {modes:?}");
            }
        }
    }

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
