//! Clause-by-clause execution over a table of rows.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use factgraph_store::{EdgeId, Graph, NodeId};

use super::ast::{Clause, Dir, PatternPart, RemoveItem, SetItem};
use super::error::{QResult, QueryError};
use super::eval::{eval, holds, Ctx, Env, WorkCounters};
use super::pattern::{equality_hints, match_parts, match_parts_hinted, path_filters, pattern_vars};
use super::procedures;
use super::project::project;
use super::value::{Path, Val};

/// What a statement changed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counters {
    /// Nodes created.
    pub nodes_created: u64,
    /// Nodes deleted.
    pub nodes_deleted: u64,
    /// Relationships created.
    pub relationships_created: u64,
    /// Relationships deleted.
    pub relationships_deleted: u64,
    /// Properties set or removed.
    pub properties_set: u64,
    /// Labels added.
    pub labels_added: u64,
    /// Labels removed.
    pub labels_removed: u64,
}

impl Counters {
    /// Whether anything changed.
    pub fn any(&self) -> bool {
        *self != Counters::default()
    }
}

/// Rows and time of one clause, for PROFILE.
#[derive(Clone, Debug)]
pub struct ClauseProfile {
    /// The clause, described.
    pub clause: String,
    /// Rows it produced.
    pub rows: usize,
    /// Time it took.
    pub time: Duration,
}

/// The working table: column names and rows.
pub struct Table {
    /// Variable names.
    pub names: Vec<String>,
    /// Rows, aligned with `names`.
    pub rows: Vec<Vec<Val>>,
}

/// Executes the clauses of one single query.
pub struct Executor<'p> {
    /// Parameters.
    pub params: &'p BTreeMap<String, Val>,
    /// Work counters.
    pub work: &'p WorkCounters,
    /// Procedures of the caller's, besides the built-in ones.
    pub procedures: &'p [procedures::TableProcedure],
    /// Change counters.
    pub counters: Counters,
    /// Per-clause profile, when profiling.
    pub profile: Option<Vec<ClauseProfile>>,
}

