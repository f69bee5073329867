//! Query parameters as a list of `(name, value)` pairs, from a URL's query string or from a
//! POSTed JSON object (arrays become repeated parameters), and the request options every
//! native service shares, checked as the command line checks them and errors naming the
//! parameter.

use serde_json::Value;

use crate::cost::params::RailService;
use crate::cost::profile::{ModeSet, Objective};
use crate::cost::request::Request;
use crate::network::model::Country;
use crate::server::error::ApiError;

/// Query parameters in the order given.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Pairs(pub Vec<(String, String)>);

impl Pairs {
    /// Parses a URL query string (`None` when the URL has none).
    pub fn from_query(raw: Option<&str>) -> Result<Pairs, ApiError> {
        match raw {
            None => Ok(Pairs::default()),
            Some(q) => serde_urlencoded::from_str::<Vec<(String, String)>>(q)
                .map(Pairs)
                .map_err(|e| ApiError::query(format!("the query string is not valid: {e}"))),
        }
    }

    /// Turns a JSON object into pairs: strings, numbers and booleans as their text, arrays
    /// as one pair per element.
    pub fn from_json(body: &[u8]) -> Result<Pairs, ApiError> {
        let v: Value = serde_json::from_slice(body)
            .map_err(|e| ApiError::query(format!("the body is not valid JSON: {e}")))?;
        let Value::Object(map) = v else {
            return Err(ApiError::query("the body must be a JSON object"));
        };
        let mut out = Vec::new();
        for (k, v) in map {
            let items = match v {
                Value::Array(a) => a,
                Value::Null => continue,
                other => vec![other],
            };
            for item in items {
                let text = match item {
                    Value::String(s) => s,
                    Value::Number(n) => n.to_string(),
                    Value::Bool(b) => b.to_string(),
                    Value::Array(a) if a.len() == 2 && a.iter().all(Value::is_number) => {
                        format!("{},{}", a[0], a[1])
                    }
                    _ => {
                        return Err(ApiError::value(
                            &k,
                            "give a string, a number, a boolean or a list of them",
                        ));
                    }
                };
                out.push((k.clone(), text));
            }
        }
        Ok(Pairs(out))
    }

    /// The last value given for `name`.
    pub fn one(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every value given for `name`, in order.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// Every value of `name`, each also split at commas (for lists of codes or names).
    pub fn list(&self, name: &str) -> Vec<String> {
        self.all(name)
            .iter()
            .flat_map(|v| v.split(','))
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    }

    /// An error naming the first parameter not in `known`.
    pub fn check_known(&self, known: &[&str]) -> Result<(), ApiError> {
        match self.0.iter().find(|(k, _)| !known.contains(&k.as_str())) {
            None => Ok(()),
            Some((k, _)) => Err(ApiError {
                parameter: Some(k.clone()),
                ..ApiError::query(format!(
                    "unknown parameter \"{k}\"; this service takes {}",
                    known.join(", ")
                ))
            }),
        }
    }

    /// A boolean (`true`/`false`/`1`/`0`), `default` when absent.
    pub fn flag(&self, name: &str, default: bool) -> Result<bool, ApiError> {
        match self.one(name) {
            None => Ok(default),
            Some("true" | "1" | "yes") => Ok(true),
            Some("false" | "0" | "no") => Ok(false),
            Some(v) => Err(ApiError::value(
                name,
                format!("\"{v}\" is not true or false"),
            )),
        }
    }

    /// A finite number in `[min, max]`, or `None` when absent.
    pub fn number(&self, name: &str, min: f64, max: f64) -> Result<Option<f64>, ApiError> {
        match self.one(name) {
            None => Ok(None),
            Some(v) => match v.trim().parse::<f64>() {
                Ok(x) if x.is_finite() && (min..=max).contains(&x) => Ok(Some(x)),
                Ok(x) => Err(ApiError::value(
                    name,
                    format!("{x} is outside {min} to {max}"),
                )),
                Err(_) => Err(ApiError::value(name, format!("\"{v}\" is not a number"))),
            },
        }
    }
}

/// Names of the request options every native service takes (as the command line's
/// `RouteOptions`, with `-` written `_`).
pub const REQUEST_OPTIONS: [&str; 12] = [
    "minimize",
    "modes",
    "avoid_country",
    "avoid",
    "month",
    "include_under_construction",
    "include_proposed",
    "commodity",
    "rail_service",
    "tonnes",
    "value_of_time",
    "param",
];

/// Parses `modes` (`road`, `rail`, `road,rail`).
pub fn parse_modes(name: &str, s: &str) -> Result<ModeSet, ApiError> {
    let mut m = ModeSet {
        road: false,
        rail: false,
    };
    for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        match part {
            "road" => m.road = true,
            "rail" => m.rail = true,
            other => {
                return Err(ApiError::value(
                    name,
                    format!("unknown mode \"{other}\"; use road, rail or road,rail"),
                ));
            }
        }
    }
    if !m.road && !m.rail {
        return Err(ApiError::value(name, "give at least one mode: road, rail"));
    }
    Ok(m)
}

