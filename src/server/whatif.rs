//! What-if services on the network's own demand: `POST /v1/scenario` (a scenario file's JSON
//! in the body, run against the baseline, as `steppe scenario run --format json`) and
//! `GET /v1/critical` (as `steppe critical --format json`).

use axum::Json;
use axum::body::Bytes;
use axum::extract::{RawQuery, State as AxState};
use serde_json::Value;

use crate::analysis::assign::assign;
use crate::analysis::critical::{Kinds, criticality};
use crate::analysis::demand::network_demand;
use crate::analysis::scenario::{Edit, Scenario, run_scenario};
use crate::graph::Weights;
use crate::server::error::ApiError;
use crate::server::params::{Pairs, REQUEST_OPTIONS, request};
use crate::server::{Shared, blocking};

/// `POST /v1/scenario?options...` with a scenario (networks/README.md, "Scenario files") as
/// the body. Edits that name files (`add` or `demand` with `file`) are refused: the server
/// reads no files on a client's behalf; give `features` inline.
pub async fn scenario(
    AxState(state): AxState<Shared>,
    RawQuery(query): RawQuery,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Json<Value>, ApiError> {
    let body = crate::server::error::body(body)?;
    let pairs = Pairs::from_query(query.as_deref())?;
    pairs.check_known(&REQUEST_OPTIONS)?;
    let mut sc: Scenario = serde_json::from_slice(&body).map_err(|e| {
        ApiError::value(
            "body",
            format!(
                "the scenario is not valid: line {}, column {}: {e}",
                e.line(),
                e.column()
            ),
        )
    })?;
    for (i, edit) in sc.edits.iter().enumerate() {
        if let Edit::Add { file: Some(_), .. } | Edit::Demand { file: Some(_), .. } = edit {
            return Err(ApiError::value(
                &format!("edits[{i}].file"),
                "the server reads no files; give the features inline",
            ));
        }
    }
    sc.path = std::path::PathBuf::from("request body");
    blocking(&state, move |s| {
        let profile = request(&pairs)?
            .profile(&s.network)
            .map_err(|e| ApiError::from_lib(e, "avoid"))?;
        let demand = network_demand(&s.network)
            .map_err(|e| ApiError::from_lib(e, ""))?
            .merged();
        let weights = Weights::compile(&s.network, &s.engine.graph, &profile);
        let baseline = assign(&s.network, &s.engine, &weights, &demand);
        let run = run_scenario(&s.network, &s.engine, &weights, &baseline, &demand, &sc)
            .map_err(|e| ApiError::from_lib(e, "body"))?;
        Ok(Json(crate::output::scenario::scenario_json(
            &s.network, &run,
        )))
    })
    .await
}

/// `GET /v1/critical?kind=link,crossing,terminal&options...`.
pub async fn critical(
    AxState(state): AxState<Shared>,
    RawQuery(query): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let pairs = Pairs::from_query(query.as_deref())?;
    let known: Vec<&str> = ["kind"]
        .iter()
        .chain(REQUEST_OPTIONS.iter())
        .copied()
        .collect();
    pairs.check_known(&known)?;
    let list = pairs.list("kind");
    let kinds = if list.is_empty() {
        Kinds::ALL
    } else {
        let mut k = Kinds {
            links: false,
            crossings: false,
            terminals: false,
        };
        for item in &list {
            match item.as_str() {
                "link" => k.links = true,
                "crossing" => k.crossings = true,
                "terminal" => k.terminals = true,
                other => {
                    return Err(ApiError::value(
                        "kind",
                        format!("unknown kind \"{other}\"; use link, crossing or terminal"),
                    ));
                }
            }
        }
        k
    };
    blocking(&state, move |s| {
        let profile = request(&pairs)?
            .profile(&s.network)
            .map_err(|e| ApiError::from_lib(e, "avoid"))?;
        let demand = network_demand(&s.network)
            .map_err(|e| ApiError::from_lib(e, ""))?
            .merged();
        let weights = Weights::compile(&s.network, &s.engine.graph, &profile);
        let (impacts, _) = criticality(&s.network, &s.engine, &weights, &demand, kinds);
        Ok(Json(crate::output::scenario::critical_json(
            &s.network, &impacts,
        )))
    })
    .await
}

const PROPOSE_PARAMS: [&str; 6] = [
    "budget_usd",
    "min_bcr",
    "top",
    "mode",
    "max_km",
    "min_detour",
];

/// `GET /v1/propose?budget_usd=&min_bcr=&top=&mode=road|rail&max_km=&min_detour=`: new links
/// ranked by benefit and cost over the network's own demand, as
/// `steppe propose --format json` (the top candidates re-routed in full in `top_in_detail`).
pub async fn propose(
    AxState(state): AxState<Shared>,
    RawQuery(query): RawQuery,
) -> Result<Json<Value>, ApiError> {
    use crate::analysis::propose::{
        Budget, ProposeOptions, detail, evaluate_all, generate, greedy_programme, network_projects,
    };
    use crate::cost::profile::{ModeSet, Objective};
    let pairs = Pairs::from_query(query.as_deref())?;
    let known: Vec<&str> = PROPOSE_PARAMS
        .iter()
        .chain(REQUEST_OPTIONS.iter())
        .copied()
        .collect();
    pairs.check_known(&known)?;
    let budget = pairs.number("budget_usd", 0.0, 1e15)?;
    let min_bcr = pairs.number("min_bcr", 0.0, 1e6)?.unwrap_or(0.0);
    let top = pairs.number("top", 1.0, 1000.0)?.unwrap_or(15.0) as usize;
    let max_km = pairs.number("max_km", 1.0, 2000.0)?.unwrap_or(400.0);
    let min_detour = pairs.number("min_detour", 1.0, 100.0)?.unwrap_or(1.5);
    let mode = match pairs.one("mode") {
        None => None,
        Some("road") => Some(ModeSet {
            road: true,
            rail: false,
        }),
        Some("rail") => Some(ModeSet {
            road: false,
            rail: true,
        }),
        Some(other) => {
            return Err(ApiError::value(
                "mode",
                format!("\"{other}\" is not road or rail"),
            ));
        }
    };
    blocking(&state, move |s| {
        let lib = |e| ApiError::from_lib(e, "");
        let profile = request(&pairs)?
            .profile(&s.network)
            .map_err(|e| ApiError::from_lib(e, "avoid"))?;
        if profile.objective != Objective::Generalized {
            return Err(ApiError::value(
                "minimize",
                "propose measures benefits in generalized cost; drop minimize",
            ));
        }
        if profile.params.construction_usd_per_km.is_none() {
            return Err(ApiError::query(
                "params.json has no construction_usd_per_km; proposals cannot be costed",
            ));
        }
        let demand = network_demand(&s.network).map_err(lib)?.merged();
        let options = ProposeOptions {
            max_km,
            min_detour,
            modes: mode.unwrap_or(profile.modes),
            ..ProposeOptions::default()
        };
        let mut candidates = network_projects(&s.network, &options);
        candidates.extend(generate(&s.network, &s.engine, &profile, &options).map_err(lib)?);
        let all: Vec<usize> = (0..candidates.len()).collect();
        let evals = evaluate_all(&s.network, &profile, &demand, &candidates, &all, &options)
            .map_err(lib)?;
        let weights = Weights::compile(&s.network, &s.engine.graph, &profile);
        let masks = crate::analysis::many::MaskSet::new(&s.network, &s.engine.graph, &weights);
        let before = crate::analysis::assign::routes_of(
            &s.network,
            &s.engine,
            &weights,
            &[],
            &masks,
            &demand,
        );
        let mut details = Vec::new();
        for e in evals.iter().take(top.min(5)) {
            details.push(
                detail(
                    &s.network,
                    &profile,
                    &demand,
                    &before,
                    &candidates,
                    e.candidate,
                    &options,
                )
                .map_err(lib)?,
            );
        }
        let picks = match budget {
            Some(usd) => greedy_programme(
                &s.network,
                &profile,
                &demand,
                &candidates,
                Budget { usd, min_bcr },
                &options,
                |_| {},
            )
            .map_err(lib)?,
            None => Vec::new(),
        };
        let mut v = crate::output::propose::proposals_json(
            &s.network,
            &demand,
            &candidates,
            &evals,
            &picks,
        );
        v["top_in_detail"] =
            crate::output::propose::details_json(&s.network, &demand, &candidates, &details);
        Ok(Json(v))
    })
    .await
}
