//! Links: endpoints, mode, gauge, class, length, speed and geometry.

use geo::{Coord, Distance, Haversine, LineString, Point};
use serde_json::{Map, Value};

use crate::network::model::{Link, LinkId, Mode, RoadClass, valid_gauge};
use crate::network::validate::Report;

use super::*;

/// Reads a LineString feature into a link. Returns `None` (with problems recorded) when it cannot.
pub fn parse_link(
    index: usize,
    line: Option<usize>,
    map: &Map<String, Value>,
    coords: &[&[f64]],
    report: &mut Report,
) -> Option<ParsedLink> {
    let id = map.get("id").and_then(Value::as_str).map(str::to_string);
    let mut p = Props {
        map,
        index,
        line,
        id,
        report,
        ok: true,
    };
    let id = p.string("id", true);
    if let Some(id) = &id {
        check_id(&mut p, id);
    }
    let from = p.string("from", true);
    let to = p.string("to", true);
    let mode = match p.string("mode", true) {
        Some(m) => Mode::parse(&m).or_else(|| {
            p.error(format!("unknown mode \"{m}\"; use road or rail"));
            None
        }),
        None => None,
    };
    let gauge_mm = match (mode, p.number("gauge_mm")) {
        (Some(Mode::Rail), None) => {
            p.error("rail link without `gauge_mm` (e.g. 1520 in MN/KZ/RU, 1435 in CN)");
            None
        }
        (Some(Mode::Rail), Some(g)) => {
            if g.fract() != 0.0
                || !(0.0..=f64::from(u16::MAX)).contains(&g)
                || !valid_gauge(g as u16)
            {
                p.error(format!(
                    "gauge_mm {g} is not a track gauge in mm (600 to 1700)"
                ));
                None
            } else {
                Some(g as u16)
            }
        }
        (Some(Mode::Road), Some(_)) => {
            p.warn("`gauge_mm` on a road link is ignored");
            None
        }
        _ => None,
    };
    let class = match (mode, p.string("class", false)) {
        (Some(Mode::Road), None) => {
            p.error("road link without `class` (motorway, paved, gravel or earth)");
            None
        }
        (Some(Mode::Road), Some(c)) => RoadClass::parse(&c).or_else(|| {
            p.error(format!(
                "unknown road class \"{c}\"; use motorway, paved, gravel or earth"
            ));
            None
        }),
        (Some(Mode::Rail), Some(_)) => {
            p.warn("`class` on a rail link is ignored");
            None
        }
        _ => None,
    };
    let length_given = p.ranged("length_km", 0.0, limits::MAX_LINK_KM);
    let speed_kmh = p.ranged("speed_kmh", limits::MIN_SPEED_KMH, limits::MAX_SPEED_KMH);
    let oneway = p.boolean("oneway").unwrap_or(false);
    let status = parse_status(&mut p);
    let months_open = p.months("months_open", map.get("months_open"));
    let route_ref = p.string("ref", false);
    let source = p.string("source", true);

    let mut points = Vec::with_capacity(coords.len());
    for (k, c) in coords.iter().enumerate() {
        match c.get(0..2) {
            Some(&[lon, lat])
                if lon.is_finite()
                    && lat.is_finite()
                    && (-180.0..=180.0).contains(&lon)
                    && (-90.0..=90.0).contains(&lat) =>
            {
                points.push(Coord { x: lon, y: lat })
            }
            _ => p.error(format!(
                "geometry point {k} {c:?} is out of range (longitude -180..180, latitude -90..90)"
            )),
        }
    }
    if coords.len() < 2 {
        p.error("a LineString needs at least two points");
    }
    let geometry = LineString::from(points);
    let geodesic_km = geometry
        .0
        .windows(2)
        .map(|w| Haversine.distance(Point::from(w[0]), Point::from(w[1])) / 1000.0)
        .sum::<f64>();
    let length_km = match length_given {
        Some(km) => km,
        None if geodesic_km > 0.0 => geodesic_km,
        None => {
            if coords.len() >= 2 {
                p.error("length_km is missing and the geometry has zero length");
            }
            0.0
        }
    };
    p.unknown_keys(LINK_KEYS);
    if !p.ok {
        return None;
    }
    Some(ParsedLink {
        index,
        line,
        from: from?,
        to: to?,
        link: Link {
            id: LinkId(id?),
            mode: mode?,
            gauge_mm,
            class,
            length_km,
            length_given: length_given.is_some(),
            speed_kmh,
            oneway,
            status,
            months_open,
            route_ref,
            geometry,
            source: source?,
            closed: false,
        },
    })
}
