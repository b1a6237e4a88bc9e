//! Values as queries see them: stored values plus maps, nodes, relationships and paths.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt::Write;

use factgraph_model::temporal::Operand;
use factgraph_model::{fmt_float, write_quoted, Date, Temporal, Value};
use factgraph_store::{EdgeId, Graph, NodeId};

/// A path: nodes and the relationships between them (`rels.len() + 1 == nodes.len()`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Path {
    /// The nodes in order.
    pub nodes: Vec<NodeId>,
    /// The relationships in order.
    pub rels: Vec<EdgeId>,
}

/// A query-time value.
#[derive(Clone, Debug, PartialEq)]
pub enum Val {
    /// null
    Null,
    /// boolean
    Bool(bool),
    /// integer
    Int(i64),
    /// float
    Float(f64),
    /// string
    Str(String),
    /// date
    Date(Date),
    /// local time
    LocalTime(chrono::NaiveTime),
    /// time with an offset
    Time(super::temporal::Time),
    /// local date-time
    LocalDateTime(chrono::NaiveDateTime),
    /// date-time with an offset or a named zone
    DateTime(super::temporal::ZonedDateTime),
    /// duration
    Duration(super::temporal::Duration),
    /// list
    List(Vec<Val>),
    /// map
    Map(BTreeMap<String, Val>),
    /// a node of the graph
    Node(NodeId),
    /// a relationship of the graph
    Rel(EdgeId),
    /// a path
    Path(Path),
}

impl From<&Value> for Val {
    fn from(v: &Value) -> Val {
        match v {
            Value::Null => Val::Null,
            Value::Bool(b) => Val::Bool(*b),
            Value::Int(i) => Val::Int(*i),
            Value::Float(x) => Val::Float(*x),
            Value::String(s) => Val::Str(s.clone()),
            Value::Date(d) => Val::Date(*d),
            Value::Temporal(t) => Val::from_temporal(t).unwrap_or(Val::Null),
            Value::List(items) => Val::List(items.iter().map(Val::from).collect()),
        }
    }
}

impl Val {
    /// The query value of a stored temporal, or `None` when its fields are
    /// out of range (a corrupt snapshot).
    pub fn from_temporal(t: &Temporal) -> Option<Val> {
        Operand::from_temporal(t).map(Val::from)
    }

    /// The stored form of a temporal value other than a date.
    pub fn to_temporal(&self) -> Option<Temporal> {
        use factgraph_model::temporal as t;
        Some(match self {
            Val::LocalTime(x) => t::local_time_temporal(x),
            Val::Time(x) => t::time_temporal(x),
            Val::LocalDateTime(x) => t::local_datetime_temporal(x),
            Val::DateTime(x) => t::datetime_temporal(x),
            Val::Duration(x) => t::duration_temporal(x),
            _ => return None,
        })
    }

    /// The stored form of this value, or `None` for values a property cannot hold.
    pub fn to_value(&self) -> Option<Value> {
        Some(match self {
            Val::Null => Value::Null,
            Val::Bool(b) => Value::Bool(*b),
            Val::Int(i) => Value::Int(*i),
            Val::Float(x) => Value::Float(*x),
            Val::Str(s) => Value::String(s.clone()),
            Val::Date(d) => Value::Date(*d),
            Val::List(items) => {
                Value::List(items.iter().map(Val::to_value).collect::<Option<_>>()?)
            }
            Val::LocalTime(_)
            | Val::Time(_)
            | Val::LocalDateTime(_)
            | Val::DateTime(_)
            | Val::Duration(_) => Value::Temporal(self.to_temporal()?),
            Val::Map(_) | Val::Node(_) | Val::Rel(_) | Val::Path(_) => return None,
        })
    }