impl<'p> Executor<'p> {
    fn ctx<'g>(&self, graph: &'g Graph) -> Ctx<'g>
    where
        'p: 'g,
    {
        Ctx {
            graph,
            params: self.params,
            work: self.work,
        }
    }

    /// Runs `clauses` from a single empty row.
    pub fn run(&mut self, graph: &mut Graph, clauses: &[Clause]) -> QResult<Table> {
        // PROFILE wants the general path's per-clause rows.
        if self.profile.is_none() {
            if let Some(table) = super::counting::count_nodes(graph, clauses) {
                return Ok(table);
            }
        }
        let mut table = Table {
            names: Vec::new(),
            rows: vec![Vec::new()],
        };
        let standalone_call =
            clauses.len() == 1 && matches!(clauses[0], Clause::Call { yields: None, .. });
        for clause in clauses {
            let started = Instant::now();
            table = self.clause(graph, clause, table, standalone_call)?;
            if let Some(p) = &mut self.profile {
                p.push(ClauseProfile {
                    clause: super::explain::clause_name(clause),
                    rows: table.rows.len(),
                    time: started.elapsed(),
                });
            }
        }
        Ok(table)
    }

    fn clause(
        &mut self,
        graph: &mut Graph,
        clause: &Clause,
        table: Table,
        standalone: bool,
    ) -> QResult<Table> {
        let Table { names, rows } = table;
        match clause {
            Clause::Match { .. }
            | Clause::Unwind { .. }
            | Clause::With { .. }
            | Clause::Return(_) => read_clause(&self.ctx(graph), clause, Table { names, rows }),
            Clause::Create(pattern) => {
                let mut new_names = names.clone();
                for v in pattern_vars(pattern) {
                    if !new_names.contains(&v) {
                        new_names.push(v);
                    }
                }
                let mut out = Vec::with_capacity(rows.len());
                for row in rows {
                    let mut r = row;
                    r.resize(new_names.len(), Val::Null);
                    for part in pattern {
                        self.create_part(graph, part, &new_names, &names, &mut r)?;
                    }
                    out.push(r);
                }
                Ok(Table {
                    names: new_names,
                    rows: out,
                })
            }
            Clause::Merge {
                part,
                on_create,
                on_match,
            } => {
                let mut new_names = names.clone();
                for v in pattern_vars(std::slice::from_ref(part)) {
                    if !new_names.contains(&v) {
                        new_names.push(v);
                    }
                }
                let mut out = Vec::new();
                for row in rows {
                    let found = {
                        let ctx = self.ctx(graph);
                        merge_without_nulls(&ctx, part, &names, &row)?;
                        match_parts(&ctx, std::slice::from_ref(part), &names, &row)?.1
                    };
                    if found.is_empty() {
                        let mut r = row;
                        r.resize(new_names.len(), Val::Null);
                        self.create_part(graph, part, &new_names, &names, &mut r)?;
                        self.set_items(graph, on_create, &new_names, &r)?;
                        out.push(r);
                    } else {
                        for r in found {
                            self.set_items(graph, on_match, &new_names, &r)?;
                            out.push(r);
                        }
                    }
                }
                Ok(Table {
                    names: new_names,
                    rows: out,
                })
            }
            Clause::Set(items) => {
                for row in &rows {
                    self.set_items(graph, items, &names, row)?;
                }
                Ok(Table { names, rows })
            }
            Clause::Remove(items) => {
                for row in &rows {
                    for item in items {
                        self.remove_item(graph, item, &names, row)?;
                    }
                }
                Ok(Table { names, rows })
            }
            Clause::Delete { detach, exprs } => {
                let mut nodes = BTreeSet::new();
                let mut rels = BTreeSet::new();
                {
                    let ctx = self.ctx(graph);
                    for row in &rows {
                        for e in exprs {
                            collect_deletions(
                                eval(&ctx, e, Env::new(&names, row))?,
                                &mut nodes,
                                &mut rels,
                            )?;
                        }
                    }
                }
                for r in rels {
                    if graph.edge(r).is_some() {
                        graph.remove_edge(r)?;
                        self.counters.relationships_deleted += 1;
                    }
                }
                for n in nodes {
                    if graph.node(n).is_some() {
                        let degree = graph.degree(n) as u64;
                        graph.remove_node(n, *detach)?;
                        self.counters.relationships_deleted += degree;
                        self.counters.nodes_deleted += 1;
                    }
                }
                Ok(Table { names, rows })
            }
            Clause::Call {
                name,
                args,
                implicit_args,
                yields,
                filter,
                ..
            } => {
                let ctx = self.ctx(graph);
                let mut out_names = names.clone();
                let mut out = Vec::new();
                let mut proc_columns: Option<Vec<String>> = None;
                let proc = procedures::lookup(name, self.procedures)?;
                let inputs = proc.inputs();
                for row in rows {
                    let env = Env::new(&names, &row);
                    let arg_vals = if *implicit_args {
                        // `CALL p` takes its arguments from the parameters named like its inputs.
                        inputs
                            .iter()
                            .map(|(n, _)| {
                                self.params.get(n).cloned().ok_or_else(|| {
                                    QueryError::runtime(
                                        "Runtime.MissingParameter",
                                        format!("parameter ${n} is not set"),
                                    )
                                })
                            })
                            .collect::<QResult<Vec<_>>>()?
                    } else {
                        args.iter()
                            .map(|a| eval(&ctx, a, env))
                            .collect::<QResult<Vec<_>>>()?
                    };
                    let result = procedures::call(ctx.graph, name, &arg_vals, self.procedures)?;
                    let selected: Vec<(usize, String)> = match yields {
                        None => result.columns.iter().cloned().enumerate().collect(),
                        Some(list) => list
                            .iter()
                            .map(|(field, alias)| {
                                result
                                    .columns
                                    .iter()
                                    .position(|c| c == field)
                                    .map(|i| (i, alias.clone()))
                                    .ok_or_else(|| {
                                        QueryError::semantic(
                                            "Semantic.UnknownYield",
                                            format!(
                                                "{name}() yields no column `{field}` (it yields {})",
                                                result.columns.join(", ")
                                            ),
                                        )
                                    })
                            })
                            .collect::<QResult<_>>()?,
                    };
                    if proc_columns.is_none() {
                        let cols: Vec<String> = selected.iter().map(|(_, a)| a.clone()).collect();
                        if standalone {
                            out_names = cols.clone();
                        } else {
                            out_names.extend(cols.iter().cloned());
                        }
                        proc_columns = Some(cols);
                    }
                    if result.columns.is_empty() && !standalone {
                        // A procedure that yields nothing leaves the rows as they are.
                        out.push(row);
                        continue;
                    }
                    for prow in result.rows {
                        let mut r = if standalone { Vec::new() } else { row.clone() };
                        r.extend(selected.iter().map(|(i, _)| prow[*i].clone()));
                        if let Some(f) = filter {
                            if !holds(&ctx, f, Env::new(&out_names, &r))? {
                                continue;
                            }
                        }
                        out.push(r);
                    }
                }
                if proc_columns.is_none() {
                    let cols = match yields {
                        Some(list) => list.iter().map(|(_, a)| a.clone()).collect(),
                        None => proc.columns(),
                    };
                    if standalone {
                        out_names = cols;
                    } else {
                        out_names.extend(cols);
                    }
                }
                Ok(Table {
                    names: out_names,
                    rows: out,
                })
            }
        }
    }

    /// Creates what `part` describes; variables in `bound_before` (bound before
    /// the clause) must hold nodes, the others are created.
    fn create_part(
        &mut self,
        graph: &mut Graph,
        part: &PatternPart,
        names: &[String],
        bound_before: &[String],
        row: &mut [Val],
    ) -> QResult<()> {
        let slot = |v: &Option<String>| v.as_ref().and_then(|v| names.iter().rposition(|n| n == v));
        let mut node_ids = Vec::with_capacity(part.steps.len() + 1);
        let nodes = std::iter::once(&part.start).chain(part.steps.iter().map(|(_, n)| n));
        for np in nodes {
            match slot(&np.var).map(|s| &row[s]) {
                Some(Val::Node(id)) => {
                    node_ids.push(*id);
                    continue;
                }
                // A variable bound before this clause must hold a node: a null
                // (from an OPTIONAL MATCH that found nothing) or another value
                // is not a new node to create.
                Some(v) if np.var.as_ref().is_some_and(|n| bound_before.contains(n)) => {
                    let var = np.var.as_deref().unwrap_or_default();
                    return Err(if v.is_null() {
                        QueryError::runtime(
                            "Runtime.NullNode",
                            format!("cannot create a relationship to or from `{var}`: it is null"),
                        )
                    } else {
                        QueryError::type_error(format!(
                            "variable `{var}` holds a value of type {}, not a node",
                            v.type_name()
                        ))
                    });
                }
                _ => {}
            }
            let props = self.eval_props(graph, &np.props, names, row)?;
            let id = graph.add_node(np.labels.clone(), props, Vec::new())?;
            self.counters.nodes_created += 1;
            self.counters.labels_added += graph.node(id).map_or(0, |n| n.labels.len()) as u64;
            self.counters.properties_set += graph.node(id).map_or(0, |n| n.props.len()) as u64;
            if let Some(s) = slot(&np.var) {
                row[s] = Val::Node(id);
            }
            node_ids.push(id);
        }
        let mut rel_ids = Vec::with_capacity(part.steps.len());
        for (i, (rp, _)) in part.steps.iter().enumerate() {
            let [rel_type] = rp.types.as_slice() else {
                return Err(QueryError::semantic(
                    "Semantic.CreateNeedsOneType",
                    "a relationship to create needs exactly one type, e.g. -[:KNOWS]->",
                ));
            };
            // An undirected relationship only gets here from MERGE (CREATE
            // refuses it), which creates it left to right.
            let (from, to) = match rp.dir {
                Dir::Out | Dir::Both => (node_ids[i], node_ids[i + 1]),
                Dir::In => (node_ids[i + 1], node_ids[i]),
            };
            let props = self.eval_props(graph, &rp.props, names, row)?;
            let id = graph.add_edge(from, to, rel_type, props, Vec::new())?;
            self.counters.relationships_created += 1;
            self.counters.properties_set += graph.edge(id).map_or(0, |e| e.props.len()) as u64;
            if let Some(s) = slot(&rp.var) {
                row[s] = Val::Rel(id);
            }
            rel_ids.push(id);
        }
        if let Some(s) = slot(&part.path_var) {
            row[s] = Val::Path(Path {
                nodes: node_ids,
                rels: rel_ids,
            });
        }
        Ok(())
    }

    fn eval_props(
        &self,
        graph: &Graph,
        props: &Option<super::ast::Expr>,
        names: &[String],
        row: &[Val],
    ) -> QResult<BTreeMap<String, factgraph_model::Value>> {
        let Some(e) = props else {
            return Ok(BTreeMap::new());
        };
        let ctx = self.ctx(graph);
        match eval(&ctx, e, Env::new(names, row))? {
            Val::Map(m) => m
                .into_iter()
                .map(|(k, v)| Ok((k.clone(), storable(&k, v)?)))
                .collect(),
            other => Err(QueryError::type_error(format!(
                "properties must be a map, got {}",
                other.type_name()
            ))),
        }
    }

    fn set_items(
        &mut self,
        graph: &mut Graph,
        items: &[SetItem],
        names: &[String],
        row: &[Val],
    ) -> QResult<()> {
        for item in items {
            let var = match item {
                SetItem::Property { var, .. }
                | SetItem::Replace { var, .. }
                | SetItem::Merge { var, .. }
                | SetItem::Labels { var, .. } => var,
            };
            let target = Env::new(names, row).get(var).cloned().unwrap_or(Val::Null);
            if target.is_null() {
                continue;
            }
            let value = match item {
                SetItem::Property { value, .. }
                | SetItem::Replace { value, .. }
                | SetItem::Merge { value, .. } => {
                    let ctx = self.ctx(graph);
                    Some(eval(&ctx, value, Env::new(names, row))?)
                }
                SetItem::Labels { .. } => None,
            };
            match (item, target, value) {
                (SetItem::Property { key, .. }, Val::Node(id), Some(v)) => {
                    graph.set_node_property(id, key, storable(key, v)?)?;
                    self.counters.properties_set += 1;
                }
                (SetItem::Property { key, .. }, Val::Rel(id), Some(v)) => {
                    graph.set_edge_property(id, key, storable(key, v)?)?;
                    self.counters.properties_set += 1;
                }
                (SetItem::Replace { .. } | SetItem::Merge { .. }, target, Some(v)) => {
                    let replace = matches!(item, SetItem::Replace { .. });
                    let new_props: BTreeMap<String, Val> = match v {
                        Val::Map(m) => m,
                        Val::Node(n) => graph
                            .node(n)
                            .map(|n| {
                                n.props
                                    .iter()
                                    .map(|(k, v)| (k.clone(), Val::from(v)))
                                    .collect()
                            })
                            .unwrap_or_default(),
                        Val::Rel(r) => graph
                            .edge(r)
                            .map(|e| {
                                e.props
                                    .iter()
                                    .map(|(k, v)| (k.clone(), Val::from(v)))
                                    .collect()
                            })
                            .unwrap_or_default(),
                        other => {
                            return Err(QueryError::type_error(format!(
                                "SET = expects a map, got {}",
                                other.type_name()
                            )))
                        }
                    };
                    let current = match &target {
                        Val::Node(n) => graph.node(*n).map(|n| n.props.clone()),
                        Val::Rel(r) => graph.edge(*r).map(|e| e.props.clone()),
                        _ => None,
                    }
                    .unwrap_or_default();
                    if replace {
                        // Properties dropped by `SET n = {...}` count as changes too.
                        self.counters.properties_set += current
                            .keys()
                            .filter(|k| !new_props.contains_key(*k))
                            .count() as u64;
                    }
                    let mut props = if replace {
                        factgraph_model::Props::new()
                    } else {
                        current
                    };
                    for (k, v) in new_props {
                        let v = storable(&k, v)?;
                        self.counters.properties_set += 1;
                        if matches!(v, factgraph_model::Value::Null) {
                            props.remove(&k);
                        } else {
                            props.insert(k, v);
                        }
                    }
                    match target {
                        Val::Node(n) => graph.set_node_properties(n, props)?,
                        Val::Rel(r) => graph.set_edge_properties(r, props)?,
                        other => {
                            return Err(QueryError::type_error(format!(
                                "cannot set properties on {}",
                                other.type_name()
                            )))
                        }
                    }
                }
                (SetItem::Labels { labels, .. }, Val::Node(id), _) => {
                    for l in labels {
                        if graph.node(id).is_some_and(|n| !n.has_label(l)) {
                            graph.add_label(id, l)?;
                            self.counters.labels_added += 1;
                        }
                    }
                }
                (_, other, _) => {
                    return Err(QueryError::type_error(format!(
                        "cannot SET on {}",
                        other.type_name()
                    )));
                }
            }
        }
        Ok(())
    }

    fn remove_item(
        &mut self,
        graph: &mut Graph,
        item: &RemoveItem,
        names: &[String],
        row: &[Val],
    ) -> QResult<()> {
        let env = Env::new(names, row);
        match item {
            RemoveItem::Labels { var, labels } => match env.get(var) {
                Some(Val::Node(id)) => {
                    for l in labels {
                        if graph.node(*id).is_some_and(|n| n.has_label(l)) {
                            graph.remove_label(*id, l)?;
                            self.counters.labels_removed += 1;
                        }
                    }
                }
                Some(Val::Null) | None => {}
                Some(other) => {
                    return Err(QueryError::type_error(format!(
                        "cannot remove labels from {}",
                        other.type_name()
                    )))
                }
            },
            RemoveItem::Property { var, key } => match env.get(var) {
                Some(Val::Node(id)) => {
                    if graph.node(*id).is_some_and(|n| n.props.contains_key(key)) {
                        graph.set_node_property(*id, key, factgraph_model::Value::Null)?;
                        self.counters.properties_set += 1;
                    }
                }
                Some(Val::Rel(id)) => {
                    if graph.edge(*id).is_some_and(|e| e.props.contains_key(key)) {
                        graph.set_edge_property(*id, key, factgraph_model::Value::Null)?;
                        self.counters.properties_set += 1;
                    }
                }
                Some(Val::Null) | None => {}
                Some(other) => {
                    return Err(QueryError::type_error(format!(
                        "cannot remove a property from {}",
                        other.type_name()
                    )))
                }
            },
        }
        Ok(())
    }
}

