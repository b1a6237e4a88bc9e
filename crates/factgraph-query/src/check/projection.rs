//! Projections: RETURN and WITH items, grouping keys beside aggregates,
//! ORDER BY after aggregation, SKIP and LIMIT.

use crate::ast::{Expr, MapProjItem, Projection, Span, Walk};
use crate::error::{QResult, QueryError};
use crate::eval::AGGREGATES;
use crate::project::{expand_items, has_aggregate};

use super::types::Kind;
use super::Checker;

impl Checker<'_> {
    pub(super) fn projection(&self, p: &Projection, scope: &[String]) -> QResult<Vec<String>> {
        self.projection_of(p, scope, true)
    }

    /// `returning`: RETURN (where `*` needs something to return), else WITH.
    pub(super) fn projection_of(
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
        items: &[crate::ast::ProjItem],
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
                    crate::pattern::vars_of(a, &mut vars);
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
