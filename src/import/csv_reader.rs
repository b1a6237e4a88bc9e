//! A streaming CSV record reader (RFC 4180 with the usual extensions).
//!
//! Records are read one at a time into a reused buffer, so reading allocates
//! nothing per row once the buffer has grown to the widest row. Fields may be
//! quoted; a quoted field may hold the delimiter, line breaks and doubled
//! quotes. Lines end in LF, CRLF or a lone CR; empty lines are skipped.
//! Unlike lenient readers, a quoted field that is never closed and text
//! after a closing quote are errors, reported with the line they are on: a
//! file with broken quoting would otherwise be silently misread from there
//! to its end. A quote inside an unquoted field is taken literally.

use std::io::{self, BufRead};

use memchr::{memchr2, memchr3};

/// Why a record could not be read.
#[derive(Debug)]
pub(crate) enum CsvError {
    /// The operating system or the decompressor failed.
    Io(io::Error),
    /// Broken quoting: `line` is where it was noticed (for an unclosed quote,
    /// where the quoted field opened), `field` the 0-based field index.
    Quote {
        line: u64,
        field: usize,
        message: String,
    },
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    RecordStart,
    FieldStart,
    Unquoted,
    Quoted,
    QuoteInQuoted,
}

/// Reads records from `inner`.
pub(crate) struct CsvReader<R> {
    inner: R,
    delimiter: u8,
    quote: u8,
    /// Line number (1-based) of the next unread byte.
    next_line: u64,
    /// The previous record ended in CR: a LF right after it belongs to it.
    after_cr: bool,
    buf: Vec<u8>,
    ends: Vec<usize>,
    quoted: Vec<bool>,
    record_line: u64,
}

impl<R: BufRead> CsvReader<R> {
    pub(crate) fn new(inner: R, delimiter: u8, quote: u8) -> CsvReader<R> {
        CsvReader {
            inner,
            delimiter,
            quote,
            next_line: 1,
            after_cr: false,
            buf: Vec::with_capacity(1024),
            ends: Vec::with_capacity(32),
            quoted: Vec::with_capacity(32),
            record_line: 1,
        }
    }

    /// Number of fields of the current record.
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// The bytes of field `i` of the current record (quotes removed).
    pub(crate) fn field(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.buf[start..self.ends[i]]
    }

    /// Whether field `i` was quoted (`""` is an empty string, an empty
    /// unquoted field is no value).
    pub(crate) fn quoted(&self, i: usize) -> bool {
        self.quoted[i]
    }

    /// The line the current record starts on.
    pub(crate) fn line(&self) -> u64 {
        self.record_line
    }

