//! The cost model's parameters (`params.json`): speeds, tariffs, transfer and border defaults,
//! value of time, cargo, transit permissions. Overridable key by key (`--param a.b=value`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The shipment the costs are computed for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cargo {
    pub tonnes: f64,
    #[serde(default)]
    pub description: String,
}

/// Default truck speeds by road class, km/h.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoadSpeeds {
    pub motorway: f64,
    pub paved: f64,
    pub gravel: f64,
    pub earth: f64,
}

/// Default speeds, km/h.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Speeds {
    pub road: RoadSpeeds,
    pub rail: f64,
}

/// Line-haul tariffs, USD per tonne-km.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tariffs {
    pub road: f64,
    pub rail: f64,
}

/// Time and cost of one transfer of the shipment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransferCost {
    pub hours: f64,
    pub bad_day_hours: f64,
    pub cost_usd_per_tonne: f64,
}

/// Defaults for transfers whose place gives no figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Transfers {
    pub road_rail: TransferCost,
    pub gauge_change: TransferCost,
}

/// Time and fee of one border crossing for one shipment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BorderCost {
    pub hours: f64,
    pub bad_day_hours: f64,
    pub fee_usd: f64,
}

/// Defaults for crossings whose place gives no figures, by mode.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BorderDefaults {
    pub road: BorderCost,
    pub rail: BorderCost,
}

/// Whether goods between two other countries may cross this country by this mode.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransitRule {
    pub allowed: bool,
    /// False where the permission is assumed rather than known; routes using it say so.
    #[serde(default = "yes")]
    pub confirmed: bool,
    #[serde(default)]
    pub note: String,
}

fn yes() -> bool {
    true
}

fn full_day() -> f64 {
    24.0
}

/// Transit rules of one country, by mode. A missing mode means transit is allowed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransitByMode {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub road: Option<TransitRule>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rail: Option<TransitRule>,
}

/// Construction costs for proposed links, USD per km, by mode and terrain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConstructionCosts {
    pub road_flat: f64,
    pub road_mountain: f64,
    pub rail_flat: f64,
    pub rail_mountain: f64,
}

/// All cost-model parameters of a network.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    pub cargo: Cargo,
    /// USD per hour of the whole shipment (generalized cost = USD + this x hours).
    pub value_of_time_usd_per_hour: f64,
    pub speed_kmh: Speeds,
    /// Hours a truck drives per day; road hours are stretched by 24 / this to elapsed time
    /// (driver rest), so they compare with rail's elapsed-time speeds. 24 means no rest.
    #[serde(default = "full_day")]
    pub road_driving_hours_per_day: f64,
    pub tariff_usd_per_tkm: Tariffs,
    pub transfer: Transfers,
    pub border_default: BorderDefaults,
    /// Transit permissions by country code.
    #[serde(default)]
    pub transit: BTreeMap<String, TransitByMode>,
    /// Construction costs (used by `propose`); optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub construction_usd_per_km: Option<ConstructionCosts>,
    /// Where each figure comes from, by dotted key. Free text.
    #[serde(default)]
    pub sources: BTreeMap<String, String>,
}

impl Params {
    /// Parses `params.json` text; `origin` names the file in errors.
    pub fn from_json(text: &str, origin: &str) -> Result<Params> {
        let params: Params = serde_json::from_str(text).map_err(|e| Error::Param {
            key: origin.to_string(),
            message: format!("line {}, column {}: {}", e.line(), e.column(), e),
        })?;
        params.check()?;
        Ok(params)
    }

