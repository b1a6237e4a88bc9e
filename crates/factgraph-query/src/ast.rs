//! The typed syntax tree of a query. Spans are byte ranges into the query
//! text, kept so that errors after parsing can still point at the text.

use std::ops::ControlFlow;

use factgraph_model::Value;

/// A byte range in the query text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

/// What to do with a query besides running it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Run and return rows.
    Run,
    /// Only show the plan.
    Explain,
    /// Run, and report rows and time per operator.
    Profile,
}

/// A whole statement.
#[derive(Clone, Debug, PartialEq)]
pub struct Statement {
    /// Run, explain or profile.
    pub mode: Mode,
    /// The query.
    pub query: Query,
}

/// A query.
#[derive(Clone, Debug, PartialEq)]
pub enum Query {
    /// `SHOW SCHEMA`.
    ShowSchema,
    /// Single queries joined by `UNION [ALL]`; `all[i]` says whether the union before part `i + 1` keeps duplicates.
    Regular {
        /// The parts.
        parts: Vec<Vec<Clause>>,
        /// For each `UNION`, whether it is `UNION ALL`.
        all: Vec<bool>,
    },
}

/// A clause of a single query.
#[derive(Clone, Debug, PartialEq)]
pub enum Clause {
    /// `[OPTIONAL] MATCH pattern [WHERE expr]`
    Match {
        /// `OPTIONAL MATCH`.
        optional: bool,
        /// The pattern parts.
        pattern: Vec<PatternPart>,
        /// The filter.
        filter: Option<Expr>,
    },
    /// `UNWIND expr AS var`
    Unwind {
        /// The list.
        expr: Expr,
        /// The variable bound to each item.
        var: String,
    },
    /// `WITH projection [WHERE expr]`
    With {
        /// What is carried on.
        projection: Projection,
        /// Filter on the projected rows.
        filter: Option<Expr>,
    },
    /// `RETURN projection`
    Return(Projection),
    /// `CREATE pattern`
    Create(Vec<PatternPart>),
    /// `MERGE part [ON CREATE SET ..] [ON MATCH SET ..]`
    Merge {
        /// The pattern to find or create.
        part: PatternPart,
        /// Applied when the pattern was created.
        on_create: Vec<SetItem>,
        /// Applied when the pattern was found.
        on_match: Vec<SetItem>,
    },
    /// `SET items`
    Set(Vec<SetItem>),
    /// `REMOVE items`
    Remove(Vec<RemoveItem>),
    /// `[DETACH] DELETE exprs`
    Delete {
        /// Also delete relationships.
        detach: bool,
        /// What to delete.
        exprs: Vec<Expr>,
    },
    /// `CALL proc(args) [YIELD ...]`
    Call {
        /// Procedure name, e.g. `db.labels`.
        name: String,
        /// Arguments.
        args: Vec<Expr>,
        /// Written without parentheses (`CALL db.labels`): the arguments
        /// are then the parameters named like the procedure's inputs.
        implicit_args: bool,
        /// Yielded columns with aliases; `None` for all.
        yields: Option<Vec<(String, String)>>,
        /// `YIELD *` was written.
        yield_star: bool,
        /// Filter after YIELD.
        filter: Option<Expr>,
        /// Where the call is written.
        span: Span,
    },
}

/// A `SET` item.
#[derive(Clone, Debug, PartialEq)]
pub enum SetItem {
    /// `n.a.b = expr` (a property path of length one in practice).
    Property {
        /// The variable.
        var: String,
        /// The property key.
        key: String,
        /// The value.
        value: Expr,
    },
    /// `n = {map}`: replace all properties.
    Replace {
        /// The variable.
        var: String,
        /// The map.
        value: Expr,
    },
    /// `n += {map}`: merge properties.
    Merge {
        /// The variable.
        var: String,
        /// The map.
        value: Expr,
    },
    /// `n:Label:Other`
    Labels {
        /// The variable.
        var: String,
        /// Labels to add.
        labels: Vec<String>,
    },
}

