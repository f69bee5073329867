//! Reading input files safely: every file a run reads is registered (so no output may
//! overwrite it), reads are bounded (a device such as `/dev/zero` cannot exhaust memory), a
//! UTF-8 byte-order mark is dropped, and text that is not UTF-8 is named as such.

pub mod demand;
pub mod scenario;

use std::io::Read;
use std::path::Path;

use crate::error::{Error, Result};

/// The largest input file read, bytes (2 GiB).
pub const MAX_INPUT_BYTES: u64 = 2 << 30;
/// The most read from a pipe, bytes (256 MiB).
pub const MAX_PIPE_BYTES: u64 = 256 << 20;

/// Reads a text input file (see the module docs).
pub fn read_text(path: &Path) -> Result<String> {
    crate::output::atomic::register_input(path);
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let meta = file.metadata().map_err(|e| Error::io(path, e))?;
    if meta.is_dir() {
        return Err(Error::Input {
            path: path.to_path_buf(),
            message: "is a folder, not a file".into(),
        });
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_char_device() || t.is_block_device() {
            return Err(Error::Input {
                path: path.to_path_buf(),
                message: "is a device, not a file; give a file (or a pipe)".into(),
            });
        }
    }
    // Pipes are read up to a smaller bound than files, whose size is known.
    let limit = if meta.is_file() {
        MAX_INPUT_BYTES
    } else {
        MAX_PIPE_BYTES
    };
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(path, e))?;
    if bytes.len() as u64 > limit {
        return Err(Error::Input {
            path: path.to_path_buf(),
            message: format!(
                "is larger than {} MiB; steppe reads inputs up to that size",
                limit >> 20
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