    /// Checks every number is finite and in range; names the first bad key.
    pub fn check(&self) -> Result<()> {
        let value = serde_json::to_value(self).map_err(|e| Error::Param {
            key: "params".into(),
            message: e.to_string(),
        })?;
        let mut bad = Vec::new();
        walk_numbers(&value, String::new(), &mut bad);
        if let Some((key, v)) = bad.into_iter().next() {
            return Err(Error::Param {
                key,
                message: format!("must be a finite number >= 0 (got {v})"),
            });
        }
        for (key, n) in [
            ("cargo.tonnes", self.cargo.tonnes),
            ("speed_kmh.rail", self.speed_kmh.rail),
            (
                "road_driving_hours_per_day",
                self.road_driving_hours_per_day,
            ),
            ("speed_kmh.road.motorway", self.speed_kmh.road.motorway),
            ("speed_kmh.road.paved", self.speed_kmh.road.paved),
            ("speed_kmh.road.gravel", self.speed_kmh.road.gravel),
            ("speed_kmh.road.earth", self.speed_kmh.road.earth),
        ] {
            if n <= 0.0 {
                return Err(Error::Param {
                    key: key.into(),
                    message: format!("must be greater than 0 (got {n})"),
                });
            }
        }
        if self.road_driving_hours_per_day > 24.0 {
            return Err(Error::Param {
                key: "road_driving_hours_per_day".into(),
                message: format!(
                    "must be at most 24 (got {})",
                    self.road_driving_hours_per_day
                ),
            });
        }
        for code in self.transit.keys() {
            if crate::network::model::Country::parse(code).is_none() {
                return Err(Error::Param {
                    key: format!("transit.{code}"),
                    message: "transit keys must be two-letter country codes".into(),
                });
            }
        }
        Ok(())
    }

    /// Applies `key=value` overrides (e.g. `tariff_usd_per_tkm.road=0.12`,
    /// `transit.CN.road.allowed=false`). The key must name an existing parameter, except
    /// under `transit`, where a rule for a new country or mode may be added.
    pub fn with_overrides(&self, overrides: &[String]) -> Result<Params> {
        if overrides.is_empty() {
            return Ok(self.clone());
        }
        let mut value = serde_json::to_value(self).map_err(|e| Error::Param {
            key: "params".into(),
            message: e.to_string(),
        })?;
        for item in overrides {
            let (key, raw) = item.split_once('=').ok_or_else(|| Error::Param {
                key: item.clone(),
                message: "expected key=value, e.g. tariff_usd_per_tkm.road=0.12".into(),
            })?;
            let key = key.trim();
            let new: serde_json::Value = serde_json::from_str(raw.trim())
                .unwrap_or_else(|_| serde_json::Value::String(raw.trim().to_string()));
            set_path(&mut value, key, new)?;
        }
        let params: Params = serde_json::from_value(value).map_err(|e| Error::Param {
            key: overrides.join(" "),
            message: e.to_string(),
        })?;
        params.check()?;
        Ok(params)
    }

    /// The transit rule for a country and mode, if any.
    pub fn transit_rule(
        &self,
        country: &str,
        mode: crate::network::model::Mode,
    ) -> Option<&TransitRule> {
        let by_mode = self.transit.get(country)?;
        match mode {
            crate::network::model::Mode::Road => by_mode.road.as_ref(),
            crate::network::model::Mode::Rail => by_mode.rail.as_ref(),
        }
    }
}

fn walk_numbers(v: &serde_json::Value, path: String, bad: &mut Vec<(String, String)>) {
    match v {
        serde_json::Value::Number(n) => {
            let x = n.as_f64().unwrap_or(f64::NAN);
            if !x.is_finite() || x < 0.0 {
                bad.push((path, n.to_string()));
            }
        }
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                if path.is_empty() && k == "sources" {
                    continue;
                }
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                walk_numbers(v, p, bad);
            }
        }
        _ => {}
    }
}

fn set_path(root: &mut serde_json::Value, key: &str, new: serde_json::Value) -> Result<()> {
    let parts: Vec<&str> = key.split('.').collect();
    let growable = parts.first() == Some(&"transit");
    let mut cur = root;
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        let obj = cur.as_object_mut().ok_or_else(|| Error::Param {
            key: key.into(),
            message: format!("`{}` is not a group of parameters", parts[..i].join(".")),
        })?;
        if !obj.contains_key(*part) {
            if growable && i >= 1 {
                let fill = if last {
                    new.clone()
                } else if i == 2 {
                    serde_json::json!({"allowed": true})
                } else {
                    serde_json::json!({})
                };
                obj.insert(part.to_string(), fill);
            } else {
                let known: Vec<String> = obj.keys().cloned().collect();
                return Err(Error::Param {
                    key: key.into(),
                    message: format!(
                        "unknown parameter `{part}`; known here: {}",
                        known.join(", ")
                    ),
                });
            }
        }
        if last {
            obj.insert(part.to_string(), new);
            return Ok(());
        }
        cur = obj.get_mut(*part).ok_or_else(|| Error::Param {
            key: key.into(),
            message: "unknown parameter".into(),
        })?;
    }
    Ok(())
}
