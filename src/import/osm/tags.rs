//! What an OpenStreetMap way or node means for freight: which highways a truck may use and
//! with what class, speed limit and direction; which railways carry trains and on what gauge.
//! Pure functions of the tags, tested here.

use crate::network::model::RoadClass;

/// A way's or node's tags, kept only for the keys the importer reads.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tags(pub Vec<(String, String)>);

impl Tags {
    /// The value of `key`, if tagged.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// Keys of ways the importer reads; other tags are dropped while reading.
pub const WAY_KEYS: &[&str] = &[
    "highway",
    "railway",
    "surface",
    "tracktype",
    "maxspeed",
    "maxspeed:hgv",
    "oneway",
    "junction",
    "hgv",
    "goods",
    "access",
    "motorcar",
    "motor_vehicle",
    "vehicle",
    "maxweight",
    "maxheight",
    "gauge",
    "usage",
    "service",
    "name",
    "name:en",
    "ref",
    "area",
    "construction",
    "impassable",
    "status",
];

/// Keys of nodes the importer reads (stations, border posts, named places, barriers).
pub const NODE_KEYS: &[&str] = &[
    "railway",
    "barrier",
    "place",
    "name",
    "name:en",
    "station",
    "access",
    "vehicle",
    "motor_vehicle",
    "motorcar",
    "hgv",
    "goods",
    "bollard",
    "kerb",
    "highway",
    "sensory",
    "maxheight",
];

/// Keys of relations the importer reads (turn restrictions).
pub const RELATION_KEYS: &[&str] = &[
    "type",
    "restriction",
    "restriction:hgv",
    "restriction:motorcar",
    "restriction:motor_vehicle",
    "restriction:vehicle",
    "except",
    "boundary",
    "admin_level",
    "ISO3166-1:alpha2",
    "ISO3166-1",
    "name",
    "name:en",
];

/// Whether a relation is a turn restriction.
pub fn is_turn_restriction(tags: &Tags) -> bool {
    tags.get("type") == Some("restriction")
}

/// Whether a relation is a country's boundary (`boundary=administrative`, `admin_level=2`).
pub fn is_country_boundary(tags: &Tags) -> bool {
    tags.get("boundary") == Some("administrative") && tags.get("admin_level") == Some("2")
}

/// A country boundary's ISO 3166-1 alpha-2 code (`ISO3166-1:alpha2`, else `ISO3166-1`),
/// upper-cased.
pub fn country_code(tags: &Tags) -> Option<String> {
    let v = tags
        .get("ISO3166-1:alpha2")
        .or_else(|| tags.get("ISO3166-1"))?;
    let v = v.trim();
    (v.len() == 2 && v.chars().all(|c| c.is_ascii_alphabetic())).then(|| v.to_ascii_uppercase())
}

/// Whether the importer keeps a relation: a turn restriction or a country boundary.
pub fn relation_is_interesting(tags: &Tags) -> bool {
    is_turn_restriction(tags) || is_country_boundary(tags)
}

/// Whether a node's tags make it interesting in the first pass: a barrier or an access
/// tag (decided later, for the import's vehicle), a station, a border post, a named place.
pub fn node_is_interesting(tags: &Tags) -> bool {
    tags.get("barrier").is_some()
        || [
            "access",
            "vehicle",
            "motor_vehicle",
            "motorcar",
            "hgv",
            "goods",
        ]
        .iter()
        .any(|k| tags.get(k).is_some())
        || matches!(tags.get("railway"), Some("station"))
        || (tags.get("place").is_some() && tags.get("name").is_some())
}

use crate::import::osm::access::road_excluded;
pub use crate::import::osm::access::{
    MIN_MAXWEIGHT_TONNES, TRUCK_HEIGHT_M, Vehicle, barrier_blocks,
};

/// Direction of travel on a way, as drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Oneway {
    Both,
    /// Only in the direction the way is drawn.
    Forward,
    /// Only against it (`oneway=-1`).
    Backward,
}

