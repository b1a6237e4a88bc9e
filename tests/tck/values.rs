//! Values in the TCK's result notation, and structural comparison with what
//! a query returned.
//!
//! The notation: `null`, `true`, integers, floats (`1.5`, `1e-305`, `NaN`,
//! `Inf`, `-Inf`), strings in single quotes with backslash escapes, lists
//! `[1, 2]`, maps `{k: v}`, nodes `(:A:B {k: v})`, relationships
//! `[:T {k: v}]` and paths `<(:A)-[:T]->(:B)<-[:U]-(:C)>`.
//!
//! A node compares by its labels (as a set) and properties, a relationship
//! by its type and properties, a path by its nodes and relationships in
//! order with their directions; element identity is not compared. Floats
//! are equal when they are within a relative 1e-12 of each other (or both
//! NaN); an integer never equals a float.

use std::collections::{BTreeMap, BTreeSet};

use factgraph::query::Val;
use factgraph::store::Graph;

/// A value as the TCK sees it.
#[derive(Clone, Debug, PartialEq)]
pub enum TVal {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    List(Vec<TVal>),
    Map(BTreeMap<String, TVal>),
    Node {
        labels: BTreeSet<String>,
        props: BTreeMap<String, TVal>,
    },
    Rel {
        rel_type: String,
        props: BTreeMap<String, TVal>,
    },
    /// The first node, then (relationship, points forward, next node) for each step.
    Path {
        start: Box<TVal>,
        steps: Vec<(TVal, bool, TVal)>,
    },
}

/// Parses one value in TCK notation.
pub fn parse(text: &str) -> Result<TVal, String> {
    let mut p = P {
        s: text.as_bytes(),
        text,
        i: 0,
    };
    let v = p.value()?;
    p.ws();
    if p.i != p.s.len() {
        return Err(format!("trailing text in {text:?} at {}", p.i));
    }
    Ok(v)
}

struct P<'a> {
    s: &'a [u8],
    text: &'a str,
    i: usize,
}