/// A `REMOVE` item.
#[derive(Clone, Debug, PartialEq)]
pub enum RemoveItem {
    /// `n:Label`
    Labels {
        /// The variable.
        var: String,
        /// Labels to remove.
        labels: Vec<String>,
    },
    /// `n.key`
    Property {
        /// The variable.
        var: String,
        /// The key.
        key: String,
    },
}

/// `RETURN`/`WITH` body.
#[derive(Clone, Debug, PartialEq)]
pub struct Projection {
    /// `DISTINCT`.
    pub distinct: bool,
    /// `*`: carry every variable in scope.
    pub star: bool,
    /// The items with their column names.
    pub items: Vec<ProjItem>,
    /// `ORDER BY`.
    pub order: Vec<SortItem>,
    /// `SKIP`.
    pub skip: Option<Expr>,
    /// `LIMIT`.
    pub limit: Option<Expr>,
}

/// One projected column.
#[derive(Clone, Debug, PartialEq)]
pub struct ProjItem {
    /// The expression.
    pub expr: Expr,
    /// The column name: the alias, or the expression's text.
    pub name: String,
    /// Whether an alias was given.
    pub aliased: bool,
}

/// One `ORDER BY` key.
#[derive(Clone, Debug, PartialEq)]
pub struct SortItem {
    /// The key.
    pub expr: Expr,
    /// Descending order.
    pub descending: bool,
}

/// A pattern part: `[p =] chain` or `[p =] shortestPath(chain)`.
#[derive(Clone, Debug, PartialEq)]
pub struct PatternPart {
    /// Path variable.
    pub path_var: Option<String>,
    /// `shortestPath` / `allShortestPaths`.
    pub shortest: Option<Shortest>,
    /// The first node.
    pub start: NodePattern,
    /// Each relationship with the node after it.
    pub steps: Vec<(RelPattern, NodePattern)>,
    /// Where it is written.
    pub span: Span,
}

/// Which shortest-path function wraps a pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shortest {
    /// One shortest path.
    One,
    /// Every shortest path.
    All,
}

/// `(var:Label {props})`
#[derive(Clone, Debug, PartialEq, Default)]
pub struct NodePattern {
    /// The variable.
    pub var: Option<String>,
    /// Required labels.
    pub labels: Vec<String>,
    /// Required property values (a map literal or a parameter).
    pub props: Option<Expr>,
    /// Where it is written.
    pub span: Span,
}

/// The direction of a relationship pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dir {
    /// `-->`
    Out,
    /// `<--`
    In,
    /// `--` (either)
    Both,
}

/// `-[var:TYPE|OTHER*lo..hi {props}]->`
#[derive(Clone, Debug, PartialEq)]
pub struct RelPattern {
    /// The variable.
    pub var: Option<String>,
    /// Allowed types; empty means any.
    pub types: Vec<String>,
    /// Direction.
    pub dir: Dir,
    /// `Some((lo, hi))` for a variable-length pattern.
    pub length: Option<(u32, Option<u32>)>,
    /// Required property values.
    pub props: Option<Expr>,
    /// Where it is written.
    pub span: Span,
}

/// The quantifier of a list predicate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quantifier {
    /// Every item satisfies the condition.
    All,
    /// At least one does.
    Any,
    /// None does.
    None,
    /// Exactly one does.
    Single,
}

/// Binary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    /// `OR`
    Or,
    /// `XOR`
    Xor,
    /// `AND`
    And,
    /// `=`
    Eq,
    /// `<>`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `=~`
    Regex,
    /// `STARTS WITH`
    StartsWith,
    /// `ENDS WITH`
    EndsWith,
    /// `CONTAINS`
    Contains,
    /// `IN`
    In,
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `%`
    Mod,
    /// `^`
    Pow,
}

