//! The write-ahead log: every acknowledged unit of work (a shell statement,
//! a statement of `run --commit-each`, a whole `run`, a `:load`) is appended
//! to a log beside the snapshot (`g.fg` -> `g.fg.wal`) and synced to disk
//! before it is reported as done. Opening a store loads the snapshot and
//! replays the log onto it; saving ("folding") writes a new snapshot and
//! starts the log afresh. The record format is in [`super::codec`].
//!
//! Crash safety of a fold: a `FoldStarted` record is synced to the old log,
//! then the new snapshot atomically replaces the old one, then the log is
//! removed. The log's header names the snapshot it extends, so after a crash
//! between the last two steps the log names the old snapshot and ends with
//! `FoldStarted`: it is recognised as already folded and is not replayed
//! twice. A log naming another snapshot without that mark is refused.
//!
//! A record cut short or failing its checksum at the end of the log is what
//! a crash in the middle of an append leaves; it was never acknowledged, so
//! it is dropped with a warning. The same damage followed by intact records
//! means acknowledged data is damaged, and the store is not opened.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use super::codec::{self, LogEntry, RecordFault, SnapshotId, LOG_HEADER_LEN};
use super::error::SnapshotError;
use super::graph::Graph;
use super::lock::{LockError, WriteLock};

/// How a store is opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// With the single-writer lock; changes are logged and saved.
    Write,
    /// Without a lock, replaying the log in memory; no file is changed.
    ReadOnly,
}

/// A store that could not be opened, logged to or saved.
#[derive(Debug, thiserror::Error)]
pub enum WalError {
    /// The snapshot could not be read or written.
    #[error(transparent)]
    Snapshot(#[from] SnapshotError),
    /// Another process writes the store.
    #[error(transparent)]
    Lock(#[from] LockError),
    /// The operating system refused.
    #[error("{action} {path}: {error}")]
    Io {
        /// What was being done.
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// The OS error.
        error: std::io::Error,
    },
    /// The log's header is unreadable.
    #[error("{path} cannot be used as the write-ahead log of {store}: {detail}")]
    BadHeader {
        /// The log.
        path: PathBuf,
        /// The snapshot it sits beside.
        store: PathBuf,
        /// What is wrong.
        detail: String,
    },
    /// The log extends a different snapshot than the one beside it.
    #[error("{log} does not extend {store}: the log was written on top of a {expected}, but the store file is a {found}; the store file was replaced or restored after the log was written, so its changes cannot be replayed (move the log aside to open the store file as it is)")]
    Mismatch {
        /// The log.
        log: PathBuf,
        /// The snapshot.
        store: PathBuf,
        /// The snapshot named by the log.
        expected: SnapshotId,
        /// The snapshot found.
        found: SnapshotId,
    },
    /// Damage before the last record: acknowledged changes would be lost.
    #[error("{path} is corrupted at byte {offset} ({detail}), and acknowledged changes follow it; refusing to open the store rather than lose them (restore the log from a backup, or move it aside to open the last saved snapshot)")]
    Corrupt {
        /// The log.
        path: PathBuf,
        /// Where the damaged record starts.
        offset: u64,
        /// What is wrong.
        detail: String,
    },
    /// An intact record that does not decode or does not fit the graph.
    #[error("{path}: the record at byte {offset} cannot be replayed: {detail}")]
    BadRecord {
        /// The log.
        path: PathBuf,
        /// Where the record starts.
        offset: u64,
        /// What is wrong.
        detail: String,
    },
    /// A unit of work too large or too deep to log.
    #[error("cannot log the change to {path}: {detail}")]
    Encode {
        /// The log.
        path: PathBuf,
        /// Why.
        detail: String,
    },
    /// A write to a store opened read-only.
    #[error("{0} is open read-only (--read-only): it cannot be changed or saved")]
    ReadOnly(PathBuf),
}

/// Log size past which [`StoreFile::should_fold`] says to fold.
pub const AUTO_FOLD_BYTES: u64 = 64 << 20;

/// The log file of the store at `path`.
pub fn log_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".wal");
    PathBuf::from(name)
}

