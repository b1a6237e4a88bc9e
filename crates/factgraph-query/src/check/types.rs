//! Kinds of values: what each variable, expression and function yields,
//! and the kinds that operators, functions and clauses accept.

use std::collections::HashMap;

use crate::ast::{Expr, PatternPart, Projection, Span};
use crate::error::{QResult, QueryError};
use crate::eval::function_name;
use crate::project::expand_items;

use super::Checker;

/// What an expression or variable is statically known to hold, for
/// catching `MATCH ()-[r]-() MATCH (r)`, `RETURN 1 AND true` or
/// `WITH 123 AS x RETURN x.name` before running anything. Every type
/// includes null; `Any` is unknown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    Any,
    Null,
    Bool,
    Int,
    Float,
    Str,
    List,
    Map,
    Node,
    Relationship,
    Path,
}

impl Kind {
    fn describe(self) -> &'static str {
        match self {
            Kind::Any => "a value",
            Kind::Null => "null",
            Kind::Bool => "a boolean",
            Kind::Int => "an integer",
            Kind::Float => "a float",
            Kind::Str => "a string",
            Kind::List => "a list",
            Kind::Map => "a map",
            Kind::Node => "a node",
            Kind::Relationship => "a relationship",
            Kind::Path => "a path",
        }
    }

    /// Whether a value of this kind may be where one of `allowed` is expected.
    fn fits(self, allowed: &[Kind]) -> bool {
        matches!(self, Kind::Any | Kind::Null) || allowed.contains(&self)
    }

    fn of_value(v: &factgraph_model::Value) -> Kind {
        use factgraph_model::Value;
        match v {
            Value::Null => Kind::Null,
            Value::Bool(_) => Kind::Bool,
            Value::Int(_) => Kind::Int,
            Value::Float(_) => Kind::Float,
            Value::String(_) => Kind::Str,
            Value::Date(_) | Value::Temporal(_) => Kind::Any,
            Value::List(_) => Kind::List,
        }
    }
}

/// The kind of value a scalar function returns, where it is fixed.
fn function_kind(name: &str) -> Kind {
    match name {
        "tostring" | "type" | "tolower" | "toupper" | "lower" | "upper" | "trim" | "ltrim"
        | "rtrim" | "replace" | "substring" | "left" | "right" | "elementid" => Kind::Str,
        "size" | "length" | "id" | "count" | "sign" | "tointeger" => Kind::Int,
        "tofloat" | "sqrt" | "log" | "log10" | "exp" | "sin" | "cos" | "tan" | "asin" | "acos"
        | "atan" | "degrees" | "radians" | "e" | "pi" | "rand" | "avg" | "stdev" | "stdevp" => {
            Kind::Float
        }
        "labels" | "keys" | "nodes" | "relationships" | "range" | "split" | "tail" | "collect" => {
            Kind::List
        }
        "properties" => Kind::Map,
        "startnode" | "endnode" => Kind::Node,
        "toboolean" | "isempty" | "exists" => Kind::Bool,
        _ => Kind::Any,
    }
}

