//! Parts of a lazily loaded index, and the tantivy [`Directory`] that reads through them.
//!
//! A part is a content-hashed byte string (a chunk of a tantivy file, a block of display
//! records, a sort order). The engine never fetches anything itself: a read of a part it does
//! not hold is recorded as *missing* and fails, the caller fetches the missing parts (the
//! browser with `fetch`, `koki search` from disk), hands them over with
//! [`PartStore::insert`] and asks again. An answer is only returned when a run needed no
//! missing part, so a partial answer is never presented as complete.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, OwnedBytes, WatchCallback, WatchHandle, WritePtr,
};
use tantivy::HasLen;

use crate::{bundle, SearchError};

/// The parts an engine holds, and the ones the last run asked for in vain.
#[derive(Debug, Default)]
pub struct PartStore {
    held: Mutex<HashMap<String, OwnedBytes>>,
    missing: Mutex<BTreeSet<String>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding the lock cannot leave the maps half-updated (single inserts).
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl PartStore {
    /// Adds a part after checking that its bytes hash to its id, so a corrupt or wrong
    /// response can never be read as index data.
    pub fn insert(&self, id: &str, bytes: Vec<u8>) -> Result<(), SearchError> {
        let hash = bundle::content_hash(&bytes);
        if hash != id {
            return Err(SearchError::Part {
                id: id.to_string(),
                found: hash,
            });
        }
        lock(&self.held).insert(id.to_string(), OwnedBytes::new(bytes));
        Ok(())
    }

    /// Adds a part that is known to be intact (read from the hot file).
    pub(crate) fn insert_trusted(&self, id: &str, bytes: Vec<u8>) {
        lock(&self.held).insert(id.to_string(), OwnedBytes::new(bytes));
    }

    /// Whether the part is held.
    pub fn holds(&self, id: &str) -> bool {
        lock(&self.held).contains_key(id)
    }

    /// The part, or `None` after recording it as missing.
    pub(crate) fn get_or_note(&self, id: &str) -> Option<OwnedBytes> {
        let got = lock(&self.held).get(id).cloned();
        if got.is_none() {
            lock(&self.missing).insert(id.to_string());
        }
        got
    }

    /// Forgets the missing parts of earlier runs.
    pub(crate) fn clear_missing(&self) {
        lock(&self.missing).clear();
    }

    /// The parts the runs since [`PartStore::clear_missing`] asked for in vain, sorted.
    pub(crate) fn missing(&self) -> Vec<String> {
        lock(&self.missing).iter().cloned().collect()
    }

    /// Number of parts held.
    pub fn len(&self) -> usize {
        lock(&self.held).len()
    }

    /// Whether no part is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// How one tantivy file is cut into parts.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct ChunkedFile {
    /// File length in bytes.
    pub len: usize,
    /// Start offset of each chunk, ascending, the first 0 (a chunk ends where the next
    /// starts; the last at `len`).
    pub starts: Vec<usize>,
    /// Part id of each chunk, in order.
    pub parts: Vec<String>,
}

impl ChunkedFile {
    /// Indexes of the chunks that hold `range`.
    pub fn chunks_of(&self, range: &Range<usize>) -> Range<usize> {
        if range.start >= range.end || self.starts.is_empty() {
            return 0..0;
        }
        let first = self
            .starts
            .partition_point(|&s| s <= range.start)
            .saturating_sub(1);
        let last = self
            .starts
            .partition_point(|&s| s < range.end)
            .saturating_sub(1);
        first..last + 1
    }

    /// Whether the starts are ascending from 0, below `len` and one per part.
    pub fn is_consistent(&self) -> bool {
        self.starts.first() == Some(&0)
            && self.starts.windows(2).all(|w| w[0] < w[1])
            && self.starts.last().is_some_and(|&s| s < self.len.max(1))
            && self.starts.len() == self.parts.len()
    }
}

/// Byte ranges read, per file (to find what opening an index reads).
pub(crate) type ReadLog = Arc<Mutex<Vec<(PathBuf, Range<usize>)>>>;

/// One tantivy file, read chunk by chunk from the store.
#[derive(Debug)]
struct LazyFile {
    layout: Arc<ChunkedFile>,
    store: Arc<PartStore>,
    /// When set, every read is logged with the file's path.
    log: Option<(PathBuf, ReadLog)>,
}

impl HasLen for LazyFile {
    fn len(&self) -> usize {
        self.layout.len
    }
}

impl FileHandle for LazyFile {
    fn read_bytes(&self, range: Range<usize>) -> io::Result<OwnedBytes> {
        if range.end > self.layout.len || range.start > range.end {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "read beyond the end of a chunked file",
            ));
        }
        if let Some((path, log)) = &self.log {
            lock(log).push((path.clone(), range.clone()));
        }
        let chunks = self.layout.chunks_of(&range);
        // Every chunk is looked up (not only up to the first gap), so one run names all the
        // chunks this read needs.
        let got: Vec<Option<OwnedBytes>> = chunks
            .clone()
            .map(|i| self.store.get_or_note(&self.layout.parts[i]))
            .collect();
        if got.iter().any(Option::is_none) {
            return Err(io::Error::new(
                io::ErrorKind::NotFound,
                "index part not loaded yet",
            ));
        }
        let first = self.layout.starts[chunks.start];
        if chunks.len() == 1 {
            let bytes = got
                .into_iter()
                .next()
                .flatten()
                .unwrap_or_else(OwnedBytes::empty);
            let (a, b) = (range.start - first, range.end - first);
            if b > bytes.len() {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "short index part",
                ));
            }
            return Ok(bytes.slice(a..b));
        }
        let mut out = Vec::with_capacity(range.len());
        for bytes in got.into_iter().flatten() {
            out.extend_from_slice(bytes.as_slice());
        }
        let (a, b) = (range.start - first, range.end - first);
        if b > out.len() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "short index part",
            ));
        }
        Ok(OwnedBytes::new(out).slice(a..b))
    }
}

