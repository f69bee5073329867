//! Every cost formula: what travelling a link, crossing a border, changing layer and
//! loading or unloading a rail shipment costs one shipment, in hours and USD. The compiled
//! weights, the proposal evaluator and the reports all take their numbers from here.

use petgraph::stable_graph::NodeIndex;

use crate::cost::params::GaugeMethod;
use crate::cost::profile::Profile;
use crate::cost::rates::Rates;
use crate::network::model::{Country, Layer, Link, Mode, Place, RoadClass, Transfer};

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
    /// Hours moving on the link, or the transfer's or terminal's hours (typical).
    pub hours: f64,
    /// The same on a bad day.
    pub bad_day_hours: f64,
    pub km: f64,
    /// Tariff, operating cost or transfer charge, USD, excluding border fees.
    pub usd: f64,
    /// Hours a truck drives on this arc (rest stops are scheduled from these).
    pub drive_hours: f64,
    /// The crossing entered at the arc's head, if any.
    pub border: Option<BorderCharge>,
    /// Whether the request may use the arc.
    pub open: bool,
}

impl ArcCost {
    /// A free, open arc.
    pub const FREE: ArcCost = ArcCost {
        hours: 0.0,
        bad_day_hours: 0.0,
        km: 0.0,
        usd: 0.0,
        drive_hours: 0.0,
        border: None,
        open: true,
    };
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

/// The speed of a link in km/h under the request: a road link's own speed or its class's;
/// a rail link at the request's rail service speed (never above the link's own speed).
pub fn link_speed_kmh(profile: &Profile, rates: &Rates, link: &Link) -> f64 {
    let s = &profile.params.speed_kmh;
    match link.mode {
        Mode::Rail => {
            let service = rates.rail_speed_kmh(&profile.params);
            match (link.speed_kmh, profile.params.rail.is_some()) {
                (Some(own), true) => own.min(service),
                (Some(own), false) => own,
                (None, _) => service,
            }
        }
        Mode::Road => link.speed_kmh.unwrap_or(match link.class {
            Some(RoadClass::Motorway) => s.road.motorway,
            Some(RoadClass::Gravel) => s.road.gravel,
            Some(RoadClass::Earth) => s.road.earth,
            _ => s.road.paved,
        }),
    }
}

/// Hours on a link. With the carrier model these are moving hours (rest stops are scheduled
/// on the whole trip); the flat model stretches road hours by `road_driving_hours_per_day`.
pub fn link_hours(profile: &Profile, rates: &Rates, link: &Link) -> f64 {
    let moving = link.length_km / link_speed_kmh(profile, rates, link);
    match link.mode {
        Mode::Road if !rates.carrier_model => {
            moving * 24.0 / profile.params.road_driving_hours_per_day
        }
        _ => moving,
    }
}

/// The processing a crossing applies to one shipment by `mode`: the crossing's own figures,
/// else the customs union's (both countries members), else `border_default`. `None` if the
/// crossing does not serve the mode.
pub fn border_charge(
    profile: &Profile,
    rates: &Rates,
    place: &Place,
    mode: Mode,
) -> Option<BorderCharge> {
    let crossing = place.crossing.as_ref()?;
    let p = crossing.processing(mode)?;
    let params = &profile.params;
    let union = params.customs_unions.iter().find(|u| {
        crossing
            .countries
            .iter()
            .all(|c| u.members.iter().any(|m| m.eq_ignore_ascii_case(c.as_str())))
    });
    let d = match (union, mode) {
        (Some(u), Mode::Road) => &u.road,
        (Some(u), Mode::Rail) => &u.rail,
        (None, Mode::Road) => &params.border_default.road,
        (None, Mode::Rail) => &params.border_default.rail,
    };
    let hours = p.hours.unwrap_or(d.hours);
    Some(BorderCharge {
        hours,
        bad_day_hours: p.bad_day_hours.unwrap_or(d.bad_day_hours).max(hours),
        fee_usd: rates.per_vehicle(p.fee_usd.unwrap_or(d.fee_usd), mode),
    })
}

/// Whether the profile lets a route pass through a place at all.
pub fn place_usable(profile: &Profile, place_ix: NodeIndex, place: &Place) -> bool {
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

/// The cost of travelling a link lying in `country` into `head_place` (which may be a
/// crossing that charges its processing): the one function every link arc's cost comes
/// from, also used to cost candidate links exactly as a rebuilt graph would.
pub fn link_cost(
    profile: &Profile,
    rates: &Rates,
    l: &Link,
    country: Country,
    head_place: &Place,
) -> ArcCost {
    let params = &profile.params;
    let hours = link_hours(profile, rates, l);
    let (usd, drive_hours) = match l.mode {
        Mode::Road => (
            l.length_km * rates.road_usd_per_km(params, l.class)
                + hours * rates.road_usd_per_hour(params),
            if rates.carrier_model { hours } else { 0.0 },
        ),
        Mode::Rail => {
            let transit = profile
                .od
                .is_some_and(|(o, d)| country != o && country != d);
            (
                l.length_km * rates.rail_usd_per_km(params, country, transit),
                0.0,
            )
        }
    };
    let border = border_charge(profile, rates, head_place, l.mode);
    let open = !l.closed
        && profile.allows_status(l.status)
        && profile.allows_months(l.months_open)
        && rates.modes.allows(l.mode)
        && (head_place.crossing.is_none() || border.is_some());
    ArcCost {
        hours,
        bad_day_hours: hours,
        km: l.length_km,
        usd,
        drive_hours,
        border,
        open,
    }
}

/// Loading a rail shipment at its origin station (`loading`) or releasing it at the
/// destination: the railway's terminal charge is paid at loading, the dwell both ends.
/// Trucks load and unload free of extra charge (it is in their operating cost).
pub fn terminal_cost(
    profile: &Profile,
    rates: &Rates,
    place: &Place,
    layer: Layer,
    loading: bool,
) -> ArcCost {
    match layer {
        Layer::Road => ArcCost {
            open: rates.modes.road,
            ..ArcCost::FREE
        },
        Layer::Rail { .. } => {
            let (load_h, unload_h) = rates.rail_dwell_hours(&profile.params);
            let (dray_usd, dray_h) = rates.drayage(&profile.params);
            let hours = if loading { load_h } else { unload_h } + dray_h;
            let usd = if loading {
                rates.rail_terminal_usd(&profile.params, place.country)
            } else {
                0.0
            } + dray_usd;
            ArcCost {
                hours,
                bad_day_hours: hours,
                usd,
                open: rates.modes.rail,
                ..ArcCost::FREE
            }
        }
    }
}

/// A change of layer at a place, from `from` to `to`: road-rail transshipment (handling,
/// plus the rail terminal charge and dwell when the goods go onto rail) or a gauge change
/// (transload or bogie exchange, by the commodity's and the place's methods).
pub fn transfer_cost(
    profile: &Profile,
    rates: &Rates,
    place: &Place,
    t: &Transfer,
    from: Layer,
    to: Layer,
) -> ArcCost {
    let params = &profile.params;
    let gauge = t.is_gauge_change();
    let d = if gauge {
        &params.transfer.gauge_change
    } else {
        &params.transfer.road_rail
    };
    let mut hours = t.hours.unwrap_or(d.hours);
    let mut bad = t.bad_day_hours.unwrap_or(d.bad_day_hours).max(hours);
    let handling = match t.cost_usd_per_tonne {
        Some(per_tonne) => per_tonne * rates.tonnes,
        None if rates.carrier_model => rates.handling_usd(),
        None => d.cost_usd_per_tonne * rates.tonnes,
    };
    let usd = if gauge {
        let bogie = (rates.commodity.gauge_change == GaugeMethod::BogieExchange
            && t.methods.contains(&GaugeMethod::BogieExchange))
        .then(|| rates.bogie_exchange_usd(params))
        .flatten();
        bogie.unwrap_or(handling)
    } else {
        // A road-rail transfer: at a terminal, goods that do not load at a siding also need
        // the truck haul within the town (the same as loading straight onto rail at origin).
        let (haul_usd, haul_h) = rates.drayage_haul(params);
        let (load_h, unload_h) = rates.rail_dwell_hours(params);
        let loading = matches!(to, Layer::Rail { .. }) && matches!(from, Layer::Road);
        let dwell = if loading { load_h } else { unload_h };
        hours += dwell + haul_h;
        bad += dwell + haul_h;
        let terminal = if loading {
            rates.rail_terminal_usd(params, place.country)
        } else {
            0.0
        };
        handling + haul_usd + terminal
    };
    let open = [from, to].iter().all(|l| rates.modes.allows(l.mode()));
    ArcCost {
        hours,
        bad_day_hours: bad,
        usd,
        open,
        ..ArcCost::FREE
    }
}

/// Driver rest on a road leg of `drive_hours`: the number of daily rests needed and their
/// hours and cost (none within one day's driving).
pub fn rest_stops(profile: &Profile, rates: &Rates, drive_hours: f64) -> (u32, f64, f64) {
    match &profile.params.road {
        Some(r) if rates.carrier_model && drive_hours > r.max_driving_hours_per_day => {
            let stops = (drive_hours / r.max_driving_hours_per_day).ceil() - 1.0;
            let hours = stops * r.daily_rest_hours;
            (
                stops as u32,
                hours,
                hours * rates.road_usd_per_hour(&profile.params),
            )
        }
        _ => (0, 0.0, 0.0),
    }
}
