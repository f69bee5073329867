//! The network file format: reading `network.geojson` features into model types, one
//! feature at a time, recording every problem with its line and feature.
//! `networks/README.md` documents the format for people.

use crate::cost::params::GaugeMethod;
use geo::{Coord, Distance, Haversine, LineString, Point};
use serde_json::{Map, Value};

use crate::network::model::{
    BorderProcessing, Country, Crossing, Layer, Link, LinkId, Mode, MonthSet, Place, PlaceId,
    PlaceKind, Regime, RoadClass, Status, Transfer, valid_gauge,
};
use crate::network::validate::{Report, Severity};

/// A place read from the file, with where it was.
#[derive(Debug, Clone)]
pub struct ParsedPlace {
    pub index: usize,
    pub line: Option<usize>,
    pub place: Place,
}

/// A link read from the file, with its end ids not yet resolved.
#[derive(Debug, Clone)]
pub struct ParsedLink {
    pub index: usize,
    pub line: Option<usize>,
    pub from: String,
    pub to: String,
    pub link: Link,
}

/// Properties every place may carry; others are reported as warnings (likely typos).
const PLACE_KEYS: &[&str] = &[
    "id",
    "name",
    "aliases",
    "country",
    "kind",
    "status",
    "transfers",
    "crossing",
    "source",
    "notes",
    "marker-color",
    "marker-size",
    "marker-symbol",
    "title",
    "description",
];
/// Properties every link may carry.
const LINK_KEYS: &[&str] = &[
    "id",
    "from",
    "to",
    "mode",
    "gauge_mm",
    "class",
    "length_km",
    "speed_kmh",
    "oneway",
    "status",
    "months_open",
    "ref",
    "name",
    "source",
    "geometry_source",
    "notes",
    "tracks",
    "electrified",
    "stroke",
    "stroke-width",
    "stroke-opacity",
    "stroke-dasharray",
    "title",
    "description",
];

/// Physical ranges of the numbers a network file holds: anything outside is an error
/// naming the property, so no cost can overflow downstream.
pub mod limits {
    /// Longest link, km (a link is a stretch between two places, not a continent).
    pub const MAX_LINK_KM: f64 = 20_000.0;
    /// Speeds a link may state, km/h.
    pub const MIN_SPEED_KMH: f64 = 1.0;
    pub const MAX_SPEED_KMH: f64 = 300.0;
    /// Longest processing at a crossing or transfer, hours (a year).
    pub const MAX_HOURS: f64 = 8_760.0;
    /// Largest fee at a crossing, USD per truck or wagon.
    pub const MAX_FEE_USD: f64 = 1.0e6;
    /// Largest transfer charge, USD per tonne.
    pub const MAX_USD_PER_TONNE: f64 = 1.0e4;
}

const CROSSING_KEYS: &[&str] = &[
    "countries",
    "regime",
    "modes",
    "months_open",
    "weekdays_open",
    "notes",
    "source",
];
const PROCESSING_KEYS: &[&str] = &["hours", "bad_day_hours", "fee_usd", "source", "notes"];
const TRANSFER_KEYS: &[&str] = &[
    "between",
    "hours",
    "bad_day_hours",
    "cost_usd_per_tonne",
    "methods",
    "source",
    "notes",
];

/// An optional number from 0 to `max`; anything else is an error naming `what`.
fn bounded(p: &mut Props<'_>, value: Option<&Value>, what: &str, max: f64) -> Option<f64> {
    match value {
        None | Some(Value::Null) => None,
        Some(v) => match v.as_f64() {
            Some(x) if x.is_finite() && (0.0..=max).contains(&x) => Some(x),
            _ => {
                p.error(format!("{what} must be a number from 0 to {max}, got {v}"));
                None
            }
        },
    }
}

