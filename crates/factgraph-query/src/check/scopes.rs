//! Names in scope: the variables patterns bind and expressions read,
//! inner scopes of comprehensions and subqueries, and where aggregates may
//! stand.

use factgraph_model::closest;

use crate::ast::{Dir, Expr, MapProjItem, NodePattern, PatternPart, RelPattern, Span, Walk};
use crate::error::{QResult, QueryError};
use crate::eval::{function_name, AGGREGATES, FUNCTIONS};
use crate::pattern::pattern_vars;
use crate::project::has_aggregate;

use super::types::Kind;
use super::Checker;

impl Checker<'_> {
    pub(super) fn patterns(
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

    pub(super) fn expr(&self, e: &Expr, scope: &[String], aggregates_allowed: bool) -> QResult<()> {
        self.expr_names(e, scope, aggregates_allowed)?;
        self.expr_kinds(e)
    }

    /// Checks `e` where a predicate belongs (a WHERE clause): it must be a
    /// boolean, and it may be a bare pattern such as `(a)-->(b)`.
    pub(super) fn predicate(&self, e: &Expr, scope: &[String]) -> QResult<()> {
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
                crate::ast::BinOp::And | crate::ast::BinOp::Or | crate::ast::BinOp::Xor,
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
