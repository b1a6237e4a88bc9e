//! The single-writer lock of a store: an advisory exclusive lock on a file
//! beside the snapshot (`g.fg` -> `g.fg.lock`), held for as long as a process
//! may write the store. The operating system drops it when the process ends,
//! however it ends, so a crashed writer never leaves the store locked (only
//! an unlocked file, which the next writer takes over). A writer that ends
//! normally removes the file, while still holding the lock.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};

/// Why a store could not be locked.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Another process holds the write lock.
    #[error("{store} is open for writing in another process (lock {lock} is held); close it there, or open this one with --read-only")]
    Held {
        /// The store.
        store: PathBuf,
        /// The lock file.
        lock: PathBuf,
    },
    /// The lock file could not be created or locked.
    #[error("cannot lock {store} (lock file {lock}): {error}")]
    Io {
        /// The store.
        store: PathBuf,
        /// The lock file.
        lock: PathBuf,
        /// The OS error.
        error: std::io::Error,
    },
}

/// The lock file of the store at `path`.
pub fn lock_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

/// An exclusive write lock on a store, released on drop.
#[derive(Debug)]
pub struct WriteLock {
    // Held only for its lock; closing the file releases it.
    _file: File,
    path: PathBuf,
}

impl WriteLock {
    /// Takes the write lock of the store at `store`, without waiting.
    pub fn acquire(store: &Path) -> Result<WriteLock, LockError> {
        let lock = lock_path(store);
        let io = |error| LockError::Io {
            store: store.to_path_buf(),
            lock: lock.clone(),
            error,
        };
        let mut attempts = 0;
        loop {
            let file = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&lock)
                .map_err(io)?;
            match file.try_lock() {
                Ok(()) => {}
                Err(std::fs::TryLockError::WouldBlock) => {
                    return Err(LockError::Held {
                        store: store.to_path_buf(),
                        lock,
                    })
                }
                Err(std::fs::TryLockError::Error(e)) => return Err(io(e)),
            }
            // The holder removes the file before it lets go, so a lock won on
            // a file no longer at the path is a lock on nothing: try again.
            if still_at_path(&file, &lock) || attempts >= 100 {
                return Ok(WriteLock {
                    _file: file,
                    path: lock,
                });
            }
            attempts += 1;
        }
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for WriteLock {
    fn drop(&mut self) {
        // Removed while still locked (the file closes after this), so that
        // no other writer can hold a lock on it by then; see `acquire`.
        let _ = std::fs::remove_file(&self.path);
    }
}

#[cfg(unix)]
fn still_at_path(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn still_at_path(_file: &File, path: &Path) -> bool {
    path.exists()
}
