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

/// Plane coordinates in which nearby points keep their order of distance: longitude shrunk
/// by the cosine of the latitude.
fn plane(lon: f64, lat: f64) -> [f64; 2] {
    [lon * lat.to_radians().cos(), lat]
}

/// An R-tree of the places reached by a link of `modes`.
pub struct SnapIndex {
    tree: RTree<GeomWithData<[f64; 2], NodeIndex>>,
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
            .map(|(ix, p)| GeomWithData::new(plane(p.position.x(), p.position.y()), ix))
            .collect();
        SnapIndex {
            tree: RTree::bulk_load(points),
        }
    }

    /// The place nearest to (`lat`, `lon`) by great-circle distance. The plane distance
    /// orders neighbours almost exactly; the first few are compared on the sphere.
    pub fn nearest(&self, network: &Network, lat: f64, lon: f64) -> Option<Snap> {
        let q = Point::new(lon, lat);
        self.tree
            .nearest_neighbor_iter(&plane(lon, lat))
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
