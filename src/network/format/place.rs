//! Places: ids, names, kinds, transfers (layers, gauge changes) and border crossings.

use crate::cost::params::GaugeMethod;
use geo::Point;
use serde_json::{Map, Value};

use crate::network::model::{
    BorderProcessing, Country, Crossing, Layer, LinkId, Mode, Place, PlaceId, PlaceKind, Regime,
    Status, Transfer, TurnRestriction,
};
use crate::network::validate::Report;

use super::*;

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
    let turn_restrictions = parse_turn_restrictions(&mut p);
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
            turn_restrictions,
            crossing,
            source: source?,
            notes,
            closed: false,
        },
    })
}

pub(crate) fn parse_status(p: &mut Props<'_>) -> Status {
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

/// `turn_restrictions`: a list of `{"from": LINK, "to": LINK, "restriction": "no_left_turn"}`.
/// Whether the links exist and touch the place is checked once all features are read.
pub(crate) fn parse_turn_restrictions(p: &mut Props<'_>) -> Vec<TurnRestriction> {
    let items = match p.map.get("turn_restrictions") {
        None | Some(Value::Null) => return Vec::new(),
        Some(Value::Array(a)) => a.clone(),
        Some(other) => {
            p.error(format!("`turn_restrictions` must be a list, got {other}"));
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let text = |k: &str| item.get(k).and_then(Value::as_str).map(str::to_string);
        match (text("from"), text("to"), text("restriction")) {
            (Some(from), Some(to), Some(r)) if r.starts_with("no_") || r.starts_with("only_") => {
                out.push(TurnRestriction {
                    from: LinkId(from),
                    to: LinkId(to),
                    only: r.starts_with("only_"),
                    restriction: r,
                })
            }
            (Some(_), Some(_), Some(r)) => p.error(format!(
                "turn_restrictions[{i}].restriction \"{r}\" must start with no_ or only_ (no_left_turn, only_straight_on...)"
            )),
            _ => p.error(format!(
                "turn_restrictions[{i}] needs \"from\" and \"to\" link ids and a \"restriction\" such as \"no_left_turn\""
            )),
        }
    }
    out
}

pub(crate) fn parse_transfers(p: &mut Props<'_>) -> Vec<Transfer> {
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

pub(crate) fn parse_crossing(p: &mut Props<'_>, country: Option<Country>) -> Option<Crossing> {
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
