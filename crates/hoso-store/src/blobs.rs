//! The content-addressed file store: every document file is kept once, named by its SHA-256.
//!
//! A file is written to `tmp/`, flushed to disk, then renamed into place, so a crash or power
//! cut leaves either no file or the whole file, never a half-written one under a real name.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::Result;

/// How old a temporary file must be to be taken for a crash's leftover: a write takes seconds.
pub const STALE_TMP: std::time::Duration = std::time::Duration::from_secs(15 * 60);

/// Files under a root folder, at `<root>/<first two hex digits>/<sha256 hex>`.
#[derive(Debug, Clone)]
pub struct BlobStore {
    root: PathBuf,
}

impl BlobStore {
    /// Opens the folder, creating it, and removes temporary files a crash left behind: those
    /// older than [`STALE_TMP`] (a younger one may be another program's write in progress —
    /// the app and the CLI share the folder).
    pub fn open(root: &Path) -> Result<Self> {
        let tmp = root.join("tmp");
        fs::create_dir_all(&tmp)?;
        for entry in fs::read_dir(&tmp)?.flatten() {
            let stale = entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_none_or(|age| age > STALE_TMP);
            if stale {
                let _ = fs::remove_file(entry.path());
            }
        }
        Ok(Self { root: root.to_owned() })
    }

    /// The SHA-256 of `bytes`, as lower-case hex.
    pub fn hash(bytes: &[u8]) -> String {
        hex::encode(Sha256::digest(bytes))
    }

    /// Where the file with this hash lives (whether or not it exists).
    pub fn path(&self, sha256: &str) -> PathBuf {
        let prefix = sha256.get(..2).unwrap_or("xx");
        self.root.join(prefix).join(sha256)
    }

    /// Stores `bytes` durably and returns their hash; storing the same bytes again is free.
    pub fn put(&self, bytes: &[u8]) -> Result<String> {
        let sha = Self::hash(bytes);
        let dest = self.path(&sha);
        if dest.exists() {
            return Ok(sha);
        }
        let dir = dest.parent().unwrap_or(&self.root);
        fs::create_dir_all(dir)?;
        let tmp = self.root.join("tmp").join(format!("{:016x}.part", rand::random::<u64>()));
        let written = (|| -> io::Result<()> {
            let mut f = File::create(&tmp)?;
            f.write_all(bytes)?;
            f.sync_all()?;
            fs::rename(&tmp, &dest)?;
            // The rename itself must reach the disk too.
            File::open(dir)?.sync_all()
        })();
        if let Err(e) = written {
            let _ = fs::remove_file(&tmp);
            return Err(e.into());
        }
        Ok(sha)
    }

    /// Reads a file back, checking that its bytes still match its name.
    pub fn read(&self, sha256: &str) -> Result<Vec<u8>> {
        let bytes = fs::read(self.path(sha256))?;
        if Self::hash(&bytes) != sha256 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("file {sha256} is damaged: its content no longer matches its name"),
            )
            .into());
        }
        Ok(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stores_once_by_hash_and_detects_damage() {
        let dir = tempfile::tempdir().expect("tmp");
        let store = BlobStore::open(dir.path()).expect("open");
        let a = store.put(b"trang 1").expect("put");
        assert_eq!(a, BlobStore::hash(b"trang 1"));
        assert_eq!(a.len(), 64);
        assert_eq!(store.put(b"trang 1").expect("again"), a);
        assert_eq!(store.read(&a).expect("read"), b"trang 1");
        assert!(store.path(&a).starts_with(dir.path().join(&a[..2])));
        fs::write(store.path(&a), b"trang 2").expect("tamper");
        assert!(store.read(&a).is_err());
        assert_eq!(fs::read_dir(dir.path().join("tmp")).expect("tmp").count(), 0);
    }

    #[test]
    fn a_crash_s_leftover_is_removed_at_open_but_another_program_s_write_is_not() {
        let dir = tempfile::tempdir().expect("tmp");
        fs::create_dir_all(dir.path().join("tmp")).expect("mkdir");
        let old = dir.path().join("tmp/abc.part");
        fs::write(&old, b"half").expect("write");
        let an_hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        File::options()
            .write(true)
            .open(&old)
            .expect("open")
            .set_modified(an_hour_ago)
            .expect("mtime");
        let writing = dir.path().join("tmp/def.part");
        fs::write(&writing, b"being written by the CLI").expect("write");
        BlobStore::open(dir.path()).expect("open");
        assert!(!old.exists());
        assert!(writing.exists());
    }
}