/// An expression.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// A literal value.
    Literal(Value),
    /// `$name`
    Param(String),
    /// A variable.
    Var(String, Span),
    /// `expr.key`
    Property(Box<Expr>, String),
    /// `list[i]` / `map[key]`
    Index(Box<Expr>, Box<Expr>),
    /// `list[a..b]`
    Slice(Box<Expr>, Option<Box<Expr>>, Option<Box<Expr>>),
    /// `[a, b]`
    List(Vec<Expr>),
    /// `{k: v}`
    Map(Vec<(String, Expr)>),
    /// `NOT e`
    Not(Box<Expr>),
    /// `-e`
    Neg(Box<Expr>),
    /// `a op b`
    Binary(BinOp, Box<Expr>, Box<Expr>),
    /// `e IS NULL` (`negated`: `IS NOT NULL`)
    IsNull(Box<Expr>, bool),
    /// `n:A:B`
    HasLabels(Box<Expr>, Vec<String>),
    /// A function call.
    Call {
        /// Lower-cased function name.
        name: String,
        /// `DISTINCT` inside an aggregate.
        distinct: bool,
        /// Arguments.
        args: Vec<Expr>,
        /// Where it is written.
        span: Span,
    },
    /// `count(*)`
    CountStar,
    /// `CASE [subject] WHEN .. THEN .. [ELSE ..] END`
    Case {
        /// The simple form's subject.
        subject: Option<Box<Expr>>,
        /// Conditions (or values) with results.
        whens: Vec<(Expr, Expr)>,
        /// The fallback.
        otherwise: Option<Box<Expr>>,
    },
    /// `[x IN list WHERE cond | expr]`
    ListComprehension {
        /// The variable.
        var: String,
        /// The list.
        list: Box<Expr>,
        /// The filter.
        filter: Option<Box<Expr>>,
        /// The mapping.
        map: Option<Box<Expr>>,
    },
    /// `all(x IN list WHERE cond)`, and `any`, `none`, `single`.
    ListPredicate {
        /// Which quantifier.
        kind: Quantifier,
        /// The variable.
        var: String,
        /// The list.
        list: Box<Expr>,
        /// The condition.
        filter: Box<Expr>,
    },
    /// `[p = (a)-->(b) WHERE cond | expr]`
    PatternComprehension {
        /// The pattern.
        part: Box<PatternPart>,
        /// The filter.
        filter: Option<Box<Expr>>,
        /// The mapping.
        map: Box<Expr>,
    },
    /// `EXISTS { pattern [WHERE cond] }`, or a bare pattern used as a predicate.
    Exists {
        /// The pattern parts.
        pattern: Vec<PatternPart>,
        /// The filter.
        filter: Option<Box<Expr>>,
        /// Written as a bare pattern (`WHERE (a)-->(b)`), not `EXISTS { ... }`.
        bare: bool,
    },
    /// `EXISTS { MATCH ... [WITH ...] [RETURN ...] }`: whether the subquery,
    /// run for the current row, produces any row.
    ExistsSubquery(Vec<Clause>),
    /// A reference to the `i`-th aggregate of a projection (made by the planner).
    Aggregate(usize),
    /// `n {.name, .*, key: expr, var}`
    MapProjection {
        /// The node, relationship or map projected.
        target: Box<Expr>,
        /// The entries, in order.
        items: Vec<MapProjItem>,
    },
}

/// One entry of a map projection.
#[derive(Clone, Debug, PartialEq)]
pub enum MapProjItem {
    /// `.*`: every property.
    All,
    /// `.key`: one property.
    Property(String),
    /// `key: expr`
    Entry(String, Expr),
    /// `var`: the variable under its own name.
    Var(String, Span),
}

impl BinOp {
    /// The operator as written in a query, for messages.
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Or => "OR",
            BinOp::Xor => "XOR",
            BinOp::And => "AND",
            BinOp::Eq => "=",
            BinOp::Ne => "<>",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::Regex => "=~",
            BinOp::StartsWith => "STARTS WITH",
            BinOp::EndsWith => "ENDS WITH",
            BinOp::Contains => "CONTAINS",
            BinOp::In => "IN",
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Mod => "%",
            BinOp::Pow => "^",
        }
    }
}

