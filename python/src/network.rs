//! `Core`: one network and its routing engine, loaded once and shared by every call. Each
//! method takes options as JSON (built by the Python layer from keyword arguments), releases
//! the GIL while it works, and answers with the same JSON the command line writes.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use petgraph::stable_graph::NodeIndex;
use pyo3::prelude::*;
use serde_json::{Value, json};

use steppe::analysis::alternatives::{AlternativeOptions, alternatives};
use steppe::analysis::assign::{Assignment, assign};
use steppe::analysis::critical::{Kinds, criticality};
use steppe::analysis::demand::{Demand, network_demand, parse_demand, read_demand};
use steppe::analysis::isochrone::{BudgetKind, isochrone};
use steppe::analysis::route::{Planner, RouteOutcome};
use steppe::analysis::scenario::{read_scenario, run_scenario};
use steppe::cost::profile::{ModeSet, Objective, Profile};
use steppe::graph::Weights;
use steppe::graph::engine::Engine;
use steppe::inputs::scenario::Scenario;
use steppe::network::{Country, Network, load_dir, load_embedded, names};
use steppe::output::geojson::{collection, network_collection, round, to_text};

use crate::errors::{NoRouteError, request, to_py};
use crate::options::request_from;

type Res<T> = PyResult<T>;

fn lib<T>(r: steppe::Result<T>) -> Res<T> {
    r.map_err(to_py)
}

fn parse_json(text: &str, what: &str) -> Res<Value> {
    serde_json::from_str(text).map_err(|e| request(format!("{what}: {e}")))
}

fn pretty(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}

/// Which demand a call assigns: a CSV file, CSV text, or the network's own; optionally only
/// some flow types (as `--flow-type`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
struct DemandSpec {
    path: Option<String>,
    text: Option<String>,
    flow_types: Vec<String>,
}

impl DemandSpec {
    fn from_json(v: &Value) -> Res<DemandSpec> {
        let s = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
        let flow_types = match v.get("flow_type") {
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
            Some(Value::String(t)) => t.split(',').map(|x| x.trim().to_string()).collect(),
            _ => Vec::new(),
        };
        Ok(DemandSpec {
            path: s("path"),
            text: s("text"),
            flow_types,
        })
    }

    /// The same demand as the CLI's `DemandOptions::load` (filtered, then merged).
    fn load(&self, network: &Network) -> steppe::Result<Demand> {
        let mut d = match (&self.path, &self.text) {
            (Some(p), _) => read_demand(network, Path::new(p))?,
            (None, Some(t)) => parse_demand(network, t, "demand given from Python")?,
            (None, None) => network_demand(network)?,
        };
        if !self.flow_types.is_empty() {
            d.flows.retain(|f| {
                f.flow_type
                    .as_ref()
                    .is_some_and(|t| self.flow_types.contains(t))
            });
            if d.flows.is_empty() {
                return Err(steppe::Error::Request(format!(
                    "no demand row of flow type {} in {}",
                    self.flow_types.join(", "),
                    d.origin
                )));
            }
            d.origin = format!("{} (flow types {})", d.origin, self.flow_types.join(", "));
        }
        Ok(d.merged())
    }
}

/// A baseline assignment, kept so scenario after scenario is compared without re-assigning.
struct Baseline {
    weights: Weights,
    demand: Demand,
    assignment: Assignment,
}

/// A loaded network with its routing engine (the `steppe.Network` of Python holds one).
#[pyclass(frozen, module = "steppe._steppe")]
pub struct Core {
    network: Arc<Network>,
    engine: Arc<Engine>,
    folder: Option<PathBuf>,
    baselines: Mutex<HashMap<(String, DemandSpec), Arc<Baseline>>>,
}

impl Core {
    fn profile(&self, options: &Value) -> Res<Profile> {
        lib(request_from(options)?.profile(&self.network))
    }

