//! Python exceptions for `steppe::Error`: one base class, a subclass per kind of problem, each
//! carrying the command line's message.

use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;

create_exception!(
    _steppe,
    SteppeError,
    PyException,
    "Base class of every steppe error."
);
create_exception!(
    _steppe,
    NetworkError,
    SteppeError,
    "A network folder could not be read or is not valid."
);
create_exception!(
    _steppe,
    InputError,
    SteppeError,
    "A scenario, demand or candidates file (or text) is wrong."
);
create_exception!(
    _steppe,
    RequestError,
    SteppeError,
    "A request that cannot be answered as asked (bad option, parameter, month...)."
);
create_exception!(
    _steppe,
    PlaceError,
    RequestError,
    "A place name matched nothing, or more than one place."
);
create_exception!(
    _steppe,
    NoRouteError,
    SteppeError,
    "No route satisfies the request; the message says why and what to try."
);
create_exception!(
    _steppe,
    EngineError,
    SteppeError,
    "The routing engine refused a request."
);

/// The Python exception for a library error, with the CLI's message.
pub fn to_py(e: steppe::Error) -> PyErr {
    use steppe::Error as E;
    let msg = e.to_string();
    match e {
        E::Io { .. } | E::InvalidNetwork { .. } => NetworkError::new_err(msg),
        E::Input { .. } => InputError::new_err(msg),
        E::UnknownPlace { .. } | E::AmbiguousPlace { .. } => PlaceError::new_err(msg),
        E::Param { .. } | E::Request(_) => RequestError::new_err(msg),
        E::Engine(_) => EngineError::new_err(msg),
    }
}

/// A request error raised from the bindings themselves (bad option types or values).
pub fn request(msg: impl Into<String>) -> PyErr {
    RequestError::new_err(msg.into())
}

/// Registers the exception classes in the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("SteppeError", py.get_type::<SteppeError>())?;
    m.add("NetworkError", py.get_type::<NetworkError>())?;
    m.add("InputError", py.get_type::<InputError>())?;
    m.add("RequestError", py.get_type::<RequestError>())?;
    m.add("PlaceError", py.get_type::<PlaceError>())?;
    m.add("NoRouteError", py.get_type::<NoRouteError>())?;
    m.add("EngineError", py.get_type::<EngineError>())?;
    Ok(())
}