/// The request the options in `pairs` state (defaults as the command line's).
pub fn request(pairs: &Pairs) -> Result<Request, ApiError> {
    let mut r = Request::default();
    if let Some(v) = pairs.one("minimize") {
        r.objective = Objective::parse(v).ok_or_else(|| {
            ApiError::value(
                "minimize",
                format!("unknown objective \"{v}\"; use time, cost, distance or generalized"),
            )
        })?;
    }
    if let Some(v) = pairs.one("modes") {
        r.modes = parse_modes("modes", v)?;
    }
    for c in pairs.list("avoid_country") {
        r.avoid_countries.push(Country::parse(&c).ok_or_else(|| {
            ApiError::value(
                "avoid_country",
                format!("\"{c}\" is not a two-letter country code (e.g. RU, CN)"),
            )
        })?);
    }
    r.avoid_places = pairs.all("avoid").iter().map(|s| s.to_string()).collect();
    if let Some(m) = pairs.number("month", 1.0, 12.0)? {
        if m.fract() != 0.0 {
            return Err(ApiError::value("month", "give a whole month, 1 to 12"));
        }
        r.month = Some(m as u8);
    }
    r.include_under_construction = pairs.flag("include_under_construction", false)?;
    r.include_proposed = pairs.flag("include_proposed", false)?;
    r.commodity = pairs.one("commodity").map(str::to_string);
    if let Some(v) = pairs.one("rail_service") {
        r.rail_service = Some(RailService::parse(v).ok_or_else(|| {
            ApiError::value(
                "rail_service",
                format!("unknown rail service \"{v}\"; use wagonload or block"),
            )
        })?);
    }
    r.tonnes = pairs.number("tonnes", 0.0, 1.0e8)?;
    if r.tonnes == Some(0.0) {
        return Err(ApiError::value("tonnes", "must be greater than 0"));
    }
    r.value_of_time_usd_per_hour = pairs.number("value_of_time", 0.0, 1.0e9)?;
    r.params = pairs.all("param").iter().map(|s| s.to_string()).collect();
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_and_json_give_the_same_pairs() {
        let q = Pairs::from_query(Some("from=Olgii&to=Almaty&via=Khovd&modes=road")).unwrap();
        let j =
            Pairs::from_json(br#"{"from":"Olgii","to":"Almaty","via":["Khovd"],"modes":"road"}"#)
                .unwrap();
        let mut a = q.0.clone();
        let mut b = j.0.clone();
        a.sort();
        b.sort();
        assert_eq!(a, b);
    }

    #[test]
    fn errors_name_the_parameter() {
        let p = Pairs::from_query(Some("minimize=fast")).unwrap();
        assert_eq!(
            request(&p).unwrap_err().parameter.as_deref(),
            Some("minimize")
        );
        let p = Pairs::from_query(Some("month=13")).unwrap();
        assert_eq!(request(&p).unwrap_err().parameter.as_deref(), Some("month"));
        let p = Pairs::from_query(Some("colour=red")).unwrap();
        let e = p.check_known(&["from"]).unwrap_err();
        assert_eq!(e.parameter.as_deref(), Some("colour"));
    }
}