    fn baseline(&self, options_json: &str, spec: &DemandSpec) -> Res<Arc<Baseline>> {
        let key = (options_json.to_string(), spec.clone());
        if let Some(b) = self
            .baselines
            .lock()
            .ok()
            .and_then(|m| m.get(&key).cloned())
        {
            return Ok(b);
        }
        let options = parse_json(options_json, "options")?;
        let profile = self.profile(&options)?;
        let demand = lib(spec.load(&self.network))?;
        let weights = Weights::compile(&self.network, &self.engine.graph, &profile);
        let assignment = assign(&self.network, &*self.engine, &weights, &demand);
        let b = Arc::new(Baseline {
            weights,
            demand,
            assignment,
        });
        if let Ok(mut m) = self.baselines.lock() {
            m.insert(key, b.clone());
        }
        Ok(b)
    }

    fn place(&self, name: &str) -> Res<NodeIndex> {
        lib(names::resolve(&self.network, name))
    }
}

#[pymethods]
impl Core {
    /// Loads a network folder (the embedded Mongolia-Kazakhstan network when `path` is
    /// None) and builds its routing engine (node order cached in the folder).
    #[staticmethod]
    #[pyo3(signature = (path=None))]
    fn load(py: Python<'_>, path: Option<PathBuf>) -> Res<Core> {
        // Any failure here is the network's (a missing folder is an `Input` error in the
        // library), so it is raised as `NetworkError`.
        let failed = |e: steppe::Error| crate::errors::NetworkError::new_err(e.to_string());
        py.detach(|| {
            let network = match &path {
                Some(dir) => load_dir(dir).map_err(failed)?,
                None => load_embedded().map_err(failed)?,
            };
            let engine = match &path {
                Some(dir) => Engine::build_cached(&network, Some(dir)).map_err(failed)?.0,
                None => Engine::build(&network).map_err(failed)?,
            };
            Ok(Core {
                network: Arc::new(network),
                engine: Arc::new(engine),
                folder: path,
                baselines: Mutex::new(HashMap::new()),
            })
        })
    }

    /// Where the network came from (a folder, or `embedded:mn-kz`).
    #[getter]
    fn origin(&self) -> String {
        self.network.origin.clone()
    }

    /// The folder given to `load`, or None for the embedded network.
    #[getter]
    fn folder(&self) -> Option<PathBuf> {
        self.folder.clone()
    }

    /// The network as GeoJSON text (links, then places), as `steppe network export`.
    fn network_geojson(&self) -> String {
        to_text(&network_collection(&self.network))
    }

    /// The id of the place a name, alias or id resolves to.
    fn resolve(&self, name: &str) -> Res<String> {
        Ok(self.network.place(self.place(name)?).id.0.clone())
    }

    /// One route, or `alternatives` different routes: `(answer, geojson)`, the answer equal
    /// to `steppe route --format json`. No route raises `NoRouteError` with the answer JSON
    /// (reason and hints) as its second argument.
    #[pyo3(signature = (origin, destination, options_json, via=Vec::new(), alternatives_k=1))]
    fn route(
        &self,
        py: Python<'_>,
        origin: &str,
        destination: &str,
        options_json: &str,
        via: Vec<String>,
        alternatives_k: usize,
    ) -> Res<(String, String)> {
        if !(1..=20).contains(&alternatives_k) {
            return Err(request(format!(
                "alternatives must be 1 to 20, got {alternatives_k}"
            )));
        }
        let network = &*self.network;
        let from = self.place(origin)?;
        let to = self.place(destination)?;
        let via = via.iter().map(|v| self.place(v)).collect::<Res<Vec<_>>>()?;
        let profile = self.profile(&parse_json(options_json, "options")?)?;
        let engine = &*self.engine;
        let outcome = py.detach(|| -> steppe::Result<_> {
            let mut planner = Planner::on_engine(network, engine, &profile);
            if alternatives_k > 1 {
                alternatives(
                    &mut planner,
                    from,
                    to,
                    &via,
                    AlternativeOptions::new(alternatives_k),
                )
            } else {
                Ok(match planner.route(from, to, &via)? {
                    RouteOutcome::Found(r) => Ok(vec![r]),
                    RouteOutcome::NoRoute(why) => Err(why),
                })
            }
        });
        let describe = profile.describe();
        match lib(outcome)? {
            Ok(routes) => {
                let answer = steppe::output::route::routes_answer(
                    network, from, to, &describe, &routes, None,
                );
                let features = steppe::output::route::routes_features(network, &routes);
                Ok((pretty(&answer), to_text(&collection(features))))
            }
            Err(why) => {
                let answer = steppe::output::route::routes_answer(
                    network,
                    from,
                    to,
                    &describe,
                    &[],
                    Some(&why),
                );
                let mut msg = why.reason.clone();
                for h in &why.hints {
                    msg.push_str(&format!("\n  {h}"));
                }
                Err(NoRouteError::new_err((msg, pretty(&answer))))
            }
        }
    }

