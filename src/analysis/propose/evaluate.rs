//! Evaluating candidates: the fast benefit of single links from the distance tables, and
//! the exact benefit of projects by re-routing the demand on the network with them added.

use std::collections::BTreeMap;

use petgraph::stable_graph::NodeIndex;
use rayon::prelude::*;

use crate::analysis::assign::{OdRoute, routes_of};
use crate::analysis::demand::Demand;
use crate::analysis::many::MaskSet;
use crate::cost::profile::Profile;
use crate::error::Result;
use crate::graph::csr::NodeIx;
use crate::graph::engine::Engine;
use crate::graph::search_graph::SearchGraph;
use crate::graph::weights::{CLOSED, Weights, link_cost};
use crate::network::model::{Network, Place};

use super::*;

/// Evaluation of one candidate.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    pub candidate: usize,
    /// Generalized cost saved per year over the demand, USD.
    pub benefit_usd_per_year: f64,
    /// Tonnes per year that had no route and now have one.
    pub newly_served_tonnes: f64,
    /// Per flow: saving per year (USD), largest first; flows that gain nothing left out.
    pub gains: Vec<(usize, f64)>,
    pub benefit_cost_ratio: f64,
    pub payback_years: f64,
}

/// Present value factor of a constant annual amount.
pub fn annuity_factor(rate: f64, years: f64) -> f64 {
    if rate <= 0.0 {
        years
    } else {
        (1.0 - (1.0 + rate).powf(-years)) / rate
    }
}

pub(crate) fn finish(
    candidate: usize,
    c: &Candidate,
    per_flow_usd: Vec<(usize, f64)>,
    newly: f64,
    options: &ProposeOptions,
) -> Evaluation {
    let benefit: f64 = per_flow_usd.iter().map(|(_, s)| s).sum();
    let mut gains: Vec<(usize, f64)> = per_flow_usd.into_iter().filter(|(_, s)| *s > 0.0).collect();
    gains.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
    let pv = benefit * annuity_factor(options.discount_rate, options.years);
    Evaluation {
        candidate,
        benefit_usd_per_year: benefit,
        newly_served_tonnes: newly,
        gains,
        benefit_cost_ratio: if c.construction_usd > 0.0 {
            pv / c.construction_usd
        } else {
            f64::INFINITY
        },
        payback_years: if benefit > 0.0 {
            c.construction_usd / benefit
        } else {
            f64::INFINITY
        },
    }
}

/// The compiled weights (a->b, b->a) and endpoint nodes of a single link in `graph`.
pub fn single_arcs(
    network: &Network,
    graph: &SearchGraph,
    weights: &Weights,
    c: &Candidate,
    s: &SingleLink,
) -> Option<(NodeIx, NodeIx, u64, u64)> {
    let node = |p: NodeIndex| {
        graph
            .nodes_of(p)
            .iter()
            .copied()
            .find(|n| graph.node(*n).layer == s.layer)
    };
    let (a, b) = (node(c.from)?, node(c.to)?);
    let head_of = |i: usize, forward: bool| -> &Place {
        match (&s.crossing, forward, i) {
            (Some(x), true, 0) | (Some(x), false, 1) => x,
            (_, true, _) => network.place(c.to),
            (_, false, _) => network.place(c.from),
        }
    };
    // A piece lies in the country of the end it touches (the other end is the crossing).
    let country_of = |i: usize| match (&s.crossing, i) {
        (Some(_), 1) => network.place(c.to).country,
        _ => network.place(c.from).country,
    };
    let (profile, rates) = (&weights.profile, &weights.rates);
    let mut w_ab = 0u64;
    let mut w_ba = 0u64;
    for (i, l) in s.links.iter().enumerate() {
        let (wf, _, _) = weights.numbers(&link_cost(
            profile,
            rates,
            l,
            country_of(i),
            head_of(i, true),
        ));
        let (wb, _, _) = weights.numbers(&link_cost(
            profile,
            rates,
            l,
            country_of(i),
            head_of(i, false),
        ));
        if wf == CLOSED || wb == CLOSED {
            return None;
        }
        w_ab += u64::from(wf);
        w_ba += u64::from(wb);
    }
    Some((a, b, w_ab, w_ba))
}

/// Fast evaluation of single-link candidates (parallel over candidates).
pub fn evaluate_fast(
    network: &Network,
    graph: &SearchGraph,
    weights: &Weights,
    dist: &OdDistances,
    candidates: &[Candidate],
    which: &[usize],
    options: &ProposeOptions,
) -> Vec<Evaluation> {
    which
        .par_iter()
        .map_init(
            || vec![0u64; dist.flows],
            |savings, &ci| {
                let c = &candidates[ci];
                let s = c.single.as_ref();
                let arcs = s.and_then(|s| single_arcs(network, graph, weights, c, s));
                let mut per_flow = Vec::new();
                let mut newly = 0.0;
                if let Some((a, b, w_ab, w_ba)) = arcs {
                    link_savings(dist, a, b, w_ab, w_ba, savings);
                    for (i, s) in savings.iter().enumerate() {
                        if *s == 0 {
                            continue;
                        }
                        if dist.old[i] >= INF {
                            newly += dist.tonnes[i];
                        } else {
                            per_flow.push((i, weights.natural(*s) * dist.shipments[i]));
                        }
                    }
                }
                finish(ci, c, per_flow, newly, options)
            },
        )
        .collect()
}