/// Runs a clause that only reads (MATCH, UNWIND, WITH, RETURN) over `table`.
pub(crate) fn read_clause(ctx: &Ctx, clause: &Clause, table: Table) -> QResult<Table> {
    let Table { names, rows } = table;
    match clause {
        Clause::Match {
            optional,
            pattern,
            filter,
        } => {
            let hints = equality_hints(filter.as_ref());
            let path_conditions = path_filters(filter.as_ref());
            let mut new_names = names.clone();
            for v in pattern_vars(pattern) {
                if !new_names.contains(&v) {
                    new_names.push(v);
                }
            }
            let mut out = Vec::new();
            let mut values = 0;
            for row in rows {
                let (_, matched) =
                    match_parts_hinted(ctx, pattern, &names, &row, &hints, &path_conditions)?;
                let mut any = false;
                for m in matched {
                    if let Some(f) = filter {
                        if !holds(ctx, f, Env::new(&new_names, &m))? {
                            continue;
                        }
                    }
                    any = true;
                    values += super::limits::row_weight(&m);
                    out.push(m);
                    ctx.work.guard.hold(out.len(), values)?;
                }
                if !any && *optional {
                    let mut r = row;
                    r.resize(new_names.len(), Val::Null);
                    out.push(r);
                }
            }
            Ok(Table {
                names: new_names,
                rows: out,
            })
        }
        Clause::Unwind { expr, var } => {
            let mut new_names = names.clone();
            new_names.push(var.clone());
            let mut out = Vec::new();
            for row in rows {
                let items = match eval(ctx, expr, Env::new(&names, &row))? {
                    Val::Null => Vec::new(),
                    Val::List(items) => items,
                    other => vec![other],
                };
                for item in items {
                    let mut r = row.clone();
                    r.push(item);
                    out.push(r);
                    ctx.work.guard.rows(out.len())?;
                }
            }
            Ok(Table {
                names: new_names,
                rows: out,
            })
        }
        Clause::With { projection, filter } => {
            let p = project(ctx, projection, &names, rows)?;
            let rows = match filter {
                None => p.rows,
                Some(f) => {
                    // The filter sees the projected columns and, behind
                    // them, the variables from before the WITH.
                    let mut filter_names = names.clone();
                    filter_names.extend(p.names.iter().cloned());
                    let mut kept = Vec::new();
                    for (r, mut source) in p.rows.into_iter().zip(p.sources) {
                        source.resize(names.len(), Val::Null);
                        source.extend(r.iter().cloned());
                        if holds(ctx, f, Env::new(&filter_names, &source))? {
                            kept.push(r);
                        }
                    }
                    kept
                }
            };
            Ok(Table {
                names: p.names,
                rows,
            })
        }
        Clause::Return(projection) => {
            let p = project(ctx, projection, &names, rows)?;
            Ok(Table {
                names: p.names,
                rows: p.rows,
            })
        }
        _ => Err(QueryError::runtime(
            "Runtime.Internal",
            "only reading clauses can run here",
        )),
    }
}

