//! Origin-destination demand (`demand.csv`): tonnes per year by commodity. Every bad row is
//! reported with its line; nothing is skipped silently.

use petgraph::stable_graph::NodeIndex;

use crate::error::{Error, Result};
use crate::network::model::{Country, Network};
use crate::network::names;

/// One O-D flow.
#[derive(Debug, Clone, PartialEq)]
pub struct Flow {
    pub origin: NodeIndex,
    pub destination: NodeIndex,
    /// The commodity class key (params.json `commodities`), resolved from the file's
    /// `commodity` column or the network's default.
    pub commodity: String,
    /// What the file called it (the class key or label, or another name on networks
    /// without commodity classes).
    pub commodity_label: String,
    /// `flow_type` column where given (e.g. `mn_kz`, `transit`).
    pub flow_type: Option<String>,
    pub tonnes_per_year: f64,
    /// 1-based line in the file.
    pub line: usize,
}

/// A demand matrix.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Demand {
    pub flows: Vec<Flow>,
    /// Where it came from (a path, or `embedded:mn-kz/demand.csv`).
    pub origin: String,
}

impl Demand {
    pub fn total_tonnes(&self) -> f64 {
        self.flows.iter().map(|f| f.tonnes_per_year).sum()
    }

    /// Rows with the same origin, destination, commodity and flow type merged into one flow
    /// (tonnes added; the first row's line kept), in first-seen order: work and memory then
    /// grow with the distinct O-D pairs, not with the rows.
    pub fn merged(&self) -> Demand {
        let mut index: std::collections::HashMap<
            (NodeIndex, NodeIndex, &str, Option<&str>),
            usize,
        > = std::collections::HashMap::new();
        let mut flows: Vec<Flow> = Vec::new();
        for f in &self.flows {
            let key = (
                f.origin,
                f.destination,
                f.commodity.as_str(),
                f.flow_type.as_deref(),
            );
            match index.get(&key) {
                Some(&i) => flows[i].tonnes_per_year += f.tonnes_per_year,
                None => {
                    index.insert(key, flows.len());
                    flows.push(f.clone());
                }
            }
        }
        Demand {
            flows,
            origin: self.origin.clone(),
        }
    }

    /// The flows that share costs: grouped by commodity, and by the countries they run
    /// between when railways charge transit rates (costs then depend on the O-D too). Each
    /// group's profile is `profile` with that commodity and O-D.
    pub fn cost_groups(
        &self,
        network: &Network,
        profile: &crate::cost::profile::Profile,
    ) -> Vec<(crate::cost::profile::Profile, Vec<usize>)> {
        type Key = (String, Option<(Country, Country)>);
        let by_od = network.params.has_transit_rates();
        let mut groups: std::collections::BTreeMap<Key, Vec<usize>> = Default::default();
        for (i, f) in self.flows.iter().enumerate() {
            let od = by_od.then(|| {
                (
                    network.place(f.origin).country,
                    network.place(f.destination).country,
                )
            });
            groups.entry((f.commodity.clone(), od)).or_default().push(i);
        }
        let own = profile.rates().commodity_key;
        groups
            .into_iter()
            .map(|((commodity, od), flows)| {
                let mut p = profile.clone();
                if !network.params.commodities.is_empty() && commodity != own {
                    p.commodity = Some(commodity);
                }
                if od.is_some() {
                    p.od = od;
                }
                (p, flows)
            })
            .collect()
    }

    /// The same flows scaled by `factor`.
    pub fn scaled(&self, factor: f64) -> Demand {
        let mut d = self.clone();
        for f in &mut d.flows {
            f.tonnes_per_year *= factor;
        }
        d
    }
}

/// The largest flow a demand row may carry, tonnes per year (ten billion: more than the
/// world's seaborne trade).
pub const MAX_TONNES_PER_YEAR: f64 = 1.0e10;

/// The columns a demand file must have; others (value, notes) are allowed and ignored. A
/// `commodity` column is optional: rows without one take params.json's `default_commodity`.
pub const REQUIRED: [&str; 3] = ["origin", "destination", "tonnes_per_year"];

