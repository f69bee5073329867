//! Per-request arc costs: the one place where speeds, tariffs, transfers, border crossings and
//! the request's constraints become numbers. Searches read only `weight` (or `time_s` and
//! `money_cents` for Pareto); reports read the cold `cost` of the arcs a route used.
//!
//! Weights are integers (seconds, US cents or metres, by objective), as in OSRM, GraphHopper
//! and RoutingKit: exact ties, half the memory of `f64`, and a faster heap.

use crate::cost::profile::{Objective, Profile};
use crate::graph::csr::ArcIx;
use crate::graph::search_graph::{ArcKind, SearchGraph};
use crate::network::model::{Layer, Mode, Network, Place, RoadClass};

/// Weight of an arc the request may not use.
pub const CLOSED: u32 = u32::MAX;

/// A crossing charged on an arc (when the arc enters a border crossing).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BorderCharge {
    pub hours: f64,
    pub bad_day_hours: f64,
    pub fee_usd: f64,
}

/// What one use of an arc costs, in real units, for reporting.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ArcCost {
    /// Hours moving on the link, or the transfer's hours (typical).
    pub hours: f64,
    /// The same on a bad day.
    pub bad_day_hours: f64,
    pub km: f64,
    /// Tariff or transfer charge, USD, excluding border fees.
    pub usd: f64,
    /// The crossing entered at the arc's head, if any.
    pub border: Option<BorderCharge>,
    /// Whether the request may use the arc.
    pub open: bool,
}

impl ArcCost {
    pub fn total_hours(&self) -> f64 {
        self.hours + self.border.map_or(0.0, |b| b.hours)
    }
    pub fn total_bad_day_hours(&self) -> f64 {
        self.bad_day_hours + self.border.map_or(0.0, |b| b.bad_day_hours)
    }
    pub fn total_usd(&self) -> f64 {
        self.usd + self.border.map_or(0.0, |b| b.fee_usd)
    }
}

/// Arc costs of one request over a [`SearchGraph`].
#[derive(Debug, Clone)]
pub struct Weights {
    /// The objective, in integer units (see [`Objective::unit`]); [`CLOSED`] where not allowed.
    pub weight: Vec<u32>,
    /// Typical seconds, for Pareto searches; [`CLOSED`] where not allowed.
    pub time_s: Vec<u32>,
    /// US cents, for Pareto searches; [`CLOSED`] where not allowed.
    pub money_cents: Vec<u32>,
    /// Real-unit costs, for reports.
    pub cost: Vec<ArcCost>,
    pub profile: Profile,
}

/// The speed of a link in km/h under the profile's parameters.
pub fn link_speed_kmh(profile: &Profile, link: &crate::network::model::Link) -> f64 {
    if let Some(s) = link.speed_kmh {
        return s;
    }
    let s = &profile.params.speed_kmh;
    match (link.mode, link.class) {
        (Mode::Rail, _) => s.rail,
        (Mode::Road, Some(RoadClass::Motorway)) => s.road.motorway,
        (Mode::Road, Some(RoadClass::Gravel)) => s.road.gravel,
        (Mode::Road, Some(RoadClass::Earth)) => s.road.earth,
        (Mode::Road, _) => s.road.paved,
    }
}

/// Elapsed hours on a link: length / speed, and for trucks stretched by driver rest
/// (`road_driving_hours_per_day`).
pub fn link_hours(profile: &Profile, link: &crate::network::model::Link) -> f64 {
    let moving = link.length_km / link_speed_kmh(profile, link);
    match link.mode {
        Mode::Road => moving * 24.0 / profile.params.road_driving_hours_per_day,
        Mode::Rail => moving,
    }
}

/// The processing a crossing applies to one shipment by `mode`, with `params.json` defaults
/// filled in. `None` if the crossing does not serve the mode.
pub fn border_charge(profile: &Profile, place: &Place, mode: Mode) -> Option<BorderCharge> {
    let crossing = place.crossing.as_ref()?;
    let p = crossing.processing(mode)?;
    let d = match mode {
        Mode::Road => &profile.params.border_default.road,
        Mode::Rail => &profile.params.border_default.rail,
    };
    let hours = p.hours.unwrap_or(d.hours);
    Some(BorderCharge {
        hours,
        bad_day_hours: p.bad_day_hours.unwrap_or(d.bad_day_hours).max(hours),
        fee_usd: p.fee_usd.unwrap_or(d.fee_usd),
    })
}

/// Whether the profile lets a route pass through a place at all.
pub fn place_usable(
    profile: &Profile,
    place_ix: petgraph::stable_graph::NodeIndex,
    place: &Place,
) -> bool {
    if place.closed || !profile.allows_status(place.status) {
        return false;
    }
    if profile.avoid_places.contains(&place_ix) {
        return false;
    }
    if profile.avoid_countries.iter().any(|c| place.in_country(*c)) {
        return false;
    }
    if let Some(c) = &place.crossing
        && !profile.allows_months(c.months_open)
    {
        return false;
    }
    true
}

impl Weights {
    /// Compiles the costs of every arc of `graph` for `profile`.
    pub fn compile(network: &Network, graph: &SearchGraph, profile: &Profile) -> Weights {
        let n = graph.arc_count();
        let mut w = Weights {
            weight: vec![CLOSED; n],
            time_s: vec![CLOSED; n],
            money_cents: vec![CLOSED; n],
            cost: Vec::with_capacity(n),
            profile: profile.clone(),
        };
        for a in 0..n {
            w.cost
                .push(arc_cost(network, graph, profile, ArcIx(a as u32)));
            w.set_numbers(a);
        }
        w
    }

