//! Who may use a road or pass a node: access tags read for a vehicle (a loaded truck, or a
//! car as OSRM's car profile reads them), posted weight and height limits, barriers, roads
//! under construction, and which turn restrictions bind the vehicle. Pure functions of the
//! tags, tested here.

use crate::import::osm::tags::{Tags, parse_metres, parse_tonnes};

/// Whose access rules a road import follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Vehicle {
    /// A loaded goods vehicle (the default): tracks are kept as earth roads; `hgv`
    /// decides access before `motor_vehicle`, `vehicle` and `access`; ways
    /// posted under 12 t or 4 m are left out.
    #[default]
    Truck,
    /// A car as OSRM's car profile sees it: no tracks; `motorcar`, `motor_vehicle`,
    /// `vehicle`, `access` decide, with `private`, `destination` and the like allowed;
    /// ways posted under 2 t or 2 m are left out. For comparisons with car routers.
    Car,
}

impl std::str::FromStr for Vehicle {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "truck" => Ok(Vehicle::Truck),
            "car" => Ok(Vehicle::Car),
            other => Err(format!("unknown vehicle \"{other}\"; use truck or car")),
        }
    }
}

impl Vehicle {
    /// Highway values this vehicle may drive on.
    pub(crate) fn highways(self) -> &'static [&'static str] {
        match self {
            Vehicle::Truck => TRUCK_HIGHWAYS,
            Vehicle::Car => CAR_HIGHWAYS,
        }
    }

    /// Access keys, most specific first: the first one tagged decides.
    fn access_keys(self) -> &'static [&'static str] {
        match self {
            // `goods` is for light vans (up to 3.5 t) and does not bind a heavy truck.
            Vehicle::Truck => &["hgv", "motor_vehicle", "vehicle", "access"],
            Vehicle::Car => &["motorcar", "motor_vehicle", "vehicle", "access"],
        }
    }

    /// Whether an access value closes a way or node to this vehicle. Trucks deliver, so
    /// `destination` and `delivery` let them in; OSRM's car profile lets cars onto
    /// `private`, `destination`, `delivery`, `customers`, `permit` and `residents` ways
    /// (penalised when routing by time, free when routing by distance).
    fn access_closed(self, value: &str) -> bool {
        match self {
            Vehicle::Truck => matches!(
                value,
                "no" | "private"
                    | "agricultural"
                    | "forestry"
                    | "emergency"
                    | "psv"
                    | "bus"
                    | "military"
                    | "official"
                    | "customers"
                    | "permit"
                    | "residents"
                    | "foot"
                    | "restricted"
            ),
            Vehicle::Car => matches!(
                value,
                "no" | "agricultural"
                    | "forestry"
                    | "emergency"
                    | "psv"
                    | "taxi"
                    | "share_taxi"
                    | "minibus"
                    | "bus"
                    | "foot"
                    | "emergency_vehicle"
                    | "restricted"
                    | "military"
                    | "official"
            ),
        }
    }

    /// Whether a highway of a kind this vehicle does not use (a track, a footway) is
    /// opened to it by an access tag. OSRM's car profile drives on any highway whose
    /// deciding access tag is tagged and not refused (`access=yes` on a track,
    /// `motor_vehicle=yes` on a footway), except steps and highways being built or planned.
    /// Trucks keep to their highway list.
    pub(crate) fn opened_by_access_tag(self, highway: &str, tags: &Tags) -> bool {
        if self != Vehicle::Car || matches!(highway, "steps" | "construction" | "proposed") {
            return false;
        }
        self.access(tags).is_some_and(|a| {
            !self.access_closed(a)
                && !matches!(
                    a,
                    "private" | "delivery" | "destination" | "customers" | "permit" | "residents"
                )
        })
    }

    /// The access value that decides, if any key is tagged.
    fn access(self, tags: &Tags) -> Option<&str> {
        self.access_keys().iter().find_map(|k| tags.get(k))
    }

    /// The turn restriction a relation puts on this vehicle (`no_left_turn`,
    /// `only_straight_on`...), if any: the most specific `restriction:*` key first, then
    /// `restriction`, unless `except` names the vehicle. As OSRM reads them.
    pub fn turn_restriction(self, tags: &Tags) -> Option<&str> {
        let (own, except): (&[&str], &[&str]) = match self {
            Vehicle::Truck => (
                &[
                    "restriction:hgv",
                    "restriction:motor_vehicle",
                    "restriction:vehicle",
                ],
                &["hgv", "goods", "motor_vehicle", "vehicle"],
            ),
            Vehicle::Car => (
                &[
                    "restriction:motorcar",
                    "restriction:motor_vehicle",
                    "restriction:vehicle",
                ],
                &["motorcar", "motor_vehicle", "vehicle"],
            ),
        };
        if let Some(v) = own.iter().find_map(|k| tags.get(k)) {
            return Some(v);
        }
        let exempt = tags
            .get("except")
            .is_some_and(|e| e.split(';').any(|x| except.contains(&x.trim())));
        tags.get("restriction").filter(|_| !exempt)
    }

    /// Lightest posted `maxweight` this vehicle may pass, tonnes.
    pub fn min_maxweight_tonnes(self) -> f64 {
        match self {
            Vehicle::Truck => MIN_MAXWEIGHT_TONNES,
            Vehicle::Car => 2.0,
        }
    }

    /// Lowest posted `maxheight` this vehicle passes under, metres.
    pub fn height_m(self) -> f64 {
        match self {
            Vehicle::Truck => TRUCK_HEIGHT_M,
            Vehicle::Car => 2.0,
        }
    }
}