/// Keys of `obj` not in `known`, each with a "did you mean" hint.
fn unknown_keys(obj: &serde_json::Map<String, Value>, known: &[&str]) -> Vec<String> {
    obj.keys()
        .filter(|k| !known.contains(&k.as_str()))
        .map(|k| {
            let hint = crate::network::names::closest_plain(k, known.iter().copied());
            if hint.is_empty() {
                format!("unknown key `{k}` (known: {})", known.join(", "))
            } else {
                format!("unknown key `{k}`; did you mean `{}`?", hint.join("` or `"))
            }
        })
        .collect()
}

/// Finds the byte offset where each element of the top-level `features` array starts, so
/// problems can name a line. Returns an empty list if the text is not shaped as expected.
pub fn feature_offsets(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut i = 0usize;
    let mut last_key_at_depth1: Option<(usize, usize)> = None;
    let mut in_features = false;
    let mut expect_element = false;
    while i < bytes.len() {
        let c = bytes[i];
        match c {
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                if depth == 1 {
                    last_key_at_depth1 = Some((start, i.min(bytes.len())));
                }
                if in_features && depth == 2 && expect_element {
                    out.push(start - 1);
                    expect_element = false;
                }
            }
            b'{' | b'[' => {
                if in_features && depth == 2 && expect_element {
                    out.push(i);
                    expect_element = false;
                }
                depth += 1;
                if c == b'['
                    && depth == 2
                    && let Some((s, e)) = last_key_at_depth1
                    && &text[s..e] == "features"
                {
                    in_features = true;
                    expect_element = true;
                }
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                if depth == 1 {
                    in_features = false;
                }
            }
            b',' if in_features && depth == 2 => expect_element = true,
            _ => {}
        }
        i += 1;
    }
    out
}

/// 1-based line of a byte offset.
pub fn line_of(text: &str, offset: usize) -> usize {
    LineIndex::new(text).line_of(offset)
}

/// Where each line starts, built once per file: a byte offset's line is a binary search, so
/// naming the line of every feature stays linear in the file's size.
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { starts }
    }
    /// 1-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|s| *s <= offset)
    }
}

/// Reads typed properties of one feature, recording problems.
struct Props<'a> {
    map: &'a Map<String, Value>,
    index: usize,
    line: Option<usize>,
    id: Option<String>,
    report: &'a mut Report,
    ok: bool,
}

