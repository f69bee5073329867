//! Typed library errors. Each carries what went wrong and where, so the binary can print
//! one clear message without knowing the internals.

use std::path::PathBuf;

use crate::network::validate::Problem;

/// Everything the library can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or folder could not be read or written.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The network folder has errors; every problem found is listed.
    #[error(
        "{path}: the network is not valid ({} error(s)):\n{}",
        count_errors(problems),
        render(problems)
    )]
    InvalidNetwork {
        path: PathBuf,
        problems: Vec<Problem>,
    },
    /// A place name matched nothing.
    #[error("unknown place \"{query}\"{}", did_you_mean(suggestions))]
    UnknownPlace {
        query: String,
        suggestions: Vec<String>,
    },
    /// A place name matched more than one place.
    #[error("\"{query}\" is ambiguous; it could be:\n{}\nuse the id to choose one", candidates.iter().map(|c| format!("  {c}")).collect::<Vec<_>>().join("\n"))]
    AmbiguousPlace {
        query: String,
        candidates: Vec<String>,
    },
    /// A parameter override or parameter file is wrong.
    #[error("parameter {key}: {message}")]
    Param { key: String, message: String },
    /// A request that cannot be answered as asked (e.g. an origin inside an avoided country).
    #[error("{0}")]
    Request(String),
    /// A scenario, demand or candidates file is wrong.
    #[error("{path}: {message}")]
    Input { path: PathBuf, message: String },
    /// The routing engine refused a request (e.g. a metric of another graph).
    #[error("routing engine: {0}")]
    Engine(#[from] crate::search::cch::CchError),
}

fn count_errors(problems: &[Problem]) -> usize {
    problems.iter().filter(|p| p.is_error()).count()
}

fn render(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| format!("  {p}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn did_you_mean(suggestions: &[String]) -> String {
    match suggestions {
        [] => String::new(),
        [one] => format!("; did you mean {one}?"),
        many => format!("; did you mean one of: {}?", many.join(", ")),
    }
}

/// The library's result type.
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}
