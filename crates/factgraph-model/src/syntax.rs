//! Turning pest's parse errors into messages for people: line, column, the
//! offending line with a caret, and what was expected in plain words.

use std::fmt;

/// A position in a text, 1-based as editors show it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    /// Line number, from 1.
    pub line: usize,
    /// Column in characters, from 1.
    pub column: usize,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}", self.line, self.column)
    }
}

/// A syntax error located in its source text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    /// Where the error is.
    pub position: Position,
    /// What went wrong, in words.
    pub message: String,
    /// The source line, for the caret display.
    pub line_text: String,
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at {}", self.message, self.position)?;
        write_caret(f, &self.line_text, self.position.column)
    }
}

/// Characters of a long line shown on each side of the caret.
const CARET_CONTEXT: usize = 60;

/// Writes `line_text` on its own line with a caret under `column`.
///
/// A long line (a query or facts file of one 100 MB line) shows only the
/// characters around the column, with `…` where it is cut, and control
/// characters show as `\u{FFFD}`: an error message must not flood or
/// reprogram the terminal it is printed to.
pub fn write_caret(f: &mut impl fmt::Write, line_text: &str, column: usize) -> fmt::Result {
    if line_text.trim().is_empty() {
        return Ok(());
    }
    let at = column.saturating_sub(1);
    let first = at.saturating_sub(CARET_CONTEXT);
    let mut shown = String::new();
    let mut pad = String::new();
    if first > 0 {
        shown.push('…');
        pad.push(' ');
    }
    let mut cut = false;
    for (i, c) in line_text.chars().enumerate().skip(first) {
        if i > at + CARET_CONTEXT {
            cut = true;
            break;
        }
        let c = match c {
            '\t' => '\t',
            c if c.is_control() => '\u{FFFD}',
            c => c,
        };
        if i < at {
            pad.push(if c == '\t' { '\t' } else { ' ' });
        }
        shown.push(c);
    }
    if cut {
        shown.push('…');
    }
    write!(f, "\n  {shown}\n  {pad}^")
}

/// The position of byte offset `offset` in `text`, and that line's text.
pub fn locate(text: &str, offset: usize) -> (Position, String) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    let line_end = text[line_start..]
        .find('\n')
        .map_or(text.len(), |i| line_start + i);
    (
        Position { line, column },
        text[line_start..line_end]
            .trim_end_matches('\r')
            .to_string(),
    )
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Builds a [`SyntaxError`] from a pest error, naming rules with `describe`.
pub fn from_pest<R: pest::RuleType>(
    err: &pest::error::Error<R>,
    text: &str,
    describe: impl Fn(&R) -> Option<&'static str>,
) -> SyntaxError {
    use pest::error::{ErrorVariant, InputLocation};
    let offset = match err.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let (position, line_text) = locate(text, offset);
    let found = found_text(text, offset);
    let message = match &err.variant {
        ErrorVariant::ParsingError { positives, .. } => {
            let mut expected: Vec<&str> = positives.iter().filter_map(&describe).collect();
            expected.sort_unstable();
            expected.dedup();
            match expected.len() {
                0 => format!("unexpected {found}"),
                1 => format!("expected {}, found {found}", expected[0]),
                _ => {
                    let last = expected.pop().unwrap_or_default();
                    format!("expected {} or {last}, found {found}", expected.join(", "))
                }
            }
        }
        ErrorVariant::CustomError { message } => message.clone(),
    };
    SyntaxError {
        position,
        message,
        line_text,
    }
}

/// Describes what stands at `offset`: the next word or symbol, or the end.
fn found_text(text: &str, offset: usize) -> String {
    let rest = &text[floor_char_boundary(text, offset.min(text.len()))..];
    let rest = rest.trim_start_matches([' ', '\t']);
    let Some(first) = rest.chars().next() else {
        return "end of input".to_string();
    };
    if first == '\n' || first == '\r' {
        return "end of line".to_string();
    }
    let word: String = if first.is_alphanumeric() || first == '_' {
        rest.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .take(30)
            .collect()
    } else {
        first.to_string()
    };
    format!("'{word}'")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locate_counts_lines_and_characters() {
        let text = "first\nsé cond line\nthird";
        let (pos, line) = locate(text, text.find("cond").unwrap());
        assert_eq!(pos, Position { line: 2, column: 4 });
        assert_eq!(line, "sé cond line");
        let shown = SyntaxError {
            position: pos,
            message: "boom".into(),
            line_text: line,
        }
        .to_string();
        assert_eq!(shown, "boom at line 2, column 4\n  sé cond line\n     ^");
    }
}
