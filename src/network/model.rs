//! The editable network model: places, links, border crossings and transfer terminals,
//! held in a petgraph graph. Everything here is validated; later stages trust it.

use std::collections::HashMap;
use std::fmt;

use geo::{LineString, Point};
use petgraph::stable_graph::{EdgeIndex, NodeIndex, StableDiGraph};
use serde::{Deserialize, Serialize};

use crate::cost::params::Params;
use crate::network::validate::Problem;

/// A place's stable id as written in the network file (e.g. `mn_olgii`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PlaceId(pub String);

/// A link's stable id as written in the network file (e.g. `d_olgii_tolbo`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct LinkId(pub String);

impl fmt::Display for PlaceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for LinkId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// ISO 3166-1 alpha-2 country code, upper case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Country([u8; 2]);

impl Country {
    /// "ZZ" (user-assigned in ISO 3166): the country of imported points that no boundary
    /// polygon holds.
    pub const UNKNOWN: Country = Country(*b"ZZ");

    /// Parses a two-letter code (any case). Returns `None` for anything else.
    pub fn parse(s: &str) -> Option<Country> {
        let b = s.as_bytes();
        if b.len() == 2 && b.iter().all(u8::is_ascii_alphabetic) {
            Some(Country([
                b[0].to_ascii_uppercase(),
                b[1].to_ascii_uppercase(),
            ]))
        } else {
            None
        }
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        // Both bytes are ASCII letters by construction.
        std::str::from_utf8(&self.0).unwrap_or("??")
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How freight moves on a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Mode {
    Road,
    Rail,
}

impl Mode {
    pub fn parse(s: &str) -> Option<Mode> {
        match s {
            "road" => Some(Mode::Road),
            "rail" => Some(Mode::Rail),
            _ => None,
        }
    }
    pub fn as_str(&self) -> &'static str {
        match self {
            Mode::Road => "road",
            Mode::Rail => "rail",
        }
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A mode together with its track gauge: the unit that transfers join. A train cannot leave
/// its layer without a transfer; a truck is always on the road layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Layer {
    Road,
    Rail { gauge_mm: u16 },
}

impl Layer {
    /// Parses `road` or `rail_<gauge mm>` (e.g. `rail_1520`).
    pub fn parse(s: &str) -> Option<Layer> {
        if s == "road" {
            return Some(Layer::Road);
        }
        let gauge = s.strip_prefix("rail_")?.parse::<u16>().ok()?;
        valid_gauge(gauge).then_some(Layer::Rail { gauge_mm: gauge })
    }

    pub fn mode(&self) -> Mode {
        match self {
            Layer::Road => Mode::Road,
            Layer::Rail { .. } => Mode::Rail,
        }
    }
}

impl fmt::Display for Layer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Layer::Road => f.write_str("road"),
            Layer::Rail { gauge_mm } => write!(f, "rail_{gauge_mm}"),
        }
    }
}

/// Track gauges the model accepts, in mm (metre gauge to Russian broad gauge and a margin).
pub fn valid_gauge(gauge_mm: u16) -> bool {
    (600..=1700).contains(&gauge_mm)
}

/// Road class: sets the default truck speed (see `params.json`, `speed_kmh.road`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum RoadClass {
    Motorway,
    Paved,
    Gravel,
    Earth,
}

impl RoadClass {
    pub const ALL: [RoadClass; 4] = [
        RoadClass::Motorway,
        RoadClass::Paved,
        RoadClass::Gravel,
        RoadClass::Earth,
    ];
    pub fn parse(s: &str) -> Option<RoadClass> {
        RoadClass::ALL.into_iter().find(|c| c.as_str() == s)
    }
    pub fn as_str(&self) -> &'static str {
        match self {
            RoadClass::Motorway => "motorway",
            RoadClass::Paved => "paved",
            RoadClass::Gravel => "gravel",
            RoadClass::Earth => "earth",
        }
    }
}

/// Whether a link or place exists today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Status {
    Existing,
    UnderConstruction,
    Proposed,
}