    /// Reads the next record; `Ok(false)` at the end of the input.
    pub(crate) fn read_record(&mut self) -> Result<bool, CsvError> {
        self.buf.clear();
        self.ends.clear();
        self.quoted.clear();
        let (delim, quote) = (self.delimiter, self.quote);
        let mut state = State::RecordStart;
        let mut cur_quoted = false;
        let mut open_line = 0;
        loop {
            let chunk = match self.inner.fill_buf() {
                Ok(c) => c,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(CsvError::Io(e)),
            };
            let n = chunk.len();
            if n == 0 {
                return match state {
                    State::RecordStart => Ok(false),
                    State::Quoted => Err(CsvError::Quote {
                        line: open_line,
                        field: self.ends.len(),
                        message: "a quoted field is never closed: the file ends inside it".into(),
                    }),
                    State::FieldStart | State::Unquoted | State::QuoteInQuoted => {
                        self.ends.push(self.buf.len());
                        self.quoted.push(cur_quoted);
                        Ok(true)
                    }
                };
            }
            let mut i = 0;
            while i < n {
                match state {
                    State::RecordStart => {
                        let b = chunk[i];
                        if self.after_cr {
                            self.after_cr = false;
                            if b == b'\n' {
                                i += 1;
                                continue;
                            }
                        }
                        if b == b'\n' || b == b'\r' {
                            self.next_line += 1;
                            self.after_cr = b == b'\r';
                            i += 1;
                            continue;
                        }
                        self.record_line = self.next_line;
                        state = State::FieldStart;
                    }
                    State::FieldStart => {
                        if chunk[i] == quote {
                            cur_quoted = true;
                            open_line = self.next_line;
                            state = State::Quoted;
                            i += 1;
                        } else {
                            cur_quoted = false;
                            state = State::Unquoted;
                        }
                    }
                    State::Unquoted => match memchr3(delim, b'\n', b'\r', &chunk[i..]) {
                        None => {
                            self.buf.extend_from_slice(&chunk[i..]);
                            i = n;
                        }
                        Some(k) => {
                            self.buf.extend_from_slice(&chunk[i..i + k]);
                            let b = chunk[i + k];
                            i += k + 1;
                            self.ends.push(self.buf.len());
                            self.quoted.push(false);
                            if b == delim {
                                state = State::FieldStart;
                            } else {
                                self.next_line += 1;
                                self.after_cr = b == b'\r';
                                self.inner.consume(i);
                                return Ok(true);
                            }
                        }
                    },
                    State::Quoted => match memchr2(quote, b'\n', &chunk[i..]) {
                        None => {
                            self.buf.extend_from_slice(&chunk[i..]);
                            i = n;
                        }
                        Some(k) => {
                            self.buf.extend_from_slice(&chunk[i..i + k]);
                            let b = chunk[i + k];
                            i += k + 1;
                            if b == b'\n' {
                                self.next_line += 1;
                                self.buf.push(b'\n');
                            } else {
                                state = State::QuoteInQuoted;
                            }
                        }
                    },
                    State::QuoteInQuoted => {
                        let b = chunk[i];
                        i += 1;
                        if b == quote {
                            self.buf.push(quote);
                            state = State::Quoted;
                        } else if b == delim {
                            self.ends.push(self.buf.len());
                            self.quoted.push(true);
                            state = State::FieldStart;
                        } else if b == b'\n' || b == b'\r' {
                            self.ends.push(self.buf.len());
                            self.quoted.push(true);
                            self.next_line += 1;
                            self.after_cr = b == b'\r';
                            self.inner.consume(i);
                            return Ok(true);
                        } else {
                            let shown = if b.is_ascii_graphic() || b == b' ' {
                                format!("{:?}", b as char)
                            } else {
                                format!("byte 0x{b:02x}")
                            };
                            let q = quote as char;
                            let message = format!(
                                "unexpected {shown} after the closing quote of a quoted field \
                                 (a quote inside a quoted field is written twice: {q}{q})"
                            );
                            return Err(CsvError::Quote {
                                line: self.next_line,
                                field: self.ends.len(),
                                message,
                            });
                        }
                    }
                }
            }
            self.inner.consume(n);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(text: &[u8]) -> Result<Vec<(u64, Vec<String>)>, String> {
        let mut r = CsvReader::new(text, b',', b'"');
        let mut out = Vec::new();
        loop {
            match r.read_record() {
                Ok(true) => out.push((
                    r.line(),
                    (0..r.len())
                        .map(|i| String::from_utf8_lossy(r.field(i)).into_owned())
                        .collect(),
                )),
                Ok(false) => return Ok(out),
                Err(CsvError::Quote {
                    line,
                    field,
                    message,
                }) => return Err(format!("{line}:{field}: {message}")),
                Err(CsvError::Io(e)) => return Err(e.to_string()),
            }
        }
    }

    fn row(line: u64, fields: &[&str]) -> (u64, Vec<String>) {
        (line, fields.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn quoted_fields_line_endings_and_line_numbers() {
        let text = b"a,b,c\r\n\"x, y\",\"multi\nline\",\"say \"\"hi\"\"\"\r\n\n1,,3\r4,5,\n";
        assert_eq!(
            records(text).unwrap(),
            vec![
                row(1, &["a", "b", "c"]),
                row(2, &["x, y", "multi\nline", "say \"hi\""]),
                row(5, &["1", "", "3"]),
                row(6, &["4", "5", ""]),
            ]
        );
        assert_eq!(records(b"a,b").unwrap(), vec![row(1, &["a", "b"])]);
        assert_eq!(records(b"").unwrap(), vec![]);
        assert_eq!(
            records(b"5\" screen,x\n").unwrap(),
            vec![row(1, &["5\" screen", "x"])]
        );
    }

    #[test]
    fn quoted_empty_differs_from_empty() {
        let mut r = CsvReader::new(&b"\"\",\n"[..], b',', b'"');
        assert!(r.read_record().unwrap());
        assert_eq!(r.len(), 2);
        assert!(r.quoted(0) && !r.quoted(1));
    }

    #[test]
    fn broken_quoting_is_an_error_with_its_line() {
        let e = records(b"a,b\n\"x\"y,z\n").unwrap_err();
        assert!(
            e.starts_with("2:0: unexpected 'y' after the closing quote"),
            "{e}"
        );
        let e = records(b"a,b\nc,\"never closed\nmore,text\n").unwrap_err();
        assert!(e.starts_with("2:1: a quoted field is never closed"), "{e}");
    }

    #[test]
    fn records_cross_buffer_boundaries() {
        let text = b"id,name\n1,\"a, \"\"b\"\"\nc\"\r\n2,d\r\n".to_vec();
        let mut r = CsvReader::new(std::io::BufReader::with_capacity(1, &text[..]), b',', b'"');
        let mut got = Vec::new();
        while r.read_record().unwrap() {
            got.push((
                r.line(),
                (0..r.len())
                    .map(|i| r.field(i).to_vec())
                    .collect::<Vec<_>>(),
            ));
        }
        assert_eq!(got.len(), 3);
        assert_eq!(got[1].1[1], b"a, \"b\"\nc".to_vec());
        assert_eq!(got[2].0, 4);
    }
}
