//! Semantic checks before execution: every variable defined, every function
//! and procedure known, aggregates where they belong, labels and types known
//! to the schema, and clauses in an order that makes a query.
//!
//! This module holds the entry point and the walk over clauses, with the
//! schema's names; [`scopes`] checks what patterns and expressions bind and
//! read, [`types`] the kinds of values, and [`projection`] the RETURN and WITH
//! projections and their grouping.

mod projection;
mod scopes;
mod types;

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use factgraph_model::{closest, Schema};

use super::ast::{Clause, Dir, Expr, PatternPart, Query, RemoveItem, SetItem, Span};
use super::error::{QResult, QueryError};
use super::procedures::TableProcedure;
use super::project::{expand_items, has_aggregate};
use super::Params;

use types::Kind;

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