impl Status {
    pub const ALL: [Status; 3] = [
        Status::Existing,
        Status::UnderConstruction,
        Status::Proposed,
    ];
    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|c| c.as_str() == s)
    }
    pub fn as_str(&self) -> &'static str {
        match self {
            Status::Existing => "existing",
            Status::UnderConstruction => "under_construction",
            Status::Proposed => "proposed",
        }
    }
}

/// What a place is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum PlaceKind {
    City,
    Town,
    RailStation,
    Terminal,
    BorderCrossing,
    BorderPost,
    Port,
    Mine,
    /// A road or rail junction (an imported network's graph node), named by its street or
    /// its OSM node id.
    Junction,
}

impl PlaceKind {
    pub const ALL: [PlaceKind; 9] = [
        PlaceKind::City,
        PlaceKind::Town,
        PlaceKind::RailStation,
        PlaceKind::Terminal,
        PlaceKind::BorderCrossing,
        PlaceKind::BorderPost,
        PlaceKind::Port,
        PlaceKind::Mine,
        PlaceKind::Junction,
    ];
    pub fn parse(s: &str) -> Option<PlaceKind> {
        let s = if s == "dry_port" { "terminal" } else { s };
        PlaceKind::ALL.into_iter().find(|c| c.as_str() == s)
    }
    pub fn as_str(&self) -> &'static str {
        match self {
            PlaceKind::City => "city",
            PlaceKind::Town => "town",
            PlaceKind::RailStation => "rail_station",
            PlaceKind::Terminal => "terminal",
            PlaceKind::BorderCrossing => "border_crossing",
            PlaceKind::BorderPost => "border_post",
            PlaceKind::Port => "port",
            PlaceKind::Mine => "mine",
            PlaceKind::Junction => "junction",
        }
    }
}

/// A set of months (1..=12) as a bit mask; bit `m` set means month `m` is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MonthSet(u16);

impl MonthSet {
    /// Every month.
    pub const ALL: MonthSet = MonthSet(0b1_1111_1111_1110);

    /// Builds a set from month numbers already checked to be 1..=12.
    pub fn from_months(months: &[u8]) -> MonthSet {
        MonthSet(months.iter().fold(0u16, |m, &x| m | (1 << x)))
    }
    pub fn contains(&self, month: u8) -> bool {
        (1..=12).contains(&month) && self.0 & (1 << month) != 0
    }
    pub fn is_all(&self) -> bool {
        *self == MonthSet::ALL
    }
    pub fn months(&self) -> Vec<u8> {
        (1..=12).filter(|m| self.contains(*m)).collect()
    }
    /// Short text such as `Jul, Aug, Sep` or `all year`.
    pub fn describe(&self) -> String {
        const NAMES: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        if self.is_all() {
            return "all year".into();
        }
        self.months()
            .iter()
            .map(|m| NAMES[usize::from(*m) - 1])
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Whether a crossing takes goods of any origin or only of its two countries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Regime {
    /// Open to goods of any country.
    International,
    /// Open only to goods travelling between its two countries.
    Bilateral,
}

/// Processing at a crossing for one mode. `None` fields take `params.json`'s `border_default`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BorderProcessing {
    pub hours: Option<f64>,
    pub bad_day_hours: Option<f64>,
    pub fee_usd: Option<f64>,
    pub source: Option<String>,
}

/// A border crossing: a place where a route changes country.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Crossing {
    pub countries: [Country; 2],
    pub regime: Regime,
    pub road: Option<BorderProcessing>,
    pub rail: Option<BorderProcessing>,
    pub months_open: MonthSet,
    /// Weekdays open (`mon`..`sun`) where known; informational.
    pub weekdays_open: Option<Vec<String>>,
}