/// An open store file: its snapshot path, write lock and log.
#[derive(Debug)]
pub struct StoreFile {
    path: PathBuf,
    log_path: PathBuf,
    lock: Option<WriteLock>,
    /// The snapshot the current log extends (or a new log would).
    base: SnapshotId,
    /// The log, open for appending; `None` while there is no log file.
    log: Option<File>,
    /// Bytes of the log that hold intact records (where the next one goes).
    log_len: u64,
}

/// A store just opened.
#[derive(Debug)]
pub struct Opened {
    /// The store file, for logging and saving.
    pub store: StoreFile,
    /// The graph: the snapshot with the log replayed.
    pub graph: Graph,
    /// Warnings for standard error (a dropped torn record).
    pub warnings: Vec<String>,
    /// Records replayed from the log.
    pub replayed: usize,
}

/// The records of a log after its header.
struct Scan {
    entries: Vec<(u64, LogEntry)>,
    /// Where a torn last record starts, and why it is torn.
    torn: Option<(u64, String)>,
    /// Bytes up to the end of the last intact record.
    valid_len: u64,
}

fn scan(bytes: &[u8], path: &Path) -> Result<Scan, WalError> {
    let mut entries = Vec::new();
    let mut at = LOG_HEADER_LEN;
    while at < bytes.len() {
        match codec::decode_log_record(&bytes[at..]) {
            Ok((entry, size)) => {
                entries.push((at as u64, entry));
                at += size;
            }
            Err(RecordFault::Invalid(detail)) => {
                return Err(WalError::BadRecord {
                    path: path.to_path_buf(),
                    offset: at as u64,
                    detail,
                })
            }
            Err(RecordFault::Damaged(detail)) => {
                // An interrupted append damages only the last record; damage
                // that does not look like one, or an intact record further on,
                // means acknowledged data is hurt.
                let rest = &bytes[at..];
                if !codec::log_tail_is_torn(rest)
                    || (at + 1..bytes.len()).any(|p| codec::log_frame_at(&bytes[p..]).is_some())
                {
                    return Err(WalError::Corrupt {
                        path: path.to_path_buf(),
                        offset: at as u64,
                        detail,
                    });
                }
                return Ok(Scan {
                    entries,
                    torn: Some((at as u64, detail)),
                    valid_len: at as u64,
                });
            }
        }
    }
    Ok(Scan {
        entries,
        torn: None,
        valid_len: at as u64,
    })
}