impl P<'_> {
    fn ws(&mut self) {
        while self.i < self.s.len() && (self.s[self.i] as char).is_whitespace() {
            self.i += 1;
        }
    }
    fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.s.get(self.i).copied()
    }
    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn expect(&mut self, c: u8) -> Result<(), String> {
        if self.eat(c) {
            Ok(())
        } else {
            Err(format!(
                "expected {:?} at {} in {:?}",
                c as char, self.i, self.text
            ))
        }
    }
    fn word(&mut self, w: &str) -> bool {
        self.ws();
        if self.text[self.i..].starts_with(w) {
            let after = self.s.get(self.i + w.len()).copied();
            if after.is_none_or(|c| !(c.is_ascii_alphanumeric() || c == b'_')) {
                self.i += w.len();
                return true;
            }
        }
        false
    }

    fn value(&mut self) -> Result<TVal, String> {
        match self.peek() {
            None => Err(format!("empty value in {:?}", self.text)),
            Some(b'\'') | Some(b'"') => Ok(TVal::Str(self.string()?)),
            Some(b'[') => {
                // `[:T ...]` is a relationship, anything else a list.
                let save = self.i;
                self.i += 1;
                if self.peek() == Some(b':') {
                    self.i = save;
                    return self.rel();
                }
                let mut items = Vec::new();
                if !self.eat(b']') {
                    loop {
                        items.push(self.value()?);
                        if self.eat(b']') {
                            break;
                        }
                        self.expect(b',')?;
                    }
                }
                Ok(TVal::List(items))
            }
            Some(b'{') => Ok(TVal::Map(self.map()?)),
            Some(b'(') => self.node(),
            Some(b'<') => self.path(),
            _ => {
                if self.word("null") {
                    return Ok(TVal::Null);
                }
                if self.word("true") {
                    return Ok(TVal::Bool(true));
                }
                if self.word("false") {
                    return Ok(TVal::Bool(false));
                }
                if self.word("NaN") {
                    return Ok(TVal::Float(f64::NAN));
                }
                for (w, x) in [
                    ("Infinity", f64::INFINITY),
                    ("Inf", f64::INFINITY),
                    ("-Infinity", f64::NEG_INFINITY),
                    ("-Inf", f64::NEG_INFINITY),
                ] {
                    if self.word(w) {
                        return Ok(TVal::Float(x));
                    }
                }
                self.number()
            }
        }
    }

    fn number(&mut self) -> Result<TVal, String> {
        self.ws();
        let start = self.i;
        while self.i < self.s.len()
            && (self.s[self.i].is_ascii_alphanumeric()
                || matches!(self.s[self.i], b'.' | b'-' | b'+'))
        {
            // `+`/`-` only at the start or after an exponent marker.
            if matches!(self.s[self.i], b'-' | b'+')
                && self.i > start
                && !matches!(self.s[self.i - 1], b'e' | b'E')
            {
                break;
            }
            self.i += 1;
        }
        let t = &self.text[start..self.i];
        if t.is_empty() {
            return Err(format!(
                "cannot read a value at {} in {:?}",
                start, self.text
            ));
        }
        if t.contains(['.', 'e', 'E']) && !t.starts_with("0x") {
            t.parse::<f64>()
                .map(TVal::Float)
                .map_err(|_| format!("bad float {t:?}"))
        } else {
            t.parse::<i64>()
                .map(TVal::Int)
                .map_err(|_| format!("bad integer {t:?}"))
        }
    }

    fn string(&mut self) -> Result<String, String> {
        self.ws();
        let quote = self.s[self.i] as char;
        self.i += 1;
        let mut out = String::new();
        let rest = &self.text[self.i..];
        let mut chars = rest.char_indices();
        while let Some((k, c)) = chars.next() {
            if c == quote {
                self.i += k + 1;
                return Ok(out);
            }
            if c != '\\' {
                out.push(c);
                continue;
            }
            match chars.next().map(|(_, c)| c) {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('r') => out.push('\r'),
                Some('b') => out.push('\u{8}'),
                Some('f') => out.push('\u{c}'),
                Some('u') => {
                    let hex: String = chars.by_ref().take(4).map(|(_, c)| c).collect();
                    let c = u32::from_str_radix(&hex, 16)
                        .ok()
                        .and_then(char::from_u32)
                        .ok_or_else(|| format!("bad \\u escape in {:?}", self.text))?;
                    out.push(c);
                }
                Some(c) => out.push(c),
                None => return Err(format!("string ends in a backslash: {:?}", self.text)),
            }
        }
        Err(format!("unclosed string in {:?}", self.text))
    }

    fn name(&mut self) -> Result<String, String> {
        self.ws();
        if self.s.get(self.i) == Some(&b'`') {
            let rest = &self.text[self.i + 1..];
            let end = rest
                .find('`')
                .ok_or_else(|| format!("unclosed ` in {:?}", self.text))?;
            let n = rest[..end].to_string();
            self.i += end + 2;
            return Ok(n);
        }
        let start = self.i;
        while self.i < self.s.len()
            && (self.s[self.i].is_ascii_alphanumeric()
                || self.s[self.i] == b'_'
                || self.s[self.i] >= 0x80)
        {
            self.i += 1;
        }
        if start == self.i {
            return Err(format!("expected a name at {start} in {:?}", self.text));
        }
        Ok(self.text[start..self.i].to_string())
    }

    fn map(&mut self) -> Result<BTreeMap<String, TVal>, String> {
        self.expect(b'{')?;
        let mut m = BTreeMap::new();
        if self.eat(b'}') {
            return Ok(m);
        }
        loop {
            let k = self.name()?;
            self.expect(b':')?;
            let v = self.value()?;
            m.insert(k, v);
            if self.eat(b'}') {
                return Ok(m);
            }
            self.expect(b',')?;
        }
    }

    fn node(&mut self) -> Result<TVal, String> {
        self.expect(b'(')?;
        let mut labels = BTreeSet::new();
        while self.eat(b':') {
            labels.insert(self.name()?);
        }
        let props = if self.peek() == Some(b'{') {
            self.map()?
        } else {
            BTreeMap::new()
        };
        self.expect(b')')?;
        Ok(TVal::Node { labels, props })
    }

    fn rel(&mut self) -> Result<TVal, String> {
        self.expect(b'[')?;
        self.expect(b':')?;
        let rel_type = self.name()?;
        let props = if self.peek() == Some(b'{') {
            self.map()?
        } else {
            BTreeMap::new()
        };
        self.expect(b']')?;
        Ok(TVal::Rel { rel_type, props })
    }

    fn path(&mut self) -> Result<TVal, String> {
        self.expect(b'<')?;
        let start = Box::new(self.node()?);
        let mut steps = Vec::new();
        while !self.eat(b'>') {
            let backward = self.eat(b'<');
            self.expect(b'-')?;
            let rel = self.rel()?;
            self.expect(b'-')?;
            let forward = self.eat(b'>');
            if forward == backward {
                return Err(format!(
                    "a path step needs one direction in {:?}",
                    self.text
                ));
            }
            let node = self.node()?;
            steps.push((rel, forward, node));
        }
        Ok(TVal::Path { start, steps })
    }
}