impl Crossing {
    /// The processing for a mode, if the crossing serves it.
    pub fn processing(&self, mode: Mode) -> Option<&BorderProcessing> {
        match mode {
            Mode::Road => self.road.as_ref(),
            Mode::Rail => self.rail.as_ref(),
        }
    }
    /// Modes served, in a fixed order.
    pub fn modes(&self) -> Vec<Mode> {
        [Mode::Road, Mode::Rail]
            .into_iter()
            .filter(|m| self.processing(*m).is_some())
            .collect()
    }
}

/// A transfer between two layers at a place: road-rail transshipment or a gauge change.
/// `None` figures take the defaults in `params.json` (`transfer.road_rail`, `transfer.gauge_change`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Transfer {
    pub between: [Layer; 2],
    /// For a gauge change: how it may be done here (`transload`, `bogie_exchange`).
    pub methods: Vec<crate::cost::params::GaugeMethod>,
    pub hours: Option<f64>,
    pub bad_day_hours: Option<f64>,
    pub cost_usd_per_tonne: Option<f64>,
    pub source: Option<String>,
}

impl Transfer {
    /// True for a change of gauge between two rail layers.
    pub fn is_gauge_change(&self) -> bool {
        matches!(self.between, [Layer::Rail { .. }, Layer::Rail { .. }])
    }
}

/// A turn a road vehicle may not make at a junction (`no_left_turn`...), or the only turn it
/// may make (`only_straight_on`...), from one road link touching the place onto another.
/// OpenStreetMap's `type=restriction` relations with a node as `via`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TurnRestriction {
    /// The link arriving at the place.
    pub from: LinkId,
    /// The link leaving it.
    pub to: LinkId,
    /// `only_*`: every other turn from `from` is forbidden; else this turn is.
    pub only: bool,
    /// The restriction as tagged (`no_left_turn`, `only_straight_on`...).
    pub restriction: String,
}

/// A place: a town, station, terminal, mine, port or border crossing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Place {
    pub id: PlaceId,
    pub name: String,
    pub aliases: Vec<String>,
    /// Country the point lies in. A crossing also belongs to the other country in `crossing`.
    pub country: Country,
    pub kind: PlaceKind,
    pub status: Status,
    /// Longitude/latitude, WGS 84.
    pub position: Point<f64>,
    pub transfers: Vec<Transfer>,
    /// Turns forbidden (or the only turn allowed) between road links at this junction.
    pub turn_restrictions: Vec<TurnRestriction>,
    pub crossing: Option<Crossing>,
    pub source: String,
    pub notes: Option<String>,
    /// Closed by a scenario edit: no route may pass.
    pub closed: bool,
}

impl Place {
    /// Countries the place belongs to: one, or the two of a crossing.
    pub fn countries(&self) -> Vec<Country> {
        match &self.crossing {
            Some(c) => c.countries.to_vec(),
            None => vec![self.country],
        }
    }
    pub fn in_country(&self, c: Country) -> bool {
        match &self.crossing {
            Some(x) => x.countries.contains(&c),
            None => self.country == c,
        }
    }
}

/// A road or rail link between two places.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Link {
    pub id: LinkId,
    pub mode: Mode,
    /// Track gauge for rail links.
    pub gauge_mm: Option<u16>,
    /// Road class for road links.
    pub class: Option<RoadClass>,
    pub length_km: f64,
    /// False when the length was computed from the geometry.
    pub length_given: bool,
    /// Overrides the default speed of the mode/class.
    pub speed_kmh: Option<f64>,
    pub oneway: bool,
    pub status: Status,
    pub months_open: MonthSet,
    /// Route number or line name (AH4, R256, Trans-Mongolian...).
    pub route_ref: Option<String>,
    /// From the `from` place to the `to` place.
    pub geometry: LineString<f64>,
    pub source: String,
    /// Closed by a scenario edit: no route may use it.
    pub closed: bool,
}

impl Link {
    /// The layer the link belongs to.
    pub fn layer(&self) -> Layer {
        match (self.mode, self.gauge_mm) {
            (Mode::Rail, Some(g)) => Layer::Rail { gauge_mm: g },
            // Validation guarantees rail links have a gauge; a road layer is the safe fallback.
            _ => Layer::Road,
        }
    }
}