/// Parses demand CSV text. Places are ids or names (resolved like command-line names).
/// All problems are collected and reported together.
pub fn parse_demand(network: &Network, text: &str, origin: &str) -> Result<Demand> {
    let bad = |message: String| Error::Input {
        path: origin.into(),
        message,
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_line = text.lines().next().unwrap_or("");
    if !first_line.contains(',') && first_line.contains(';') {
        return Err(bad(
            "line 1: the file looks semicolon-separated (as some spreadsheets save CSV); steppe reads comma-separated CSV: save it with commas".into(),
        ));
    }
    if !first_line.contains(',') && first_line.contains('\t') {
        return Err(bad(
            "line 1: the file looks tab-separated; steppe reads comma-separated CSV".into(),
        ));
    }
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| bad(format!("cannot read the header line: {e}")))?
        .clone();
    let col = |name: &str| headers.iter().position(|h| h == name);
    let missing: Vec<&str> = REQUIRED
        .iter()
        .copied()
        .filter(|c| col(c).is_none())
        .collect();
    if !missing.is_empty() {
        return Err(bad(format!(
            "line 1: missing column(s) {}; the header must include {}",
            missing.join(", "),
            REQUIRED.join(",")
        )));
    }
    let [o, d, t] = REQUIRED.map(|name| col(name).unwrap_or(0));
    let c = col("commodity");
    let kind_col = col("flow_type");
    let params = &network.params;
    let mut flows = Vec::new();
    let mut problems = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                problems.push(format!("line {line}: {e}"));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line() as usize);
        if record.iter().all(str::is_empty) {
            continue;
        }
        let field = |i: usize| record.get(i).unwrap_or("");
        let mut row_ok = true;
        let mut place = |i: usize, what: &str| match names::resolve(network, field(i)) {
            Ok(ix) => Some(ix),
            Err(e) => {
                problems.push(format!("line {line}: {what}: {e}"));
                row_ok = false;
                None
            }
        };
        let from = place(o, "origin");
        let to = place(d, "destination");
        let tonnes = match field(t).parse::<f64>() {
            Ok(x) if x.is_finite() && (0.0..=MAX_TONNES_PER_YEAR).contains(&x) => Some(x),
            Ok(x) => {
                problems.push(format!(
                    "line {line}: tonnes_per_year must be a number >= 0 and at most {MAX_TONNES_PER_YEAR:e}, got {x}"
                ));
                None
            }
            Err(_) => {
                problems.push(format!(
                    "line {line}: tonnes_per_year must be a number, got \"{}\"",
                    field(t)
                ));
                None
            }
        };
        let label = c.map(field).unwrap_or("").to_string();
        let commodity = if params.commodities.is_empty() {
            Some(crate::cost::rates::GENERAL.to_string())
        } else {
            let key = (!label.is_empty()).then_some(label.as_str());
            match crate::cost::rates::commodity(params, key) {
                Ok((k, _)) => Some(k),
                Err(e) => {
                    problems.push(format!("line {line}: commodity: {e}"));
                    None
                }
            }
        };
        if let (Some(from), Some(to), Some(tonnes), Some(commodity), true) =
            (from, to, tonnes, commodity, row_ok)
        {
            if from == to {
                problems.push(format!(
                    "line {line}: origin and destination are the same place"
                ));
                continue;
            }
            flows.push(Flow {
                origin: from,
                destination: to,
                commodity_label: if label.is_empty() {
                    commodity.clone()
                } else {
                    label
                },
                commodity,
                flow_type: kind_col
                    .map(field)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string),
                tonnes_per_year: tonnes,
                line,
            });
        }
    }
    if !problems.is_empty() {
        return Err(bad(format!(
            "{} bad row(s):\n  {}",
            problems.len(),
            problems.join("\n  ")
        )));
    }
    if flows.is_empty() {
        return Err(bad("no demand rows".into()));
    }
    Ok(Demand {
        flows,
        origin: origin.to_string(),
    })
}

/// Reads a demand file.
pub fn read_demand(network: &Network, path: &std::path::Path) -> Result<Demand> {
    let text = crate::inputs::read_text(path)?;
    parse_demand(network, &text, &path.display().to_string())
}

/// The network's own demand (`demand.csv` in its folder, or the embedded one).
pub fn network_demand(network: &Network) -> Result<Demand> {
    match &network.demand_csv {
        Some((origin, text)) => parse_demand(network, text, origin),
        None => Err(Error::Request(format!(
            "network {} has no demand.csv; give one with --demand FILE",
            network.origin
        ))),
    }
}