/// Routes of the demand on `network` (rebuilt graph and weights).
pub(crate) fn routes_on(
    network: &Network,
    profile: &Profile,
    demand: &Demand,
) -> (Vec<Option<OdRoute>>, Weights) {
    // The candidate added links: the graph is compiled and contracted again.
    match Engine::build(network) {
        Ok(engine) => {
            let w = Weights::compile(network, &engine.graph, profile);
            let masks = MaskSet::new(network, &engine.graph, &w);
            (routes_of(network, &engine, &w, &[], &masks, demand), w)
        }
        Err(_) => {
            let g = SearchGraph::build(network);
            let w = Weights::compile(network, &g, profile);
            let masks = MaskSet::new(network, &g, &w);
            (routes_of(network, &g, &w, &[], &masks, demand), w)
        }
    }
}

/// Exact evaluation by adding the candidate and re-routing every flow. Returns the
/// evaluation and the routes after.
pub fn evaluate_by_rerouting(
    network: &Network,
    profile: &Profile,
    demand: &Demand,
    before: &[Option<OdRoute>],
    candidates: &[Candidate],
    ci: usize,
    options: &ProposeOptions,
) -> Result<(Evaluation, Vec<Option<OdRoute>>)> {
    let c = &candidates[ci];
    let applied = add_candidate(network, profile, c)?;
    let (after, w) = routes_on(&applied.0, &applied.1, demand);
    let mut per_flow = Vec::new();
    let mut newly = 0.0;
    for (i, (b, a)) in before.iter().zip(&after).enumerate() {
        match (b, a) {
            (Some(b), Some(a)) if a.weight < b.weight => {
                let ships = demand.flows[i].tonnes_per_year
                    / profile.params.cargo.tonnes.max(f64::MIN_POSITIVE);
                per_flow.push((i, w.natural(b.weight - a.weight) * ships));
            }
            (None, Some(_)) => newly += demand.flows[i].tonnes_per_year,
            _ => {}
        }
    }
    Ok((finish(ci, c, per_flow, newly, options), after))
}

/// A candidate re-routed in full: its exact evaluation, tonne-hours saved, and the flow that
/// gains most with its routes before and after (the after route on `network`).
#[derive(Debug, Clone)]
pub struct CandidateDetail {
    pub evaluation: Evaluation,
    pub tonne_hours_saved: f64,
    /// The flow that gains most, with its route before and after.
    pub biggest: Option<(usize, OdRoute, OdRoute)>,
    /// The network with the candidate added.
    pub network: Network,
}

/// Re-routes the demand with candidate `ci` added and explains what it changes.
pub fn detail(
    network: &Network,
    profile: &Profile,
    demand: &Demand,
    before: &[Option<OdRoute>],
    candidates: &[Candidate],
    ci: usize,
    options: &ProposeOptions,
) -> Result<CandidateDetail> {
    let (evaluation, after) =
        evaluate_by_rerouting(network, profile, demand, before, candidates, ci, options)?;
    let (with, _) = add_candidate(network, profile, &candidates[ci])?;
    let mut tonne_hours_saved = 0.0;
    for (i, (b, a)) in before.iter().zip(&after).enumerate() {
        if let (Some(b), Some(a)) = (b, a) {
            tonne_hours_saved += demand.flows[i].tonnes_per_year * (b.hours - a.hours);
        }
    }
    let biggest = evaluation
        .gains
        .first()
        .and_then(|(f, _)| Some((*f, before[*f].clone()?, after[*f].clone()?)));
    Ok(CandidateDetail {
        evaluation,
        tonne_hours_saved,
        biggest,
        network: with,
    })
}

/// Evaluates every candidate on `network` (fast for single links, re-routing for projects).
pub fn evaluate_all(
    network: &Network,
    profile: &Profile,
    demand: &Demand,
    candidates: &[Candidate],
    which: &[usize],
    options: &ProposeOptions,
) -> Result<Vec<Evaluation>> {
    let engine = Engine::build(network)?;
    let graph = &engine.graph;
    let weights = Weights::compile(network, graph, profile);
    let singles: Vec<usize> = which
        .iter()
        .copied()
        .filter(|&i| candidates[i].single.is_some())
        .collect();
    // Fast evaluation per commodity (each under its own costs), summed per candidate.
    let mut merged: BTreeMap<usize, (Vec<(usize, f64)>, f64)> = BTreeMap::new();
    for (pc, flows) in demand.cost_groups(network, profile) {
        let wc = Weights::compile(network, graph, &pc);
        let sub = Demand {
            flows: flows.iter().map(|&i| demand.flows[i].clone()).collect(),
            origin: demand.origin.clone(),
        };
        let dist = od_distances(network, &engine, &wc, &sub)?;
        for e in evaluate_fast(network, graph, &wc, &dist, candidates, &singles, options) {
            let entry = merged.entry(e.candidate).or_default();
            entry
                .0
                .extend(e.gains.iter().map(|(k, usd)| (flows[*k], *usd)));
            entry.1 += e.newly_served_tonnes;
        }
    }
    let mut evals: Vec<Evaluation> = merged
        .into_iter()
        .map(|(ci, (gains, newly))| finish(ci, &candidates[ci], gains, newly, options))
        .collect();
    let projects: Vec<usize> = which
        .iter()
        .copied()
        .filter(|&i| candidates[i].single.is_none())
        .collect();
    if !projects.is_empty() {
        let masks = MaskSet::new(network, graph, &weights);
        let before = routes_of(network, &engine, &weights, &[], &masks, demand);
        let more: Vec<Result<Evaluation>> = projects
            .par_iter()
            .map(|&i| {
                evaluate_by_rerouting(network, profile, demand, &before, candidates, i, options)
                    .map(|(e, _)| e)
            })
            .collect();
        for e in more {
            evals.push(e?);
        }
    }
    evals.sort_by(|a, b| {
        b.benefit_usd_per_year
            .total_cmp(&a.benefit_usd_per_year)
            .then(a.candidate.cmp(&b.candidate))
    });
    Ok(evals)
}