/// Barriers a vehicle passes (as in OSRM's car profile, where gates cost time but let
/// vehicles through): any other `barrier=*` node closes the way there unless its access
/// tags let vehicles through.
const PASSABLE_BARRIERS: &[&str] = &[
    "cattle_grid",
    "border_control",
    "toll_booth",
    "sally_port",
    "no",
    "entrance",
    "height_restrictor",
    "arch",
    "gate",
    "lift_gate",
];

/// Whether a node closes the ways through it to `vehicle`, following OSRM's car profile:
/// an access tag decides when there is one (`access=no` closes even without a barrier);
/// otherwise a barrier closes unless it is of a passable kind (gates, cattle grids, toll
/// booths...), a rising bollard, a lowered kerb or an audible fence; a height restrictor
/// closes when posted below the vehicle's height.
pub fn barrier_blocks(tags: &Tags, vehicle: Vehicle) -> bool {
    if let Some(access) = vehicle.access(tags) {
        return vehicle.access_closed(access);
    }
    let Some(b) = tags.get("barrier") else {
        return false;
    };
    if b == "height_restrictor"
        && let Some(h) = tags.get("maxheight").and_then(parse_metres)
    {
        return h < vehicle.height_m();
    }
    let passable = PASSABLE_BARRIERS.contains(&b)
        || tags.get("bollard") == Some("rising")
        || (b == "kerb"
            && (matches!(tags.get("kerb"), Some("lowered" | "flush"))
                || tags.get("highway") == Some("crossing")))
        || (b == "fence" && matches!(tags.get("sensory"), Some("audible" | "audio")));
    !passable
}

/// Lightest `maxweight` a loaded truck may pass, tonnes: ways posted below it are left out.
pub const MIN_MAXWEIGHT_TONNES: f64 = 12.0;

/// Height of a loaded truck, metres (the EU limit of Directive 96/53/EC is 4.0 m): ways
/// and height restrictors posted lower are closed to trucks.
pub const TRUCK_HEIGHT_M: f64 = 4.0;

/// Highway values a truck may drive on.
const TRUCK_HIGHWAYS: &[&str] = &[
    "motorway",
    "motorway_link",
    "trunk",
    "trunk_link",
    "primary",
    "primary_link",
    "secondary",
    "secondary_link",
    "tertiary",
    "tertiary_link",
    "unclassified",
    "residential",
    "living_street",
    "service",
    "track",
    "road",
];

/// Highway values a car may drive on, as in OSRM's car profile (its speed table): no
/// tracks, and no `highway=road` (a road of unknown class).
const CAR_HIGHWAYS: &[&str] = &[
    "motorway",
    "motorway_link",
    "trunk",
    "trunk_link",
    "primary",
    "primary_link",
    "secondary",
    "secondary_link",
    "tertiary",
    "tertiary_link",
    "unclassified",
    "residential",
    "living_street",
    "service",
    "winter_road",
    "ice_road",
];

