//! Per-request arc weights: the cost formulas of [`crate::cost::formulas`] applied to every
//! arc of a compiled graph, with the request's constraints closing what it may not use.
//! Searches read only `weight` (or `time_s` and `money` for Pareto); reports read the
//! cold `cost` of the arcs a route used.
//!
//! Weights are integers (seconds, money units or metres, by objective), as in OSRM,
//! GraphHopper and RoutingKit: exact ties, half the memory of `f64`, and a faster heap. The
//! money unit is a US cent unless the request's costs are so large that an arc would not fit
//! below [`MAX_ARC_WEIGHT`]: then it grows by powers of ten (USD 0.1, 1, 10, ...), so that no
//! cost saturates and ties stay rare; [`Weights::money_per_usd`] says which unit was used.

pub use crate::cost::formulas::{ArcCost, BorderCharge, border_charge, link_cost};
use crate::cost::formulas::{place_usable, terminal_cost, transfer_cost};
use crate::cost::profile::{Objective, Profile};
use crate::cost::rates::Rates;
use crate::graph::csr::ArcIx;
use crate::graph::search_graph::{ArcKind, SearchGraph};
use crate::network::model::Network;

/// Weight of an arc the request may not use.
pub const CLOSED: u32 = u32::MAX;

/// The largest weight an open arc is given (a quarter of `u32`): penalties of the
/// alternatives search and path sums in `u64` keep far from overflow.
pub const MAX_ARC_WEIGHT: f64 = 1.0e9;

/// Arc costs of one request over a [`SearchGraph`].
#[derive(Debug, Clone)]
pub struct Weights {
    /// The objective, in integer units (see [`Objective::unit`]); [`CLOSED`] where not allowed.
    pub weight: Vec<u32>,
    /// Typical seconds, for Pareto searches; [`CLOSED`] where not allowed.
    pub time_s: Vec<u32>,
    /// Money in units of 1 / `money_per_usd` USD (cents by default), for Pareto searches and
    /// budgets in USD; [`CLOSED`] where not allowed.
    pub money: Vec<u32>,
    /// Money units per USD: 100 (cents), or fewer when costs are very large.
    pub money_per_usd: f64,
    /// The largest weight an open arc may take on this graph: below [`MAX_ARC_WEIGHT`] and
    /// small enough that any simple path's sum fits in 32 bits (the hierarchy's shortcuts).
    max_arc: f64,
    /// Real-unit costs, for reports.
    pub cost: Vec<ArcCost>,
    pub profile: Profile,
    /// The rates resolved from the profile (commodity, units, value of time).
    pub rates: Rates,
    /// Rest hours the search adds per hour driven, and their cost per hour (spread evenly;
    /// reports schedule the real stops).
    rest_per_drive_hour: f64,
    rest_usd_per_hour: f64,
}

impl Weights {
    /// Compiles the costs of every arc of `graph` for `profile`.
    pub fn compile(network: &Network, graph: &SearchGraph, profile: &Profile) -> Weights {
        let n = graph.arc_count();
        let rates = profile.rates();
        let mut w = Weights {
            weight: vec![CLOSED; n],
            time_s: vec![CLOSED; n],
            money: vec![CLOSED; n],
            money_per_usd: 100.0,
            max_arc: MAX_ARC_WEIGHT,
            cost: Vec::with_capacity(n),
            profile: profile.clone(),
            rest_per_drive_hour: rates.rest_per_driving_hour(&profile.params),
            rest_usd_per_hour: rates.road_usd_per_hour(&profile.params),
            rates,
        };
        for a in 0..n {
            let c = arc_cost(network, graph, profile, &w.rates, ArcIx(a as u32));
            w.cost.push(c);
        }
        w.max_arc = MAX_ARC_WEIGHT.min(f64::from(u32::MAX / 2) / graph.node_count().max(1) as f64);
        w.rescale();
        w
    }

    /// The largest money amount of an open arc (USD; generalized cost includes time).
    fn max_money_usd(&self) -> f64 {
        self.cost
            .iter()
            .filter(|c| c.open)
            .map(|c| {
                let (hours, usd) = self.search_hours_usd(c);
                usd.max(usd + self.rates.value_of_time_usd_per_hour * hours)
            })
            .filter(|x| x.is_finite())
            .fold(0.0, f64::max)
    }