fn io(action: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> WalError {
    let path = path.to_path_buf();
    move |error| WalError::Io {
        action,
        path,
        error,
    }
}

/// Reads `path`, or `None` if it does not exist.
fn read_if_exists(path: &Path) -> Result<Option<Vec<u8>>, WalError> {
    let mut bytes = Vec::new();
    match File::open(path) {
        Ok(mut f) => {
            f.read_to_end(&mut bytes).map_err(io("cannot read", path))?;
            Ok(Some(bytes))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io("cannot read", path)(e)),
    }
}

/// Makes a rename or removal in the folder of `path` durable.
fn sync_dir(path: &Path) {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    // Best effort: some filesystems cannot open folders for syncing.
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// The identity of the snapshot now at `path`.
fn snapshot_id_of(path: &Path) -> Result<SnapshotId, WalError> {
    let mut header = [0u8; codec::HEADER_LEN];
    File::open(path)
        .and_then(|mut f| f.read_exact(&mut header))
        .map_err(io("cannot read", path))?;
    Ok(SnapshotId::of_snapshot(&header))
}

impl StoreFile {
    /// Opens the store at `path`: its snapshot (an empty graph if there is
    /// none yet) with its log replayed. For writing, takes the write lock,
    /// cuts a torn last record off the log and starts tracking changes.
    pub fn open(path: &Path, access: Access) -> Result<Opened, WalError> {
        let mut attempt = 0;
        loop {
            match Self::open_once(path, access) {
                // A reader can see the snapshot of one fold and the log of
                // the next; the writer finishes a fold in milliseconds.
                Err(WalError::Mismatch { .. }) if access == Access::ReadOnly && attempt < 20 => {
                    attempt += 1;
                    std::thread::sleep(std::time::Duration::from_millis(25));
                }
                other => return other,
            }
        }
    }

    fn open_once(path: &Path, access: Access) -> Result<Opened, WalError> {
        let lock = match access {
            Access::Write => Some(WriteLock::acquire(path)?),
            Access::ReadOnly => None,
        };
        let log_path = log_path(path);
        let (mut graph, base) = match read_if_exists(path)? {
            Some(bytes) => (
                codec::decode(&bytes, path)?,
                SnapshotId::of_snapshot(&bytes),
            ),
            // A store is created by its first write; there is nothing to read yet.
            None if access == Access::ReadOnly && !log_path.exists() => {
                return Err(WalError::Snapshot(SnapshotError::Io {
                    action: "cannot read",
                    path: path.to_path_buf(),
                    error: std::io::Error::from(std::io::ErrorKind::NotFound),
                }))
            }
            None => (Graph::default(), SnapshotId::NONE),
        };
        let mut store = StoreFile {
            path: path.to_path_buf(),
            log_path,
            lock,
            base,
            log: None,
            log_len: 0,
        };
        let mut warnings = Vec::new();
        let mut replayed = 0;
        if let Some(bytes) = read_if_exists(&store.log_path)? {
            let log_base =
                codec::decode_log_header(&bytes).map_err(|detail| WalError::BadHeader {
                    path: store.log_path.clone(),
                    store: path.to_path_buf(),
                    detail,
                })?;
            let scan = scan(&bytes, &store.log_path)?;
            if log_base != base {
                let folded = matches!(scan.entries.last(), Some((_, LogEntry::FoldStarted)));
                if !folded {
                    return Err(WalError::Mismatch {
                        log: store.log_path.clone(),
                        store: path.to_path_buf(),
                        expected: log_base,
                        found: base,
                    });
                }
                // A crash ended a fold after the new snapshot was in place:
                // it holds every record, so the log is finished with.
                if store.writable() {
                    fs::remove_file(&store.log_path)
                        .map_err(io("cannot remove", &store.log_path))?;
                    sync_dir(&store.log_path);
                }
            } else {
                for (offset, entry) in scan.entries {
                    if let LogEntry::Changes(cs) = entry {
                        graph
                            .apply_changes(cs)
                            .map_err(|detail| WalError::BadRecord {
                                path: store.log_path.clone(),
                                offset,
                                detail,
                            })?;
                        replayed += 1;
                    }
                }
                if let Some((offset, reason)) = &scan.torn {
                    warnings.push(format!(
                        "warning: {}: dropped an incomplete record at byte {offset} ({reason}); a crash interrupted it before it was acknowledged",
                        store.log_path.display()
                    ));
                }
                if store.writable() {
                    let log_path = store.log_path.clone();
                    let f = OpenOptions::new()
                        .append(true)
                        .open(&log_path)
                        .map_err(io("cannot open", &log_path))?;
                    if scan.torn.is_some() {
                        f.set_len(scan.valid_len)
                            .and_then(|()| f.sync_all())
                            .map_err(io("cannot truncate", &log_path))?;
                    }
                    store.log = Some(f);
                    store.log_len = scan.valid_len;
                }
            }
        }
        if store.writable() {
            graph.track_changes();
        }
        Ok(Opened {
            store,
            graph,
            warnings,
            replayed,
        })
    }

    /// Makes `graph` the whole content of a store at `path` (replacing any
    /// store there, log included) and returns it open for writing.
    pub fn create(graph: &mut Graph, path: &Path) -> Result<StoreFile, WalError> {
        let lock = WriteLock::acquire(path)?;
        let log_path = log_path(path);
        // The old log goes first: a crash in between then leaves the old
        // snapshot alone, never a snapshot with a log it does not extend.
        match fs::remove_file(&log_path) {
            Ok(()) => sync_dir(&log_path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io("cannot remove", &log_path)(e)),
        }
        codec::save(graph, path)?;
        graph.discard_changes();
        graph.track_changes();
        Ok(StoreFile {
            base: snapshot_id_of(path)?,
            path: path.to_path_buf(),
            log_path,
            lock: Some(lock),
            log: None,
            log_len: 0,
        })
    }

    /// The snapshot file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The log file (which exists only while it holds unsaved records).
    pub fn log_path(&self) -> &Path {
        &self.log_path
    }

    /// Whether the store was opened for writing.
    pub fn writable(&self) -> bool {
        self.lock.is_some()
    }

    /// Whether the log holds changes not yet folded into the snapshot.
    pub fn has_log(&self) -> bool {
        self.log.is_some()
    }

    /// Whether the log has grown enough that replaying it would slow the
    /// next open noticeably: time to fold (a long shell session does).
    pub fn should_fold(&self) -> bool {
        self.log_len > AUTO_FOLD_BYTES
    }

    /// Appends what changed in `graph` since the last append (or open, or
    /// fold) as one record and syncs it to disk; only then is the unit of
    /// work durable. Returns whether there was anything to append.
    pub fn append(&mut self, graph: &mut Graph) -> Result<bool, WalError> {
        if !self.writable() {
            return Err(WalError::ReadOnly(self.path.clone()));
        }
        let changes = graph.take_changes();
        if changes.is_empty() {
            return Ok(false);
        }
        self.write_entry(&LogEntry::Changes(changes))?;
        Ok(true)
    }

    fn write_entry(&mut self, entry: &LogEntry) -> Result<(), WalError> {
        let record = codec::encode_log_record(entry).map_err(|detail| WalError::Encode {
            path: self.log_path.clone(),
            detail,
        })?;
        if self.log.is_none() {
            self.start_log()?;
        }
        let Some(f) = self.log.as_mut() else {
            return Err(WalError::ReadOnly(self.path.clone()));
        };
        if let Err(e) = f.write_all(&record).and_then(|()| f.sync_data()) {
            // Cut a partial record so that the next one does not follow it.
            let _ = f.set_len(self.log_len).and_then(|()| f.sync_data());
            return Err(io("cannot write", &self.log_path)(e));
        }
        self.log_len += record.len() as u64;
        Ok(())
    }

    /// Creates the log with its header, atomically: a crash leaves no log or
    /// a complete header, never a torn one.
    fn start_log(&mut self) -> Result<(), WalError> {
        let header = codec::encode_log_header(self.base);
        let mut tmp = self.log_path.as_os_str().to_owned();
        tmp.push(".new");
        let tmp = PathBuf::from(tmp);
        let written = File::create(&tmp)
            .and_then(|mut f| {
                f.write_all(&header)?;
                f.sync_all()
            })
            .and_then(|()| fs::rename(&tmp, &self.log_path));
        if let Err(e) = written {
            let _ = fs::remove_file(&tmp);
            return Err(io("cannot create", &self.log_path)(e));
        }
        sync_dir(&self.log_path);
        let f = OpenOptions::new()
            .append(true)
            .open(&self.log_path)
            .map_err(io("cannot open", &self.log_path))?;
        self.log = Some(f);
        self.log_len = header.len() as u64;
        Ok(())
    }

    /// Writes `graph` as the new snapshot and removes the log, in an order
    /// that is safe to interrupt at any point (see the module notes).
    pub fn fold(&mut self, graph: &mut Graph) -> Result<(), WalError> {
        if !self.writable() {
            return Err(WalError::ReadOnly(self.path.clone()));
        }
        if self.log.is_some() {
            self.write_entry(&LogEntry::FoldStarted)?;
        }
        codec::save(graph, &self.path)?;
        graph.discard_changes();
        self.base = snapshot_id_of(&self.path)?;
        if self.log.take().is_some() {
            match fs::remove_file(&self.log_path) {
                Ok(()) => sync_dir(&self.log_path),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                // The log ends with FoldStarted and names the old snapshot:
                // the next open recognises it as folded.
                Err(e) => return Err(io("cannot remove", &self.log_path)(e)),
            }
        }
        self.log_len = 0;
        Ok(())
    }
}