/// Runs the clauses of an `EXISTS { ... }` subquery for one outer row:
/// whether they produce any row.
pub(crate) fn subquery_has_rows(
    ctx: &Ctx,
    clauses: &[Clause],
    names: &[String],
    row: &[Val],
) -> QResult<bool> {
    let mut table = Table {
        names: names.to_vec(),
        rows: vec![row.to_vec()],
    };
    for clause in clauses {
        table = read_clause(ctx, clause, table)?;
        if table.rows.is_empty() {
            return Ok(false);
        }
    }
    Ok(!table.rows.is_empty())
}

/// MERGE cannot match or create a property equal to null: refuse it, as openCypher does.
fn merge_without_nulls(
    ctx: &Ctx,
    part: &PatternPart,
    names: &[String],
    row: &[Val],
) -> QResult<()> {
    let props = std::iter::once(&part.start.props)
        .chain(part.steps.iter().flat_map(|(r, n)| [&r.props, &n.props]))
        .flatten();
    for p in props {
        if let Val::Map(m) = eval(ctx, p, Env::new(names, row))? {
            if let Some((k, _)) = m.iter().find(|(_, v)| v.is_null()) {
                return Err(QueryError::runtime(
                    "Runtime.MergeNullProperty",
                    format!("cannot MERGE with a null value for property {k:?}"),
                ));
            }
        }
    }
    Ok(())
}

