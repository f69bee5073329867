//! Proposing new links: candidates (the network's own projects, a candidates file, and links
//! generated between nearby places whose best route is a long detour), their exact benefit
//! over the demand, and a greedy programme under a budget.
//!
//! The benefit of a single new link u-v is computed without new searches: with distances
//! d(o, x) from every origin and d(x, d) to every destination (one forward and one backward
//! search per origin and destination, under each O-D pair's rules), the new cost of a pair
//! is min(old, d(o,u) + w(u,v) + d(v,d), d(o,v) + w(v,u) + d(u,d)), where w is the link's
//! compiled weight including any new crossing, exactly as a rebuilt graph would weigh it.
//! Projects of several links (and `--verify`) are evaluated by a full re-route.

mod candidates;
mod detours;
mod distances;
mod evaluate;
mod programme;

pub use candidates::*;
pub use detours::*;
pub use distances::*;
pub use evaluate::*;
pub use programme::*;

use petgraph::stable_graph::NodeIndex;

use crate::analysis::scenario::Edit;
use crate::cost::profile::ModeSet;
use crate::network::model::{Country, Layer, Link, Mode, Place};

/// "Unreachable" in distance arrays; sums of two stay far below `u64::MAX`.
pub(crate) const INF: u64 = u64::MAX / 4;

/// Options of a proposal run.
#[derive(Debug, Clone, PartialEq)]
pub struct ProposeOptions {
    /// Longest straight line a generated candidate may span, km.
    pub max_km: f64,
    /// Generate a candidate only where the best route is at least this many times the
    /// straight line (or there is none).
    pub min_detour: f64,
    /// Modes of generated candidates.
    pub modes: ModeSet,
    /// Link length / straight line on open terrain and in mountains.
    pub circuity_flat: f64,
    pub circuity_mountain: f64,
    /// Discount rate and horizon for the benefit-cost ratio.
    pub discount_rate: f64,
    pub years: f64,
}

impl Default for ProposeOptions {
    fn default() -> Self {
        ProposeOptions {
            max_km: 400.0,
            min_detour: 1.5,
            modes: ModeSet::ALL,
            circuity_flat: 1.2,
            circuity_mountain: 1.5,
            discount_rate: 0.09,
            years: 30.0,
        }
    }
}

/// Where a candidate comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum CandidateSource {
    /// Links of the network with status proposed or under construction (one project).
    Network,
    /// A candidates file.
    File(String),
    /// Generated between two places.
    Generated,
}

/// A candidate new link or project.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub id: String,
    pub name: String,
    pub source: CandidateSource,
    pub mode: Mode,
    pub from: NodeIndex,
    pub to: NodeIndex,
    pub length_km: f64,
    pub mountains: Option<&'static str>,
    pub construction_usd: f64,
    /// The two countries when the candidate needs a new border crossing.
    pub new_crossing: Option<[Country; 2]>,
    /// Edits that add it to a network.
    pub edits: Vec<Edit>,
    /// Generated single links: evaluated by the fast formula.
    pub single: Option<SingleLink>,
}

/// A single generated link: its layer and the model links that build it.
#[derive(Debug, Clone, PartialEq)]
pub struct SingleLink {
    pub layer: Layer,
    /// From `from` to the crossing (or `to`), and from the crossing to `to`.
    pub links: Vec<Link>,
    pub crossing: Option<Place>,
}
