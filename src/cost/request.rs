//! A request as a user states it (command-line options, and later an HTTP query or a Python
//! call), turned into a [`Profile`] by one function, so every front end asks the same way.

use crate::cost::params::{Params, RailService};
use crate::cost::profile::{ModeSet, Objective, Profile, When};
use crate::error::{Error, Result};
use crate::network::model::{Country, Network};
use crate::network::names;

/// What a user asks of a search, in their words (names, codes, overrides).
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub objective: Objective,
    pub modes: ModeSet,
    /// Commodity class key or label; `None` for params.json's default.
    pub commodity: Option<String>,
    pub rail_service: Option<RailService>,
    /// Countries the route must not enter.
    pub avoid_countries: Vec<Country>,
    /// Places the route must not pass, by name, alias or id.
    pub avoid_places: Vec<String>,
    /// Month of travel (1-12); `None` for year-round elements only.
    pub month: Option<u8>,
    pub include_under_construction: bool,
    pub include_proposed: bool,
    /// Shipment size, tonnes (params.json's `cargo.tonnes` when `None`).
    pub tonnes: Option<f64>,
    /// Value of time of the whole shipment, USD per hour (the commodity's when `None`).
    pub value_of_time_usd_per_hour: Option<f64>,
    /// `key=value` overrides of params.json.
    pub params: Vec<String>,
}

impl Default for Request {
    fn default() -> Request {
        Request {
            objective: Objective::Generalized,
            modes: ModeSet::ALL,
            commodity: None,
            rail_service: None,
            avoid_countries: Vec::new(),
            avoid_places: Vec::new(),
            month: None,
            include_under_construction: false,
            include_proposed: false,
            tonnes: None,
            value_of_time_usd_per_hour: None,
            params: Vec::new(),
        }
    }
}

impl Request {
    /// The profile this request asks for on `network`; every name, code and override is
    /// checked, and the first problem named.
    pub fn profile(&self, network: &Network) -> Result<Profile> {
        let mut overrides = self.params.clone();
        if let Some(t) = self.tonnes {
            overrides.push(format!("cargo.tonnes={t}"));
        }
        if let Some(v) = self.value_of_time_usd_per_hour {
            overrides.push(format!("value_of_time_usd_per_hour={v}"));
        }
        let params: Params = network.params.with_overrides(&overrides)?;
        let mut profile = Profile::new(params);
        if let Some(c) = &self.commodity {
            profile.set_commodity(c)?;
        }
        profile.rail_service = self.rail_service;
        profile.objective = self.objective;
        profile.modes = self.modes;
        profile.when = match self.month {
            Some(m) if (1..=12).contains(&m) => When::Month(m),
            Some(m) => {
                return Err(Error::Request(format!("month must be 1 to 12, got {m}")));
            }
            None => When::YearRound,
        };
        profile.include_proposed = self.include_proposed;
        profile.include_under_construction = self.include_under_construction;
        let present: std::collections::BTreeSet<Country> =
            network.places().map(|(_, p)| p.country).collect();
        for c in &self.avoid_countries {
            if !present.contains(c) {
                return Err(Error::Request(format!(
                    "--avoid-country {c}: no place of this network is in {c}; countries here: {}",
                    present
                        .iter()
                        .map(|c| c.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            }
        }
        profile.avoid_countries = self.avoid_countries.clone();
        for name in &self.avoid_places {
            profile.avoid_places.push(names::resolve(network, name)?);
        }
        Ok(profile)
    }
}