/// A way a truck may use, as classified from its tags.
#[derive(Debug, Clone, PartialEq)]
pub struct RoadTags {
    pub class: RoadClass,
    /// Posted limit, km/h, where `maxspeed` could be read.
    pub maxspeed_kmh: Option<f64>,
    pub oneway: Oneway,
}

/// A railway carrying trains.
#[derive(Debug, Clone, PartialEq)]
pub struct RailTags {
    /// Gauges in mm (two for dual gauge); empty when untagged or unreadable.
    pub gauges_mm: Vec<u16>,
}

/// What a way is to the importer, or why it is left out.
#[derive(Debug, Clone, PartialEq)]
pub enum WayClass {
    Road(RoadTags),
    Rail(RailTags),
    /// Not a road or railway at all (buildings, rivers, footpaths...): skipped silently.
    Other,
    /// A road or railway left out, with the reason (counted in the import summary).
    Excluded(&'static str),
}

/// Classifies a way from its tags, for the roads `vehicle` may use.
pub fn classify_way(tags: &Tags, vehicle: Vehicle) -> WayClass {
    if let Some(h) = tags.get("highway") {
        if !vehicle.highways().contains(&h) && !vehicle.opened_by_access_tag(h, tags) {
            return WayClass::Other;
        }
        if tags.get("area") == Some("yes") {
            return WayClass::Other;
        }
        if let Some(reason) = road_excluded(tags, vehicle) {
            return WayClass::Excluded(reason);
        }
        return WayClass::Road(RoadTags {
            class: road_class(h, tags.get("surface"), tags.get("tracktype")),
            maxspeed_kmh: tags
                .get("maxspeed:hgv")
                .filter(|_| vehicle == Vehicle::Truck)
                .and_then(parse_maxspeed_kmh)
                .or_else(|| tags.get("maxspeed").and_then(parse_maxspeed_kmh)),
            oneway: oneway(h, tags.get("oneway"), tags.get("junction")),
        });
    }
    if tags.get("railway") == Some("rail") {
        if let Some(s) = tags.get("service")
            && matches!(s, "yard" | "siding" | "spur" | "crossover")
        {
            return WayClass::Excluded("railway service track (yard, siding, spur)");
        }
        if matches!(tags.get("usage"), Some("tourism" | "military" | "test")) {
            return WayClass::Excluded("railway usage tourism, military or test");
        }
        return WayClass::Rail(RailTags {
            gauges_mm: tags.get("gauge").map(parse_gauges_mm).unwrap_or_default(),
        });
    }
    WayClass::Other
}

/// Metres from a `maxheight` value: "3.5", "3.5 m", "12'6\"" (feet and inches). `None` for
/// "default", "none", "below_default" and what cannot be read.
pub fn parse_metres(v: &str) -> Option<f64> {
    let v = v.trim();
    let m = if let Some((feet, rest)) = v.split_once('\'') {
        let feet: f64 = feet.trim().parse().ok()?;
        let inches = rest.trim().trim_end_matches('"').trim();
        let inches: f64 = if inches.is_empty() {
            0.0
        } else {
            inches.parse().ok()?
        };
        (feet * 12.0 + inches) * 0.0254
    } else {
        let (num, unit) = split_number(v)?;
        match unit {
            "" | "m" => num,
            "cm" => num / 100.0,
            "ft" => num * 0.3048,
            _ => return None,
        }
    };
    (m.is_finite() && m > 0.0).then_some(m)
}

/// Tonnes from a `maxweight` value: "7.5", "7.5 t", "3500 kg", "10 st" (short tons).
pub fn parse_tonnes(v: &str) -> Option<f64> {
    let v = v.trim();
    let (num, unit) = split_number(v)?;
    let t = match unit {
        "" | "t" => num,
        "kg" => num / 1000.0,
        "st" => num * 0.907_185,
        "lbs" => num * 0.000_453_592,
        _ => return None,
    };
    (t.is_finite() && t > 0.0).then_some(t)
}

/// A leading decimal number and the rest trimmed: "50 mph" -> (50, "mph").
fn split_number(v: &str) -> Option<(f64, &str)> {
    let end = v
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(v.len());
    let num: f64 = v.get(..end)?.parse().ok()?;
    Some((num, v.get(end..)?.trim()))
}

/// The road class of a highway: motorways are `motorway`; otherwise the surface decides,
/// then the track grade, then the highway type (tracks default to earth, others to paved).
pub fn road_class(highway: &str, surface: Option<&str>, tracktype: Option<&str>) -> RoadClass {
    if matches!(highway, "motorway" | "motorway_link") {
        return RoadClass::Motorway;
    }
    if let Some(s) = surface {
        match s {
            "paved" | "asphalt" | "concrete" | "concrete:plates" | "concrete:lanes"
            | "paving_stones" | "sett" | "cobblestone" | "unhewn_cobblestone" | "metal"
            | "wood" | "chipseal" | "bricks" => return RoadClass::Paved,
            "unpaved" | "gravel" | "fine_gravel" | "compacted" | "pebblestone" | "rock"
            | "shells" => return RoadClass::Gravel,
            "ground" | "dirt" | "earth" | "grass" | "mud" | "sand" | "soil" | "clay" | "salt"
            | "snow" | "ice" | "grass_paver" => return RoadClass::Earth,
            _ => {}
        }
    }
    if matches!(highway, "winter_road" | "ice_road") {
        return RoadClass::Earth;
    }
    if highway == "track" {
        return match tracktype {
            Some("grade1") => RoadClass::Paved,
            Some("grade2") => RoadClass::Gravel,
            _ => RoadClass::Earth,
        };
    }
    RoadClass::Paved
}

/// The direction of travel: `oneway` tag first (yes/1/true, -1/reverse, no), then the
/// implied oneways of motorways and roundabouts.
pub fn oneway(highway: &str, oneway: Option<&str>, junction: Option<&str>) -> Oneway {
    match oneway {
        Some("yes" | "1" | "true") => Oneway::Forward,
        Some("-1" | "reverse") => Oneway::Backward,
        Some("no" | "0" | "false") => Oneway::Both,
        _ if highway == "motorway" || matches!(junction, Some("roundabout" | "circular")) => {
            Oneway::Forward
        }
        _ => Oneway::Both,
    }
}

/// A speed limit in km/h: "50", "50 km/h", "30 mph", "RU:urban" (national defaults for
/// the corridor's countries and common zones). `None` for what cannot be read ("signals",
/// "none", "walk", "50;70") or lies outside 1-300 km/h.
pub fn parse_maxspeed_kmh(v: &str) -> Option<f64> {
    let v = v.trim();
    let kmh = if let Some((country, zone)) = v.split_once(':') {
        zone_speed_kmh(&country.to_ascii_uppercase(), zone)?
    } else {
        let (num, unit) = split_number(v)?;
        match unit {
            "" | "km/h" | "kmh" | "kph" | "km" => num,
            "mph" => num * 1.609_344,
            "knots" => num * 1.852,
            _ => return None,
        }
    };
    (kmh.is_finite() && (1.0..=300.0).contains(&kmh)).then_some(kmh)
}

/// National default limits by zone, km/h.
fn zone_speed_kmh(country: &str, zone: &str) -> Option<f64> {
    let post_soviet = matches!(
        country,
        "RU" | "KZ" | "BY" | "UA" | "KG" | "UZ" | "TJ" | "TM"
    );
    Some(match zone {
        "urban" if post_soviet || country == "MN" => 60.0,
        "urban" => 50.0,
        "rural" if country == "MN" => 80.0,
        "rural" => 90.0,
        "trunk" => 90.0,
        "motorway" if country == "DE" => return None,
        "motorway" => 110.0,
        "living_street" => 20.0,
        "school" | "zone30" => 30.0,
        _ => return None,
    })
}

/// Gauges from a `gauge` value: "1520", "1435;1520", "1524" (Finnish). Unreadable parts and
/// gauges outside 600-1700 mm are dropped.
pub fn parse_gauges_mm(v: &str) -> Vec<u16> {
    let mut out: Vec<u16> = v
        .split(';')
        .filter_map(|g| g.trim().parse::<u16>().ok())
        .filter(|g| crate::network::model::valid_gauge(*g))
        .collect();
    out.dedup();
    out
}

/// The usual gauge of a country's railways, mm: broad gauge in the former Soviet Union and
/// Mongolia (and Finland), standard gauge elsewhere.
pub fn usual_gauge_mm(country: &str) -> u16 {
    match country {
        "RU" | "KZ" | "MN" | "BY" | "UA" | "KG" | "UZ" | "TJ" | "TM" | "GE" | "AM" | "AZ"
        | "MD" | "LT" | "LV" | "EE" => 1520,
        "FI" => 1524,
        _ => 1435,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(kv: &[(&str, &str)]) -> Tags {
        Tags(
            kv.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    #[test]
    fn maxspeed_forms() {
        assert_eq!(parse_maxspeed_kmh("50"), Some(50.0));
        assert_eq!(parse_maxspeed_kmh("50 km/h"), Some(50.0));
        let mph = parse_maxspeed_kmh("30 mph").unwrap_or(0.0);
        assert!((mph - 48.28).abs() < 0.01, "{mph}");
        assert_eq!(parse_maxspeed_kmh("RU:urban"), Some(60.0));
        assert_eq!(parse_maxspeed_kmh("FR:rural"), Some(90.0));
        assert_eq!(parse_maxspeed_kmh("MN:rural"), Some(80.0));
        for bad in [
            "signals",
            "none",
            "walk",
            "50;70",
            "",
            "0",
            "999",
            "fast",
            "DE:motorway",
        ] {
            assert_eq!(parse_maxspeed_kmh(bad), None, "{bad}");
        }
    }

    #[test]
    fn classes_from_surface_and_grade() {
        assert_eq!(
            road_class("motorway", Some("gravel"), None),
            RoadClass::Motorway
        );
        assert_eq!(road_class("primary", None, None), RoadClass::Paved);
        assert_eq!(
            road_class("primary", Some("gravel"), None),
            RoadClass::Gravel
        );
        assert_eq!(
            road_class("secondary", Some("dirt"), None),
            RoadClass::Earth
        );
        assert_eq!(road_class("track", None, Some("grade1")), RoadClass::Paved);
        assert_eq!(road_class("track", None, Some("grade2")), RoadClass::Gravel);
        assert_eq!(road_class("track", None, None), RoadClass::Earth);
        assert_eq!(
            road_class("track", Some("asphalt"), Some("grade4")),
            RoadClass::Paved
        );
    }

    #[test]
    fn oneway_forms() {
        assert_eq!(oneway("primary", Some("yes"), None), Oneway::Forward);
        assert_eq!(oneway("primary", Some("-1"), None), Oneway::Backward);
        assert_eq!(oneway("motorway", None, None), Oneway::Forward);
        assert_eq!(oneway("motorway", Some("no"), None), Oneway::Both);
        assert_eq!(
            oneway("tertiary", None, Some("roundabout")),
            Oneway::Forward
        );
        assert_eq!(oneway("tertiary", None, None), Oneway::Both);
    }

    #[test]
    fn metres_forms() {
        assert_eq!(parse_metres("3.5"), Some(3.5));
        assert_eq!(parse_metres("3.5 m"), Some(3.5));
        let ft = parse_metres("12'6\"").unwrap_or(0.0);
        assert!((ft - 3.81).abs() < 0.001, "{ft}");
        for bad in ["default", "none", "below_default", ""] {
            assert_eq!(parse_metres(bad), None, "{bad}");
        }
    }

    #[test]
    fn rails_and_gauges() {
        assert_eq!(parse_gauges_mm("1520;1435"), vec![1520, 1435]);
        assert_eq!(parse_gauges_mm("1520"), vec![1520]);
        assert_eq!(parse_gauges_mm("standard"), Vec::<u16>::new());
        assert!(matches!(
            classify_way(
                &tags(&[("railway", "rail"), ("service", "siding")]),
                Vehicle::Truck
            ),
            WayClass::Excluded(_)
        ));
        assert_eq!(
            classify_way(
                &tags(&[("railway", "rail"), ("gauge", "1435")]),
                Vehicle::Truck
            ),
            WayClass::Rail(RailTags {
                gauges_mm: vec![1435]
            })
        );
    }
}