    /// Origin-destination figures, one JSON object per pair (unrounded), as `steppe matrix`
    /// computes them.
    fn matrix(
        &self,
        py: Python<'_>,
        origins: Vec<String>,
        destinations: Vec<String>,
        options_json: &str,
    ) -> Res<String> {
        let network = &*self.network;
        let o = origins
            .iter()
            .map(|n| self.place(n))
            .collect::<Res<Vec<_>>>()?;
        let d = destinations
            .iter()
            .map(|n| self.place(n))
            .collect::<Res<Vec<_>>>()?;
        let profile = self.profile(&parse_json(options_json, "options")?)?;
        let engine = &*self.engine;
        let m = py.detach(|| -> steppe::Result<_> {
            let weights = Weights::compile(network, &engine.graph, &profile);
            steppe::analysis::matrix::matrix_for(network, engine, &weights, &o, &d)
        });
        let m = lib(m)?;
        let mut rows = Vec::new();
        for (i, a) in m.origins.iter().enumerate() {
            for (j, b) in m.destinations.iter().enumerate() {
                let mut v = json!({
                    "origin": network.place(*a).id.0,
                    "destination": network.place(*b).id.0,
                    "origin_name": network.place(*a).name,
                    "destination_name": network.place(*b).name,
                });
                match m.get(i, j) {
                    Some(c) => {
                        v["reachable"] = json!(true);
                        v["km"] = json!(c.km);
                        v["hours"] = json!(c.hours);
                        v["bad_day_hours"] = json!(c.bad_day_hours);
                        v["usd"] = json!(c.usd);
                        v["generalized_usd"] = json!(c.generalized_usd);
                        v["crossings"] = json!(c.crossings);
                        v["gauge_changes"] = json!(c.gauge_changes);
                        v["transit_countries"] =
                            json!(c.transit.iter().map(|c| c.to_string()).collect::<Vec<_>>());
                    }
                    None => v["reachable"] = json!(false),
                }
                rows.push(v);
            }
        }
        Ok(Value::Array(rows).to_string())
    }

