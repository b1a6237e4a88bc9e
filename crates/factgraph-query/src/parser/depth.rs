//! Limits on the query text read before parsing: how deeply brackets nest
//! and how many operators enclose one another, so that parsing and
//! evaluation stay within the stack.

/// How deeply brackets may nest, and how many operators may follow one
/// another in a chain. Parsing and evaluation recurse once per level, so
/// these bound the stack a statement needs (see [`with_deep_stack`]).
pub(super) const MAX_NESTING: usize = 100;
pub(super) const MAX_CHAIN: usize = 1000;
/// How many operators, keywords and brackets may wrap one another on one
/// path through a statement's expression tree. Brackets and chains each stay
/// within their own limits, yet multiply: 100 brackets each holding a chain
/// of 1000 operators build a tree 100,000 deep, which overflows even the
/// deep stack. Checking, evaluating and dropping the tree recurse once per
/// level; a debug build still has room for twice this many.
pub(super) const MAX_EXPR_DEPTH: usize = 2500;

/// Stack size for parsing and running a statement: deep enough for
/// [`MAX_NESTING`] levels even in a debug build, whatever thread calls.
const DEEP_STACK: usize = 256 * 1024 * 1024;

/// Runs `f` on a thread with a [`DEEP_STACK`], so that a deeply nested
/// query is an error or a result, never a stack overflow of the caller's
/// (possibly small) stack. (The stack is reserved, not used, until needed.)
pub(crate) fn with_deep_stack<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|scope| {
        match std::thread::Builder::new()
            .name("query".into())
            .stack_size(DEEP_STACK)
            .spawn_scoped(scope, f)
        {
            Ok(handle) => handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(e) => panic!("cannot start a query thread: {e}"),
        }
    })
}

/// Consumes the string, quoted name or comment that `c` opens, so that the
/// brackets and operators inside it are not counted; false when `c` opens none.
fn skip_literal_or_comment(
    c: char,
    chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>,
) -> bool {
    match c {
        '\'' | '"' | '`' => {
            while let Some((_, d)) = chars.next() {
                if d == '\\' && c != '`' {
                    chars.next();
                } else if d == c {
                    break;
                }
            }
        }
        '/' if chars.peek().is_some_and(|(_, d)| *d == '/') => {
            for (_, d) in chars.by_ref() {
                if d == '\n' {
                    break;
                }
            }
        }
        '/' if chars.peek().is_some_and(|(_, d)| *d == '*') => {
            chars.next();
            let mut star = false;
            for (_, d) in chars.by_ref() {
                if star && d == '/' {
                    break;
                }
                star = d == '*';
            }
        }
        _ => return false,
    }
    true
}

/// The offset of the bracket that opens nesting level `MAX_NESTING + 1`, if any
/// (strings and comments do not count).
pub(super) fn too_deep(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if skip_literal_or_comment(c, &mut chars) {
            continue;
        }
        match c {
            '(' | '[' | '{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(i);
                }
            }
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// The offset of the token at which operators wrapping one another (see
/// [`MAX_EXPR_DEPTH`]) first exceed the limit, if they do.
///
/// This reads tokens, not the grammar, and overestimates: every operator
/// character, operator keyword and bracket on the way down counts, and a
/// comma or a clause keyword starts a sibling that does not add to the
/// depth of what came before it.
pub(super) fn too_complex(text: &str) -> Option<usize> {
    #[derive(Default)]
    struct Level {
        /// Operators since the last sibling boundary.
        ops: usize,
        /// The deepest bracketed child since then.
        child: usize,
        /// The deepest sibling so far.
        best: usize,
    }
    const OPERATOR_WORDS: &[&str] = &[
        "NOT", "AND", "OR", "XOR", "IS", "IN", "STARTS", "ENDS", "CONTAINS", "CASE", "WHEN",
        "THEN", "ELSE",
    ];
    const SIBLING_WORDS: &[&str] = &[
        "MATCH", "OPTIONAL", "WHERE", "RETURN", "WITH", "SET", "CREATE", "MERGE", "DELETE",
        "DETACH", "REMOVE", "UNWIND", "ORDER", "SKIP", "LIMIT", "UNION", "CALL", "YIELD", "AS",
    ];
    let mut levels = vec![Level::default()];
    // Operators counted on the current path: the sum of `ops` over `levels`.
    let mut on_path = 0usize;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if skip_literal_or_comment(c, &mut chars) {
            continue;
        }
        let mut counted = false;
        match c {
            '(' | '[' | '{' => {
                // An index `x[0]` wraps what precedes it, like an operator.
                if let (Some(l), '[') = (levels.last_mut(), c) {
                    l.ops += 1;
                    on_path += 1;
                }
                levels.push(Level::default());
                counted = true;
            }
            ')' | ']' | '}' if levels.len() > 1 => {
                if let Some(done) = levels.pop() {
                    on_path -= done.ops;
                    let depth = done.best.max(done.ops + done.child) + 1;
                    if let Some(parent) = levels.last_mut() {
                        parent.child = parent.child.max(depth);
                    }
                    counted = true;
                }
            }
            ',' | ';' => {
                if let Some(l) = levels.last_mut() {
                    l.best = l.best.max(l.ops + l.child);
                    on_path -= l.ops;
                    l.ops = 0;
                    l.child = 0;
                }
            }
            '+' | '-' | '*' | '/' | '%' | '^' | '=' | '<' | '>' | '.' | '|' | ':' => {
                if let Some(l) = levels.last_mut() {
                    l.ops += 1;
                    on_path += 1;
                    counted = true;
                }
            }
            c if c.is_alphabetic() || c == '_' => {
                let start = i;
                let mut end = i + c.len_utf8();
                while let Some(&(j, d)) = chars.peek() {
                    if !(d.is_alphanumeric() || d == '_') {
                        break;
                    }
                    end = j + d.len_utf8();
                    chars.next();
                }
                let word = text[start..end].to_ascii_uppercase();
                if let Some(l) = levels.last_mut() {
                    if OPERATOR_WORDS.contains(&word.as_str()) {
                        l.ops += 1;
                        on_path += 1;
                        counted = true;
                    } else if SIBLING_WORDS.contains(&word.as_str()) {
                        l.best = l.best.max(l.ops + l.child);
                        on_path -= l.ops;
                        l.ops = 0;
                        l.child = 0;
                    }
                }
            }
            _ => {}
        }
        if counted {
            let child = levels.last().map_or(0, |l| l.child);
            if on_path + child + levels.len() > MAX_EXPR_DEPTH {
                return Some(i);
            }
        }
    }
    None
}
