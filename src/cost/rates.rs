//! The rates of one request: the commodity's shipping units and value of time, the carrier
//! cost model (or the flat tariffs of a simple network), resolved once so that every cost
//! formula reads plain numbers.

use crate::cost::params::{Commodity, GaugeMethod, Params, RailService, RailTariff};
use crate::cost::profile::ModeSet;
use crate::error::{Error, Result};
use crate::network::model::{Country, Mode, RoadClass};

/// The commodity key used when params.json defines no commodity classes.
pub const GENERAL: &str = "general";

/// Everything the cost formulas need for one request, per shipment of `tonnes`.
#[derive(Debug, Clone, PartialEq)]
pub struct Rates {
    /// The commodity key (e.g. `petroleum`).
    pub commodity_key: String,
    pub commodity: Commodity,
    /// Shipment size, tonnes.
    pub tonnes: f64,
    /// Value of time of the whole shipment, USD per hour.
    pub value_of_time_usd_per_hour: f64,
    /// Modes the request and the commodity both allow.
    pub modes: ModeSet,
    pub rail_service: RailService,
    /// True when params.json has the carrier model (`road` and `rail` sections).
    pub carrier_model: bool,
}

/// The commodity class `key`, or the one built from the flat parameters when params.json
/// defines none. Errors name the known classes.
pub fn commodity(params: &Params, key: Option<&str>) -> Result<(String, Commodity)> {
    if params.commodities.is_empty() {
        return match key {
            None | Some(GENERAL) => Ok((GENERAL.to_string(), flat_commodity(params))),
            Some(other) => Err(Error::Request(format!(
                "unknown commodity \"{other}\": this network's params.json defines no commodity classes (only `{GENERAL}`)"
            ))),
        };
    }
    let key = key
        .map(str::to_string)
        .or_else(|| params.default_commodity.clone())
        .or_else(|| params.commodities.keys().next().cloned())
        .unwrap_or_else(|| GENERAL.to_string());
    match params.commodities.get(&key) {
        Some(c) => Ok((key, c.clone())),
        None => {
            let by_label = params
                .commodities
                .iter()
                .find(|(_, c)| c.label.eq_ignore_ascii_case(&key));
            match by_label {
                Some((k, c)) => Ok((k.clone(), c.clone())),
                None => Err(Error::Request(format!(
                    "unknown commodity \"{key}\"; known: {}",
                    params
                        .commodities
                        .iter()
                        .map(|(k, c)| format!("{k} ({})", c.label))
                        .collect::<Vec<_>>()
                        .join(", ")
                ))),
            }
        }
    }
}

/// The one commodity of a network without classes: every figure from the flat parameters.
fn flat_commodity(params: &Params) -> Commodity {
    let t = params.cargo.tonnes.max(f64::MIN_POSITIVE);
    Commodity {
        label: "general cargo".into(),
        modes: vec!["road".into(), "rail".into()],
        value_usd_per_tonne: 0.0,
        value_of_time_usd_per_tonne_hour: params.value_of_time_usd_per_hour.unwrap_or(0.0) / t,
        truck_payload_tonnes: t,
        rail_unit: "wagon".into(),
        rail_payload_tonnes: t,
        rail_service: RailService::Wagonload,
        rail_tariff_factor: 1.0,
        handling_usd_per_tonne: params.transfer.road_rail.cost_usd_per_tonne,
        gauge_change: GaugeMethod::Transload,
        rail_access: "siding".into(),
        source: "built from the flat parameters of params.json".into(),
    }
}

impl Rates {
    /// The rates of the default commodity (or, failing that, the flat one): used where a
    /// commodity key was checked earlier and cannot fail.
    pub fn fallback(params: &Params, modes: ModeSet, rail_service: Option<RailService>) -> Rates {
        let (key, c) = params
            .default_commodity
            .as_ref()
            .and_then(|k| params.commodities.get_key_value(k))
            .or_else(|| params.commodities.iter().next())
            .map(|(k, c)| (k.clone(), c.clone()))
            .unwrap_or_else(|| (GENERAL.to_string(), flat_commodity(params)));
        Rates::with_commodity(params, key, c, modes, rail_service)
    }

    /// Resolves the rates of a request.
    pub fn new(
        params: &Params,
        commodity_key: Option<&str>,
        modes: ModeSet,
        rail_service: Option<RailService>,
    ) -> Result<Rates> {
        let (key, c) = commodity(params, commodity_key)?;
        Ok(Rates::with_commodity(params, key, c, modes, rail_service))
    }

    fn with_commodity(
        params: &Params,
        key: String,
        c: Commodity,
        modes: ModeSet,
        rail_service: Option<RailService>,
    ) -> Rates {
        let allowed = |m: Mode| c.modes.iter().any(|x| x == m.as_str());
        let modes = ModeSet {
            road: modes.road && allowed(Mode::Road),
            rail: modes.rail && allowed(Mode::Rail),
        };
        let tonnes = params.cargo.tonnes;
        let vot = params
            .value_of_time_usd_per_hour
            .unwrap_or(c.value_of_time_usd_per_tonne_hour * tonnes);
        Rates {
            commodity_key: key,
            rail_service: rail_service.unwrap_or(c.rail_service),
            commodity: c,
            tonnes,
            value_of_time_usd_per_hour: vot,
            modes,
            carrier_model: params.road.is_some() && params.rail.is_some(),
        }
    }

    /// Trucks (fractional: costs assume fully loaded units) for the shipment.
    pub fn trucks(&self) -> f64 {
        self.tonnes / self.commodity.truck_payload_tonnes
    }

    /// Wagons or containers (fractional) for the shipment.
    pub fn rail_units(&self) -> f64 {
        self.tonnes / self.commodity.rail_payload_tonnes
    }