    /// Places reachable within each budget (hours, or USD when `usd` is true):
    /// `(places JSON, GeoJSON text of the bands)`.
    #[pyo3(signature = (origin, budgets, usd, goods_to, options_json))]
    fn isochrone(
        &self,
        py: Python<'_>,
        origin: &str,
        budgets: Vec<f64>,
        usd: bool,
        goods_to: Option<String>,
        options_json: &str,
    ) -> Res<(String, String)> {
        let network = &*self.network;
        let from = self.place(origin)?;
        if budgets.is_empty() || budgets.iter().any(|b| !b.is_finite() || *b <= 0.0) {
            return Err(request("budgets must be positive numbers"));
        }
        if budgets.len() > 12 {
            return Err(request(format!(
                "at most 12 budgets (bands) per isochrone, got {}",
                budgets.len()
            )));
        }
        let kind = if usd {
            BudgetKind::Usd
        } else {
            BudgetKind::Hours
        };
        let mut profile = self.profile(&parse_json(options_json, "options")?)?;
        profile.objective = if usd {
            Objective::Cost
        } else {
            Objective::Time
        };
        let goods_to = match goods_to {
            None => None,
            Some(s) => Some(
                Country::parse(&s)
                    .ok_or_else(|| request(format!("\"{s}\" is not a two-letter country code")))?,
            ),
        };
        let engine = &*self.engine;
        let iso = py.detach(|| {
            let weights = Weights::compile(network, &engine.graph, &profile);
            isochrone(network, engine, &weights, from, kind, &budgets, goods_to)
        });
        let iso = lib(iso)?;
        let places: Vec<Value> = iso
            .places
            .iter()
            .map(|r| {
                let p = network.place(r.place);
                json!({"place": p.id.0, "name": p.name, "country": p.country.to_string(),
                       "amount": r.amount, "band": r.band,
                       "budget": iso.bands.get(r.band).map(|b| b.budget)})
            })
            .collect();
        Ok((
            Value::Array(places).to_string(),
            steppe::output::many::isochrone_geojson(network, &iso),
        ))
    }

    /// The demand assigned to best routes, as `steppe assign --format json`.
    fn assign(&self, py: Python<'_>, demand_json: &str, options_json: &str) -> Res<String> {
        let spec = DemandSpec::from_json(&parse_json(demand_json, "demand")?)?;
        let b = py.detach(|| self.baseline(options_json, &spec))?;
        let v = steppe::output::many::assignment_json_with(
            &self.network,
            &b.assignment,
            Some(&b.demand),
        );
        Ok(pretty(&v))
    }

    /// Scenarios (each a path or a scenario JSON text) against the baseline; one JSON answer
    /// per scenario, as `steppe scenario run --format json`.
    fn scenarios(
        &self,
        py: Python<'_>,
        scenarios: Vec<String>,
        demand_json: &str,
        options_json: &str,
    ) -> Res<Vec<String>> {
        let spec = DemandSpec::from_json(&parse_json(demand_json, "demand")?)?;
        let parsed = scenarios
            .iter()
            .map(|s| {
                if s.trim_start().starts_with('{') {
                    serde_json::from_str::<Scenario>(s)
                        .map_err(|e| crate::errors::InputError::new_err(format!("scenario: {e}")))
                } else {
                    lib(read_scenario(Path::new(s)))
                }
            })
            .collect::<Res<Vec<_>>>()?;
        py.detach(|| {
            let b = self.baseline(options_json, &spec)?;
            parsed
                .iter()
                .map(|s| {
                    let run = lib(run_scenario(
                        &self.network,
                        &*self.engine,
                        &b.weights,
                        &b.assignment,
                        &b.demand,
                        s,
                    ))?;
                    Ok(pretty(&steppe::output::scenario::scenario_json(
                        &self.network,
                        &run,
                    )))
                })
                .collect()
        })
    }

    /// Each link, crossing and terminal removed in turn, worst first (as
    /// `steppe critical --format json`).
    fn critical(&self, py: Python<'_>, demand_json: &str, options_json: &str) -> Res<String> {
        let spec = DemandSpec::from_json(&parse_json(demand_json, "demand")?)?;
        py.detach(|| {
            let b = self.baseline(options_json, &spec)?;
            let (impacts, _) = criticality(
                &self.network,
                &*self.engine,
                &b.weights,
                &b.demand,
                Kinds::ALL,
            );
            Ok(pretty(&steppe::output::scenario::critical_json(
                &self.network,
                &impacts,
            )))
        })
    }