    /// The Cypher type name, for error messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Val::Null => "NULL",
            Val::Bool(_) => "BOOLEAN",
            Val::Int(_) => "INTEGER",
            Val::Float(_) => "FLOAT",
            Val::Str(_) => "STRING",
            Val::Date(_) => "DATE",
            Val::LocalTime(_) => "LOCAL TIME",
            Val::Time(_) => "TIME",
            Val::LocalDateTime(_) => "LOCAL DATETIME",
            Val::DateTime(_) => "DATETIME",
            Val::Duration(_) => "DURATION",
            Val::List(_) => "LIST",
            Val::Map(_) => "MAP",
            Val::Node(_) => "NODE",
            Val::Rel(_) => "RELATIONSHIP",
            Val::Path(_) => "PATH",
        }
    }

    /// Whether this is null.
    pub fn is_null(&self) -> bool {
        matches!(self, Val::Null)
    }

    /// Cypher equality: `Some(bool)`, or `None` (null) when undecidable.
    pub fn cypher_eq(&self, other: &Val) -> Option<bool> {
        match (self, other) {
            (Val::Null, _) | (_, Val::Null) => None,
            (Val::Int(a), Val::Int(b)) => Some(a == b),
            (Val::Float(a), Val::Float(b)) => Some(a == b),
            (Val::Int(a), Val::Float(b)) | (Val::Float(b), Val::Int(a)) => Some((*a as f64) == *b),
            (Val::List(a), Val::List(b)) => {
                if a.len() != b.len() {
                    return Some(false);
                }
                let mut unknown = false;
                for (x, y) in a.iter().zip(b) {
                    match x.cypher_eq(y) {
                        Some(false) => return Some(false),
                        None => unknown = true,
                        Some(true) => {}
                    }
                }
                if unknown {
                    None
                } else {
                    Some(true)
                }
            }
            (Val::Map(a), Val::Map(b)) => {
                if a.len() != b.len() || a.keys().ne(b.keys()) {
                    return Some(false);
                }
                let mut unknown = false;
                for (x, y) in a.values().zip(b.values()) {
                    match x.cypher_eq(y) {
                        Some(false) => return Some(false),
                        None => unknown = true,
                        Some(true) => {}
                    }
                }
                if unknown {
                    None
                } else {
                    Some(true)
                }
            }
            (a, b) => Some(a == b),
        }
    }

    /// Cypher ordering comparison (`<`): `None` when the values are not comparable.
    pub fn cypher_cmp(&self, other: &Val) -> Option<Ordering> {
        match (self, other) {
            (Val::Int(a), Val::Int(b)) => Some(a.cmp(b)),
            (Val::Float(a), Val::Float(b)) => a.partial_cmp(b),
            (Val::Int(a), Val::Float(b)) => (*a as f64).partial_cmp(b),
            (Val::Float(a), Val::Int(b)) => a.partial_cmp(&(*b as f64)),
            (Val::Str(a), Val::Str(b)) => Some(a.cmp(b)),
            (Val::Bool(a), Val::Bool(b)) => Some(a.cmp(b)),
            (Val::Date(a), Val::Date(b)) => Some(a.cmp(b)),
            (Val::LocalTime(_) | Val::Time(_) | Val::LocalDateTime(_) | Val::DateTime(_), _) => {
                super::temporal::compare(self, other)
            }
            (Val::List(a), Val::List(b)) => {
                for (x, y) in a.iter().zip(b) {
                    match x.cypher_cmp(y)? {
                        Ordering::Equal => continue,
                        o => return Some(o),
                    }
                }
                Some(a.len().cmp(&b.len()))
            }
            _ => None,
        }
    }

    /// The total order of `ORDER BY`: maps, nodes, relationships, lists,
    /// paths, strings, booleans, numbers (NaN last among them), then null.
    pub fn order_cmp(&self, other: &Val) -> Ordering {
        fn rank(v: &Val) -> u8 {
            match v {
                Val::Map(_) => 0,
                Val::Node(_) => 1,
                Val::Rel(_) => 2,
                Val::List(_) => 3,
                Val::Path(_) => 4,
                Val::DateTime(_) => 5,
                Val::LocalDateTime(_) => 6,
                Val::Date(_) => 7,
                Val::Time(_) => 8,
                Val::LocalTime(_) => 9,
                Val::Duration(_) => 10,
                Val::Str(_) => 11,
                Val::Bool(_) => 12,
                Val::Int(_) | Val::Float(_) => 13,
                Val::Null => 14,
            }
        }
        match (self, other) {
            (Val::Int(_) | Val::Float(_), Val::Int(_) | Val::Float(_)) => {
                let (a, b) = (self.as_f64(), other.as_f64());
                match (a.is_nan(), b.is_nan()) {
                    (true, true) => Ordering::Equal,
                    (true, false) => Ordering::Greater,
                    (false, true) => Ordering::Less,
                    _ => match (self, other) {
                        (Val::Int(x), Val::Int(y)) => x.cmp(y),
                        _ => a.partial_cmp(&b).unwrap_or(Ordering::Equal),
                    },
                }
            }
            (Val::List(a), Val::List(b)) => {
                for (x, y) in a.iter().zip(b) {
                    match x.order_cmp(y) {
                        Ordering::Equal => continue,
                        o => return o,
                    }
                }
                a.len().cmp(&b.len())
            }
            (Val::Map(a), Val::Map(b)) => {
                let ka: Vec<_> = a.iter().collect();
                let kb: Vec<_> = b.iter().collect();
                for ((k1, v1), (k2, v2)) in ka.iter().zip(&kb) {
                    match k1.cmp(k2).then_with(|| v1.order_cmp(v2)) {
                        Ordering::Equal => continue,
                        o => return o,
                    }
                }
                ka.len().cmp(&kb.len())
            }
            (Val::Str(a), Val::Str(b)) => a.cmp(b),
            (Val::Bool(a), Val::Bool(b)) => a.cmp(b),
            (Val::Date(a), Val::Date(b)) => a.cmp(b),
            (Val::LocalTime(_), Val::LocalTime(_))
            | (Val::Time(_), Val::Time(_))
            | (Val::LocalDateTime(_), Val::LocalDateTime(_))
            | (Val::DateTime(_), Val::DateTime(_))
            | (Val::Duration(_), Val::Duration(_)) => super::temporal::order(self, other),
            (Val::Node(a), Val::Node(b)) => a.cmp(b),
            (Val::Rel(a), Val::Rel(b)) => a.cmp(b),
            (Val::Path(a), Val::Path(b)) => a.cmp(b),
            _ => rank(self).cmp(&rank(other)),
        }
    }

    fn as_f64(&self) -> f64 {
        match self {
            Val::Int(i) => *i as f64,
            Val::Float(x) => *x,
            _ => f64::NAN,
        }
    }

    /// A key for grouping and `DISTINCT`: values that Cypher treats as the
    /// same (including two nulls, and `1` with `1.0`) get the same key.
    pub fn group_key(&self) -> String {
        let mut s = String::new();
        self.write_key(&mut s);
        s
    }

    fn write_key(&self, s: &mut String) {
        match self {
            Val::Null => s.push('N'),
            Val::Bool(b) => {
                let _ = write!(s, "B{b}");
            }
            Val::Int(i) => {
                let _ = write!(s, "I{i}");
            }
            Val::Float(x) if x.fract() == 0.0 && x.abs() < 9.0e15 => {
                let _ = write!(s, "I{}", *x as i64);
            }
            Val::Float(x) => {
                let _ = write!(s, "F{}", x.to_bits());
            }
            Val::Str(t) => {
                let _ = write!(s, "S{}:{t}", t.len());
            }
            Val::Date(d) => {
                let _ = write!(s, "D{d}");
            }
            Val::LocalTime(_)
            | Val::Time(_)
            | Val::LocalDateTime(_)
            | Val::DateTime(_)
            | Val::Duration(_) => {
                let _ = write!(
                    s,
                    "T{}:{}",
                    self.type_name(),
                    super::temporal::render(self).unwrap_or_default()
                );
            }
            Val::List(items) => {
                let _ = write!(s, "L{}[", items.len());
                for i in items {
                    i.write_key(s);
                    s.push(',');
                }
                s.push(']');
            }
            Val::Map(m) => {
                let _ = write!(s, "M{}{{", m.len());
                for (k, v) in m {
                    let _ = write!(s, "{}:{k}=", k.len());
                    v.write_key(s);
                    s.push(',');
                }
                s.push('}');
            }
            Val::Node(n) => {
                let _ = write!(s, "n{}", n.0);
            }
            Val::Rel(r) => {
                let _ = write!(s, "r{}", r.0);
            }
            Val::Path(p) => {
                let _ = write!(s, "P{:?}{:?}", p.nodes, p.rels);
            }
        }
    }

    /// Cypher notation, with nodes and relationships shown by their labels and properties.
    pub fn render(&self, graph: &Graph) -> String {
        let mut s = String::new();
        self.render_into(graph, &mut s, true);
        s
    }

    /// Like [`Val::render`], but a top-level string is shown without quotes (for tables).
    pub fn render_plain(&self, graph: &Graph) -> String {
        match self {
            Val::Str(s) => s.clone(),
            other => other.render(graph),
        }
    }

    fn render_into(&self, graph: &Graph, s: &mut String, quote: bool) {
        match self {
            Val::Null => s.push_str("null"),
            Val::Bool(b) => {
                let _ = write!(s, "{b}");
            }
            Val::Int(i) => {
                let _ = write!(s, "{i}");
            }
            Val::Float(x) => {
                struct F(f64);
                impl std::fmt::Display for F {
                    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        fmt_float(self.0, f)
                    }
                }
                let _ = write!(s, "{}", F(*x));
            }
            Val::Str(t) if quote => {
                let _ = write_quoted(t, s);
            }
            Val::Str(t) => s.push_str(t),
            Val::Date(d) => {
                let _ = write!(s, "{d}");
            }
            Val::LocalTime(_)
            | Val::Time(_)
            | Val::LocalDateTime(_)
            | Val::DateTime(_)
            | Val::Duration(_) => {
                s.push_str(&super::temporal::render(self).unwrap_or_default());
            }
            Val::List(items) => {
                s.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        s.push_str(", ");
                    }
                    item.render_into(graph, s, true);
                }
                s.push(']');
            }
            Val::Map(m) => render_map(m.iter().map(|(k, v)| (k.as_str(), v.clone())), graph, s),
            Val::Node(id) => render_node(*id, graph, s),
            Val::Rel(id) => render_rel(*id, graph, s),
            Val::Path(p) => {
                s.push('<');
                for (i, n) in p.nodes.iter().enumerate() {
                    if i > 0 {
                        let rel = p.rels[i - 1];
                        let forward = graph
                            .endpoints(rel)
                            .map(|(a, _)| a == p.nodes[i - 1])
                            .unwrap_or(true);
                        s.push_str(if forward { "-" } else { "<-" });
                        render_rel(rel, graph, s);
                        s.push_str(if forward { "->" } else { "-" });
                    }
                    render_node(*n, graph, s);
                }
                s.push('>');
            }
        }
    }
}

