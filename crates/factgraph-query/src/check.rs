//! Semantic checks before execution: every variable defined, every function
//! and procedure known, aggregates where they belong, labels and types known
//! to the schema, and clauses in an order that makes a query.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use factgraph_model::{closest, Schema};

use super::ast::{
    Clause, Dir, Expr, MapProjItem, NodePattern, PatternPart, Projection, Query, RelPattern,
    RemoveItem, SetItem, Span, Walk,
};
use super::error::{QResult, QueryError};
use super::eval::{function_name, AGGREGATES, FUNCTIONS};
use super::pattern::pattern_vars;
use super::procedures::TableProcedure;
use super::project::{expand_items, has_aggregate};
use super::Params;

/// Checks a whole query against `schema`; `text` is used to locate errors.
pub fn check(
    query: &Query,
    schema: &Schema,
    text: &str,
    params: &Params,
    procedures: &[TableProcedure],
) -> QResult<()> {
    let Query::Regular { parts, all } = query else {
        return Ok(());
    };
    if all.contains(&true) && all.contains(&false) {
        return Err(QueryError::semantic(
            "Semantic.MixedUnion",
            "UNION and UNION ALL cannot be mixed in one query",
        ));
    }
    let mut columns: Option<Vec<String>> = None;
    for clauses in parts {
        let cols = Checker {
            schema,
            text,
            params,
            procedures,
            kinds: RefCell::new(HashMap::new()),
            boolean_context: Cell::new(false),
        }
        .single(clauses)?;
        if let Some(prev) = &columns {
            if prev != &cols {
                return Err(QueryError::semantic(
                    "Semantic.UnionColumns",
                    format!(
                        "all parts of a UNION must return the same columns: ({}) vs ({})",
                        prev.join(", "),
                        cols.join(", ")
                    ),
                ));
            }
        }
        columns = Some(cols);
    }
    Ok(())
}

/// What an expression or variable is statically known to hold, for
/// catching `MATCH ()-[r]-() MATCH (r)`, `RETURN 1 AND true` or
/// `WITH 123 AS x RETURN x.name` before running anything. Every type
/// includes null; `Any` is unknown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
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

struct Checker<'a> {
    schema: &'a Schema,
    text: &'a str,
    params: &'a Params,
    procedures: &'a [TableProcedure],
    /// Kinds of the variables in scope, where known.
    kinds: RefCell<HashMap<String, Kind>>,
    /// Whether the expression being checked stands where a boolean is
    /// expected (a WHERE condition, an operand of AND, a CASE WHEN...):
    /// only there may a bare pattern such as `(a)-->(b)` be written.
    boolean_context: Cell<bool>,
}