    /// Truck line-haul cost of the shipment per km on a road of `class` (operating cost
    /// only; the hourly cost is added by [`Rates::road_usd_per_hour`]).
    pub fn road_usd_per_km(&self, params: &Params, class: Option<RoadClass>) -> f64 {
        match &params.road {
            Some(r) if self.carrier_model => {
                let c = &r.usd_per_vehicle_km;
                let per_vehicle = match class {
                    Some(RoadClass::Motorway) => c.motorway,
                    Some(RoadClass::Gravel) => c.gravel,
                    Some(RoadClass::Earth) => c.earth,
                    _ => c.paved,
                };
                per_vehicle * self.trucks()
            }
            _ => params.tariff_usd_per_tkm.as_ref().map_or(0.0, |t| t.road) * self.tonnes,
        }
    }

    /// Hourly cost of the trucks carrying the shipment (driver, per diem, vehicle time).
    pub fn road_usd_per_hour(&self, params: &Params) -> f64 {
        match &params.road {
            Some(r) if self.carrier_model => r.usd_per_vehicle_hour * self.trucks(),
            _ => 0.0,
        }
    }

    /// Rest hours per hour driven, spread evenly (the search's estimate of rest stops).
    pub fn rest_per_driving_hour(&self, params: &Params) -> f64 {
        match &params.road {
            Some(r) if self.carrier_model => r.daily_rest_hours / r.max_driving_hours_per_day,
            _ => 0.0,
        }
    }

    /// The tariff of the railway of `country`.
    pub fn railway<'p>(&self, params: &'p Params, country: Country) -> Option<&'p RailTariff> {
        let rail = params.rail.as_ref()?;
        Some(
            rail.railways
                .get(country.as_str())
                .unwrap_or(&rail.default_railway),
        )
    }

    /// Rail line-haul cost of the shipment per km on the railway of `country`.
    pub fn rail_usd_per_km(&self, params: &Params, country: Country, transit: bool) -> f64 {
        match self.railway(params, country) {
            Some(t) if self.carrier_model => {
                let rate = if transit {
                    t.transit_usd_per_tonne_km.unwrap_or(t.usd_per_tonne_km)
                } else {
                    t.usd_per_tonne_km
                };
                rate * self.commodity.rail_tariff_factor * self.tonnes
            }
            _ => params.tariff_usd_per_tkm.as_ref().map_or(0.0, |t| t.rail) * self.tonnes,
        }
    }

    /// The railway's charge for initial and final operations of the shipment.
    pub fn rail_terminal_usd(&self, params: &Params, country: Country) -> f64 {
        match self.railway(params, country) {
            Some(t) if self.carrier_model => {
                t.terminal_usd_per_tonne * self.commodity.rail_tariff_factor * self.tonnes
            }
            _ => 0.0,
        }
    }

    /// Average rail speed of the request's service, km/h.
    pub fn rail_speed_kmh(&self, params: &Params) -> f64 {
        match &params.rail {
            Some(r) => match self.rail_service {
                RailService::Wagonload => r.services.wagonload.speed_kmh,
                RailService::Block => r.services.block.speed_kmh,
            },
            None => params.speed_kmh.rail.unwrap_or(1.0),
        }
    }

    /// Hours from loading a wagon to the train's departure, and from arrival to release.
    pub fn rail_dwell_hours(&self, params: &Params) -> (f64, f64) {
        match &params.rail {
            Some(r) => {
                let s = match self.rail_service {
                    RailService::Wagonload => &r.services.wagonload,
                    RailService::Block => &r.services.block,
                };
                (s.loading_dwell_hours, s.unloading_dwell_hours)
            }
            None => (0.0, 0.0),
        }
    }

    /// The truck haul between a shipper and the rail terminal (USD, hours), for a shipment
    /// that does not load at its own siding; none otherwise.
    pub fn drayage_haul(&self, params: &Params) -> (f64, f64) {
        match (&params.rail, &params.road) {
            (Some(rail), Some(_))
                if self.carrier_model && self.commodity.rail_access == "terminal" =>
            {
                let hours = rail.drayage_km / params.speed_kmh.road.paved;
                let usd = rail.drayage_km * self.road_usd_per_km(params, None)
                    + hours * self.road_usd_per_hour(params);
                (usd, hours)
            }
            _ => (0.0, 0.0),
        }
    }

    /// Pre- or on-carriage of a shipment that does not load at its own siding: the truck haul
    /// to or from the rail terminal and the handling there (USD, hours).
    pub fn drayage(&self, params: &Params) -> (f64, f64) {
        let (usd, hours) = self.drayage_haul(params);
        if hours > 0.0 {
            (
                usd + self.handling_usd(),
                hours + params.transfer.road_rail.hours,
            )
        } else {
            (0.0, 0.0)
        }
    }

    /// Handling of the shipment at a road-rail transfer or a transload.
    pub fn handling_usd(&self) -> f64 {
        self.commodity.handling_usd_per_tonne * self.tonnes
    }

    /// Bogie exchange of the shipment's wagons, if the carrier model prices it.
    pub fn bogie_exchange_usd(&self, params: &Params) -> Option<f64> {
        let r = params.rail.as_ref()?;
        (self.commodity.rail_unit == "wagon")
            .then(|| r.bogie_exchange_usd_per_wagon * self.rail_units())
    }

    /// A border fee quoted per vehicle (truck, wagon or container), for this shipment. The
    /// flat model charges it once per shipment.
    pub fn per_vehicle(&self, fee_usd: f64, mode: Mode) -> f64 {
        if !self.carrier_model {
            return fee_usd;
        }
        match mode {
            Mode::Road => fee_usd * self.trucks(),
            Mode::Rail => fee_usd * self.rail_units(),
        }
    }
}
