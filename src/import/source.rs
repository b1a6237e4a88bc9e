//! Opening input files: transparent gzip, a leading UTF-8 byte-order mark
//! skipped, and a count of the bytes read from disk for progress reports.

use std::cell::Cell;
use std::fs::File;
use std::io::{self, BufReader, Cursor, Read};
use std::path::Path;
use std::rc::Rc;

/// Bytes handed to the parsers in one read from the decompressed stream.
const BUFFER: usize = 256 * 1024;

/// Counts the bytes read from the underlying (possibly compressed) file.
struct Counting<R> {
    inner: R,
    read: Rc<Cell<u64>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.set(self.read.get() + n as u64);
        Ok(n)
    }
}

/// An opened input: a buffered reader over its decompressed text, and a
/// shared counter of the bytes read from the file itself.
pub(crate) struct Input {
    pub reader: BufReader<Box<dyn Read>>,
    pub bytes_read: Rc<Cell<u64>>,
}

impl Input {
    /// Calls `f` with the 1-based number and the trimmed bytes of every
    /// non-blank line, as JSON-lines input is read; `path` names the file in
    /// read errors. Stops at the first error `f` returns.
    pub fn for_each_line(
        &mut self,
        path: &Path,
        mut f: impl FnMut(u64, &[u8]) -> Result<(), super::ImportError>,
    ) -> Result<(), super::ImportError> {
        use std::io::BufRead;
        let mut buf = Vec::with_capacity(1024);
        let mut line = 0u64;
        loop {
            buf.clear();
            let n = self.reader.read_until(b'\n', &mut buf).map_err(|error| {
                super::ImportError::Input {
                    path: path.to_path_buf(),
                    error,
                }
            })?;
            if n == 0 {
                return Ok(());
            }
            line += 1;
            let bytes = buf.trim_ascii();
            if !bytes.is_empty() {
                f(line, bytes)?;
            }
        }
    }
}

/// Whether `path` names a gzip file by its first two bytes (`1f 8b`).
fn starts_like_gzip(head: &[u8]) -> bool {
    head.len() >= 2 && head[0] == 0x1f && head[1] == 0x8b
}

/// Reads up to `n` bytes, fewer only at the end of the stream.
fn read_prefix(r: &mut dyn Read, n: usize) -> io::Result<Vec<u8>> {
    let mut head = vec![0u8; n];
    let mut got = 0;
    while got < n {
        match r.read(&mut head[got..]) {
            Ok(0) => break,
            Ok(k) => got += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    head.truncate(got);
    Ok(head)
}

/// Opens `path` for streaming: gzip is recognised by its magic bytes (not
/// its name) and decompressed on the fly, and a UTF-8 byte-order mark at the
/// start of the text is dropped.
pub(crate) fn open(path: &Path) -> io::Result<Input> {
    let file = File::open(path)?;
    let bytes_read = Rc::new(Cell::new(0));
    let mut raw: Box<dyn Read> = Box::new(Counting {
        inner: file,
        read: bytes_read.clone(),
    });
    let magic = read_prefix(&mut raw, 2)?;
    let mut text: Box<dyn Read> = if starts_like_gzip(&magic) {
        let restored = Cursor::new(magic).chain(raw);
        Box::new(flate2::read::MultiGzDecoder::new(BufReader::with_capacity(
            BUFFER, restored,
        )))
    } else {
        Box::new(Cursor::new(magic).chain(raw))
    };
    let head = read_prefix(&mut text, 3)?;
    let rest: Vec<u8> = if head == [0xef, 0xbb, 0xbf] {
        Vec::new()
    } else {
        head
    };
    let reader: Box<dyn Read> = Box::new(Cursor::new(rest).chain(text));
    Ok(Input {
        reader: BufReader::with_capacity(BUFFER, reader),
        bytes_read,
    })
}

/// The size of `path` on disk, for progress totals (0 when unknown).
/// How many lines `path` holds: an upper bound on its rows (a quoted field
/// may hold a newline), used to size the graph before a bulk load. `None`
/// for gzip input, which would have to be decompressed twice, and for a file
/// that cannot be read (the import itself reports that).
pub(crate) fn count_lines(path: &Path) -> Option<u64> {
    let mut file = File::open(path).ok()?;
    let mut buf = vec![0u8; BUFFER];
    let mut lines = 0u64;
    let mut first = true;
    loop {
        let n = file.read(&mut buf).ok()?;
        if n == 0 {
            return Some(lines + 1);
        }
        if first && starts_like_gzip(&buf[..n]) {
            return None;
        }
        first = false;
        lines += memchr::memchr_iter(b'\n', &buf[..n]).count() as u64;
    }
}

pub(crate) fn file_size(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};

    fn read_all(path: &Path) -> Vec<u8> {
        let mut input = open(path).unwrap();
        let mut out = Vec::new();
        input.reader.read_to_end(&mut out).unwrap();
        out
    }

    #[test]
    fn bom_is_dropped_and_gzip_is_read_by_its_magic_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let plain = dir.path().join("a.csv");
        std::fs::write(&plain, b"\xef\xbb\xbfid:ID\n1\n").unwrap();
        assert_eq!(read_all(&plain), b"id:ID\n1\n");
        // Gzip named like a plain file, holding a BOM too.
        let gz = dir.path().join("b.csv");
        let mut enc = flate2::write::GzEncoder::new(
            std::fs::File::create(&gz).unwrap(),
            flate2::Compression::default(),
        );
        enc.write_all(b"\xef\xbb\xbfid:ID\n2\n").unwrap();
        enc.finish().unwrap();
        let mut input = open(&gz).unwrap();
        let mut out = Vec::new();
        input.reader.read_to_end(&mut out).unwrap();
        assert_eq!(out, b"id:ID\n2\n");
        assert_eq!(input.bytes_read.get(), file_size(&gz));
        // Short files.
        for bytes in [&b""[..], b"x", b"\x1f", b"\xef\xbb"] {
            let p = dir.path().join("short");
            std::fs::write(&p, bytes).unwrap();
            assert_eq!(read_all(&p), bytes);
        }
    }
}