    /// Recomputes only the given arcs after an edit of the network (a closed or re-costed
    /// link or crossing): the rest of the weights stay as they are.
    pub fn refresh(&mut self, network: &Network, graph: &SearchGraph, arcs: &[ArcIx]) {
        for &a in arcs {
            self.cost[a.index()] = arc_cost(network, graph, &self.profile, a);
            self.set_numbers(a.index());
        }
    }

    /// Recomputes the integer weights of arc `a` from its cold cost.
    pub fn set_numbers(&mut self, a: usize) {
        let (w, t, m) = self.numbers(&self.cost[a]);
        self.weight[a] = w;
        self.time_s[a] = t;
        self.money_cents[a] = m;
    }

    /// The (objective, seconds, cents) integer weights of a cost under this profile.
    pub fn numbers(&self, c: &ArcCost) -> (u32, u32, u32) {
        if !c.open {
            return (CLOSED, CLOSED, CLOSED);
        }
        let hours = c.total_hours();
        let usd = c.total_usd();
        let secs = to_unit(hours * 3600.0);
        let cents = to_unit(usd * 100.0);
        let w = match self.profile.objective {
            Objective::Time => secs,
            Objective::Cost => cents,
            Objective::Distance => to_unit(c.km * 1000.0),
            Objective::Generalized => {
                to_unit((usd + self.profile.params.value_of_time_usd_per_hour * hours) * 100.0)
            }
        };
        (w, secs, cents)
    }

    /// Closes an arc (scenario edits, criticality): searches will not use it.
    pub fn close(&mut self, a: ArcIx) {
        self.cost[a.index()].open = false;
        self.set_numbers(a.index());
    }

    /// The objective value of a weight sum, in the objective's natural unit
    /// (hours, USD or km).
    pub fn natural(&self, weight_sum: u64) -> f64 {
        match self.profile.objective {
            Objective::Time => weight_sum as f64 / 3600.0,
            Objective::Cost | Objective::Generalized => weight_sum as f64 / 100.0,
            Objective::Distance => weight_sum as f64 / 1000.0,
        }
    }
}

/// Rounds a non-negative quantity to an integer unit, keeping it below [`CLOSED`].
fn to_unit(x: f64) -> u32 {
    if x.is_finite() && x > 0.0 {
        x.round().min(f64::from(CLOSED - 1)) as u32
    } else {
        0
    }
}

/// The cost of travelling a link into `head_place` (which may be a crossing that charges its
/// processing): the one function every link arc's cost comes from, also used to cost
/// candidate links exactly as a rebuilt graph would.
pub fn link_cost(
    profile: &Profile,
    l: &crate::network::model::Link,
    head_place: &Place,
) -> ArcCost {
    let hours = link_hours(profile, l);
    let tariff = match l.mode {
        Mode::Road => profile.params.tariff_usd_per_tkm.road,
        Mode::Rail => profile.params.tariff_usd_per_tkm.rail,
    };
    let border = border_charge(profile, head_place, l.mode);
    let open = !l.closed
        && profile.allows_status(l.status)
        && profile.allows_months(l.months_open)
        && profile.modes.allows(l.mode)
        && (head_place.crossing.is_none() || border.is_some());
    ArcCost {
        hours,
        bad_day_hours: hours,
        km: l.length_km,
        usd: tariff * profile.params.cargo.tonnes * l.length_km,
        border,
        open,
    }
}

fn node_usable(
    network: &Network,
    graph: &SearchGraph,
    profile: &Profile,
    n: crate::graph::csr::NodeIx,
) -> bool {
    let info = graph.node(n);
    place_usable(profile, info.place, network.place(info.place))
        && profile.modes.allows(info.layer.mode())
}

fn arc_cost(network: &Network, graph: &SearchGraph, profile: &Profile, arc: ArcIx) -> ArcCost {
    let tail = graph.tail(arc);
    let head = graph.head(arc);
    let ends_open =
        node_usable(network, graph, profile, tail) && node_usable(network, graph, profile, head);
    let tonnes = profile.params.cargo.tonnes;
    match graph.arcs[arc.index()] {
        ArcKind::Link { link, .. } => {
            let l = network.link(link);
            let head_place = network.place(graph.node(head).place);
            let mut cost = link_cost(profile, l, head_place);
            cost.open &= ends_open;
            cost
        }
        ArcKind::Transfer { place, transfer } => {
            let t = &network.place(place).transfers[transfer];
            let d = if t.is_gauge_change() {
                &profile.params.transfer.gauge_change
            } else {
                &profile.params.transfer.road_rail
            };
            let hours = t.hours.unwrap_or(d.hours);
            let bad = t.bad_day_hours.unwrap_or(d.bad_day_hours).max(hours);
            let per_tonne = t.cost_usd_per_tonne.unwrap_or(d.cost_usd_per_tonne);
            let modes_ok = t
                .between
                .iter()
                .all(|l: &Layer| profile.modes.allows(l.mode()));
            ArcCost {
                hours,
                bad_day_hours: bad,
                km: 0.0,
                usd: per_tonne * tonnes,
                border: None,
                open: ends_open && modes_ok,
            }
        }
    }
}