impl<'a> Props<'a> {
    fn error(&mut self, message: impl Into<String>) {
        self.ok = false;
        self.report.push(
            Severity::Error,
            self.line,
            Some((self.index, self.id.clone())),
            message,
        );
    }
    fn warn(&mut self, message: impl Into<String>) {
        self.report.push(
            Severity::Warning,
            self.line,
            Some((self.index, self.id.clone())),
            message,
        );
    }
    fn string(&mut self, key: &str, required: bool) -> Option<String> {
        match self.map.get(key) {
            None | Some(Value::Null) => {
                if required {
                    self.error(format!("missing property `{key}`"));
                }
                None
            }
            Some(Value::String(s)) if s.trim().is_empty() => {
                if required {
                    self.error(format!("property `{key}` is empty"));
                }
                None
            }
            Some(Value::String(s))
                if s.chars().any(char::is_control) && key != "notes" && key != "source" =>
            {
                let c = s.chars().find(|c| c.is_control()).unwrap_or(' ');
                self.error(format!(
                    "property `{key}` contains a control character ({}); remove it",
                    c.escape_unicode()
                ));
                None
            }
            Some(Value::String(s)) => Some(s.trim().to_string()),
            Some(other) => {
                self.error(format!("property `{key}` must be text, got {other}"));
                None
            }
        }
    }
    fn number(&mut self, key: &str) -> Option<f64> {
        match self.map.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::Number(n)) => {
                let x = n.as_f64().unwrap_or(f64::NAN);
                if x.is_finite() {
                    Some(x)
                } else {
                    self.error(format!("property `{key}` must be a finite number"));
                    None
                }
            }
            Some(other) => {
                self.error(format!("property `{key}` must be a number, got {other}"));
                None
            }
        }
    }
    /// A number in (`min`, `max`] (`min` 0) or [`min`, `max`].
    fn ranged(&mut self, key: &str, min: f64, max: f64) -> Option<f64> {
        let x = self.number(key)?;
        let ok = if min == 0.0 { x > 0.0 } else { x >= min } && x <= max;
        if !ok {
            let lo = if min == 0.0 {
                "greater than 0".to_string()
            } else {
                format!("at least {min}")
            };
            self.error(format!(
                "property `{key}` must be {lo} and at most {max}, got {x}"
            ));
            return None;
        }
        Some(x)
    }
    fn boolean(&mut self, key: &str) -> Option<bool> {
        match self.map.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::Bool(b)) => Some(*b),
            Some(other) => {
                self.error(format!(
                    "property `{key}` must be true or false, got {other}"
                ));
                None
            }
        }
    }
    fn strings(&mut self, key: &str) -> Vec<String> {
        match self.map.get(key) {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => {
                let mut out = Vec::new();
                for v in items {
                    match v.as_str() {
                        Some(s) if s.chars().any(char::is_control) => self.error(format!(
                            "`{key}` has a text with a control character; remove it"
                        )),
                        Some(s) if !s.trim().is_empty() => out.push(s.trim().to_string()),
                        _ => self.error(format!(
                            "`{key}` must be a list of non-empty texts, found {v}"
                        )),
                    }
                }
                out
            }
            Some(other) => {
                self.error(format!(
                    "property `{key}` must be a list of texts, got {other}"
                ));
                Vec::new()
            }
        }
    }
    fn months(&mut self, key: &str, value: Option<&Value>) -> MonthSet {
        match value {
            None | Some(Value::Null) => MonthSet::ALL,
            Some(Value::Array(items)) if !items.is_empty() => {
                let mut months = Vec::new();
                for v in items {
                    match v.as_u64() {
                        Some(m @ 1..=12) => months.push(m as u8),
                        _ => self.error(format!(
                            "`{key}` has {v}: months must be whole numbers 1 to 12"
                        )),
                    }
                }
                MonthSet::from_months(&months)
            }
            Some(other) => {
                self.error(format!(
                    "`{key}` must be a non-empty list of months 1 to 12, got {other}"
                ));
                MonthSet::ALL
            }
        }
    }
    fn unknown_keys(&mut self, allowed: &[&str]) {
        let unknown: Vec<String> = self
            .map
            .keys()
            .filter(|k| !allowed.contains(&k.as_str()))
            .cloned()
            .collect();
        for k in unknown {
            self.warn(format!("unknown property `{k}` is ignored"));
        }
    }
}

fn check_id(props: &mut Props<'_>, id: &str) {
    if !id
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        props.error(format!(
            "id \"{id}\" must be short ASCII: letters, digits, `_` or `-`"
        ));
    }
}

/// Reads a Point feature into a place. Returns `None` (with problems recorded) when it cannot.
pub fn parse_place(
    index: usize,
    line: Option<usize>,
    map: &Map<String, Value>,
    coords: &[f64],
    report: &mut Report,
) -> Option<ParsedPlace> {
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
    let name = p.string("name", true);
    let aliases = p.strings("aliases");
    let country = match p.string("country", true) {
        Some(c) => match Country::parse(&c) {
            Some(c) => Some(c),
            None => {
                p.error(format!(
                    "country \"{c}\" is not an ISO 3166-1 alpha-2 code (e.g. MN, KZ)"
                ));
                None
            }
        },
        None => None,
    };
    let kind = match p.string("kind", true) {
        Some(k) => match PlaceKind::parse(&k) {
            Some(k) => Some(k),
            None => {
                let known: Vec<&str> = PlaceKind::ALL.iter().map(PlaceKind::as_str).collect();
                p.error(format!(
                    "unknown kind \"{k}\"; use one of {}",
                    known.join(", ")
                ));
                None
            }
        },
        None => None,
    };
    let status = parse_status(&mut p);
    let source = p.string("source", true);
    let notes = p.string("notes", false);
    let position = match coords {
        [lon, lat, ..]
            if lon.is_finite()
                && lat.is_finite()
                && (-180.0..=180.0).contains(lon)
                && (-90.0..=90.0).contains(lat) =>
        {
            Some(Point::new(*lon, *lat))
        }
        [lon, lat, ..] => {
            p.error(format!(
                "coordinates [{lon}, {lat}] are out of range (longitude -180..180, latitude -90..90, in that order)"
            ));
            None
        }
        _ => {
            p.error("a Point needs [longitude, latitude]");
            None
        }
    };
    let transfers = parse_transfers(&mut p);
    let crossing = parse_crossing(&mut p, country);
    p.unknown_keys(PLACE_KEYS);
    if !p.ok {
        return None;
    }
    Some(ParsedPlace {
        index,
        line,
        place: Place {
            id: PlaceId(id?),
            name: name?,
            aliases,
            country: country?,
            kind: kind?,
            status,
            position: position?,
            transfers,
            crossing,
            source: source?,
            notes,
            closed: false,
        },
    })
}