/// Why `vehicle` may not use a road, if it may not.
pub(crate) fn road_excluded(tags: &Tags, vehicle: Vehicle) -> Option<&'static str> {
    // A `construction=*` tag on a road marks it as being built or rebuilt, and closed, as
    // OSRM reads it; `no`, `widening` and `minor` works leave it open.
    if tags
        .get("construction")
        .is_some_and(|c| !matches!(c, "no" | "widening" | "minor"))
    {
        return Some("under construction (construction=*)");
    }
    if tags.get("impassable") == Some("yes") || tags.get("status") == Some("impassable") {
        return Some("impassable");
    }
    if tags.get("oneway") == Some("reversible") {
        return Some("oneway=reversible (direction changes through the day)");
    }
    if tags.get("service") == Some("emergency_access") {
        return Some("service=emergency_access");
    }
    if let Some(access) = vehicle.access(tags)
        && vehicle.access_closed(access)
    {
        return Some(match vehicle {
            Vehicle::Truck => {
                "closed to goods vehicles (hgv, goods, motor_vehicle, vehicle or access)"
            }
            Vehicle::Car => "closed to cars (motorcar, motor_vehicle, vehicle or access)",
        });
    }
    if let Some(t) = tags.get("maxweight").and_then(parse_tonnes)
        && t < vehicle.min_maxweight_tonnes()
    {
        return Some(match vehicle {
            Vehicle::Truck => "maxweight below 12 t",
            Vehicle::Car => "maxweight below 2 t",
        });
    }
    if let Some(h) = tags.get("maxheight").and_then(parse_metres)
        && h < vehicle.height_m()
    {
        return Some(match vehicle {
            Vehicle::Truck => "maxheight below 4 m",
            Vehicle::Car => "maxheight below 2 m",
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::osm::tags::{WayClass, classify_way};

    fn tags(kv: &[(&str, &str)]) -> Tags {
        Tags(
            kv.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    #[test]
    fn goods_access() {
        let road = |kv: &[(&str, &str)]| classify_way(&tags(kv), Vehicle::Truck);
        assert!(matches!(road(&[("highway", "primary")]), WayClass::Road(_)));
        assert!(matches!(road(&[("highway", "footway")]), WayClass::Other));
        assert!(matches!(road(&[("highway", "track")]), WayClass::Road(_)));
        assert!(matches!(
            road(&[("highway", "primary"), ("hgv", "no")]),
            WayClass::Excluded(_)
        ));
        // hgv=no on a way open to all: the most specific tag decides.
        assert!(matches!(
            road(&[("highway", "primary"), ("access", "yes"), ("hgv", "no")]),
            WayClass::Excluded(_)
        ));
        // goods is for vans: it does not close a way to heavy trucks.
        assert!(matches!(
            road(&[("highway", "primary"), ("goods", "no")]),
            WayClass::Road(_)
        ));
        assert!(matches!(
            road(&[("highway", "service"), ("access", "private")]),
            WayClass::Excluded(_)
        ));
        assert!(matches!(
            road(&[("highway", "service"), ("access", "destination")]),
            WayClass::Road(_)
        ));
        assert!(matches!(
            road(&[
                ("highway", "service"),
                ("access", "private"),
                ("hgv", "yes")
            ]),
            WayClass::Road(_)
        ));
        assert!(matches!(
            road(&[("highway", "primary"), ("maxweight", "7.5")]),
            WayClass::Excluded(_)
        ));
        assert!(matches!(
            road(&[("highway", "primary"), ("maxweight", "40 t")]),
            WayClass::Road(_)
        ));
        assert!(matches!(
            road(&[("highway", "primary"), ("maxheight", "3.2")]),
            WayClass::Excluded(_)
        ));
        assert!(matches!(
            road(&[("highway", "primary"), ("maxheight", "4.5 m")]),
            WayClass::Road(_)
        ));
        assert!(matches!(
            road(&[("highway", "primary"), ("oneway", "reversible")]),
            WayClass::Excluded(_)
        ));
        assert!(matches!(
            road(&[("highway", "primary"), ("construction", "primary")]),
            WayClass::Excluded(_)
        ));
        assert!(matches!(
            road(&[("highway", "primary"), ("construction", "minor")]),
            WayClass::Road(_)
        ));
    }

    #[test]
    fn car_access_as_osrm() {
        let road = |kv: &[(&str, &str)]| classify_way(&tags(kv), Vehicle::Car);
        // OSRM's car profile has no speed for tracks or highway=road.
        assert!(matches!(road(&[("highway", "track")]), WayClass::Other));
        assert!(matches!(road(&[("highway", "road")]), WayClass::Other));
        assert!(matches!(
            road(&[("highway", "track"), ("access", "yes")]),
            WayClass::Road(_)
        ));
        assert!(matches!(
            road(&[("highway", "footway"), ("motor_vehicle", "yes")]),
            WayClass::Road(_)
        ));
        assert!(matches!(
            road(&[("highway", "track"), ("access", "private")]),
            WayClass::Other
        ));
        assert!(matches!(
            road(&[("highway", "steps"), ("access", "yes")]),
            WayClass::Other
        ));
        assert!(matches!(
            road(&[("highway", "winter_road")]),
            WayClass::Road(_)
        ));
        // Goods-vehicle tags do not bind cars; private ways are open when routing by distance.
        assert!(matches!(
            road(&[("highway", "primary"), ("hgv", "no"), ("maxweight", "7.5")]),
            WayClass::Road(_)
        ));
        assert!(matches!(
            road(&[("highway", "service"), ("access", "private")]),
            WayClass::Road(_)
        ));
        assert!(matches!(
            road(&[("highway", "residential"), ("motor_vehicle", "no")]),
            WayClass::Excluded(_)
        ));
        assert!(matches!(
            road(&[
                ("highway", "residential"),
                ("access", "no"),
                ("motorcar", "yes")
            ]),
            WayClass::Road(_)
        ));
        assert!(matches!(
            road(&[("highway", "service"), ("service", "emergency_access")]),
            WayClass::Excluded(_)
        ));
        assert!(matches!(
            road(&[("highway", "primary"), ("maxheight", "3.2")]),
            WayClass::Road(_)
        ));
    }

    #[test]
    fn turn_restrictions_by_vehicle() {
        let t = tags(&[("type", "restriction"), ("restriction", "no_left_turn")]);
        assert_eq!(Vehicle::Car.turn_restriction(&t), Some("no_left_turn"));
        assert_eq!(Vehicle::Truck.turn_restriction(&t), Some("no_left_turn"));
        let buses = tags(&[
            ("type", "restriction"),
            ("restriction", "no_right_turn"),
            ("except", "psv;motorcar"),
        ]);
        assert_eq!(Vehicle::Car.turn_restriction(&buses), None);
        assert_eq!(
            Vehicle::Truck.turn_restriction(&buses),
            Some("no_right_turn")
        );
        let hgv = tags(&[("type", "restriction"), ("restriction:hgv", "no_u_turn")]);
        assert_eq!(Vehicle::Car.turn_restriction(&hgv), None);
        assert_eq!(Vehicle::Truck.turn_restriction(&hgv), Some("no_u_turn"));
    }

    #[test]
    fn barriers() {
        for v in [Vehicle::Truck, Vehicle::Car] {
            let blocks = |kv: &[(&str, &str)]| barrier_blocks(&tags(kv), v);
            assert!(blocks(&[("barrier", "bollard")]));
            assert!(blocks(&[("barrier", "block")]));
            assert!(!blocks(&[("barrier", "bollard"), ("bollard", "rising")]));
            assert!(!blocks(&[("barrier", "gate")]));
            assert!(!blocks(&[("barrier", "lift_gate")]));
            assert!(!blocks(&[("barrier", "bollard"), ("access", "yes")]));
            assert!(blocks(&[("barrier", "gate"), ("access", "no")]));
            // access=no on a plain node closes the way there, as in OSRM.
            assert!(blocks(&[("access", "no")]));
            assert!(!blocks(&[("barrier", "border_control")]));
            assert!(!blocks(&[("barrier", "toll_booth")]));
            assert!(!blocks(&[("barrier", "kerb"), ("kerb", "lowered")]));
            assert!(!blocks(&[("highway", "crossing")]));
        }
        let low = tags(&[("barrier", "height_restrictor"), ("maxheight", "3.0")]);
        assert!(barrier_blocks(&low, Vehicle::Truck));
        assert!(!barrier_blocks(&low, Vehicle::Car));
        let private = tags(&[("barrier", "gate"), ("access", "private")]);
        assert!(barrier_blocks(&private, Vehicle::Truck));
        assert!(!barrier_blocks(&private, Vehicle::Car));
    }
}
