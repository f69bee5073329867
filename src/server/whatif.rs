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