fn parse_status(p: &mut Props<'_>) -> Status {
    match p.string("status", false) {
        None => Status::Existing,
        Some(s) => Status::parse(&s).unwrap_or_else(|| {
            p.error(format!(
                "unknown status \"{s}\"; use existing, under_construction or proposed"
            ));
            Status::Existing
        }),
    }
}

fn parse_transfers(p: &mut Props<'_>) -> Vec<Transfer> {
    let items = match p.map.get("transfers") {
        None | Some(Value::Null) => return Vec::new(),
        Some(Value::Array(items)) => items.clone(),
        Some(other) => {
            p.error(format!("`transfers` must be a list, got {other}"));
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for (i, t) in items.iter().enumerate() {
        let Some(obj) = t.as_object() else {
            p.error(format!("transfers[{i}] must be an object"));
            continue;
        };
        for m in unknown_keys(obj, TRANSFER_KEYS) {
            p.error(format!("transfers[{i}]: {m}"));
        }
        let between: Vec<Option<Layer>> = obj
            .get("between")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .map(|v| v.as_str().and_then(Layer::parse))
                    .collect()
            })
            .unwrap_or_default();
        let layers = match between.as_slice() {
            [Some(a), Some(b)] if a != b => [*a, *b],
            _ => {
                p.error(format!(
                    "transfers[{i}].between must name two different layers such as [\"road\", \"rail_1520\"] or [\"rail_1520\", \"rail_1435\"]"
                ));
                continue;
            }
        };
        let mut num = |key: &str| {
            let max = if key == "cost_usd_per_tonne" {
                limits::MAX_USD_PER_TONNE
            } else {
                limits::MAX_HOURS
            };
            bounded(p, obj.get(key), &format!("transfers[{i}].{key}"), max)
        };
        let hours = num("hours");
        let bad_day_hours = num("bad_day_hours");
        let cost_usd_per_tonne = num("cost_usd_per_tonne");
        let mut methods = Vec::new();
        match obj.get("methods") {
            None | Some(Value::Null) => methods.push(GaugeMethod::Transload),
            Some(Value::Array(items)) => {
                for m in items {
                    match m.as_str() {
                        Some("transload") => methods.push(GaugeMethod::Transload),
                        Some("bogie_exchange") => methods.push(GaugeMethod::BogieExchange),
                        _ => p.error(format!(
                            "transfers[{i}].methods: unknown method {m}; use \"transload\" or \"bogie_exchange\""
                        )),
                    }
                }
            }
            Some(other) => p.error(format!(
                "transfers[{i}].methods must be a list such as [\"transload\", \"bogie_exchange\"], got {other}"
            )),
        }
        if let (Some(h), Some(b)) = (hours, bad_day_hours)
            && b < h
        {
            p.error(format!(
                "transfers[{i}]: bad_day_hours ({b}) is less than hours ({h})"
            ));
        }
        out.push(Transfer {
            between: layers,
            methods,
            hours,
            bad_day_hours,
            cost_usd_per_tonne,
            source: obj
                .get("source")
                .and_then(Value::as_str)
                .map(str::to_string),
        });
    }
    out
}

