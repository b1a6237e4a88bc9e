//! Building the clauses of a statement: MATCH, WITH, RETURN, the updating
//! clauses, projections and their ORDER BY, SKIP and LIMIT.

use pest::iterators::Pair;

use super::expressions::unquote;
use super::Rule;
use super::{span, syntax_error, Builder, R};
use crate::ast::*;

impl Builder<'_> {
    pub(super) fn statement(&self, p: Pair<Rule>) -> R<Statement> {
        let mut mode = Mode::Run;
        let mut query = None;
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::EXPLAIN => mode = Mode::Explain,
                Rule::PROFILE => mode = Mode::Profile,
                Rule::show_schema => query = Some(Query::ShowSchema),
                Rule::regular_query => query = Some(self.regular(c)?),
                _ => {}
            }
        }
        let query = query.ok_or_else(|| syntax_error(self.text, 0, "empty query".into()))?;
        Ok(Statement { mode, query })
    }

    fn regular(&self, p: Pair<Rule>) -> R<Query> {
        let mut parts = Vec::new();
        let mut all = Vec::new();
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::single_query => parts.push(self.single(c)?),
                Rule::union => {
                    let mut is_all = false;
                    for u in c.into_inner() {
                        match u.as_rule() {
                            Rule::ALL => is_all = true,
                            Rule::single_query => parts.push(self.single(u)?),
                            _ => {}
                        }
                    }
                    all.push(is_all);
                }
                _ => {}
            }
        }
        Ok(Query::Regular { parts, all })
    }

    pub(super) fn single(&self, p: Pair<Rule>) -> R<Vec<Clause>> {
        p.into_inner().map(|c| self.clause(c)).collect()
    }

    fn clause(&self, p: Pair<Rule>) -> R<Clause> {
        let rule = p.as_rule();
        let whole = p.clone();
        let mut inner = p.into_inner().peekable();
        Ok(match rule {
            Rule::match_clause => {
                let mut optional = false;
                let mut pattern = Vec::new();
                let mut filter = None;
                for c in inner {
                    match c.as_rule() {
                        Rule::OPTIONAL => optional = true,
                        Rule::pattern => pattern = self.pattern(c)?,
                        Rule::where_clause => filter = Some(self.where_clause(c)?),
                        _ => {}
                    }
                }
                Clause::Match {
                    optional,
                    pattern,
                    filter,
                }
            }
            Rule::unwind_clause => {
                let mut expr = None;
                let mut var = String::new();
                for c in inner {
                    match c.as_rule() {
                        Rule::expr => expr = Some(self.expr(c)?),
                        Rule::variable => var = self.name(c),
                        _ => {}
                    }
                }
                Clause::Unwind {
                    expr: expr.ok_or_else(|| self.err(&whole, "UNWIND needs a list"))?,
                    var,
                }
            }
            Rule::with_clause => {
                let mut projection = None;
                let mut filter = None;
                for c in inner {
                    match c.as_rule() {
                        Rule::projection => projection = Some(self.projection(c)?),
                        Rule::where_clause => filter = Some(self.where_clause(c)?),
                        _ => {}
                    }
                }
                Clause::With {
                    projection: projection.ok_or_else(|| self.err(&whole, "WITH needs items"))?,
                    filter,
                }
            }
            Rule::return_clause => {
                let proj = inner
                    .find(|c| c.as_rule() == Rule::projection)
                    .ok_or_else(|| self.err(&whole, "RETURN needs items"))?;
                Clause::Return(self.projection(proj)?)
            }
            Rule::create_clause => {
                let pat = inner
                    .find(|c| c.as_rule() == Rule::pattern)
                    .ok_or_else(|| self.err(&whole, "CREATE needs a pattern"))?;
                Clause::Create(self.pattern(pat)?)
            }
            Rule::merge_clause => {
                let mut part = None;
                let mut on_create = Vec::new();
                let mut on_match = Vec::new();
                for c in inner {
                    match c.as_rule() {
                        Rule::pattern_part => part = Some(self.pattern_part(c)?),
                        Rule::merge_action => {
                            let mut is_create = false;
                            for a in c.into_inner() {
                                match a.as_rule() {
                                    Rule::CREATE => is_create = true,
                                    Rule::set_clause => {
                                        let items = self.set_items(a)?;
                                        if is_create {
                                            on_create.extend(items);
                                        } else {
                                            on_match.extend(items);
                                        }
                                    }
                                    _ => {}
                                }
                            }
                        }
                        _ => {}
                    }
                }
                Clause::Merge {
                    part: part.ok_or_else(|| self.err(&whole, "MERGE needs a pattern"))?,
                    on_create,
                    on_match,
                }
            }
            Rule::set_clause => Clause::Set(self.set_items(whole)?),
            Rule::remove_clause => {
                let mut items = Vec::new();
                for c in inner.filter(|c| c.as_rule() == Rule::remove_item) {
                    let Some(item) = c.into_inner().next() else {
                        continue;
                    };
                    items.push(match item.as_rule() {
                        Rule::set_labels => {
                            let (var, labels) = self.var_labels(item);
                            RemoveItem::Labels { var, labels }
                        }
                        _ => {
                            let (var, key) = self.property_target(item)?;
                            RemoveItem::Property { var, key }
                        }
                    });
                }
                Clause::Remove(items)
            }
            Rule::delete_clause => {
                let mut detach = false;
                let mut exprs = Vec::new();
                for c in inner {
                    match c.as_rule() {
                        Rule::DETACH => detach = true,
                        Rule::expr => exprs.push(self.expr(c)?),
                        _ => {}
                    }
                }
                Clause::Delete { detach, exprs }
            }
            Rule::call_clause => {
                let mut name = String::new();
                let mut args = Vec::new();
                let mut yields = None;
                let mut filter = None;
                let mut implicit_args = true;
                let mut yield_star = false;
                for c in inner {
                    match c.as_rule() {
                        Rule::procedure_name => name = c.as_str().to_string(),
                        Rule::call_args => {
                            implicit_args = false;
                            for a in c.into_inner() {
                                args.push(self.expr(a)?);
                            }
                        }
                        Rule::yield_items => {
                            let mut list = Vec::new();
                            let mut star = false;
                            for y in c.into_inner() {
                                match y.as_rule() {
                                    Rule::star => star = true,
                                    Rule::yield_item => {
                                        let mut parts = y.into_inner();
                                        let field = parts
                                            .next()
                                            .map(|f| unquote(f.as_str()))
                                            .unwrap_or_default();
                                        let alias = parts
                                            .find(|a| a.as_rule() == Rule::variable)
                                            .map(|a| self.name(a))
                                            .unwrap_or_else(|| field.clone());
                                        list.push((field, alias));
                                    }
                                    Rule::where_clause => filter = Some(self.where_clause(y)?),
                                    _ => {}
                                }
                            }
                            if star {
                                yield_star = true;
                            } else {
                                yields = Some(list);
                            }
                        }
                        _ => {}
                    }
                }
                Clause::Call {
                    name,
                    args,
                    implicit_args,
                    yields,
                    yield_star,
                    filter,
                    span: span(&whole),
                }
            }
            _ => return Err(self.err(&whole, "unexpected clause")),
        })
    }

    pub(super) fn where_clause(&self, p: Pair<Rule>) -> R<Expr> {
        let e = p
            .clone()
            .into_inner()
            .find(|c| c.as_rule() == Rule::expr)
            .ok_or_else(|| self.err(&p, "WHERE needs a condition"))?;
        self.expr(e)
    }

    fn set_items(&self, p: Pair<Rule>) -> R<Vec<SetItem>> {
        let mut items = Vec::new();
        for c in p.into_inner().filter(|c| c.as_rule() == Rule::set_item) {
            let Some(item) = c.into_inner().next() else {
                continue;
            };
            let rule = item.as_rule();
            let parts: Vec<Pair<Rule>> = item.clone().into_inner().collect();
            items.push(match rule {
                Rule::set_property => {
                    let (var, key) = self.property_target(parts[0].clone())?;
                    SetItem::Property {
                        var,
                        key,
                        value: self.expr(parts[1].clone())?,
                    }
                }
                Rule::set_all => SetItem::Replace {
                    var: self.name(parts[0].clone()),
                    value: self.expr(parts[1].clone())?,
                },
                Rule::set_add => SetItem::Merge {
                    var: self.name(parts[0].clone()),
                    value: self.expr(parts[1].clone())?,
                },
                _ => {
                    let (var, labels) = self.var_labels(item);
                    SetItem::Labels { var, labels }
                }
            });
        }
        Ok(items)
    }

    fn var_labels(&self, p: Pair<Rule>) -> (String, Vec<String>) {
        let mut var = String::new();
        let mut labels = Vec::new();
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::variable => var = self.name(c),
                Rule::node_labels => labels = self.labels(c),
                _ => {}
            }
        }
        (var, labels)
    }

    pub(super) fn property_target(&self, p: Pair<Rule>) -> R<(String, String)> {
        let whole = p.clone();
        let mut inner = p.into_inner();
        let var = inner.next().map(|v| self.name(v)).unwrap_or_default();
        let keys: Vec<String> = inner.map(|k| unquote(k.as_str())).collect();
        if keys.len() != 1 {
            return Err(self.err(&whole, "only one level of property can be set, as n.key"));
        }
        Ok((var, keys.into_iter().next().unwrap_or_default()))
    }

    pub(super) fn name(&self, p: Pair<Rule>) -> String {
        unquote(p.as_str())
    }

    pub(super) fn labels(&self, p: Pair<Rule>) -> Vec<String> {
        p.into_inner().map(|l| unquote(l.as_str())).collect()
    }

    fn projection(&self, p: Pair<Rule>) -> R<Projection> {
        let mut proj = Projection {
            distinct: false,
            star: false,
            items: Vec::new(),
            order: Vec::new(),
            skip: None,
            limit: None,
        };
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::DISTINCT => proj.distinct = true,
                Rule::proj_items => {
                    for item in c.into_inner() {
                        match item.as_rule() {
                            Rule::star => proj.star = true,
                            Rule::proj_item => {
                                let text = item.as_str().trim().to_string();
                                let mut parts = item.into_inner();
                                let Some(e) = parts.next() else { continue };
                                let expr_text = e.as_str().trim().to_string();
                                let expr = self.expr(e)?;
                                let alias = parts
                                    .find(|a| a.as_rule() == Rule::variable)
                                    .map(|a| self.name(a));
                                let _ = text;
                                proj.items.push(ProjItem {
                                    aliased: alias.is_some(),
                                    name: alias.unwrap_or(expr_text),
                                    expr,
                                });
                            }
                            _ => {}
                        }
                    }
                }
                Rule::order_by => {
                    for s in c.into_inner().filter(|s| s.as_rule() == Rule::sort_item) {
                        let mut parts = s.into_inner();
                        let Some(e) = parts.next() else { continue };
                        let expr = self.expr(e)?;
                        let descending =
                            parts.any(|d| matches!(d.as_rule(), Rule::DESC | Rule::DESCENDING));
                        proj.order.push(SortItem { expr, descending });
                    }
                }
                Rule::skip => proj.skip = self.last_expr(c)?,
                Rule::limit => proj.limit = self.last_expr(c)?,
                _ => {}
            }
        }
        Ok(proj)
    }

    fn last_expr(&self, p: Pair<Rule>) -> R<Option<Expr>> {
        p.into_inner()
            .filter(|c| c.as_rule() == Rule::expr)
            .map(|c| self.expr(c))
            .next()
            .transpose()
    }
}
