//! `steppe._steppe`: the compiled half of the `steppe` Python package (PyO3). The library is
//! called as the command line calls it; answers are the command line's JSON, which
//! `steppe/__init__.py` turns into Python objects and pandas tables.

mod errors;
mod network;
mod options;

use pyo3::prelude::*;

#[pymodule]
fn _steppe(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<network::Core>()?;
    m.add_function(wrap_pyfunction!(network::round_as_cli, m)?)?;
    m.add("ROUTE_OPTIONS", options::ROUTE_OPTIONS.to_vec())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    errors::register(m)?;
    Ok(())
}