fn parse_crossing(p: &mut Props<'_>, country: Option<Country>) -> Option<Crossing> {
    let obj = match p.map.get("crossing") {
        None | Some(Value::Null) => return None,
        Some(Value::Object(o)) => o.clone(),
        Some(other) => {
            p.error(format!("`crossing` must be an object, got {other}"));
            return None;
        }
    };
    for m in unknown_keys(&obj, CROSSING_KEYS) {
        p.error(format!("crossing: {m}"));
    }
    let countries: Vec<Option<Country>> = obj
        .get("countries")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|v| v.as_str().and_then(Country::parse))
                .collect()
        })
        .unwrap_or_default();
    let countries = match countries.as_slice() {
        [Some(a), Some(b)] if a != b => [*a, *b],
        _ => {
            p.error("crossing.countries must name two different countries, e.g. [\"MN\", \"RU\"]");
            return None;
        }
    };
    if let Some(c) = country
        && !countries.contains(&c)
    {
        p.error(format!(
            "country {c} is not one of the crossing's countries {}/{}",
            countries[0], countries[1]
        ));
    }
    let regime = match obj.get("regime").and_then(Value::as_str) {
        None | Some("international") => Regime::International,
        Some("bilateral") => Regime::Bilateral,
        Some(other) => {
            p.error(format!(
                "crossing.regime \"{other}\" must be international or bilateral"
            ));
            Regime::International
        }
    };
    let modes = obj
        .get("modes")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let mut road = None;
    let mut rail = None;
    for (key, v) in &modes {
        let Some(mode) = Mode::parse(key) else {
            p.error(format!(
                "crossing.modes has unknown mode `{key}`; use road or rail"
            ));
            continue;
        };
        let Some(m) = v.as_object() else {
            p.error(format!("crossing.modes.{key} must be an object"));
            continue;
        };
        for msg in unknown_keys(m, PROCESSING_KEYS) {
            p.error(format!("crossing.modes.{key}: {msg}"));
        }
        let mut num = |k: &str| {
            let max = if k == "fee_usd" {
                limits::MAX_FEE_USD
            } else {
                limits::MAX_HOURS
            };
            bounded(p, m.get(k), &format!("crossing.modes.{key}.{k}"), max)
        };
        let processing = BorderProcessing {
            hours: num("hours"),
            bad_day_hours: num("bad_day_hours"),
            fee_usd: num("fee_usd"),
            source: m.get("source").and_then(Value::as_str).map(str::to_string),
        };
        if let (Some(h), Some(b)) = (processing.hours, processing.bad_day_hours)
            && b < h
        {
            p.error(format!(
                "crossing.modes.{key}: bad_day_hours ({b}) is less than hours ({h})"
            ));
        }
        match mode {
            Mode::Road => road = Some(processing),
            Mode::Rail => rail = Some(processing),
        }
    }
    if road.is_none() && rail.is_none() {
        p.error("crossing.modes must list at least one of road, rail");
    }
    let months_open = p.months("crossing.months_open", obj.get("months_open"));
    let weekdays_open = obj.get("weekdays_open").and_then(Value::as_array).map(|a| {
        a.iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect::<Vec<_>>()
    });
    if let Some(days) = &weekdays_open {
        for d in days {
            if !["mon", "tue", "wed", "thu", "fri", "sat", "sun"].contains(&d.as_str()) {
                p.error(format!(
                    "crossing.weekdays_open has \"{d}\"; use mon, tue, wed, thu, fri, sat, sun"
                ));
            }
        }
    }
    Some(Crossing {
        countries,
        regime,
        road,
        rail,
        months_open,
        weekdays_open,
    })
}

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

