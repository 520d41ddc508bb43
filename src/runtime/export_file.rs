//! Writing an export to its file: `~/` means home, a relative name the directory the
//! dashboard started in; an existing file is replaced only when that was agreed to, and always
//! atomically, keeping its permissions.

use std::path::{Path, PathBuf};

use crate::app::ExportFailure;
use crate::atomic_write::{self, Access};
use crate::domain::Alert;
use crate::export::Format;

/// Writes `alerts` to `path` in `format`: how many, and the file's full path.
pub fn write(
    path: &Path,
    format: Format,
    alerts: &[Alert],
    overwrite: bool,
) -> Result<(usize, PathBuf), ExportFailure> {
    let failed = |what: String| ExportFailure::Failed(what);
    let expanded = match path.strip_prefix("~") {
        Ok(rest) => dirs::home_dir().ok_or_else(|| failed("no home directory for ~".to_owned()))?.join(rest),
        Err(_) => path.to_path_buf(),
    };
    let file = std::path::absolute(&expanded).map_err(|e| failed(format!("{}: {e}", path.display())))?;
    if file.is_dir() {
        return Err(failed(format!("{} is a directory: name a file in it", file.display())));
    }
    match file.try_exists() {
        Ok(true) if !overwrite => return Err(ExportFailure::Exists),
        Ok(_) => {}
        Err(e) => return Err(failed(format!("cannot look at {}: {e}", file.display()))),
    }
    let mut bytes = Vec::new();
    let n = crate::export::write(&mut bytes, format, alerts.iter()).map_err(|e| failed(e.to_string()))?;
    atomic_write::write(&file, &bytes, Access::Keep)
        .map_err(|e| failed(format!("cannot write {}: {e}", file.display())))?;
    Ok((n, file))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_existing_file_is_kept_unless_replacing_it_was_agreed() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let file = dir.path().join("wires.csv");
        std::fs::write(&file, "old").expect("written");
        assert_eq!(write(&file, Format::Csv, &[], false), Err(ExportFailure::Exists));
        assert_eq!(std::fs::read_to_string(&file).expect("readable"), "old");
        let (n, written) = write(&file, Format::Csv, &[], true).expect("replaced");
        assert_eq!((n, written), (0, file.clone()));
        assert!(std::fs::read_to_string(&file).expect("readable").starts_with("anomaly_id,"));
        let Err(ExportFailure::Failed(why)) = write(dir.path(), Format::Csv, &[], true) else { panic!("a directory") };
        assert!(why.contains("is a directory"), "{why}");
    }
}