fn props_of(p: &factgraph::model::Props) -> BTreeMap<String, TVal> {
    p.iter()
        .map(|(k, v)| (k.clone(), TVal::from_val(&Val::from(v), None)))
        .collect()
}

impl TVal {
    /// What a query value looks like in TCK terms (nodes and relationships read from `graph`).
    pub fn from_val(v: &Val, graph: Option<&Graph>) -> TVal {
        match v {
            Val::Null => TVal::Null,
            Val::Bool(b) => TVal::Bool(*b),
            Val::Int(i) => TVal::Int(*i),
            Val::Float(x) => TVal::Float(*x),
            Val::Str(s) => TVal::Str(s.clone()),
            Val::Date(d) => TVal::Str(d.to_string()),
            Val::LocalTime(_)
            | Val::Time(_)
            | Val::LocalDateTime(_)
            | Val::DateTime(_)
            | Val::Duration(_) => {
                TVal::Str(factgraph::query::temporal::render(v).unwrap_or_default())
            }
            Val::List(items) => {
                TVal::List(items.iter().map(|x| TVal::from_val(x, graph)).collect())
            }
            Val::Map(m) => TVal::Map(
                m.iter()
                    .map(|(k, x)| (k.clone(), TVal::from_val(x, graph)))
                    .collect(),
            ),
            Val::Node(id) => match graph.and_then(|g| g.node(*id)) {
                Some(n) => TVal::Node {
                    labels: n.labels.iter().cloned().collect(),
                    props: props_of(&n.props),
                },
                None => TVal::Str(format!("<deleted node {id}>")),
            },
            Val::Rel(id) => match graph.and_then(|g| g.edge(*id)) {
                Some(e) => TVal::Rel {
                    rel_type: e.rel_type.clone(),
                    props: props_of(&e.props),
                },
                None => TVal::Str(format!("<deleted relationship {id}>")),
            },
            Val::Path(p) => {
                let node = |i: usize| TVal::from_val(&Val::Node(p.nodes[i]), graph);
                let mut steps = Vec::new();
                for (i, r) in p.rels.iter().enumerate() {
                    let forward = graph
                        .and_then(|g| g.endpoints(*r))
                        .is_none_or(|(a, _)| a == p.nodes[i]);
                    steps.push((TVal::from_val(&Val::Rel(*r), graph), forward, node(i + 1)));
                }
                TVal::Path {
                    start: Box::new(node(0)),
                    steps,
                }
            }
        }
    }

    /// Structural equality; with `unordered_lists`, lists compare as multisets.
    pub fn matches(&self, other: &TVal, unordered_lists: bool) -> bool {
        let maps = |a: &BTreeMap<String, TVal>, b: &BTreeMap<String, TVal>| {
            a.len() == b.len()
                && a.iter()
                    .zip(b)
                    .all(|((k1, v1), (k2, v2))| k1 == k2 && v1.matches(v2, unordered_lists))
        };
        match (self, other) {
            (TVal::Float(a), TVal::Float(b)) => {
                (a.is_nan() && b.is_nan())
                    || a == b
                    || ((a - b).abs() <= 1e-12 * a.abs().max(b.abs()) && a.signum() == b.signum())
            }
            (TVal::List(a), TVal::List(b)) => {
                if a.len() != b.len() {
                    return false;
                }
                if !unordered_lists {
                    return a.iter().zip(b).all(|(x, y)| x.matches(y, unordered_lists));
                }
                bag_match(a, b, &|x, y| x.matches(y, unordered_lists))
            }
            (TVal::Map(a), TVal::Map(b)) => maps(a, b),
            (
                TVal::Node {
                    labels: l1,
                    props: p1,
                },
                TVal::Node {
                    labels: l2,
                    props: p2,
                },
            ) => l1 == l2 && maps(p1, p2),
            (
                TVal::Rel {
                    rel_type: t1,
                    props: p1,
                },
                TVal::Rel {
                    rel_type: t2,
                    props: p2,
                },
            ) => t1 == t2 && maps(p1, p2),
            (
                TVal::Path {
                    start: s1,
                    steps: st1,
                },
                TVal::Path {
                    start: s2,
                    steps: st2,
                },
            ) => {
                s1.matches(s2, unordered_lists)
                    && st1.len() == st2.len()
                    && st1.iter().zip(st2).all(|((r1, f1, n1), (r2, f2, n2))| {
                        f1 == f2
                            && r1.matches(r2, unordered_lists)
                            && n1.matches(n2, unordered_lists)
                    })
            }
            (a, b) => a == b,
        }
    }
}