impl Checker<'_> {
    /// Records what each pattern variable holds; a variable cannot be a node
    /// in one place and a relationship or path in another, and one pattern
    /// cannot name the same relationship twice (it would never match).
    pub(super) fn pattern_kinds(&self, parts: &[PatternPart]) -> QResult<()> {
        let mut rels_here: Vec<&str> = Vec::new();
        for part in parts {
            if let Some(p) = &part.path_var {
                self.bind_kind(p, Kind::Path, part.span)?;
            }
            self.bind_kind_opt(&part.start.var, Kind::Node, part.start.span)?;
            for (r, n) in &part.steps {
                if let Some(v) = &r.var {
                    if rels_here.contains(&v.as_str()) {
                        return Err(QueryError::semantic(
                            "Semantic.RelationshipUniquenessViolation",
                            format!(
                                "relationship `{v}` appears twice in one pattern; a relationship is matched at most once per pattern"
                            ),
                        )
                        .at(self.text, r.span));
                    }
                    rels_here.push(v);
                }
                // A variable-length relationship binds a list of relationships.
                let kind = if r.length.is_some() {
                    Kind::List
                } else {
                    Kind::Relationship
                };
                self.bind_kind_opt(&r.var, kind, r.span)?;
                self.bind_kind_opt(&n.var, Kind::Node, n.span)?;
            }
        }
        Ok(())
    }

    fn bind_kind_opt(&self, var: &Option<String>, kind: Kind, span: Span) -> QResult<()> {
        match var {
            Some(v) => self.bind_kind(v, kind, span),
            None => Ok(()),
        }
    }

    fn bind_kind(&self, var: &str, kind: Kind, span: Span) -> QResult<()> {
        let mut kinds = self.kinds.borrow_mut();
        match kinds.get(var) {
            Some(Kind::Any | Kind::Null) => {
                kinds.insert(var.to_string(), kind);
                Ok(())
            }
            Some(&known) if known != kind => Err(QueryError::semantic(
                "Semantic.VariableTypeConflict",
                format!(
                    "variable `{var}` is {}; it cannot be used as {} here",
                    known.describe(),
                    kind.describe()
                ),
            )
            .at(self.text, span)),
            Some(_) => Ok(()),
            None => {
                kinds.insert(var.to_string(), kind);
                Ok(())
            }
        }
    }

    /// The kinds of the variables a WITH passes on.
    pub(super) fn carried_kinds(&self, p: &Projection, scope: &[String]) -> HashMap<String, Kind> {
        let mut out = HashMap::new();
        for it in expand_items(p, scope) {
            let kind = self.kind_of(&it.expr);
            if !matches!(kind, Kind::Any | Kind::Null) {
                out.insert(it.name.clone(), kind);
            }
        }
        out
    }

    /// What `e` is statically known to hold.
    pub(super) fn kind_of(&self, e: &Expr) -> Kind {
        use crate::ast::BinOp::*;
        match e {
            Expr::Literal(v) => Kind::of_value(v),
            Expr::Var(v, _) => self.kinds.borrow().get(v).copied().unwrap_or(Kind::Any),
            Expr::List(_) | Expr::ListComprehension { .. } | Expr::PatternComprehension { .. } => {
                Kind::List
            }
            Expr::Map(_) | Expr::MapProjection { .. } => Kind::Map,
            Expr::Not(_)
            | Expr::IsNull(..)
            | Expr::HasLabels(..)
            | Expr::ListPredicate { .. }
            | Expr::Exists { .. }
            | Expr::ExistsSubquery(_) => Kind::Bool,
            Expr::CountStar => Kind::Int,
            Expr::Binary(op, a, b) => match op {
                Or | Xor | And | Eq | Ne | Lt | Le | Gt | Ge | Regex | StartsWith | EndsWith
                | Contains | In => Kind::Bool,
                Add | Sub | Mul | Div | Mod | Pow => {
                    let (ka, kb) = (self.kind_of(a), self.kind_of(b));
                    match (op, ka, kb) {
                        (Add, Kind::List, _) | (Add, _, Kind::List) => Kind::List,
                        (Add, Kind::Str, Kind::Str | Kind::Int | Kind::Float)
                        | (Add, Kind::Int | Kind::Float, Kind::Str) => Kind::Str,
                        (Pow, Kind::Int | Kind::Float, Kind::Int | Kind::Float) => Kind::Float,
                        (_, Kind::Int, Kind::Int) => Kind::Int,
                        (_, Kind::Int | Kind::Float, Kind::Int | Kind::Float) => Kind::Float,
                        _ => Kind::Any,
                    }
                }
            },
            Expr::Neg(a) => match self.kind_of(a) {
                k @ (Kind::Int | Kind::Float) => k,
                _ => Kind::Any,
            },
            Expr::Call { name, .. } => function_kind(name),
            _ => Kind::Any,
        }
    }

    /// The kind of the items of a list, where all are known to share one.
    pub(super) fn element_kind(&self, list: &Expr) -> Kind {
        match list {
            Expr::List(items) => {
                let mut kinds = items
                    .iter()
                    .map(|i| self.kind_of(i))
                    .filter(|k| *k != Kind::Null);
                match kinds.next() {
                    Some(first) if kinds.all(|k| k == first) => first,
                    _ => Kind::Any,
                }
            }
            Expr::Call { name, .. } => match name.as_str() {
                "range" => Kind::Int,
                "nodes" => Kind::Node,
                "relationships" => Kind::Relationship,
                "labels" | "keys" | "split" => Kind::Str,
                _ => Kind::Any,
            },
            _ => Kind::Any,
        }
    }

    /// Refuses `e` where only `allowed` kinds make sense.
    pub(super) fn expect_kind(&self, e: &Expr, allowed: &[Kind], what: &str) -> QResult<()> {
        let kind = self.kind_of(e);
        if kind.fits(allowed) {
            return Ok(());
        }
        Err(QueryError::semantic(
            "Semantic.InvalidArgumentType",
            format!(
                "{what} expects {}, got {}",
                allowed_text(allowed),
                kind.describe()
            ),
        ))
    }

    /// The static type rules of one expression node (its operands are
    /// checked by the recursion in [`Checker::expr`]).
    pub(super) fn expr_kinds(&self, e: &Expr) -> QResult<()> {
        use crate::ast::BinOp;
        match e {
            Expr::Not(a) => self.expect_kind(a, &[Kind::Bool], "NOT"),
            Expr::Binary(op @ (BinOp::And | BinOp::Or | BinOp::Xor), a, b) => {
                self.expect_kind(a, &[Kind::Bool], op.symbol())?;
                self.expect_kind(b, &[Kind::Bool], op.symbol())
            }
            Expr::Binary(BinOp::In, _, b) => self.expect_kind(b, &[Kind::List], "IN"),
            Expr::Binary(
                op @ (BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Mod | BinOp::Pow),
                a,
                b,
            ) => {
                self.expect_kind(a, &[Kind::Int, Kind::Float], op.symbol())?;
                self.expect_kind(b, &[Kind::Int, Kind::Float], op.symbol())
            }
            Expr::Binary(BinOp::Add, a, b) => {
                use Kind::*;
                let (ka, kb) = (self.kind_of(a), self.kind_of(b));
                let fine = matches!(
                    (ka, kb),
                    (Any | Null | List, _)
                        | (_, Any | Null | List)
                        | (Int | Float, Int | Float)
                        | (Str, Str | Int | Float | Bool)
                        | (Int | Float | Bool, Str)
                );
                if fine {
                    Ok(())
                } else {
                    Err(QueryError::semantic(
                        "Semantic.InvalidArgumentType",
                        format!("cannot apply + to {} and {}", ka.describe(), kb.describe()),
                    ))
                }
            }
            Expr::Neg(a) => self.expect_kind(a, &[Kind::Int, Kind::Float], "unary -"),
            Expr::ListPredicate { list, .. } | Expr::ListComprehension { list, .. } => {
                self.expect_kind(list, &[Kind::List], "IN")
            }
            Expr::Property(a, key) => match self.kind_of(a) {
                Kind::Path => Err(QueryError::semantic(
                    "Semantic.InvalidArgumentType",
                    format!("a path has no properties (reading .{key})"),
                )),
                k @ (Kind::Bool | Kind::Int | Kind::Float | Kind::Str | Kind::List) => {
                    Err(QueryError::semantic(
                        "Semantic.TypeError",
                        format!("cannot read property .{key} of {}", k.describe()),
                    ))
                }
                _ => Ok(()),
            },
            Expr::Call { name, args, .. } => {
                let allowed: &[Kind] = match name.as_str() {
                    "properties" | "keys" => &[Kind::Node, Kind::Relationship, Kind::Map],
                    "labels" => &[Kind::Node],
                    "type" | "startnode" | "endnode" => &[Kind::Relationship],
                    "id" | "elementid" => &[Kind::Node, Kind::Relationship],
                    "size" => &[Kind::List, Kind::Str, Kind::Map],
                    "length" => &[Kind::Path, Kind::List, Kind::Str],
                    "nodes" | "relationships" => &[Kind::Path],
                    _ => return Ok(()),
                };
                match args.as_slice() {
                    [a] => self.expect_kind(a, allowed, &format!("{}()", function_name(name))),
                    _ => Ok(()),
                }
            }
            _ => Ok(()),
        }
    }
}
fn allowed_text(allowed: &[Kind]) -> String {
    let names: Vec<&str> = allowed.iter().map(|k| k.describe()).collect();
    match names.as_slice() {
        [] => "nothing".into(),
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}
