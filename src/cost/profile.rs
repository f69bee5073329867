//! The request profile: what a search minimises and what it may use. Built from command-line
//! options; compiled together with the network into search weights.

use std::fmt;

use petgraph::stable_graph::NodeIndex;

use crate::cost::params::{Params, RailService};
use crate::cost::rates::Rates;
use crate::error::Result;
use crate::network::model::{Country, Mode, Status};

/// What a search minimises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Objective {
    /// Hours (typical).
    Time,
    /// USD: line-haul tariffs, transfer charges and border fees.
    Cost,
    /// Kilometres.
    Distance,
    /// USD + value of time x hours.
    Generalized,
}

impl Objective {
    pub fn parse(s: &str) -> Option<Objective> {
        match s {
            "time" => Some(Objective::Time),
            "cost" | "money" => Some(Objective::Cost),
            "distance" => Some(Objective::Distance),
            "generalized" | "generalised" => Some(Objective::Generalized),
            _ => None,
        }
    }
    pub fn as_str(&self) -> &'static str {
        match self {
            Objective::Time => "time",
            Objective::Cost => "cost",
            Objective::Distance => "distance",
            Objective::Generalized => "generalized",
        }
    }
    /// The integer unit the compiled graph stores for this objective.
    pub fn unit(&self) -> &'static str {
        match self {
            Objective::Time => "seconds",
            Objective::Cost | Objective::Generalized => "US cents",
            Objective::Distance => "metres",
        }
    }
}

impl fmt::Display for Objective {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which modes a shipment may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ModeSet {
    pub road: bool,
    pub rail: bool,
}

impl ModeSet {
    pub const ALL: ModeSet = ModeSet {
        road: true,
        rail: true,
    };
    pub fn allows(&self, mode: Mode) -> bool {
        match mode {
            Mode::Road => self.road,
            Mode::Rail => self.rail,
        }
    }
    pub fn describe(&self) -> &'static str {
        match (self.road, self.rail) {
            (true, true) => "road or rail",
            (true, false) => "road only",
            (false, true) => "rail only",
            (false, false) => "no mode",
        }
    }
}

/// When the shipment travels: a given month, or any month (year-round elements only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum When {
    /// Only links and crossings open every month.
    YearRound,
    /// Links and crossings open in this month (1..=12).
    Month(u8),
    /// Ignore seasonal closures altogether (used to explain a missing route).
    AnyMonthOpen,
}

/// Everything a search needs to know about the request besides origin and destination.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    pub objective: Objective,
    pub modes: ModeSet,
    pub when: When,
    pub include_under_construction: bool,
    pub include_proposed: bool,
    pub avoid_countries: Vec<Country>,
    pub avoid_places: Vec<NodeIndex>,
    /// Parameters after command-line overrides (tonnes, value of time, `--param`).
    pub params: Params,
    /// Commodity class key; `None` means params.json's `default_commodity`.
    pub commodity: Option<String>,
    /// Rail service instead of the commodity's default.
    pub rail_service: Option<RailService>,
    /// The countries the goods travel from and to, when known: railways of other countries
    /// charge their transit rates (`rail.railways.*.transit_usd_per_tonne_km`).
    pub od: Option<(Country, Country)>,
}

impl Profile {
    /// A digest of everything in the profile (a cache key: equal profiles give equal
    /// digests; different ones, different digests but for a 2^-64 chance).
    pub fn digest(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        format!("{self:?}").hash(&mut h);
        h.finish()
    }

    /// The default profile: generalized cost, any mode, year-round, existing links only.
    pub fn new(params: Params) -> Profile {
        Profile {
            objective: Objective::Generalized,
            modes: ModeSet::ALL,
            when: When::YearRound,
            include_under_construction: false,
            include_proposed: false,
            avoid_countries: Vec::new(),
            avoid_places: Vec::new(),
            params,
            commodity: None,
            rail_service: None,
            od: None,
        }
    }

    /// The same request for goods from `origin` to `destination` (countries), when the
    /// network's railways have transit rates; otherwise unchanged (the O-D does not matter).
    pub fn for_od(&self, origin: Country, destination: Country) -> Option<Profile> {
        if !self.params.has_transit_rates() || self.od == Some((origin, destination)) {
            return None;
        }
        let mut p = self.clone();
        p.od = Some((origin, destination));
        Some(p)
    }

    /// Sets the commodity class (by key or label); errors name the known classes.
    pub fn set_commodity(&mut self, key: &str) -> Result<()> {
        let (k, _) = crate::cost::rates::commodity(&self.params, Some(key))?;
        self.commodity = Some(k);
        Ok(())
    }

    /// The rates this request's costs are computed with.
    pub fn rates(&self) -> Rates {
        Rates::new(
            &self.params,
            self.commodity.as_deref(),
            self.modes,
            self.rail_service,
        )
        .unwrap_or_else(|_| Rates::fallback(&self.params, self.modes, self.rail_service))
    }

    /// Whether elements of this status may be used.
    pub fn allows_status(&self, status: Status) -> bool {
        match status {
            Status::Existing => true,
            Status::UnderConstruction => self.include_under_construction,
            Status::Proposed => self.include_proposed,
        }
    }

    /// Whether an element open in `months` may be used.
    pub fn allows_months(&self, months: crate::network::model::MonthSet) -> bool {
        match self.when {
            When::YearRound => months.is_all(),
            When::Month(m) => months.contains(m),
            When::AnyMonthOpen => true,
        }
    }

    /// One line saying what the profile asks for, for report headers.
    pub fn describe(&self) -> String {
        let rates = self.rates();
        let mut parts = vec![
            format!(
                "{} ({}{})",
                rates.commodity.label,
                rates.commodity_key,
                if rates.modes.rail && rates.carrier_model {
                    format!(", rail {}", rates.rail_service.as_str())
                } else {
                    String::new()
                }
            ),
            format!("by {}", rates.modes.describe()),
            format!(
                "minimising {}",
                match self.objective {
                    Objective::Generalized => format!(
                        "generalized cost (USD + {} USD/h x hours)",
                        crate::output::table::num(rates.value_of_time_usd_per_hour, 2)
                    ),
                    other => other.to_string(),
                }
            ),
            format!(
                "{} t",
                crate::output::table::num(self.params.cargo.tonnes, 1)
            ),
        ];
        match self.when {
            When::YearRound => parts.push("year-round links and crossings only".into()),
            When::Month(m) => parts.push(format!("in month {m}")),
            When::AnyMonthOpen => parts.push("ignoring seasonal closures".into()),
        }
        if self.include_under_construction {
            parts.push("with links under construction".into());
        }
        if self.include_proposed {
            parts.push("with proposed links".into());
        }
        if !self.avoid_countries.is_empty() {
            let c: Vec<String> = self.avoid_countries.iter().map(|c| c.to_string()).collect();
            parts.push(format!("avoiding {}", c.join(", ")));
        }
        parts.join(", ")
    }
}