fn render_map<'a>(entries: impl Iterator<Item = (&'a str, Val)>, graph: &Graph, s: &mut String) {
    s.push('{');
    for (i, (k, v)) in entries.enumerate() {
        if i > 0 {
            s.push_str(", ");
        }
        let _ = write!(s, "{k}: ");
        v.render_into(graph, s, true);
    }
    s.push('}');
}

fn render_node(id: NodeId, graph: &Graph, s: &mut String) {
    s.push('(');
    if let Some(node) = graph.node(id) {
        for l in &node.labels {
            let _ = write!(s, ":{l}");
        }
        if !node.props.is_empty() {
            if !node.labels.is_empty() {
                s.push(' ');
            }
            render_map(
                node.props.iter().map(|(k, v)| (k.as_str(), Val::from(v))),
                graph,
                s,
            );
        }
    }
    s.push(')');
}

fn render_rel(id: EdgeId, graph: &Graph, s: &mut String) {
    s.push('[');
    if let Some(edge) = graph.edge(id) {
        let _ = write!(s, ":{}", edge.rel_type);
        if !edge.props.is_empty() {
            s.push(' ');
            render_map(
                edge.props.iter().map(|(k, v)| (k.as_str(), Val::from(v))),
                graph,
                s,
            );
        }
    }
    s.push(']');
}

