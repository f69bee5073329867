//! Route options from Python (a JSON object built by `steppe/__init__.py` from keyword
//! arguments) into the library's [`Request`], exactly as the CLI's flags are.

use pyo3::PyResult;
use serde_json::Value;
use steppe::cost::params::RailService;
use steppe::cost::profile::{ModeSet, Objective};
use steppe::cost::request::Request;
use steppe::network::Country;

use crate::errors::request;

/// Option names `Request` accepts (the CLI's flags with `_` for `-`).
pub const ROUTE_OPTIONS: &[&str] = &[
    "minimize",
    "modes",
    "commodity",
    "rail_service",
    "avoid_country",
    "avoid",
    "month",
    "include_under_construction",
    "include_proposed",
    "tonnes",
    "value_of_time_usd_per_hour",
    "params",
];

fn strings(v: &Value, key: &str) -> PyResult<Vec<String>> {
    match v {
        Value::Null => Ok(Vec::new()),
        Value::String(s) => Ok(s
            .split(',')
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty())
            .collect()),
        Value::Array(a) => a
            .iter()
            .map(|x| match x {
                Value::String(s) => Ok(s.clone()),
                other => Err(request(format!("{key}: expected strings, got {other}"))),
            })
            .collect(),
        other => Err(request(format!(
            "{key}: expected a string or a list of strings, got {other}"
        ))),
    }
}

fn number(v: &Value, key: &str) -> PyResult<Option<f64>> {
    match v {
        Value::Null => Ok(None),
        Value::Number(n) => Ok(n.as_f64()),
        other => Err(request(format!("{key}: expected a number, got {other}"))),
    }
}

fn flag(v: &Value, key: &str) -> PyResult<bool> {
    match v {
        Value::Null => Ok(false),
        Value::Bool(b) => Ok(*b),
        other => Err(request(format!(
            "{key}: expected True or False, got {other}"
        ))),
    }
}

/// The request stated by `options` (a JSON object; unknown keys refused).
pub fn request_from(options: &Value) -> PyResult<Request> {
    let empty = serde_json::Map::new();
    let map = match options {
        Value::Object(m) => m,
        Value::Null => &empty,
        _ => return Err(request("options must be a mapping")),
    };
    let mut r = Request::default();
    for (key, v) in map {
        match key.as_str() {
            "minimize" => {
                if let Value::String(s) = v {
                    r.objective = Objective::parse(s).ok_or_else(|| {
                        request(format!(
                            "unknown objective \"{s}\"; use time, cost, distance or generalized"
                        ))
                    })?;
                } else if !v.is_null() {
                    return Err(request("minimize: expected a string"));
                }
            }
            "modes" => {
                let list = strings(v, key)?;
                if !list.is_empty() {
                    let mut m = ModeSet {
                        road: false,
                        rail: false,
                    };
                    for part in &list {
                        match part.as_str() {
                            "road" => m.road = true,
                            "rail" => m.rail = true,
                            other => {
                                return Err(request(format!(
                                    "unknown mode \"{other}\"; use road, rail or road,rail"
                                )));
                            }
                        }
                    }
                    r.modes = m;
                }
            }
            "commodity" => {
                r.commodity = match v {
                    Value::Null => None,
                    Value::String(s) => Some(s.clone()),
                    _ => return Err(request("commodity: expected a string")),
                }
            }
            "rail_service" => {
                r.rail_service = match v {
                    Value::Null => None,
                    Value::String(s) => Some(RailService::parse(s).ok_or_else(|| {
                        request(format!(
                            "unknown rail service \"{s}\"; use wagonload or block"
                        ))
                    })?),
                    _ => return Err(request("rail_service: expected a string")),
                }
            }
            "avoid_country" => {
                r.avoid_countries = strings(v, key)?
                    .iter()
                    .map(|s| {
                        Country::parse(s).ok_or_else(|| {
                            request(format!(
                                "\"{s}\" is not a two-letter country code (e.g. RU, CN)"
                            ))
                        })
                    })
                    .collect::<PyResult<Vec<_>>>()?
            }
            "avoid" => r.avoid_places = strings(v, key)?,
            "month" => {
                r.month = match number(v, key)? {
                    None => None,
                    Some(m) if m.fract() == 0.0 && (0.0..=255.0).contains(&m) => Some(m as u8),
                    Some(m) => {
                        return Err(request(format!("month must be 1 to 12, got {m}")));
                    }
                }
            }
            "include_under_construction" => r.include_under_construction = flag(v, key)?,
            "include_proposed" => r.include_proposed = flag(v, key)?,
            "tonnes" => r.tonnes = number(v, key)?,
            "value_of_time_usd_per_hour" => r.value_of_time_usd_per_hour = number(v, key)?,
            "params" => {
                r.params = match v {
                    Value::Object(m) => m
                        .iter()
                        .map(|(k, x)| match x {
                            Value::String(s) => format!("{k}={s}"),
                            other => format!("{k}={other}"),
                        })
                        .collect(),
                    other => strings(other, key)?,
                }
            }
            other => {
                return Err(request(format!(
                    "unknown option \"{other}\"; options are: {}",
                    ROUTE_OPTIONS.join(", ")
                )));
            }
        }
    }
    Ok(r)
}