impl Checker<'_> {
    fn single(&self, clauses: &[Clause]) -> QResult<Vec<String>> {
        self.clauses(clauses, Vec::new(), false)
    }

    /// Checks a single query's clauses, starting from `scope`; a
    /// `subquery` (of `EXISTS { ... }`) may only read and need not RETURN.
    fn clauses(
        &self,
        clauses: &[Clause],
        mut scope: Vec<String>,
        subquery: bool,
    ) -> QResult<Vec<String>> {
        let mut columns = Vec::new();
        for (i, c) in clauses.iter().enumerate() {
            let last = i + 1 == clauses.len();
            if subquery && (is_update(c) || matches!(c, Clause::Call { .. })) {
                return Err(QueryError::semantic(
                    "Semantic.InvalidClauseComposition",
                    "an EXISTS subquery can only read: MATCH, UNWIND, WITH and RETURN",
                ));
            }
            if matches!(c, Clause::Return(_)) && !last {
                return Err(QueryError::semantic(
                    "Semantic.ReturnNotLast",
                    "RETURN must be the last clause; use WITH to go on",
                ));
            }
            match c {
                Clause::Match {
                    pattern, filter, ..
                } => {
                    no_parameter_maps(pattern, "MATCH")?;
                    self.patterns(pattern, &mut scope, false)?;
                    if let Some(f) = filter {
                        self.predicate(f, &scope)?;
                    }
                }
                Clause::Unwind { expr, var } => {
                    self.expr(expr, &scope, false)?;
                    if scope.contains(var) {
                        return Err(QueryError::semantic(
                            "Semantic.VariableAlreadyBound",
                            format!("variable `{var}` is already bound; UNWIND needs a new name"),
                        ));
                    }
                    scope.push(var.clone());
                }
                Clause::With { projection, filter } => {
                    for it in &projection.items {
                        if !it.aliased && !matches!(it.expr, Expr::Var(..)) {
                            return Err(QueryError::semantic(
                                "Semantic.WithNeedsAlias",
                                format!(
                                    "expression `{}` in WITH must be aliased (use AS)",
                                    it.name
                                ),
                            ));
                        }
                    }
                    let carried = self.carried_kinds(projection, &scope);
                    let before = scope.clone();
                    scope = self.projection_of(projection, &scope, false)?;
                    *self.kinds.borrow_mut() = carried;
                    if let Some(f) = filter {
                        // Without aggregation, WHERE also sees the variables
                        // from before the WITH (openCypher's WITH ... WHERE).
                        let mut visible = scope.clone();
                        if !expand_items(projection, &before)
                            .iter()
                            .any(|i| has_aggregate(&i.expr))
                        {
                            visible.extend(before);
                        }
                        self.predicate(f, &visible)?;
                    }
                }
                Clause::Return(projection) => {
                    columns = self.projection(projection, &scope)?;
                }
                Clause::Create(pattern) => self.patterns(pattern, &mut scope, true)?,
                Clause::Merge {
                    part,
                    on_create,
                    on_match,
                } => {
                    no_parameter_maps(std::slice::from_ref(part), "MERGE")?;
                    // MERGE may leave the direction open: it then matches either
                    // way and creates the relationship left to right.
                    let mut directed = part.clone();
                    for (r, _) in &mut directed.steps {
                        if r.dir == Dir::Both {
                            r.dir = Dir::Out;
                        }
                    }
                    self.patterns(std::slice::from_ref(&directed), &mut scope, true)?;
                    for item in on_create.iter().chain(on_match) {
                        self.set_item(item, &scope)?;
                    }
                }
                Clause::Set(items) => {
                    for item in items {
                        self.set_item(item, &scope)?;
                    }
                }
                Clause::Remove(items) => {
                    for item in items {
                        let var = match item {
                            RemoveItem::Labels { var, .. } | RemoveItem::Property { var, .. } => {
                                var
                            }
                        };
                        self.var(var, &scope, Span::default())?;
                    }
                }
                Clause::Delete { exprs, .. } => {
                    for e in exprs {
                        self.expr(e, &scope, false)?;
                        self.expect_kind(
                            e,
                            &[Kind::Node, Kind::Relationship, Kind::Path, Kind::List],
                            "DELETE",
                        )?;
                    }
                }
                Clause::Call {
                    name,
                    args,
                    implicit_args,
                    yields,
                    yield_star,
                    filter,
                    span,
                } => {
                    let proc = super::procedures::lookup(name, self.procedures)
                        .map_err(|e| e.at(self.text, *span))?;
                    let cols = proc.columns();
                    let inputs = proc.inputs();
                    let standalone = clauses.len() == 1;
                    for a in args {
                        self.expr(a, &scope, false)?;
                    }
                    if *implicit_args {
                        if !standalone && !inputs.is_empty() {
                            return Err(QueryError::semantic(
                                "Semantic.InvalidArgumentPassingMode",
                                format!("{name} takes arguments; inside a query they must be given in parentheses"),
                            )
                            .at(self.text, *span));
                        }
                        if let Some((missing, _)) =
                            inputs.iter().find(|(n, _)| !self.params.contains_key(n))
                        {
                            return Err(QueryError::semantic(
                                "Semantic.MissingParameter",
                                format!("{name} takes its argument `{missing}` from parameter ${missing}, which is not set"),
                            ));
                        }
                    } else if args.len() != inputs.len() {
                        return Err(QueryError::semantic(
                            "Semantic.WrongArgumentCount",
                            format!(
                                "{name}() takes {} argument(s), got {}",
                                inputs.len(),
                                args.len()
                            ),
                        )
                        .at(self.text, *span));
                    }
                    for (a, (input, ty)) in args.iter().zip(&inputs) {
                        if let Expr::Literal(v) = a {
                            let v = super::value::Val::from(v);
                            if !super::procedures::TableProcedure::accepts(ty, &v) {
                                return Err(QueryError::semantic(
                                    "Semantic.InvalidArgumentType",
                                    format!(
                                        "{name}() expects {ty} for `{input}`, got {}",
                                        v.type_name()
                                    ),
                                )
                                .at(self.text, *span));
                            }
                        }
                    }
                    if !standalone && *yield_star {
                        return Err(QueryError::semantic(
                            "Semantic.YieldStar",
                            "YIELD * is only allowed in a standalone CALL",
                        )
                        .at(self.text, *span));
                    }
                    if !standalone && yields.is_none() && !cols.is_empty() {
                        return Err(QueryError::semantic(
                            "Semantic.MissingYield",
                            format!(
                                "{name}() inside a query must say which columns it yields (YIELD {})",
                                cols.join(", ")
                            ),
                        )
                        .at(self.text, *span));
                    }
                    let mut yielded: Vec<&String> = Vec::new();
                    for (_, alias) in yields.iter().flatten() {
                        if scope.contains(alias) || yielded.contains(&alias) {
                            return Err(QueryError::semantic(
                                "Semantic.VariableAlreadyBound",
                                format!("variable `{alias}` is already bound"),
                            )
                            .at(self.text, *span));
                        }
                        yielded.push(alias);
                    }
                    for (field, _) in yields.iter().flatten() {
                        if !cols.contains(field) {
                            return Err(QueryError::semantic(
                                "Semantic.UnknownYield",
                                format!(
                                    "{name}() yields no column `{field}` (it yields {})",
                                    cols.join(", ")
                                ),
                            )
                            .at(self.text, *span));
                        }
                    }
                    match yields {
                        Some(list) => scope.extend(list.iter().map(|(_, alias)| alias.clone())),
                        None => scope.extend(cols.iter().cloned()),
                    }
                    if clauses.len() == 1 {
                        columns = match yields {
                            Some(list) => list.iter().map(|(_, a)| a.clone()).collect(),
                            None => cols,
                        };
                    }
                    if let Some(f) = filter {
                        self.predicate(f, &scope)?;
                    }
                }
            }
        }
        let ends_well = match clauses.last() {
            _ if subquery => true,
            Some(Clause::Return(_)) | None => true,
            Some(Clause::Call { .. }) => clauses.len() == 1 || clauses.iter().any(is_update),
            Some(c) => is_update(c),
        };
        if !ends_well {
            return Err(QueryError::semantic(
                "Semantic.MissingReturn",
                "a query must end with RETURN (or with CREATE, MERGE, SET, REMOVE or DELETE)",
            ));
        }
        Ok(columns)
    }

    fn projection(&self, p: &Projection, scope: &[String]) -> QResult<Vec<String>> {
        self.projection_of(p, scope, true)
    }

    /// `returning`: RETURN (where `*` needs something to return), else WITH.
    fn projection_of(
        &self,
        p: &Projection,
        scope: &[String],
        returning: bool,
    ) -> QResult<Vec<String>> {
        if returning && p.star && scope.is_empty() && p.items.is_empty() {
            return Err(QueryError::semantic(
                "Semantic.NoVariables",
                "RETURN * needs at least one variable in scope",
            ));
        }
        let items = expand_items(p, scope);
        for it in &items {
            self.expr(&it.expr, scope, true)?;
        }
        let new_scope: Vec<String> = items.iter().map(|i| i.name.clone()).collect();
        for (i, it) in items.iter().enumerate() {
            if items[..i].iter().any(|o| o.name == it.name) {
                return Err(QueryError::semantic(
                    "Semantic.DuplicateColumn",
                    format!(
                        "multiple result columns are named `{}`; use AS to rename one",
                        it.name
                    ),
                ));
            }
        }
        let aggregating = items.iter().any(|i| has_aggregate(&i.expr));
        // Beside an aggregate, an expression may read a grouping key only
        // when the key is a variable or a property of one: `n.a + count(*)`
        // with `n.a` projected, not `a.x + b.x + count(*)` with `a.x + b.x`
        // projected (openCypher's ambiguous aggregation expression).
        let simple_keys: Vec<&Expr> = items
            .iter()
            .map(|i| &i.expr)
            .filter(|e| !has_aggregate(e) && is_simple_key(e))
            .collect();
        if aggregating {
            let keys = simple_keys.clone();
            for it in items.iter().filter(|i| has_aggregate(&i.expr)) {
                if let Some(v) = ungrouped_variable(&it.expr, &keys) {
                    return Err(QueryError::semantic(
                        "Semantic.ImplicitGrouping",
                        format!(
                            "`{}` uses `{v}` beside an aggregate, but `{v}` is not a grouping key; return it as a column of its own (or aggregate it)",
                            it.name
                        ),
                    ));
                }
            }
        }
        let mut order_scope = new_scope.clone();
        if !aggregating && !p.distinct {
            order_scope.extend(scope.iter().cloned());
        }
        // ORDER BY sees the projected columns with their own kinds.
        let outer_kinds = self.kinds.borrow().clone();
        let projected_kinds: Vec<(String, Kind)> = items
            .iter()
            .map(|it| (it.name.clone(), self.kind_of(&it.expr)))
            .collect();
        self.kinds.borrow_mut().extend(projected_kinds);
        let result = self.order_by(
            p,
            scope,
            &items,
            &new_scope,
            &order_scope,
            aggregating,
            &simple_keys,
        );
        *self.kinds.borrow_mut() = outer_kinds;
        result?;
        self.skip_limit(p)?;
        Ok(new_scope)
    }

    #[allow(clippy::too_many_arguments)]
    fn order_by(
        &self,
        p: &Projection,
        scope: &[String],
        items: &[super::ast::ProjItem],
        new_scope: &[String],
        order_scope: &[String],
        aggregating: bool,
        simple_keys: &[&Expr],
    ) -> QResult<()> {
        let aliases: Vec<Expr> = new_scope
            .iter()
            .map(|n| Expr::Var(n.clone(), Span::default()))
            .collect();
        let visible_keys: Vec<&Expr> = simple_keys.iter().copied().chain(aliases.iter()).collect();
        let mut everything = new_scope.to_vec();
        everything.extend(scope.iter().cloned());
        for s in &p.order {
            if !aggregating && has_aggregate(&s.expr) {
                return Err(QueryError::semantic(
                    "Semantic.MisplacedAggregate",
                    "ORDER BY can use an aggregate only when the projection aggregates too",
                ));
            }
            if aggregating && has_aggregate(&s.expr) {
                // `ORDER BY age + count(you.age)`: an aggregate must be one
                // the projection computes; the rest must be grouping keys.
                self.expr(&s.expr, &everything, true)?;
                let mut projected_aggs = Vec::new();
                for it in items {
                    aggregate_calls(&it.expr, &mut projected_aggs);
                }
                let mut used = Vec::new();
                aggregate_calls(&s.expr, &mut used);
                if let Some(a) = used
                    .iter()
                    .find(|a| !projected_aggs.iter().any(|p| p.same_as(a)))
                {
                    let mut vars = Vec::new();
                    super::pattern::vars_of(a, &mut vars);
                    let var = vars.into_iter().find(|v| !new_scope.contains(v));
                    return Err(QueryError::semantic(
                        "Semantic.UnknownVariable",
                        format!(
                            "ORDER BY after aggregation can only use the aggregates it projects{}",
                            var.map(|v| format!("; `{v}` is not projected"))
                                .unwrap_or_default()
                        ),
                    ));
                }
                if let Some(v) = ungrouped_variable(&s.expr, &visible_keys) {
                    return Err(QueryError::semantic(
                        "Semantic.ImplicitGrouping",
                        format!(
                            "ORDER BY uses `{v}` beside an aggregate, but `{v}` is not a grouping key"
                        ),
                    ));
                }
            } else if aggregating || p.distinct {
                // After grouping, only projected columns, the projected
                // expressions themselves, and expressions over grouping keys
                // (`ORDER BY a.name + 'x'` with `a.name` projected) are visible.
                let projected = items.iter().any(|i| i.expr.same_as(&s.expr));
                if !projected {
                    self.expr(&s.expr, &everything, true)?;
                    if let Some(v) = ungrouped_variable(&s.expr, &visible_keys) {
                        self.var(&v, order_scope, Span::default())?;
                    }
                }
            } else {
                self.expr(&s.expr, order_scope, true)?;
            }
        }
        Ok(())
    }

    fn skip_limit(&self, p: &Projection) -> QResult<()> {
        for (e, what) in p
            .skip
            .iter()
            .map(|e| (e, "SKIP"))
            .chain(p.limit.iter().map(|e| (e, "LIMIT")))
        {
            self.expr(e, &[], false).map_err(|_| {
                QueryError::semantic(
                    "Semantic.NonConstantLimit",
                    "SKIP and LIMIT must be constants or parameters",
                )
            })?;
            // A literal is checked now; a parameter when the query runs.
            let bad = match e {
                Expr::Literal(factgraph_model::Value::Int(i)) => (*i < 0).then(|| i.to_string()),
                Expr::Literal(v) => Some(v.to_string()),
                _ => None,
            };
            if let Some(v) = bad {
                return Err(QueryError::semantic(
                    "Semantic.InvalidSkipLimit",
                    format!("{what} must be a non-negative integer, got {v}"),
                ));
            }
        }
        Ok(())
    }

    fn set_item(&self, item: &SetItem, scope: &[String]) -> QResult<()> {
        match item {
            SetItem::Property { var, value, .. }
            | SetItem::Replace { var, value }
            | SetItem::Merge { var, value } => {
                self.var(var, scope, Span::default())?;
                self.expr(value, scope, false)
            }
            SetItem::Labels { var, labels } => {
                self.var(var, scope, Span::default())?;
                for l in labels {
                    self.label(l, Span::default())?;
                }
                Ok(())
            }
        }
    }

    fn var(&self, name: &str, scope: &[String], span: Span) -> QResult<()> {
        if scope.iter().any(|s| s == name) {
            return Ok(());
        }
        let suggestion = closest(name, scope.iter().map(String::as_str))
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
        let err = QueryError::semantic(
            "Semantic.UnknownVariable",
            format!("variable `{name}` is not defined{suggestion}"),
        );
        Err(self.located(err, span))
    }

    /// Attaches the location of `span`, unless the span is unknown (the default).
    fn located(&self, err: QueryError, span: Span) -> QueryError {
        if span == Span::default() {
            err
        } else {
            err.at(self.text, span)
        }
    }

    fn label(&self, label: &str, span: Span) -> QResult<()> {
        if self.schema.open || self.schema.labels.contains_key(label) {
            return Ok(());
        }
        let suggestion = closest(label, self.schema.labels.keys().map(String::as_str))
            .map(|s| format!(" (did you mean :{s}?)"))
            .unwrap_or_default();
        Err(self.located(
            QueryError::semantic(
                "Semantic.UnknownLabel",
                format!("unknown label :{label}{suggestion}"),
            ),
            span,
        ))
    }

    fn rel_type(&self, t: &str, span: Span) -> QResult<()> {
        if self.schema.open || self.schema.rel_types.contains_key(t) {
            return Ok(());
        }
        let suggestion = closest(t, self.schema.rel_types.keys().map(String::as_str))
            .map(|s| format!(" (did you mean :{s}?)"))
            .unwrap_or_default();
        Err(self.located(
            QueryError::semantic(
                "Semantic.UnknownRelType",
                format!("unknown relationship type :{t}{suggestion}"),
            ),
            span,
        ))
    }

    fn patterns(
        &self,
        parts: &[PatternPart],
        scope: &mut Vec<String>,
        creating: bool,
    ) -> QResult<()> {
        let before = scope.clone();
        let mut created: Vec<String> = Vec::new();
        self.pattern_kinds(parts)?;
        for v in pattern_vars(parts) {
            if !scope.contains(&v) {
                scope.push(v);
            }
        }
        for part in parts {
            if let (true, true, Some(v)) = (creating, part.steps.is_empty(), &part.start.var) {
                if before.contains(v) {
                    return Err(QueryError::semantic(
                        "Semantic.VariableAlreadyBound",
                        format!("variable `{v}` is already bound; there is nothing to create"),
                    )
                    .at(self.text, part.start.span));
                }
            }
            let nodes = std::iter::once(&part.start).chain(part.steps.iter().map(|(_, n)| n));
            for n in nodes {
                // A node created earlier in this same clause is bound too.
                let bound: Vec<String> = if creating {
                    before.iter().chain(created.iter()).cloned().collect()
                } else {
                    before.clone()
                };
                self.node(n, scope, &bound, creating)?;
                if let Some(v) = &n.var {
                    created.push(v.clone());
                }
            }
            for (r, _) in &part.steps {
                self.rel(r, scope, &before, creating)?;
            }
        }
        Ok(())
    }

    /// Records what each pattern variable holds; a variable cannot be a node
    /// in one place and a relationship or path in another, and one pattern
    /// cannot name the same relationship twice (it would never match).
    fn pattern_kinds(&self, parts: &[PatternPart]) -> QResult<()> {
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
    fn carried_kinds(&self, p: &Projection, scope: &[String]) -> HashMap<String, Kind> {
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
    fn kind_of(&self, e: &Expr) -> Kind {
        use super::ast::BinOp::*;
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
    fn element_kind(&self, list: &Expr) -> Kind {
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
    fn expect_kind(&self, e: &Expr, allowed: &[Kind], what: &str) -> QResult<()> {
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

    fn node(
        &self,
        n: &NodePattern,
        scope: &[String],
        before: &[String],
        creating: bool,
    ) -> QResult<()> {
        for l in &n.labels {
            self.label(l, n.span)?;
        }
        if creating {
            if let Some(v) = &n.var {
                if before.contains(v) && (!n.labels.is_empty() || n.props.is_some()) {
                    return Err(QueryError::semantic(
                        "Semantic.VariableAlreadyBound",
                        format!("variable `{v}` is already bound; it cannot be given labels or properties here"),
                    )
                    .at(self.text, n.span));
                }
            }
        }
        if let Some(p) = &n.props {
            self.expr(p, scope, false)?;
        }
        Ok(())
    }

    fn rel(
        &self,
        r: &RelPattern,
        scope: &[String],
        before: &[String],
        creating: bool,
    ) -> QResult<()> {
        for t in &r.types {
            self.rel_type(t, r.span)?;
        }
        if creating {
            if r.types.len() != 1 {
                return Err(QueryError::semantic(
                    "Semantic.CreateNeedsOneType",
                    "a relationship to create needs exactly one type, e.g. -[:KNOWS]->",
                )
                .at(self.text, r.span));
            }
            if r.dir == Dir::Both {
                return Err(QueryError::semantic(
                    "Semantic.CreateNeedsDirection",
                    "a relationship to create needs a direction: -[:T]-> or <-[:T]-",
                )
                .at(self.text, r.span));
            }
            if r.length.is_some() {
                return Err(QueryError::semantic(
                    "Semantic.CreateVarLength",
                    "a variable-length relationship cannot be created",
                )
                .at(self.text, r.span));
            }
            if let Some(v) = &r.var {
                if before.contains(v) {
                    return Err(QueryError::semantic(
                        "Semantic.VariableAlreadyBound",
                        format!("relationship variable `{v}` is already bound"),
                    )
                    .at(self.text, r.span));
                }
            }
        }
        if let Some(p) = &r.props {
            self.expr(p, scope, false)?;
        }
        Ok(())
    }

    fn expr(&self, e: &Expr, scope: &[String], aggregates_allowed: bool) -> QResult<()> {
        self.expr_names(e, scope, aggregates_allowed)?;
        self.expr_kinds(e)
    }

    /// Checks `e` where a predicate belongs (a WHERE clause): it must be a
    /// boolean, and it may be a bare pattern such as `(a)-->(b)`.
    fn predicate(&self, e: &Expr, scope: &[String]) -> QResult<()> {
        self.boolean_expr(e, scope, false)?;
        self.expect_kind(e, &[Kind::Bool], "WHERE")
    }

    /// Checks `e` standing where a boolean is expected (a bare pattern is allowed there).
    fn boolean_expr(&self, e: &Expr, scope: &[String], aggregates_allowed: bool) -> QResult<()> {
        self.boolean_context.set(true);
        self.expr(e, scope, aggregates_allowed)
    }

    /// Runs `f` with `var` of unknown kind (a comprehension's own variable
    /// shadows any outer one of the same name).
    fn shadowing<T>(&self, var: &str, list: &Expr, f: impl FnOnce() -> T) -> T {
        let item = self.element_kind(list);
        let old = self.kinds.borrow_mut().insert(var.to_string(), item);
        let result = f();
        let mut kinds = self.kinds.borrow_mut();
        match old {
            Some(k) => kinds.insert(var.to_string(), k),
            None => kinds.remove(var),
        };
        result
    }

    /// The static type rules of one expression node (its operands are
    /// checked by the recursion in [`Checker::expr`]).
    fn expr_kinds(&self, e: &Expr) -> QResult<()> {
        use super::ast::BinOp;
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

    fn expr_names(&self, e: &Expr, scope: &[String], aggregates_allowed: bool) -> QResult<()> {
        let boolean_context = self.boolean_context.replace(false);
        match e {
            Expr::Var(v, span) => self.var(v, scope, *span),
            Expr::Literal(_) | Expr::Param(_) | Expr::Aggregate(_) => Ok(()),
            Expr::CountStar => {
                if aggregates_allowed {
                    Ok(())
                } else {
                    Err(QueryError::semantic(
                        "Semantic.MisplacedAggregate",
                        "count(*) can only be used in RETURN or WITH",
                    ))
                }
            }
            Expr::Not(a) => self.boolean_expr(a, scope, aggregates_allowed),
            Expr::Binary(
                super::ast::BinOp::And | super::ast::BinOp::Or | super::ast::BinOp::Xor,
                a,
                b,
            ) => {
                self.boolean_expr(a, scope, aggregates_allowed)?;
                self.boolean_expr(b, scope, aggregates_allowed)
            }
            Expr::Property(a, _) | Expr::Neg(a) | Expr::IsNull(a, _) => {
                self.expr(a, scope, aggregates_allowed)
            }
            Expr::HasLabels(a, labels) => {
                for l in labels {
                    if self.label(l, Span::default()).is_err()
                        && self.rel_type(l, Span::default()).is_err()
                    {
                        self.label(l, Span::default())?;
                    }
                }
                self.expr(a, scope, aggregates_allowed)
            }
            Expr::Index(a, b) | Expr::Binary(_, a, b) => {
                self.expr(a, scope, aggregates_allowed)?;
                self.expr(b, scope, aggregates_allowed)
            }
            Expr::Slice(a, b, c) => {
                self.expr(a, scope, aggregates_allowed)?;
                for x in [b, c].into_iter().flatten() {
                    self.expr(x, scope, aggregates_allowed)?;
                }
                Ok(())
            }
            Expr::List(items) => items
                .iter()
                .try_for_each(|x| self.expr(x, scope, aggregates_allowed)),
            Expr::Map(entries) => entries
                .iter()
                .try_for_each(|(_, x)| self.expr(x, scope, aggregates_allowed)),
            Expr::Call {
                name, args, span, ..
            } => {
                let is_agg = AGGREGATES.contains(&name.as_str());
                let shown = function_name(name);
                if is_agg && !aggregates_allowed {
                    return Err(QueryError::semantic(
                        "Semantic.MisplacedAggregate",
                        format!("aggregate {shown}() can only be used in RETURN or WITH"),
                    )
                    .at(self.text, *span));
                }
                if is_agg && args.iter().any(calls_rand) {
                    return Err(QueryError::semantic(
                        "Semantic.NonConstantExpression",
                        format!("aggregate {shown}() cannot aggregate rand(), which differs on every call"),
                    )
                    .at(self.text, *span));
                }
                if is_agg && args.iter().any(has_aggregate) {
                    return Err(QueryError::semantic(
                        "Semantic.NestedAggregate",
                        format!("aggregate {shown}() cannot contain another aggregate"),
                    )
                    .at(self.text, *span));
                }
                if !is_agg && !FUNCTIONS.contains(&name.as_str()) {
                    // Name the function as it was written, not lower-cased.
                    let written = self
                        .text
                        .get(span.start..span.end)
                        .and_then(|t| t.split('(').next())
                        .map(str::trim)
                        .filter(|t| !t.is_empty())
                        .unwrap_or(name);
                    let suggestion = closest(name, FUNCTIONS.iter().chain(AGGREGATES).copied())
                        .map(|s| format!(" (did you mean {}()?)", function_name(&s)))
                        .unwrap_or_default();
                    return Err(QueryError::semantic(
                        "Semantic.UnknownFunction",
                        format!("unknown function {written}(){suggestion}"),
                    )
                    .at(self.text, *span));
                }
                args.iter()
                    .try_for_each(|x| self.expr(x, scope, aggregates_allowed && !is_agg))
            }
            Expr::Case {
                subject,
                whens,
                otherwise,
            } => {
                for x in subject.iter().chain(otherwise.iter()) {
                    self.expr(x, scope, aggregates_allowed)?;
                }
                for (a, b) in whens {
                    if subject.is_none() {
                        self.boolean_expr(a, scope, aggregates_allowed)?;
                    } else {
                        self.expr(a, scope, aggregates_allowed)?;
                    }
                    self.expr(b, scope, aggregates_allowed)?;
                }
                Ok(())
            }
            Expr::ListPredicate {
                var, list, filter, ..
            } => {
                self.expr(list, scope, aggregates_allowed)?;
                let mut inner = scope.to_vec();
                inner.push(var.clone());
                self.shadowing(var, list, || self.predicate(filter, &inner))
            }
            Expr::ListComprehension {
                var,
                list,
                filter,
                map,
            } => {
                self.expr(list, scope, aggregates_allowed)?;
                let mut inner = scope.to_vec();
                inner.push(var.clone());
                self.shadowing(var, list, || {
                    if let Some(f) = filter {
                        self.predicate(f, &inner)?;
                    }
                    map.iter().try_for_each(|x| self.expr(x, &inner, false))
                })
            }
            Expr::PatternComprehension { part, filter, map } => {
                let outer_kinds = self.kinds.borrow().clone();
                let mut inner = scope.to_vec();
                let result = self
                    .patterns(std::slice::from_ref(part.as_ref()), &mut inner, false)
                    .and_then(|()| {
                        if let Some(f) = filter {
                            self.predicate(f, &inner)?;
                        }
                        self.expr(map, &inner, false)
                    });
                *self.kinds.borrow_mut() = outer_kinds;
                result
            }
            Expr::MapProjection { target, items } => {
                self.expr(target, scope, aggregates_allowed)?;
                for it in items {
                    match it {
                        MapProjItem::Entry(_, e) => self.expr(e, scope, aggregates_allowed)?,
                        MapProjItem::Var(v, span) => self.var(v, scope, *span)?,
                        MapProjItem::All | MapProjItem::Property(_) => {}
                    }
                }
                Ok(())
            }
            Expr::ExistsSubquery(clauses) => {
                let outer_kinds = self.kinds.borrow().clone();
                let result = self.clauses(clauses, scope.to_vec(), true).map(|_| ());
                *self.kinds.borrow_mut() = outer_kinds;
                result
            }
            Expr::Exists {
                pattern,
                filter,
                bare,
            } => {
                if *bare {
                    if !boolean_context {
                        return Err(QueryError::semantic(
                            "Semantic.UnexpectedPattern",
                            "a pattern can only be used as a predicate in WHERE (use EXISTS { ... } or a pattern comprehension elsewhere)",
                        ));
                    }
                    // A bare pattern tests variables bound already; it cannot introduce any.
                    for v in pattern_vars(pattern) {
                        self.var(&v, scope, Span::default())?;
                    }
                }
                let outer_kinds = self.kinds.borrow().clone();
                let mut inner = scope.to_vec();
                let result = self.patterns(pattern, &mut inner, false).and_then(|()| {
                    if let Some(f) = filter {
                        self.predicate(f, &inner)?;
                    }
                    Ok(())
                });
                *self.kinds.borrow_mut() = outer_kinds;
                result
            }
        }
    }
}

/// A variable that `e` reads outside its aggregates without it being covered
/// by a grouping key (`RETURN n.a + count(*)` with no `n.a` column): its
/// value would be taken from an arbitrary row of the group.
fn ungrouped_variable(e: &Expr, keys: &[&Expr]) -> Option<String> {
    e.walk(&mut |x| {
        if keys.iter().any(|k| k.same_as(x)) {
            return Walk::Skip;
        }
        match x {
            Expr::Var(v, _) => Walk::Stop(v.clone()),
            Expr::Call { name, .. } if AGGREGATES.contains(&name.as_str()) => Walk::Skip,
            // A map projection reads its target through `.key` and `.*` items only.
            Expr::MapProjection { target, items } => items
                .iter()
                .find_map(|it| match it {
                    MapProjItem::Entry(_, x) => ungrouped_variable(x, keys),
                    MapProjItem::Var(v, span) => {
                        ungrouped_variable(&Expr::Var(v.clone(), *span), keys)
                    }
                    MapProjItem::All | MapProjItem::Property(_) => ungrouped_variable(target, keys),
                })
                .map_or(Walk::Skip, Walk::Stop),
            // Comprehensions and subqueries bind their own names; the walk
            // leaves them be, but for a comprehension's list.
            _ => Walk::Into,
        }
    })
    .break_value()
}

/// Whether `e` calls `rand()`, looking only through calls, property reads,
/// lists and the unary and binary operators.
fn calls_rand(e: &Expr) -> bool {
    e.walk(&mut |x| match x {
        Expr::Call { name, .. } if name == "rand" => Walk::Stop(()),
        Expr::Call { .. }
        | Expr::Property(..)
        | Expr::Not(_)
        | Expr::Neg(_)
        | Expr::IsNull(..)
        | Expr::Index(..)
        | Expr::Binary(..)
        | Expr::List(_) => Walk::Into,
        _ => Walk::Skip,
    })
    .is_break()
}

/// MATCH and MERGE take property maps written out, `(n {name: $name})`, not a
/// parameter standing for the whole map (`(n $props)` is for CREATE).
fn no_parameter_maps(parts: &[PatternPart], clause: &str) -> QResult<()> {
    for part in parts {
        let props = std::iter::once(&part.start.props)
            .chain(part.steps.iter().flat_map(|(r, n)| [&r.props, &n.props]));
        for p in props.flatten() {
            if let Expr::Param(name) = p {
                return Err(QueryError::semantic(
                    "Semantic.InvalidParameterUse",
                    format!(
                        "{clause} cannot take a whole property map from ${name}; write the properties out, as {{key: ${name}.key}}"
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// Whether a grouping key may be read beside an aggregate: a variable, or a property of one.
fn is_simple_key(e: &Expr) -> bool {
    match e {
        Expr::Var(..) => true,
        Expr::Property(a, _) => is_simple_key(a),
        _ => false,
    }
}

/// The aggregate calls in `e` (not looking inside subqueries).
fn aggregate_calls<'e>(e: &'e Expr, out: &mut Vec<&'e Expr>) {
    e.visit(&mut |x| match x {
        Expr::CountStar => {
            out.push(x);
            false
        }
        Expr::Call { name, .. } if AGGREGATES.contains(&name.as_str()) => {
            out.push(x);
            false
        }
        _ => true,
    });
}

fn allowed_text(allowed: &[Kind]) -> String {
    let names: Vec<&str> = allowed.iter().map(|k| k.describe()).collect();
    match names.as_slice() {
        [] => "nothing".into(),
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

fn is_update(c: &Clause) -> bool {
    matches!(
        c,
        Clause::Create(_)
            | Clause::Merge { .. }
            | Clause::Set(_)
            | Clause::Remove(_)
            | Clause::Delete { .. }
    )
}