#[cfg(test)]
mod tests {
    use std::cmp::Ordering;

    use super::Val;
    use factgraph_model::{PropType, Schema, Temporal, Value};

    fn stored(q: &str) -> Value {
        let mut g = factgraph_store::Graph::new(Schema::open());
        let rows = super::super::run(&mut g, &format!("RETURN {q} AS v"), &Default::default())
            .unwrap()
            .rows;
        rows[0][0].to_value().expect("storable")
    }

    #[test]
    fn temporals_convert_display_type_and_order_as_queries_do() {
        let cases = [
            (
                "localtime('12:30:00.5')",
                "localtime('12:30:00.5')",
                "LOCAL TIME",
            ),
            ("time('12:30+01:00')", "time('12:30+01:00')", "ZONED TIME"),
            (
                "localdatetime('2015-07-21T21:40')",
                "localdatetime('2015-07-21T21:40')",
                "LOCAL DATETIME",
            ),
            (
                "datetime('2017-10-29T04:00[Europe/Stockholm]')",
                "datetime('2017-10-29T04:00+01:00[Europe/Stockholm]')",
                "ZONED DATETIME",
            ),
            (
                "duration('P1Y2M3DT4.5S')",
                "duration('P1Y2M3DT4.5S')",
                "DURATION",
            ),
        ];
        for (q, text, ty) in cases {
            let v = stored(q);
            assert_eq!(v.to_string(), text);
            let t = v.value_type().unwrap();
            assert_eq!(t.to_string(), ty);
            assert!(t.accepts(&v) && !PropType::Date.accepts(&v));
            // Back to the query layer unchanged.
            let back = Val::from(&v);
            assert_eq!(back.to_value(), Some(v.clone()));
            let Value::Temporal(tt) = &v else { panic!() };
            assert_eq!(Temporal::parse(&t, &tt.iso()), Some(tt.clone()));
        }
        // Instants order zoned values; equality is exact (as Cypher's `=`).
        for (a, b) in [
            ("time('12:00+01:00')", "time('11:30Z')"),
            ("time('12:00+01:00')", "time('11:00Z')"),
            (
                "datetime('2020-01-01T00:00+05:00')",
                "datetime('2019-12-31T20:00Z')",
            ),
            ("duration('P1M')", "duration('P30D')"),
            ("localtime('01:00')", "localtime('00:59:59.999')"),
        ] {
            let (x, y) = (stored(a), stored(b));
            let qo = Val::from(&x).order_cmp(&Val::from(&y));
            // The stored order refines the query's (which ties one instant at two offsets).
            if qo != Ordering::Equal {
                assert_eq!(x.total_cmp(&y), qo, "{a} vs {b}");
            }
            assert_eq!(y.total_cmp(&x), x.total_cmp(&y).reverse(), "{a} vs {b}");
            assert_eq!(x == y, x.total_cmp(&y) == Ordering::Equal, "{a} vs {b}");
        }
        assert_eq!(Temporal::parse(&PropType::Time, "nonsense"), None);
        assert_eq!(Temporal::parse(&PropType::Int, "12:00"), None);
    }
}