impl Expr {
    /// Whether two expressions are the same apart from where they are
    /// written: `ORDER BY n.name` names the projected `n.name` even though
    /// the two have different spans.
    pub fn same_as(&self, other: &Expr) -> bool {
        fn unplaced(e: &Expr) -> String {
            let text = format!("{e:?}");
            let mut out = String::with_capacity(text.len());
            let mut rest = text.as_str();
            while let Some(i) = rest.find("Span {") {
                out.push_str(&rest[..i]);
                rest = &rest[i..];
                let end = rest.find('}').map_or(rest.len(), |j| j + 1);
                rest = &rest[end..];
            }
            out.push_str(rest);
            out
        }
        self == other || unplaced(self) == unplaced(other)
    }
}

/// What [`Expr::walk`] does with an expression its callback has seen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Walk<B = ()> {
    /// Go on into the expressions inside it.
    Into,
    /// Pass over what is inside it, and go on with the rest.
    Skip,
    /// End the whole walk with this value.
    Stop(B),
}

impl Expr {
    /// Calls `f` on each expression directly inside this one that is read in
    /// the same scope, in the order written (but a `CASE`'s subject and
    /// fallback before its branches), until `f` breaks.
    ///
    /// Left out is what has a scope of its own: a list comprehension's or
    /// quantifier's filter and mapping (they read the item variable; the list
    /// itself is included), a pattern comprehension, `EXISTS` and its
    /// subquery. So are a map projection's `var` items, which are names
    /// rather than expressions; its target and `key: expr` entries are included.
    pub fn try_for_each_child<'e, B>(
        &'e self,
        mut f: impl FnMut(&'e Expr) -> ControlFlow<B>,
    ) -> ControlFlow<B> {
        match self {
            Expr::Literal(_)
            | Expr::Param(_)
            | Expr::Var(..)
            | Expr::CountStar
            | Expr::Aggregate(_)
            | Expr::PatternComprehension { .. }
            | Expr::Exists { .. }
            | Expr::ExistsSubquery(_) => ControlFlow::Continue(()),
            Expr::Property(a, _)
            | Expr::Not(a)
            | Expr::Neg(a)
            | Expr::IsNull(a, _)
            | Expr::HasLabels(a, _)
            | Expr::ListComprehension { list: a, .. }
            | Expr::ListPredicate { list: a, .. } => f(a),
            Expr::Index(a, b) | Expr::Binary(_, a, b) => {
                f(a)?;
                f(b)
            }
            Expr::Slice(a, lo, hi) => {
                f(a)?;
                [lo, hi].into_iter().flatten().try_for_each(|x| f(x))
            }
            Expr::List(items) | Expr::Call { args: items, .. } => items.iter().try_for_each(f),
            Expr::Map(entries) => entries.iter().try_for_each(|(_, x)| f(x)),
            Expr::Case {
                subject,
                whens,
                otherwise,
            } => {
                for x in subject.iter().chain(otherwise) {
                    f(x)?;
                }
                whens.iter().try_for_each(|(a, b)| {
                    f(a)?;
                    f(b)
                })
            }
            Expr::MapProjection { target, items } => {
                f(target)?;
                items.iter().try_for_each(|it| match it {
                    MapProjItem::Entry(_, x) => f(x),
                    MapProjItem::All | MapProjItem::Property(_) | MapProjItem::Var(..) => {
                        ControlFlow::Continue(())
                    }
                })
            }
        }
    }

    /// Walks this expression and those inside it in the same scope (as
    /// [`Expr::try_for_each_child`] finds them), depth first, each before
    /// what is inside it. For each, `f` says whether to go into it, pass over
    /// it, or stop the walk with a value, which the walk then returns.
    pub fn walk<'e, B>(&'e self, f: &mut impl FnMut(&'e Expr) -> Walk<B>) -> ControlFlow<B> {
        match f(self) {
            Walk::Into => self.try_for_each_child(|x| x.walk(f)),
            Walk::Skip => ControlFlow::Continue(()),
            Walk::Stop(b) => ControlFlow::Break(b),
        }
    }

    /// [`Expr::walk`] for a walk that never stops early: `f` says for each
    /// expression whether to go into it.
    pub fn visit<'e>(&'e self, f: &mut impl FnMut(&'e Expr) -> bool) {
        let _ = self.walk(&mut |x| if f(x) { Walk::<()>::Into } else { Walk::Skip });
    }
}
