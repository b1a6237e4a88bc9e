//! Splitting a script into statements at `;`, ignoring semicolons inside
//! strings, backtick names and comments. Shared by the REPL (to know when
//! input is complete) and batch scripts (to locate errors as file:line:col).

/// One statement of a script and where it starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScriptStatement {
    /// The statement text, without its `;`.
    pub text: String,
    /// 1-based line of its first character in the script.
    pub line: usize,
    /// 1-based column of its first character.
    pub column: usize,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Code,
    Single,
    Double,
    Backtick,
    LineComment,
    BlockComment,
}

/// The state of the lexer at the end of `text`, and the byte offsets of every top-level `;`.
fn scan(text: &str) -> (State, Vec<usize>) {
    let mut state = State::Code;
    let mut semis = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match state {
            State::Code => match c {
                ';' => semis.push(i),
                '\'' => state = State::Single,
                '"' => state = State::Double,
                '`' => state = State::Backtick,
                '/' if chars.peek().map(|(_, n)| *n) == Some('/') => {
                    chars.next();
                    state = State::LineComment;
                }
                '/' if chars.peek().map(|(_, n)| *n) == Some('*') => {
                    chars.next();
                    state = State::BlockComment;
                }
                _ => {}
            },
            State::Single | State::Double => match c {
                '\\' => {
                    chars.next();
                }
                '\'' if state == State::Single => state = State::Code,
                '"' if state == State::Double => state = State::Code,
                _ => {}
            },
            State::Backtick => {
                if c == '`' {
                    state = State::Code;
                }
            }
            State::LineComment => {
                if c == '\n' {
                    state = State::Code;
                }
            }
            State::BlockComment => {
                if c == '*' && chars.peek().map(|(_, n)| *n) == Some('/') {
                    chars.next();
                    state = State::Code;
                }
            }
        }
    }
    (state, semis)
}

/// Whether `text` is only white space and comments.
pub fn is_blank(text: &str) -> bool {
    let mut rest = text.trim_start();
    loop {
        if rest.is_empty() {
            return true;
        }
        if let Some(r) = rest.strip_prefix("//") {
            rest = r.find('\n').map_or("", |i| &r[i..]).trim_start();
        } else if let Some(r) = rest.strip_prefix("/*") {
            match r.find("*/") {
                Some(i) => rest = r[i + 2..].trim_start(),
                None => return true,
            }
        } else {
            return false;
        }
    }
}

/// Whether the input ends a statement: a top-level `;` with nothing but blanks after it.
pub fn is_complete(text: &str) -> bool {
    let (state, semis) = scan(text);
    if matches!(
        state,
        State::Single | State::Double | State::Backtick | State::BlockComment
    ) {
        return false;
    }
    semis.last().is_some_and(|&i| is_blank(&text[i + 1..]))
}

/// Splits a script into its statements; empty ones (`;;`, comments only) are dropped.
/// A last statement without `;` is kept.
pub fn split(script: &str) -> Vec<ScriptStatement> {
    let (_, semis) = scan(script);
    let mut out = Vec::new();
    let mut start = 0;
    for end in semis.into_iter().chain(std::iter::once(script.len())) {
        let piece = &script[start..end];
        if !is_blank(piece) {
            let lead = piece.len() - piece.trim_start().len();
            let (pos, _) = crate::syntax::locate(script, start + lead);
            out.push(ScriptStatement {
                text: piece.trim().to_string(),
                line: pos.line,
                column: pos.column,
            });
        }
        start = (end + 1).min(script.len());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn semicolons_inside_strings_and_comments_do_not_split() {
        let script = "CREATE (:A {t: 'a;b'});\n// c;omment\nMATCH (n) /* x; */ RETURN n;;\n  RETURN \"q;\" AS `w;`";
        let parts = split(script);
        let texts: Vec<&str> = parts.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(
            texts,
            vec![
                "CREATE (:A {t: 'a;b'})",
                "// c;omment\nMATCH (n) /* x; */ RETURN n",
                "RETURN \"q;\" AS `w;`"
            ]
        );
        assert_eq!((parts[1].line, parts[1].column), (2, 1));
        assert_eq!((parts[2].line, parts[2].column), (4, 3));
    }

    #[test]
    fn completeness_needs_a_final_semicolon_outside_quotes() {
        assert!(!is_complete("MATCH (n)"));
        assert!(is_complete("MATCH (n) RETURN n;"));
        assert!(is_complete("MATCH (n) RETURN n; // done"));
        assert!(!is_complete("RETURN 'unclosed;"));
        assert!(!is_complete("RETURN 1; /* open"));
        assert!(is_blank("  // only a comment\n /* and another */ "));
    }
}