/// Whether `a` and `b` hold the same items in some order (a perfect matching under `eq`).
pub fn bag_match<T>(a: &[T], b: &[T], eq: &dyn Fn(&T, &T) -> bool) -> bool {
    if a.len() != b.len() {
        return false;
    }
    // Augmenting-path bipartite matching: robust when items match several others.
    let n = a.len();
    let adj: Vec<Vec<usize>> = a
        .iter()
        .map(|x| (0..n).filter(|&j| eq(x, &b[j])).collect())
        .collect();
    let mut owner: Vec<Option<usize>> = vec![None; n];
    fn augment(
        i: usize,
        adj: &[Vec<usize>],
        seen: &mut [bool],
        owner: &mut [Option<usize>],
    ) -> bool {
        for &j in &adj[i] {
            if seen[j] {
                continue;
            }
            seen[j] = true;
            if owner[j].is_none_or(|k| augment(k, adj, seen, owner)) {
                owner[j] = Some(i);
                return true;
            }
        }
        false
    }
    for i in 0..n {
        let mut seen = vec![false; n];
        if !augment(i, &adj, &mut seen, &mut owner) {
            return false;
        }
    }
    true
}

impl std::fmt::Display for TVal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        fn map(f: &mut std::fmt::Formatter<'_>, m: &BTreeMap<String, TVal>) -> std::fmt::Result {
            write!(f, "{{")?;
            for (i, (k, v)) in m.iter().enumerate() {
                if i > 0 {
                    write!(f, ", ")?;
                }
                write!(f, "{k}: {v}")?;
            }
            write!(f, "}}")
        }
        match self {
            TVal::Null => write!(f, "null"),
            TVal::Bool(b) => write!(f, "{b}"),
            TVal::Int(i) => write!(f, "{i}"),
            TVal::Float(x) => {
                if x.is_finite() && x.fract() == 0.0 && x.abs() < 1e16 {
                    write!(f, "{x:.1}")
                } else {
                    write!(f, "{x}")
                }
            }
            TVal::Str(s) => write!(f, "'{}'", s.replace('\\', "\\\\").replace('\'', "\\'")),
            TVal::List(items) => {
                write!(f, "[")?;
                for (i, x) in items.iter().enumerate() {
                    if i > 0 {
                        write!(f, ", ")?;
                    }
                    write!(f, "{x}")?;
                }
                write!(f, "]")
            }
            TVal::Map(m) => map(f, m),
            TVal::Node { labels, props } => {
                write!(f, "(")?;
                for l in labels {
                    write!(f, ":{l}")?;
                }
                if !props.is_empty() {
                    if !labels.is_empty() {
                        write!(f, " ")?;
                    }
                    map(f, props)?;
                }
                write!(f, ")")
            }
            TVal::Rel { rel_type, props } => {
                write!(f, "[:{rel_type}")?;
                if !props.is_empty() {
                    write!(f, " ")?;
                    map(f, props)?;
                }
                write!(f, "]")
            }
            TVal::Path { start, steps } => {
                write!(f, "<{start}")?;
                for (r, fwd, n) in steps {
                    if *fwd {
                        write!(f, "-{r}->{n}")?;
                    } else {
                        write!(f, "<-{r}-{n}")?;
                    }
                }
                write!(f, ">")
            }
        }
    }
}
