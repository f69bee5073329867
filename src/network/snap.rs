//! Coordinates as places: `47.918,106.917` (latitude, longitude) snaps to the nearest place
//! that a link of the request's modes reaches, found with an R-tree.

use geo::{Distance, Haversine, Point};
use petgraph::Direction;
use petgraph::stable_graph::NodeIndex;
use rstar::RTree;
use rstar::primitives::GeomWithData;

use crate::network::model::{Mode, Network};

/// Where a coordinate snapped: the place and how far it is, km.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Snap {
    pub place: NodeIndex,
    pub distance_km: f64,
}

/// Reads `lat,lon` in degrees (e.g. `47.918,106.917`); `None` for anything else, including
/// numbers out of range.
pub fn parse_lat_lon(s: &str) -> Option<(f64, f64)> {
    let (a, b) = s.split_once(',')?;
    let lat: f64 = a.trim().parse().ok()?;
    let lon: f64 = b.trim().parse().ok()?;
    ((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)).then_some((lat, lon))
}

/// A point on the unit sphere: the straight-line (chord) distance between two of them grows
/// with their great-circle distance, so an R-tree over these finds the nearest place on
/// the sphere exactly. (Longitude shrunk by the cosine of the latitude would shear far from
/// the prime meridian: at 106 E, a kilometre north moves a point more than a kilometre
/// sideways.)
pub(crate) fn sphere(lon: f64, lat: f64) -> [f64; 3] {
    let (lon, lat) = (lon.to_radians(), lat.to_radians());
    [lat.cos() * lon.cos(), lat.cos() * lon.sin(), lat.sin()]
}

/// An R-tree of the places reached by a link of `modes`.
pub struct SnapIndex {
    tree: RTree<GeomWithData<[f64; 3], NodeIndex>>,
}

impl SnapIndex {
    /// Indexes the places of `network` that a link of one of `modes` reaches.
    pub fn new(network: &Network, modes: &[Mode]) -> SnapIndex {
        let points = network
            .places()
            .filter(|(ix, _)| {
                [Direction::Outgoing, Direction::Incoming].iter().any(|d| {
                    network
                        .graph
                        .edges_directed(*ix, *d)
                        .any(|e| modes.contains(&e.weight().mode))
                })
            })
            .map(|(ix, p)| GeomWithData::new(sphere(p.position.x(), p.position.y()), ix))
            .collect();
        SnapIndex {
            tree: RTree::bulk_load(points),
        }
    }

    /// The place nearest to (`lat`, `lon`) by great-circle distance (ties by place order:
    /// the first few are compared on the sphere).
    pub fn nearest(&self, network: &Network, lat: f64, lon: f64) -> Option<Snap> {
        let q = Point::new(lon, lat);
        self.tree
            .nearest_neighbor_iter(&sphere(lon, lat))
            .take(8)
            .map(|hit| Snap {
                place: hit.data,
                distance_km: Haversine.distance(q, network.place(hit.data).position) / 1000.0,
            })
            .min_by(|a, b| {
                a.distance_km
                    .total_cmp(&b.distance_km)
                    .then(a.place.cmp(&b.place))
            })
    }
}

/// The place nearest to (`lat`, `lon`) among those a link of `modes` reaches.
pub fn snap(network: &Network, lat: f64, lon: f64, modes: &[Mode]) -> Option<Snap> {
    SnapIndex::new(network, modes).nearest(network, lat, lon)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The R-tree's answer is the nearest place by great-circle distance, as a scan of
    /// every place finds it, on points all over the region (where a plane of longitude
    /// times the cosine of latitude would shear).
    #[test]
    fn snaps_to_the_nearest_place_on_the_sphere() {
        let network = crate::network::load_embedded().expect("the embedded network");
        for modes in [
            vec![Mode::Road],
            vec![Mode::Rail],
            vec![Mode::Road, Mode::Rail],
        ] {
            let index = SnapIndex::new(&network, &modes);
            let mut state: u64 = 9;
            let mut next = || {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                (state >> 11) as f64 / (1u64 << 53) as f64
            };
            for _ in 0..300 {
                let (lat, lon) = (38.0 + next() * 17.0, 55.0 + next() * 70.0);
                let got = index.nearest(&network, lat, lon).map(|s| s.place);
                let q = Point::new(lon, lat);
                let want = network
                    .places()
                    .filter(|(ix, _)| {
                        [Direction::Outgoing, Direction::Incoming].iter().any(|d| {
                            network
                                .graph
                                .edges_directed(*ix, *d)
                                .any(|e| modes.contains(&e.weight().mode))
                        })
                    })
                    .min_by(|(a, pa), (b, pb)| {
                        Haversine
                            .distance(q, pa.position)
                            .total_cmp(&Haversine.distance(q, pb.position))
                            .then(a.cmp(b))
                    })
                    .map(|(ix, _)| ix);
                assert_eq!(got, want, "at {lat},{lon} by {modes:?}");
            }
        }
    }

    #[test]
    fn lat_lon_forms() {
        assert_eq!(parse_lat_lon("47.918,106.917"), Some((47.918, 106.917)));
        assert_eq!(parse_lat_lon(" 47.918 , 106.917 "), Some((47.918, 106.917)));
        assert_eq!(parse_lat_lon("-33.9,18.4"), Some((-33.9, 18.4)));
        assert_eq!(
            parse_lat_lon("106.917,47.918"),
            None,
            "lon,lat: latitude beyond 90"
        );
        assert_eq!(parse_lat_lon("Ulaanbaatar"), None);
        assert_eq!(parse_lat_lon("47.9"), None);
    }
}
