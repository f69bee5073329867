//! Reading input files safely: every file a run reads is registered (so no output may
//! overwrite it), reads are bounded (a device such as `/dev/zero` cannot exhaust memory), a
//! UTF-8 byte-order mark is dropped, and text that is not UTF-8 is named as such.

use std::io::Read;
use std::path::Path;

use crate::error::{Error, Result};

/// The largest input file read, bytes (2 GiB).
pub const MAX_INPUT_BYTES: u64 = 2 << 30;

/// Reads a text input file (see the module docs).
pub fn read_text(path: &Path) -> Result<String> {
    crate::output::atomic::register_input(path);
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    if file.metadata().map(|m| m.is_dir()).unwrap_or(false) {
        return Err(Error::Input {
            path: path.to_path_buf(),
            message: "is a folder, not a file".into(),
        });
    }
    let mut bytes = Vec::new();
    file.take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(path, e))?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(Error::Input {
            path: path.to_path_buf(),
            message: format!(
                "is larger than {} GiB; steppe reads input files up to that size",
                MAX_INPUT_BYTES >> 30
            ),
        });
    }
    let text = String::from_utf8(bytes).map_err(|e| Error::Input {
        path: path.to_path_buf(),
        message: format!(
            "is not UTF-8 text (invalid byte at offset {}); save it as UTF-8",
            e.utf8_error().valid_up_to()
        ),
    })?;
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    })
}
