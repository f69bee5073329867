//! Scenario files: a JSON list of edits (close or open elements, set attributes, add links,
//! switch on projects, change parameters, scale or replace demand) and their reader. Applying
//! them to a network is `crate::network::edit`; evaluating them, `crate::analysis::scenario`.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::error::{Error, Result};

/// One edit of a scenario file (`"op"` names the kind).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
pub enum Edit {
    /// Close a place, link or crossing, wholly or in some months.
    Close {
        id: String,
        #[serde(default)]
        months: Option<Vec<u8>>,
    },
    /// Open a place, link or crossing: status existing, every month, not closed.
    Open { id: String },
    /// Set attributes of a link (speed_kmh, class, length_km, status, months_open, oneway),
    /// a crossing (road / rail processing, months_open, regime) or a terminal (transfer).
    Set {
        id: String,
        values: Map<String, Value>,
    },
    /// Add places and links, inline or from a GeoJSON file (path relative to the scenario).
    Add {
        #[serde(default)]
        features: Vec<Value>,
        #[serde(default)]
        file: Option<String>,
    },
    /// Use every link and place of a status (`under_construction` or `proposed`).
    Include { status: String },
    /// Change a parameter of params.json (`key` dotted, as for `--param`).
    Param { key: String, value: Value },
    /// Scale the demand, or replace it with a file (path relative to the scenario).
    Demand {
        #[serde(default)]
        scale: Option<f64>,
        #[serde(default)]
        file: Option<String>,
    },
}

/// A scenario file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Where the scenario's figures come from.
    #[serde(default)]
    pub source: String,
    pub edits: Vec<Edit>,
    /// The file it was read from (set by [`read_scenario`]).
    #[serde(skip)]
    pub path: PathBuf,
}

/// Reads and parses a scenario file (not yet checked against a network).
pub fn read_scenario(path: &Path) -> Result<Scenario> {
    let text = crate::inputs::read_text(path)?;
    let mut s: Scenario = serde_json::from_str(&text).map_err(|e| Error::Input {
        path: path.to_path_buf(),
        message: format!("line {}, column {}: {e}", e.line(), e.column()),
    })?;
    s.path = path.to_path_buf();
    Ok(s)
}
