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
    "motor_vehicle",
    "vehicle",
    "maxweight",
    "gauge",
    "usage",
    "service",
    "name",
    "name:en",
    "ref",
    "area",
];

/// Keys of nodes the importer reads (stations, border posts, named places).
pub const NODE_KEYS: &[&str] = &[
    "railway",
    "barrier",
    "place",
    "name",
    "name:en",
    "station",
    "access",
    "motor_vehicle",
    "hgv",
];

/// Barriers a vehicle passes (as in OSRM's car profile): any other `barrier=*` node closes
/// the way there unless its access tags let vehicles through.
const PASSABLE_BARRIERS: &[&str] = &[
    "cattle_grid",
    "border_control",
    "toll_booth",
    "sally_port",
    "no",
    "entrance",
    "height_restrictor",
    "arch",
];

/// Whether a `barrier=*` node closes the way to trucks (bollards, gates, blocks...).
pub fn barrier_blocks(tags: &Tags) -> bool {
    let Some(b) = tags.get("barrier") else {
        return false;
    };
    if PASSABLE_BARRIERS.contains(&b) {
        return false;
    }
    let open = |v: Option<&str>| matches!(v, Some("yes" | "permissive" | "designated"));
    !(open(tags.get("hgv")) || open(tags.get("motor_vehicle")) || open(tags.get("access")))
}

/// Whether a node's tags make it interesting in the first pass.
pub fn node_is_interesting(tags: &Tags) -> bool {
    barrier_blocks(tags)
        || matches!(tags.get("railway"), Some("station"))
        || tags.get("barrier") == Some("border_control")
        || (tags.get("place").is_some() && tags.get("name").is_some())
}

/// The keys that close a road to goods vehicles but not to cars (ignored with
/// `--ignore-goods-access`); `access`, `vehicle` and `motor_vehicle` still apply.
pub const GOODS_KEYS: &[&str] = &["hgv", "goods", "maxweight"];

/// Lightest `maxweight` a loaded truck may pass, tonnes: ways posted below it are left out.
pub const MIN_MAXWEIGHT_TONNES: f64 = 12.0;

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

/// Highway values a truck may drive on.
const TRUCK_HIGHWAYS: &[&str] = &[
    "motorway",
    "motorway_link",
    "trunk",
    "trunk_link",
    "primary",
    "primary_link",
    "secondary",
    "secondary_link",
    "tertiary",
    "tertiary_link",
    "unclassified",
    "residential",
    "living_street",
    "service",
    "track",
    "road",
];

/// Classifies a way from its tags.
pub fn classify_way(tags: &Tags) -> WayClass {
    if let Some(h) = tags.get("highway") {
        if !TRUCK_HIGHWAYS.contains(&h) {
            return WayClass::Other;
        }
        if tags.get("area") == Some("yes") {
            return WayClass::Other;
        }
        if let Some(reason) = goods_excluded(tags) {
            return WayClass::Excluded(reason);
        }
        return WayClass::Road(RoadTags {
            class: road_class(h, tags.get("surface"), tags.get("tracktype")),
            maxspeed_kmh: tags
                .get("maxspeed:hgv")
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

/// Why goods vehicles may not use a way, if they may not.
fn goods_excluded(tags: &Tags) -> Option<&'static str> {
    let no = |v: Option<&str>| matches!(v, Some("no" | "private" | "agricultural" | "forestry"));
    let yes = |v: Option<&str>| {
        matches!(
            v,
            Some("yes" | "designated" | "destination" | "delivery" | "permissive")
        )
    };
    let (hgv, goods) = (tags.get("hgv"), tags.get("goods"));
    if no(hgv) || no(goods) {
        return Some("hgv=no or goods=no");
    }
    if yes(hgv) || yes(goods) {
        return None;
    }
    if no(tags.get("motor_vehicle")) || no(tags.get("vehicle")) || no(tags.get("access")) {
        return Some("access, vehicle or motor_vehicle no/private without an hgv override");
    }
    if let Some(t) = tags.get("maxweight").and_then(parse_tonnes)
        && t < MIN_MAXWEIGHT_TONNES
    {
        return Some("maxweight below 12 t");
    }
    None
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
    fn goods_access() {
        let road = |kv: &[(&str, &str)]| classify_way(&tags(kv));
        assert!(matches!(road(&[("highway", "primary")]), WayClass::Road(_)));
        assert!(matches!(road(&[("highway", "footway")]), WayClass::Other));
        assert!(matches!(
            road(&[("highway", "primary"), ("hgv", "no")]),
            WayClass::Excluded(_)
        ));
        assert!(matches!(
            road(&[("highway", "service"), ("access", "private")]),
            WayClass::Excluded(_)
        ));
        assert!(matches!(
            road(&[
                ("highway", "service"),
                ("access", "private"),
                ("hgv", "yes")
            ]),
            WayClass::Road(_)
        ));
        assert!(matches!(
            road(&[("highway", "primary"), ("maxweight", "7.5")]),
            WayClass::Excluded(_)
        ));
        assert!(matches!(
            road(&[("highway", "primary"), ("maxweight", "40 t")]),
            WayClass::Road(_)
        ));
    }

    #[test]
    fn barriers() {
        assert!(barrier_blocks(&tags(&[("barrier", "bollard")])));
        assert!(barrier_blocks(&tags(&[("barrier", "gate")])));
        assert!(!barrier_blocks(&tags(&[
            ("barrier", "gate"),
            ("access", "yes")
        ])));
        assert!(!barrier_blocks(&tags(&[("barrier", "border_control")])));
        assert!(!barrier_blocks(&tags(&[("barrier", "toll_booth")])));
        assert!(!barrier_blocks(&tags(&[("highway", "crossing")])));
    }

    #[test]
    fn rails_and_gauges() {
        assert_eq!(parse_gauges_mm("1520;1435"), vec![1520, 1435]);
        assert_eq!(parse_gauges_mm("1520"), vec![1520]);
        assert_eq!(parse_gauges_mm("standard"), Vec::<u16>::new());
        assert!(matches!(
            classify_way(&tags(&[("railway", "rail"), ("service", "siding")])),
            WayClass::Excluded(_)
        ));
        assert_eq!(
            classify_way(&tags(&[("railway", "rail"), ("gauge", "1435")])),
            WayClass::Rail(RailTags {
                gauges_mm: vec![1435]
            })
        );
    }
}
