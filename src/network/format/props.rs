//! Typed properties of one feature, every problem recorded with its line and feature.

use serde_json::{Map, Value};

use crate::network::model::MonthSet;
use crate::network::validate::{Report, Severity};

/// An optional number from 0 to `max`; anything else is an error naming `what`.
pub(crate) fn bounded(
    p: &mut Props<'_>,
    value: Option<&Value>,
    what: &str,
    max: f64,
) -> Option<f64> {
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
pub(crate) fn unknown_keys(obj: &serde_json::Map<String, Value>, known: &[&str]) -> Vec<String> {
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

/// Reads typed properties of one feature, recording problems.
pub(crate) struct Props<'a> {
    pub(crate) map: &'a Map<String, Value>,
    pub(crate) index: usize,
    pub(crate) line: Option<usize>,
    pub(crate) id: Option<String>,
    pub(crate) report: &'a mut Report,
    pub(crate) ok: bool,
}

impl<'a> Props<'a> {
    pub(crate) fn error(&mut self, message: impl Into<String>) {
        self.ok = false;
        self.report.push(
            Severity::Error,
            self.line,
            Some((self.index, self.id.clone())),
            message,
        );
    }
    pub(crate) fn warn(&mut self, message: impl Into<String>) {
        self.report.push(
            Severity::Warning,
            self.line,
            Some((self.index, self.id.clone())),
            message,
        );
    }
    pub(crate) fn string(&mut self, key: &str, required: bool) -> Option<String> {
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
    pub(crate) fn number(&mut self, key: &str) -> Option<f64> {
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
    pub(crate) fn ranged(&mut self, key: &str, min: f64, max: f64) -> Option<f64> {
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
    pub(crate) fn boolean(&mut self, key: &str) -> Option<bool> {
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
    pub(crate) fn strings(&mut self, key: &str) -> Vec<String> {
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
    pub(crate) fn months(&mut self, key: &str, value: Option<&Value>) -> MonthSet {
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
    pub(crate) fn unknown_keys(&mut self, allowed: &[&str]) {
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

pub(crate) fn check_id(props: &mut Props<'_>, id: &str) {
    if !id
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        props.error(format!(
            "id \"{id}\" must be short ASCII: letters, digits, `_` or `-`"
        ));
    }
}