    /// New links worth building (as `steppe propose --format json`): `propose_json` holds
    /// max_km, min_detour, mode, candidates (a file), top, budget_usd, min_bcr.
    fn propose(
        &self,
        py: Python<'_>,
        propose_json: &str,
        demand_json: &str,
        options_json: &str,
    ) -> Res<String> {
        use steppe::analysis::propose::{
            Budget, ProposeOptions, detail, evaluate_all, file_candidates, generate,
            greedy_programme, network_projects,
        };
        let p = parse_json(propose_json, "propose options")?;
        let spec = DemandSpec::from_json(&parse_json(demand_json, "demand")?)?;
        let network = &*self.network;
        let demand = lib(spec.load(network))?;
        let mut profile = self.profile(&parse_json(options_json, "options")?)?;
        if profile.objective != Objective::Generalized {
            return Err(request(
                "propose measures benefits in generalized cost; drop minimize",
            ));
        }
        if profile.params.construction_usd_per_km.is_none() {
            return Err(request(format!(
                "{}: params.json has no construction_usd_per_km (road_flat, road_mountain, rail_flat, rail_mountain)",
                network.origin
            )));
        }
        profile.objective = Objective::Generalized;
        let num = |k: &str, d: f64| p.get(k).and_then(Value::as_f64).unwrap_or(d);
        let options = ProposeOptions {
            max_km: num("max_km", 400.0),
            min_detour: num("min_detour", 1.5),
            modes: match p.get("mode").and_then(Value::as_str) {
                Some("road") => ModeSet {
                    road: true,
                    rail: false,
                },
                Some("rail") => ModeSet {
                    road: false,
                    rail: true,
                },
                None => profile.modes,
                Some(other) => {
                    return Err(request(format!(
                        "unknown mode \"{other}\"; use road or rail"
                    )));
                }
            },
            ..ProposeOptions::default()
        };
        let top = num("top", 15.0).max(0.0) as usize;
        let candidates_file = p
            .get("candidates")
            .and_then(Value::as_str)
            .map(PathBuf::from);
        let budget = p.get("budget_usd").and_then(Value::as_f64);
        let min_bcr = num("min_bcr", 0.0);
        let engine = &*self.engine;
        let v = py.detach(|| -> steppe::Result<Value> {
            let mut candidates = network_projects(network, &options);
            if let Some(f) = &candidates_file {
                candidates.extend(file_candidates(network, f)?);
            }
            candidates.extend(generate(network, engine, &profile, &options)?);
            let all: Vec<usize> = (0..candidates.len()).collect();
            let evals = evaluate_all(network, &profile, &demand, &candidates, &all, &options)?;
            let weights = Weights::compile(network, &engine.graph, &profile);
            let masks = steppe::analysis::many::MaskSet::new(network, &engine.graph, &weights);
            let before = steppe::analysis::assign::routes_of(
                network,
                engine,
                &weights,
                &[],
                &masks,
                &demand,
            );
            let mut details = Vec::new();
            for e in evals.iter().take(top.min(5)) {
                details.push(detail(
                    network,
                    &profile,
                    &demand,
                    &before,
                    &candidates,
                    e.candidate,
                    &options,
                )?);
            }
            let picks = match budget {
                Some(usd) => greedy_programme(
                    network,
                    &profile,
                    &demand,
                    &candidates,
                    Budget { usd, min_bcr },
                    &options,
                    |_| {},
                )?,
                None => Vec::new(),
            };
            let mut v = steppe::output::propose::proposals_json(
                network,
                &demand,
                &candidates,
                &evals,
                &picks,
            );
            v["top_in_detail"] =
                steppe::output::propose::details_json(network, &demand, &candidates, &details);
            Ok(v)
        });
        Ok(pretty(&lib(v)?))
    }
}

/// Rounds as the CLI's outputs do (for tests comparing figures).
#[pyfunction]
pub fn round_as_cli(x: f64, decimals: i32) -> f64 {
    round(x, decimals)
}