/// Reads every feature of a network file's text: places and links, with every problem
/// (malformed JSON, not a FeatureCollection, bad features) recorded with its line. Features
/// are parsed one by one from their own slice of the text, in parallel, so a large file
/// loads in linear time without a whole-document tree.
pub fn read_features(text: &str, report: &mut Report) -> (Vec<ParsedPlace>, Vec<ParsedLink>) {
    use rayon::prelude::*;
    #[derive(serde::Deserialize)]
    struct Collection<'a> {
        #[serde(rename = "type")]
        kind: Option<String>,
        #[serde(borrow, default)]
        features: Option<Vec<&'a serde_json::value::RawValue>>,
    }
    let mut places = Vec::new();
    let mut links = Vec::new();
    let collection: Collection<'_> = match serde_json::from_str(text) {
        Ok(c) => c,
        Err(e) if e.is_data() => {
            report.push(
                Severity::Error,
                Some(1),
                None,
                "the file must be a GeoJSON FeatureCollection (\"type\": \"FeatureCollection\")",
            );
            return (places, links);
        }
        Err(e) => {
            report.push(
                Severity::Error,
                Some(e.line()),
                None,
                format!(
                    "malformed JSON at line {}, column {}: {e}",
                    e.line(),
                    e.column()
                ),
            );
            return (places, links);
        }
    };
    if collection.kind.as_deref() != Some("FeatureCollection") {
        report.push(
            Severity::Error,
            Some(1),
            None,
            "the file must be a GeoJSON FeatureCollection (\"type\": \"FeatureCollection\")",
        );
        return (places, links);
    }
    let Some(features) = collection.features else {
        report.push(
            Severity::Error,
            Some(1),
            None,
            "the FeatureCollection has no `features` list",
        );
        return (places, links);
    };
    let lines = LineIndex::new(text);
    let base = text.as_ptr() as usize;
    let parsed: Vec<(
        Option<ParsedPlace>,
        Option<ParsedLink>,
        Vec<crate::network::validate::Problem>,
    )> = features
        .par_iter()
        .enumerate()
        .map(|(index, raw)| {
            let offset = (raw.get().as_ptr() as usize).saturating_sub(base);
            let line = Some(lines.line_of(offset));
            let mut local = Report::new(report.file.clone());
            let (p, l) = read_feature(index, line, raw.get(), &mut local);
            (p, l, local.problems)
        })
        .collect();
    for (p, l, mut problems) in parsed {
        places.extend(p);
        links.extend(l);
        report.problems.append(&mut problems);
    }
    (places, links)
}

/// One feature from its text.
fn read_feature(
    index: usize,
    line: Option<usize>,
    text: &str,
    report: &mut Report,
) -> (Option<ParsedPlace>, Option<ParsedLink>) {
    let feature = match serde_json::from_str::<geojson::Feature>(text) {
        Ok(f) => f,
        Err(e) => {
            let id = serde_json::from_str::<Value>(text).ok().and_then(|v| {
                v.pointer("/properties/id")
                    .and_then(Value::as_str)
                    .map(str::to_string)
            });
            report.push(
                Severity::Error,
                line,
                Some((index, id)),
                format!("not a GeoJSON Feature: {e}"),
            );
            return (None, None);
        }
    };
    let id = feature
        .properties
        .as_ref()
        .and_then(|p| p.get("id"))
        .and_then(Value::as_str)
        .map(str::to_string);
    let feat = Some((index, id));
    let Some(props) = feature.properties.as_ref() else {
        report.push(Severity::Error, line, feat, "feature has no properties");
        return (None, None);
    };
    match feature.geometry.as_ref().map(|g| &g.value) {
        Some(geojson::GeometryValue::Point { coordinates }) => (
            parse_place(index, line, props, coordinates.as_slice(), report),
            None,
        ),
        Some(geojson::GeometryValue::LineString { coordinates }) => {
            let cs: Vec<&[f64]> = coordinates.iter().map(|c| c.as_slice()).collect();
            (None, parse_link(index, line, props, &cs, report))
        }
        Some(other) => {
            report.push(
                Severity::Error,
                line,
                feat,
                format!(
                    "geometry type {} is not used: places are Points, links are LineStrings",
                    other.type_name()
                ),
            );
            (None, None)
        }
        None => {
            report.push(Severity::Error, line, feat, "feature has no geometry");
            (None, None)
        }
    }
}
