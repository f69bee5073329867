//! Safe file output. A regular file is written atomically (a temporary file in the same
//! folder, then a rename), keeping the old file's permissions; a new file gets the usual
//! mode (0666 less the umask). Devices, FIFOs and `-` (standard output) are written through,
//! never replaced. A symlink is followed and its target written. Refused: read-only targets,
//! folders, and any file this run reads (registered with [`register_input`]).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::{Error, Result};

/// Files this run reads (the network, params, demand, scenario, candidates, calibration).
static INPUTS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Remembers that this run reads `path`, so that no output overwrites it.
pub fn register_input(path: &Path) {
    let p = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    if let Ok(mut list) = INPUTS.lock()
        && !list.contains(&p)
    {
        list.push(p);
    }
}

fn is_input(path: &Path) -> bool {
    INPUTS
        .lock()
        .map(|l| l.iter().any(|p| p == path))
        .unwrap_or(false)
}

/// Where output goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// `-`: standard output.
    Stdout,
    /// A device, FIFO or socket: written through.
    Stream(PathBuf),
    /// A regular file (possibly new): written atomically.
    File(PathBuf),
}

/// Decides where `path` (as given by the user) writes, and refuses what must not be written.
pub fn target(path: &Path) -> Result<Target> {
    if path.as_os_str() == "-" {
        return Ok(Target::Stdout);
    }
    let refuse = |message: String| Error::Input {
        path: path.to_path_buf(),
        message,
    };
    // Follow symlinks to what they point at.
    let resolved = match std::fs::canonicalize(path) {
        Ok(p) => p,
        Err(_) if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) => {
            return Err(refuse(
                "is a symlink to a file that does not exist; give the target's path".into(),
            ));
        }
        Err(_) => {
            // A new file: its folder must exist.
            let dir = match path.parent() {
                Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
                _ => PathBuf::from("."),
            };
            if !dir.is_dir() {
                return Err(refuse(format!(
                    "cannot write here: folder {} does not exist",
                    dir.display()
                )));
            }
            let dir = std::fs::canonicalize(&dir).unwrap_or(dir);
            let name = path
                .file_name()
                .ok_or_else(|| refuse("not a file name".into()))?;
            return Ok(Target::File(dir.join(name)));
        }
    };
    if is_input(&resolved) {
        return Err(refuse(
            "is an input of this run; writing it would destroy what is being read (choose another file)"
                .into(),
        ));
    }
    let meta = std::fs::metadata(&resolved).map_err(|e| Error::io(path, e))?;
    if meta.is_dir() {
        return Err(refuse("is a folder; give a file name".into()));
    }
    if !meta.is_file() {
        return Ok(Target::Stream(resolved));
    }
    if meta.permissions().readonly() {
        return Err(refuse(
            "is read-only; steppe does not overwrite read-only files".into(),
        ));
    }
    Ok(Target::File(resolved))
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// Writes `bytes` to `path` safely (see the module docs).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    match target(path)? {
        Target::Stdout => {
            let mut out = std::io::stdout().lock();
            out.write_all(bytes)
                .and_then(|_| out.flush())
                .map_err(|e| Error::io(path, e))
        }
        Target::Stream(p) => {
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .open(&p)
                .map_err(|e| Error::io(path, e))?;
            f.write_all(bytes).map_err(|e| Error::io(path, e))
        }
        Target::File(p) => {
            let dir = p
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_else(|| ".".into());
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            let old = std::fs::metadata(&p).ok();
            let tmp = dir.join(format!(
                ".{name}.{}.{}.tmp",
                std::process::id(),
                COUNTER.fetch_add(1, Ordering::Relaxed)
            ));
            // create_new: the usual mode (0666 less the umask), never an existing file.
            let result = (|| -> std::io::Result<()> {
                let mut f = std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(&tmp)?;
                f.write_all(bytes)?;
                f.sync_all()?;
                if let Some(m) = &old {
                    std::fs::set_permissions(&tmp, m.permissions())?;
                }
                std::fs::rename(&tmp, &p)
            })();
            if result.is_err() {
                let _ = std::fs::remove_file(&tmp);
            }
            result.map_err(|e| Error::io(path, e))
        }
    }
}