/// A read-only tantivy directory over chunked files and the small files of the hot part.
#[derive(Debug, Clone)]
pub(crate) struct LazyDirectory {
    files: Arc<BTreeMap<PathBuf, Arc<ChunkedFile>>>,
    whole: Arc<BTreeMap<PathBuf, Vec<u8>>>,
    store: Arc<PartStore>,
    log: Option<ReadLog>,
}

impl LazyDirectory {
    pub fn new(
        files: BTreeMap<PathBuf, ChunkedFile>,
        whole: BTreeMap<PathBuf, Vec<u8>>,
        store: Arc<PartStore>,
    ) -> Self {
        LazyDirectory {
            files: Arc::new(files.into_iter().map(|(p, f)| (p, Arc::new(f))).collect()),
            whole: Arc::new(whole),
            store,
            log: None,
        }
    }

    /// The same directory, logging every read of a chunked file into `log`.
    pub fn logging(mut self, log: ReadLog) -> Self {
        self.log = Some(log);
        self
    }
}

fn read_only() -> io::Error {
    io::Error::new(
        io::ErrorKind::PermissionDenied,
        "the search index is read-only",
    )
}

impl Directory for LazyDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        if let Some(layout) = self.files.get(path) {
            return Ok(Arc::new(LazyFile {
                layout: layout.clone(),
                store: self.store.clone(),
                log: self.log.clone().map(|l| (path.to_path_buf(), l)),
            }));
        }
        match self.whole.get(path) {
            Some(bytes) => Ok(Arc::new(OwnedBytes::new(bytes.clone()))),
            None => Err(OpenReadError::FileDoesNotExist(path.to_path_buf())),
        }
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        Err(DeleteError::IoError {
            io_error: Arc::new(read_only()),
            filepath: path.to_path_buf(),
        })
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        Ok(self.files.contains_key(path) || self.whole.contains_key(path))
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        Err(OpenWriteError::IoError {
            io_error: Arc::new(read_only()),
            filepath: path.to_path_buf(),
        })
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.whole
            .get(path)
            .cloned()
            .ok_or_else(|| OpenReadError::FileDoesNotExist(path.to_path_buf()))
    }

    fn atomic_write(&self, _path: &Path, _data: &[u8]) -> io::Result<()> {
        Err(read_only())
    }

    fn sync_directory(&self) -> io::Result<()> {
        Ok(())
    }

    /// Nothing writes, so readers need no lock file.
    fn acquire_lock(&self, _lock: &Lock) -> Result<DirectoryLock, LockError> {
        Ok(DirectoryLock::from(Box::new(())))
    }

    fn watch(&self, _watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        Ok(WatchHandle::empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(bytes: &[u8], chunk: usize, store: &PartStore) -> ChunkedFile {
        let starts = (0..bytes.len()).step_by(chunk).collect();
        let parts = bytes
            .chunks(chunk)
            .map(|c| {
                let id = bundle::content_hash(c);
                store.insert(&id, c.to_vec()).unwrap();
                id
            })
            .collect();
        ChunkedFile {
            len: bytes.len(),
            starts,
            parts,
        }
    }

    #[test]
    fn reads_across_chunk_boundaries_and_names_every_missing_chunk() {
        let data: Vec<u8> = (0..100u8).collect();
        let full = Arc::new(PartStore::default());
        let layout = Arc::new(file(&data, 16, &full));
        assert!(layout.is_consistent());
        let f = LazyFile {
            layout: layout.clone(),
            store: full,
            log: None,
        };
        for (a, b) in [(0, 0), (0, 1), (15, 17), (3, 97), (96, 100), (0, 100)] {
            assert_eq!(
                f.read_bytes(a..b).unwrap().as_slice(),
                &data[a..b],
                "{a}..{b}"
            );
        }
        assert!(f.read_bytes(90..101).is_err());

        let empty = Arc::new(PartStore::default());
        let f = LazyFile {
            layout: layout.clone(),
            store: empty.clone(),
            log: None,
        };
        assert!(f.read_bytes(10..40).is_err());
        assert_eq!(empty.missing(), {
            let mut v = layout.parts[0..3].to_vec();
            v.sort();
            v
        });
    }

    #[test]
    fn a_part_whose_bytes_do_not_match_its_id_is_refused() {
        let store = PartStore::default();
        let id = bundle::content_hash(b"abc");
        assert!(store.insert(&id, b"abd".to_vec()).is_err());
        assert!(!store.holds(&id));
        store.insert(&id, b"abc".to_vec()).unwrap();
        assert!(store.holds(&id));
    }
}