fn storable(key: &str, v: Val) -> QResult<factgraph_model::Value> {
    let type_name = match &v {
        Val::List(items) => items
            .iter()
            .find(|i| i.to_value().is_none())
            .map_or("LIST".to_string(), |i| format!("LIST of {}", i.type_name())),
        other => other.type_name().to_string(),
    };
    v.to_value().ok_or_else(|| {
        QueryError::type_error(format!("property {key:?} cannot hold a {type_name}; store strings, numbers, booleans, dates, times, durations or lists of them"))
    })
}

fn collect_deletions(
    v: Val,
    nodes: &mut BTreeSet<NodeId>,
    rels: &mut BTreeSet<EdgeId>,
) -> QResult<()> {
    match v {
        Val::Null => {}
        Val::Node(n) => {
            nodes.insert(n);
        }
        Val::Rel(r) => {
            rels.insert(r);
        }
        Val::Path(p) => {
            rels.extend(p.rels);
            nodes.extend(p.nodes);
        }
        Val::List(items) => {
            for i in items {
                collect_deletions(i, nodes, rels)?;
            }
        }
        other => {
            return Err(QueryError::type_error(format!(
                "DELETE expects a node, relationship or path, got {}",
                other.type_name()
            )))
        }
    }
    Ok(())
}
