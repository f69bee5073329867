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
    /// Legacy single rail speed; networks with a `rail` section use its services instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rail: Option<f64>,
}

/// Flat line-haul tariffs, USD per tonne-km: the simple cost model, used where a network's
/// params have no `road` or `rail` section.
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

/// How a commodity's rail shipments travel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RailService {
    /// Single wagons or wagon groups, sorted in yards on the way (the common commercial case).
    Wagonload,
    /// Whole trains from origin to destination (block, unit or container trains).
    Block,
}

impl RailService {
    pub fn parse(s: &str) -> Option<RailService> {
        match s {
            "wagonload" => Some(RailService::Wagonload),
            "block" | "block_train" | "container_train" => Some(RailService::Block),
            _ => None,
        }
    }
    pub fn as_str(&self) -> &'static str {
        match self {
            RailService::Wagonload => "wagonload",
            RailService::Block => "block",
        }
    }
}

/// How rail freight changes gauge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GaugeMethod {
    /// The load moves from wagons of one gauge to wagons (or boxes to flat cars) of the other.
    Transload,
    /// The wagon stays loaded; its bogies are exchanged.
    BogieExchange,
}

/// A commodity class: how it is shipped and what its time is worth.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Commodity {
    /// What planners call it, e.g. `petroleum products`.
    pub label: String,
    /// Modes it may use (`road`, `rail`).
    pub modes: Vec<String>,
    /// Typical value, USD per tonne (for value of time and reports).
    pub value_usd_per_tonne: f64,
    /// Value of time, USD per tonne-hour: capital tied up in the goods plus perishability.
    pub value_of_time_usd_per_tonne_hour: f64,
    /// Payload of one truck, tonnes.
    pub truck_payload_tonnes: f64,
    /// What it rides in on rail: `wagon` or `container`.
    pub rail_unit: String,
    /// Payload of one wagon or container, tonnes.
    pub rail_payload_tonnes: f64,
    /// Default rail service (`wagonload` or `block`).
    pub rail_service: RailService,
    /// Railway tariff class, as a factor on the general rate (1 = general rate).
    pub rail_tariff_factor: f64,
    /// Handling cost per tonne at a road-rail transfer or a transload, USD.
    pub handling_usd_per_tonne: f64,
    /// How it changes gauge where a crossing offers both methods.
    pub gauge_change: GaugeMethod,
    /// Whether shippers load wagons at their own siding (`siding`, bulk) or trucks carry the
    /// goods to and from a rail terminal (`terminal`: drayage and handling at both ends).
    #[serde(default = "siding")]
    pub rail_access: String,
    pub source: String,
}

fn siding() -> String {
    "siding".into()
}

/// Truck operating costs by road class, per vehicle-km (fuel, tyres, wear, maintenance).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoadClassCosts {
    pub motorway: f64,
    pub paved: f64,
    pub gravel: f64,
    pub earth: f64,
}

/// The carrier's road cost model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoadCosts {
    /// Vehicle operating cost, USD per vehicle-km, by road class.
    pub usd_per_vehicle_km: RoadClassCosts,
    /// Driver wage, per diem and the truck's time cost, USD per elapsed hour of the trip.
    pub usd_per_vehicle_hour: f64,
    /// Driving allowed per day before a daily rest (hours of service).
    pub max_driving_hours_per_day: f64,
    /// Length of a daily rest stop, hours.
    pub daily_rest_hours: f64,
}

/// One national railway's freight tariff, per tonne at the general rate (factor 1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RailTariff {
    /// The railway's usual name (KTZ, RZD, UBTZ, China Railway).
    pub name: String,
    /// Initial and final operations, charged once per shipment on this railway, USD/t.
    pub terminal_usd_per_tonne: f64,
    /// Line haul for goods to, from or within the country, USD per tonne-km.
    pub usd_per_tonne_km: f64,
    /// Line haul for goods in transit (neither origin nor destination in this country),
    /// USD per tonne-km; the general rate where absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transit_usd_per_tonne_km: Option<f64>,
}

/// Time of one rail service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RailServiceTimes {
    /// Average speed between origin and destination yards, km/h (includes intermediate
    /// yard dwell for wagonload).
    pub speed_kmh: f64,
    /// Hours from loading to departure (waiting for a train, formation).
    pub loading_dwell_hours: f64,
    /// Hours from arrival to release at destination.
    pub unloading_dwell_hours: f64,
}

/// Times of the two rail services.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RailServices {
    pub wagonload: RailServiceTimes,
    pub block: RailServiceTimes,
}

/// The carrier's rail cost model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RailCosts {
    /// Tariffs by the country code of the railway.
    pub railways: BTreeMap<String, RailTariff>,
    /// Tariff for countries without an entry.
    pub default_railway: RailTariff,
    pub services: RailServices,
    /// Bogie exchange at a gauge change, USD per wagon.
    pub bogie_exchange_usd_per_wagon: f64,
    /// Truck haul between a shipper and the rail terminal, km each end, for commodities with
    /// `rail_access: terminal`.
    #[serde(default)]
    pub drayage_km: f64,
}

