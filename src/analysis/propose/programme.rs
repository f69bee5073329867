//! A greedy programme of candidates under a budget.

use crate::analysis::demand::Demand;
use crate::cost::profile::Profile;
use crate::error::Result;
use crate::network::model::Network;

use super::*;

/// One pick of the greedy programme.
#[derive(Debug, Clone, PartialEq)]
pub struct Pick {
    pub evaluation: Evaluation,
    pub cumulative_cost_usd: f64,
    pub cumulative_benefit_usd_per_year: f64,
}

/// Greedy programme: repeatedly add the remaining candidate with the best benefit-cost ratio
/// that fits the budget, then re-evaluate the rest on the improved network.
/// A programme's limits: money to spend, and the lowest benefit-cost ratio worth a pick.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Budget {
    pub usd: f64,
    pub min_bcr: f64,
}

/// Only candidates with a benefit-cost ratio of at least `budget.min_bcr` are picked.
pub fn greedy_programme(
    network: &Network,
    profile: &Profile,
    demand: &Demand,
    candidates: &[Candidate],
    budget: Budget,
    options: &ProposeOptions,
    mut on_step: impl FnMut(usize),
) -> Result<Vec<Pick>> {
    let mut working = (network.clone(), profile.clone());
    let mut remaining: Vec<usize> = (0..candidates.len()).collect();
    let mut spent = 0.0;
    let mut gained = 0.0;
    let mut picks = Vec::new();
    loop {
        on_step(picks.len());
        let affordable: Vec<usize> = remaining
            .iter()
            .copied()
            .filter(|&i| candidates[i].construction_usd <= budget.usd - spent)
            .collect();
        if affordable.is_empty() {
            break;
        }
        let evals = evaluate_all(
            &working.0,
            &working.1,
            demand,
            candidates,
            &affordable,
            options,
        )?;
        let best = evals
            .into_iter()
            .filter(|e| e.benefit_usd_per_year > 0.0 && e.benefit_cost_ratio >= budget.min_bcr)
            .max_by(|a, b| {
                a.benefit_cost_ratio
                    .total_cmp(&b.benefit_cost_ratio)
                    .then(b.candidate.cmp(&a.candidate))
            });
        let Some(best) = best else { break };
        let c = &candidates[best.candidate];
        working = add_candidate(&working.0, &working.1, c)?;
        spent += c.construction_usd;
        gained += best.benefit_usd_per_year;
        remaining.retain(|&i| i != best.candidate && !same_link(&candidates[i], c));
        picks.push(Pick {
            evaluation: best,
            cumulative_cost_usd: spent,
            cumulative_benefit_usd_per_year: gained,
        });
    }
    Ok(picks)
}

/// Two candidates join the same two places (e.g. road and rail, or a duplicate).
pub(crate) fn same_link(a: &Candidate, b: &Candidate) -> bool {
    a.mode == b.mode && ((a.from == b.from && a.to == b.to) || (a.from == b.to && a.to == b.from))
}