/// A validated network: places and links in a petgraph graph, the cost parameters, and the
/// warnings found while loading.
#[derive(Debug, Clone)]
pub struct Network {
    /// Where it came from (a folder, or `embedded:mn-kz`).
    pub origin: String,
    pub graph: StableDiGraph<Place, Link>,
    pub params: Params,
    pub warnings: Vec<Problem>,
    /// The network's own demand file, if it has one: (where from, CSV text).
    pub demand_csv: Option<(String, String)>,
    /// The network's own observed facts (`calibration.csv`), if it has them.
    pub calibration_csv: Option<(String, String)>,
    pub(crate) by_id: HashMap<String, NodeIndex>,
    pub(crate) link_by_id: HashMap<String, EdgeIndex>,
}

impl Network {
    /// Places in file order.
    pub fn places(&self) -> impl Iterator<Item = (NodeIndex, &Place)> {
        self.graph.node_indices().map(|i| (i, &self.graph[i]))
    }
    /// Links in file order, with their end places.
    pub fn links(&self) -> impl Iterator<Item = (EdgeIndex, NodeIndex, NodeIndex, &Link)> {
        self.graph.edge_indices().filter_map(|e| {
            let (a, b) = self.graph.edge_endpoints(e)?;
            Some((e, a, b, &self.graph[e]))
        })
    }
    pub fn place(&self, ix: NodeIndex) -> &Place {
        &self.graph[ix]
    }
    pub fn link(&self, ix: EdgeIndex) -> &Link {
        &self.graph[ix]
    }
    /// Looks a place up by its exact id.
    pub fn place_by_id(&self, id: &str) -> Option<NodeIndex> {
        self.by_id.get(id).copied()
    }
    /// Looks a link up by its exact id.
    pub fn link_by_id(&self, id: &str) -> Option<EdgeIndex> {
        self.link_by_id.get(id).copied()
    }
    pub fn place_count(&self) -> usize {
        self.graph.node_count()
    }
    pub fn link_count(&self) -> usize {
        self.graph.edge_count()
    }
    /// A link's name for people: its end places, "Ölgii - Tolbo".
    pub fn link_name(&self, link: EdgeIndex) -> String {
        self.graph
            .edge_endpoints(link)
            .map(|(a, b)| format!("{} - {}", self.place(a).name, self.place(b).name))
            .unwrap_or_else(|| self.link(link).id.0.clone())
    }

    /// The country a link between `a` and `b` lies in: the one its two places share (a
    /// crossing belongs to both of its countries, so a link to a crossing lies in the other
    /// end's country).
    pub fn link_country(&self, a: NodeIndex, b: NodeIndex) -> Country {
        let pa = self.place(a);
        let pb = self.place(b);
        match (&pa.crossing, &pb.crossing) {
            (Some(_), None) => pb.country,
            (None, _) => pa.country,
            (Some(x), Some(_)) => pb
                .countries()
                .into_iter()
                .find(|c| x.countries.contains(c))
                .unwrap_or(pa.country),
        }
    }

    /// Groups of places joined by links (ignoring direction and status), largest first.
    pub fn components(&self) -> Vec<Vec<NodeIndex>> {
        let bound = self
            .graph
            .node_indices()
            .map(|n| n.index() + 1)
            .max()
            .unwrap_or(0);
        let mut uf = petgraph::unionfind::UnionFind::<usize>::new(bound);
        for e in self.graph.edge_indices() {
            if let Some((a, b)) = self.graph.edge_endpoints(e) {
                uf.union(a.index(), b.index());
            }
        }
        let mut groups: HashMap<usize, Vec<NodeIndex>> = HashMap::new();
        for n in self.graph.node_indices() {
            groups.entry(uf.find(n.index())).or_default().push(n);
        }
        let mut out: Vec<Vec<NodeIndex>> = groups.into_values().collect();
        out.sort_by(|a, b| b.len().cmp(&a.len()).then(a[0].cmp(&b[0])));
        out
    }
}