/// A customs union whose internal borders are lighter than external ones.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomsUnion {
    pub name: String,
    pub members: Vec<String>,
    pub road: BorderCost,
    pub rail: BorderCost,
}

/// All cost-model parameters of a network.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    pub cargo: Cargo,
    /// USD per hour of the whole shipment (generalized cost = USD + this x hours). When absent,
    /// the commodity's value of time per tonne-hour times the shipment's tonnes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_of_time_usd_per_hour: Option<f64>,
    pub speed_kmh: Speeds,
    /// Legacy: hours a truck drives per day, as a stretch of every road hour. Networks with a
    /// `road` section schedule rest stops instead (`road.max_driving_hours_per_day`).
    #[serde(default = "full_day")]
    pub road_driving_hours_per_day: f64,
    /// Flat tariffs (simple model); required unless both `road` and `rail` are given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tariff_usd_per_tkm: Option<Tariffs>,
    /// Commodity classes by key; without them every request uses one class built from the
    /// flat parameters (`general`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub commodities: BTreeMap<String, Commodity>,
    /// The commodity of requests and demand rows that name none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_commodity: Option<String>,
    /// Truck operating costs and hours of service (the carrier's cost model).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub road: Option<RoadCosts>,
    /// Railway tariffs by country and rail services (the carrier's cost model).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rail: Option<RailCosts>,
    pub transfer: Transfers,
    pub border_default: BorderDefaults,
    /// Customs unions whose internal borders take lighter processing than `border_default`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub customs_unions: Vec<CustomsUnion>,
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
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut params: Params = serde_json::from_str(text).map_err(|e| Error::Param {
            key: origin.to_string(),
            message: format!("line {}, column {}: {}", e.line(), e.column(), e),
        })?;
        params.normalise()?;
        params.check()?;
        Ok(params)
    }

    /// Country codes in upper case (`transit.cn` is `transit.CN`); two spellings of one
    /// country are an error.
    fn normalise(&mut self) -> Result<()> {
        self.transit = upper_case_keys(std::mem::take(&mut self.transit), "transit")?;
        if let Some(rail) = &mut self.rail {
            rail.railways = upper_case_keys(std::mem::take(&mut rail.railways), "rail.railways")?;
        }
        for u in &mut self.customs_unions {
            for m in &mut u.members {
                *m = m.to_ascii_uppercase();
            }
        }
        Ok(())
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
                message: format!("must be 0 or a number from 1e-9 to {MAX_NUMBER:e} (got {v})"),
            });
        }
        let mut positive: Vec<(String, f64)> = vec![
            ("cargo.tonnes".into(), self.cargo.tonnes),
            (
                "speed_kmh.road.motorway".into(),
                self.speed_kmh.road.motorway,
            ),
            ("speed_kmh.road.paved".into(), self.speed_kmh.road.paved),
            ("speed_kmh.road.gravel".into(), self.speed_kmh.road.gravel),
            ("speed_kmh.road.earth".into(), self.speed_kmh.road.earth),
            (
                "road_driving_hours_per_day".into(),
                self.road_driving_hours_per_day,
            ),
        ];
        if let Some(r) = self.speed_kmh.rail {
            positive.push(("speed_kmh.rail".into(), r));
        }
        if let Some(r) = &self.road {
            positive.push((
                "road.max_driving_hours_per_day".into(),
                r.max_driving_hours_per_day,
            ));
        }
        if let Some(r) = &self.rail {
            positive.push((
                "rail.services.wagonload.speed_kmh".into(),
                r.services.wagonload.speed_kmh,
            ));
            positive.push((
                "rail.services.block.speed_kmh".into(),
                r.services.block.speed_kmh,
            ));
        }
        for (k, c) in &self.commodities {
            positive.push((
                format!("commodities.{k}.truck_payload_tonnes"),
                c.truck_payload_tonnes,
            ));
            positive.push((
                format!("commodities.{k}.rail_payload_tonnes"),
                c.rail_payload_tonnes,
            ));
            positive.push((
                format!("commodities.{k}.rail_tariff_factor"),
                c.rail_tariff_factor,
            ));
        }
        for (key, n) in &positive {
            if key.contains("speed") && *n > MAX_SPEED_KMH {
                return Err(Error::Param {
                    key: key.clone(),
                    message: format!("must be at most {MAX_SPEED_KMH} km/h (got {n})"),
                });
            }
        }
        for (key, n) in positive {
            if n < MIN_POSITIVE {
                return Err(Error::Param {
                    key,
                    message: format!("must be at least {MIN_POSITIVE} (got {n})"),
                });
            }
        }
        self.check_model()?;
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

    /// Checks the parts of the cost model fit together: the flat tariffs are there when the
    /// carrier model is not, commodities name known modes and units, the default exists.
    fn check_model(&self) -> Result<()> {
        let err = |key: &str, message: String| {
            Err(Error::Param {
                key: key.into(),
                message,
            })
        };
        if (self.road.is_none() || self.rail.is_none()) && self.tariff_usd_per_tkm.is_none() {
            return err(
                "tariff_usd_per_tkm",
                "is required unless params.json has both a `road` and a `rail` section".into(),
            );
        }
        if self.rail.is_none() && self.speed_kmh.rail.is_none() {
            return err(
                "speed_kmh.rail",
                "is required unless params.json has a `rail` section".into(),
            );
        }
        for (k, c) in &self.commodities {
            for m in &c.modes {
                if crate::network::model::Mode::parse(m).is_none() {
                    return err(
                        &format!("commodities.{k}.modes"),
                        format!("unknown mode `{m}`; use road, rail"),
                    );
                }
            }
            if c.modes.is_empty() {
                return err(
                    &format!("commodities.{k}.modes"),
                    "give at least one mode".into(),
                );
            }
            if c.rail_access != "siding" && c.rail_access != "terminal" {
                return err(
                    &format!("commodities.{k}.rail_access"),
                    format!("must be `siding` or `terminal` (got `{}`)", c.rail_access),
                );
            }
            if c.rail_unit != "wagon" && c.rail_unit != "container" {
                return err(
                    &format!("commodities.{k}.rail_unit"),
                    format!("must be `wagon` or `container` (got `{}`)", c.rail_unit),
                );
            }
        }
        if let Some(d) = &self.default_commodity
            && !self.commodities.is_empty()
            && !self.commodities.contains_key(d)
        {
            return err(
                "default_commodity",
                format!(
                    "names no commodity; known: {}",
                    self.commodities
                        .keys()
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        }
        for u in &self.customs_unions {
            for m in &u.members {
                if crate::network::model::Country::parse(m).is_none() {
                    return err(
                        &format!("customs_unions.{}.members", u.name),
                        format!("`{m}` is not a two-letter country code"),
                    );
                }
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
            // Country codes are not case-sensitive: `transit.cn.road` is `transit.CN.road`.
            let key = match key.split_once('.') {
                Some(("transit", rest)) => match rest.split_once('.') {
                    Some((cc, tail)) => format!("transit.{}.{tail}", cc.to_ascii_uppercase()),
                    None => format!("transit.{}", rest.to_ascii_uppercase()),
                },
                _ => key.to_string(),
            };
            let key = key.as_str();
            let new: serde_json::Value = serde_json::from_str(raw.trim())
                .unwrap_or_else(|_| serde_json::Value::String(raw.trim().to_string()));
            set_path(&mut value, key, new)?;
        }
        let mut params: Params = serde_json::from_value(value).map_err(|e| Error::Param {
            key: overrides.join(" "),
            message: e.to_string(),
        })?;
        params.normalise()?;
        params.check()?;
        Ok(params)
    }

    /// Whether any railway charges a transit rate of its own (costs then depend on where the
    /// goods come from and go to).
    pub fn has_transit_rates(&self) -> bool {
        self.rail.as_ref().is_some_and(|r| {
            r.railways
                .values()
                .chain(std::iter::once(&r.default_railway))
                .any(|t| t.transit_usd_per_tonne_km.is_some())
        })
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

/// A map keyed by country code with the codes in upper case; two spellings of one code are
/// an error naming `what`.
fn upper_case_keys<T>(map: BTreeMap<String, T>, what: &str) -> Result<BTreeMap<String, T>> {
    let mut out = BTreeMap::new();
    for (code, v) in map {
        let upper = code.to_ascii_uppercase();
        if out.insert(upper.clone(), v).is_some() {
            return Err(Error::Param {
                key: format!("{what}.{code}"),
                message: format!("{upper} has two entries (country codes are not case-sensitive)"),
            });
        }
    }
    Ok(out)
}

/// The largest number any parameter may take: with it no cost of a validated request
/// overflows the compiled weights.
pub const MAX_NUMBER: f64 = 1.0e9;

/// The smallest value of a parameter that must be positive (tonnes, payloads, speeds,
/// factors): anything smaller would blow costs up to infinity.
pub const MIN_POSITIVE: f64 = 1e-3;

/// Speeds above this are not freight speeds, km/h.
pub const MAX_SPEED_KMH: f64 = 300.0;

fn walk_numbers(v: &serde_json::Value, path: String, bad: &mut Vec<(String, String)>) {
    match v {
        serde_json::Value::Number(n) => {
            let x = n.as_f64().unwrap_or(f64::NAN);
            if !x.is_finite() || !(0.0..=MAX_NUMBER).contains(&x) || (x != 0.0 && x < 1e-9) {
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
    // Optional top-level parameters may be set even where the file leaves them out.
    let optional_top =
        parts.len() == 1 && matches!(parts[0], "value_of_time_usd_per_hour" | "default_commodity");
    let mut cur = root;
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        let obj = cur.as_object_mut().ok_or_else(|| Error::Param {
            key: key.into(),
            message: format!("`{}` is not a group of parameters", parts[..i].join(".")),
        })?;
        if !obj.contains_key(*part) {
            if optional_top {
                obj.insert(part.to_string(), new);
                return Ok(());
            }
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