    /// Picks the money unit so that the dearest arc fits, then sets every arc's numbers.
    fn rescale(&mut self) {
        let max = self.max_money_usd();
        let mut per_usd = 100.0;
        while max * per_usd > self.max_arc && per_usd > 1e-12 {
            per_usd /= 10.0;
        }
        self.money_per_usd = per_usd;
        for a in 0..self.cost.len() {
            self.set_numbers(a);
        }
    }

    /// Recomputes only the given arcs after an edit of the network (a closed or re-costed
    /// link or crossing): the rest of the weights stay as they are.
    pub fn refresh(&mut self, network: &Network, graph: &SearchGraph, arcs: &[ArcIx]) {
        for &a in arcs {
            self.cost[a.index()] = arc_cost(network, graph, &self.profile, &self.rates, a);
            self.set_numbers(a.index());
        }
        if self.max_money_usd() * self.money_per_usd > self.max_arc {
            self.rescale();
        }
    }

    /// Recomputes the integer weights of arc `a` from its cold cost.
    pub fn set_numbers(&mut self, a: usize) {
        let (w, t, m) = self.numbers(&self.cost[a]);
        self.weight[a] = w;
        self.time_s[a] = t;
        self.money[a] = m;
    }

    /// Hours and USD of an arc as the search counts them: driver rest spread over driving.
    fn search_hours_usd(&self, c: &ArcCost) -> (f64, f64) {
        let rest_hours = c.drive_hours * self.rest_per_drive_hour;
        (
            c.total_hours() + rest_hours,
            c.total_usd() + rest_hours * self.rest_usd_per_hour,
        )
    }

    /// The (objective, seconds, money units) integer weights of a cost under this profile.
    pub fn numbers(&self, c: &ArcCost) -> (u32, u32, u32) {
        if !c.open {
            return (CLOSED, CLOSED, CLOSED);
        }
        let (hours, usd) = self.search_hours_usd(c);
        let secs = to_unit(hours * 3600.0);
        let money = to_unit(usd * self.money_per_usd);
        let w = match self.profile.objective {
            Objective::Time => secs,
            Objective::Cost => money,
            Objective::Distance => to_unit(c.km * 1000.0),
            Objective::Generalized => {
                to_unit((usd + self.rates.value_of_time_usd_per_hour * hours) * self.money_per_usd)
            }
        };
        (w, secs, money)
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
            Objective::Cost | Objective::Generalized => weight_sum as f64 / self.money_per_usd,
            Objective::Distance => weight_sum as f64 / 1000.0,
        }
    }
}

/// Rounds a non-negative quantity to an integer unit. Anything not finite, or too large to
/// fit below [`CLOSED`], closes the arc: a cost the weights cannot hold is never cheap.
fn to_unit(x: f64) -> u32 {
    if !x.is_finite() || x >= f64::from(CLOSED) {
        CLOSED
    } else if x > 0.0 {
        x.round() as u32
    } else {
        0
    }
}

fn node_usable(
    network: &Network,
    graph: &SearchGraph,
    profile: &Profile,
    rates: &Rates,
    n: crate::graph::csr::NodeIx,
) -> bool {
    let info = graph.node(n);
    place_usable(profile, info.place, network.place(info.place))
        && (info.hub.is_some() || rates.modes.allows(info.layer.mode()))
}

fn arc_cost(
    network: &Network,
    graph: &SearchGraph,
    profile: &Profile,
    rates: &Rates,
    arc: ArcIx,
) -> ArcCost {
    let tail = graph.tail(arc);
    let head = graph.head(arc);
    let ends_open = node_usable(network, graph, profile, rates, tail)
        && node_usable(network, graph, profile, rates, head);
    let mut cost = match graph.arcs[arc.index()] {
        ArcKind::Link { link, forward } => {
            let l = network.link(link);
            let (a, b) = network
                .graph
                .edge_endpoints(link)
                .unwrap_or((graph.node(tail).place, graph.node(head).place));
            let (from, to) = if forward { (a, b) } else { (b, a) };
            let country = network.link_country(from, to);
            link_cost(profile, rates, l, country, network.place(to))
        }
        ArcKind::Transfer { place, transfer } => {
            let p = network.place(place);
            transfer_cost(
                profile,
                rates,
                p,
                &p.transfers[transfer],
                graph.node(tail).layer,
                graph.node(head).layer,
            )
        }
        ArcKind::Load { place } => terminal_cost(
            profile,
            rates,
            network.place(place),
            graph.node(head).layer,
            true,
        ),
        ArcKind::Unload { place } => terminal_cost(
            profile,
            rates,
            network.place(place),
            graph.node(tail).layer,
            false,
        ),
    };
    cost.open &= ends_open;
    cost
}
