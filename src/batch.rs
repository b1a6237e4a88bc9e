//! Batch scripts: statements separated by `;`, run in order, each result
//! printed, errors located as `file:line:col`. Changes are saved only when
//! the whole script succeeds, unless each statement is committed on its own.

use std::io::{IsTerminal, Write};

use indicatif::{ProgressBar, ProgressStyle};

use crate::query::{Params, QueryError};
use crate::render::{self, Format};
use crate::shell::split::split;
use crate::store::Graph;
use crate::syntax::Position;

/// How to run a script.
#[derive(Clone, Copy, Debug)]
pub struct BatchOptions {
    /// Output format of results.
    pub format: Format,
    /// Go on after a failed statement (the run still fails).
    pub continue_on_error: bool,
    /// Save after every successful statement that changed the graph.
    pub commit_each: bool,
    /// Show a progress bar on standard error when it is a terminal.
    pub progress: bool,
    /// Refuse statements that change the graph (the store is open --read-only).
    pub read_only: bool,
}

/// What a run did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BatchReport {
    /// Statements that succeeded.
    pub succeeded: usize,
    /// Statements that failed.
    pub failed: usize,
    /// Whether the graph changed and was not yet saved.
    pub unsaved_changes: bool,
}

/// Where an error of a statement starting at `start` lies in the whole script.
fn script_position(start: (usize, usize), error: &QueryError) -> Position {
    let inner = match error {
        QueryError::Syntax(e) => Some(e.position),
        QueryError::Semantic {
            location: Some(l), ..
        } => Some(l.position),
        _ => None,
    };
    match inner {
        None => Position {
            line: start.0,
            column: start.1,
        },
        Some(p) if p.line == 1 => Position {
            line: start.0,
            column: start.1 + p.column - 1,
        },
        Some(p) => Position {
            line: start.0 + p.line - 1,
            column: p.column,
        },
    }
}

/// A script and the name its errors are reported under.
#[derive(Clone, Copy, Debug)]
pub struct Script<'a> {
    /// The statements, separated by `;`.
    pub text: &'a str,
    /// The file name (or `<stdin>`) used in `name:line:col` messages.
    pub name: &'a str,
}

/// Runs `script` against `graph`.
///
/// `save` is called to make the changes durable: after each changing
/// statement with `commit_each` (before its result is printed, so that a
/// printed result is a durable one; a failed save undoes the statement),
/// else once at the end if every statement succeeded.
pub fn run(
    graph: &mut Graph,
    script: Script,
    params: &Params,
    options: BatchOptions,
    out: &mut dyn Write,
    err: &mut dyn Write,
    save: &mut dyn FnMut(&mut Graph) -> Result<(), String>,
) -> BatchReport {
    run_limited(
        graph,
        script,
        params,
        options,
        &crate::query::Limits::default(),
        out,
        err,
        save,
    )
}

/// [`run`] with each statement under `limits` (see [`crate::query::Limits`]).
#[allow(clippy::too_many_arguments)]
pub fn run_limited(
    graph: &mut Graph,
    script: Script,
    params: &Params,
    options: BatchOptions,
    limits: &crate::query::Limits,
    out: &mut dyn Write,
    err: &mut dyn Write,
    save: &mut dyn FnMut(&mut Graph) -> Result<(), String>,
) -> BatchReport {
    let name = script.name;
    let mut report = BatchReport::default();
    let statements = split(script.text);
    // A bar on a terminal for long scripts; nothing at all when stderr is redirected.
    let bar = if options.progress && statements.len() > 1 && std::io::stderr().is_terminal() {
        let bar = ProgressBar::new(statements.len() as u64);
        bar.set_style(
            ProgressStyle::with_template("{bar:30} {pos}/{len} statements {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    } else {
        ProgressBar::hidden()
    };
    for statement in statements {
        bar.inc(1);
        if options.read_only && crate::query::is_update(&statement.text) {
            report.failed += 1;
            bar.suspend(|| {
                let _ = writeln!(
                    err,
                    "{name}:{}:{}: error: the store is open read-only (--read-only); statements that change the graph are refused",
                    statement.line, statement.column
                );
            });
            if !options.continue_on_error {
                break;
            }
            continue;
        }
        // Each statement is its own unit: undone if it cannot be saved, or
        // (as a last guard) if it changed a read-only store.
        let unit = graph.checkpoint();
        match crate::statement::run_limited(graph, &statement.text, params, limits) {
            Ok(result) => {
                if result.counters.any() && options.read_only {
                    graph.rollback(unit);
                    report.failed += 1;
                    let _ = writeln!(
                        err,
                        "{name}:{}:{}: error: the store is open read-only (--read-only); the statement's changes were undone",
                        statement.line, statement.column
                    );
                    if !options.continue_on_error {
                        break;
                    }
                    continue;
                }
                if result.counters.any() {
                    report.unsaved_changes = true;
                    if options.commit_each {
                        if let Err(e) = save(graph) {
                            graph.rollback(unit);
                            let _ = writeln!(
                                err,
                                "{name}:{}:{}: cannot save, the statement was undone: {e}",
                                statement.line, statement.column
                            );
                            report.failed += 1;
                            return report;
                        }
                        report.unsaved_changes = false;
                    }
                }
                graph.commit(unit);
                report.succeeded += 1;
                bar.suspend(|| {
                    let _ = write!(out, "{}", render::render(&result, graph, options.format));
                    if options.format == Format::Table {
                        let _ = writeln!(out, "{}\n", render::summary(&result));
                    }
                    // A printed result is an acknowledged one: make sure it leaves now.
                    let _ = out.flush();
                });
            }
            Err(e) => {
                graph.commit(unit);
                report.failed += 1;
                let pos = script_position((statement.line, statement.column), &e);
                let mut text = format!(
                    "{name}:{}:{}: error [{}]: {}",
                    pos.line,
                    pos.column,
                    e.code(),
                    e.message()
                );
                if let Some((line, column)) = e.snippet() {
                    let _ = crate::syntax::write_caret(&mut text, &line, column);
                }
                bar.suspend(|| {
                    let _ = writeln!(err, "{text}");
                });
                if !options.continue_on_error {
                    break;
                }
            }
        }
    }
    bar.finish_and_clear();
    if report.unsaved_changes {
        if report.failed == 0 {
            match save(graph) {
                Ok(()) => report.unsaved_changes = false,
                Err(e) => {
                    let _ = writeln!(err, "{name}: cannot save: {e}");
                    report.failed += 1;
                }
            }
        } else {
            let _ = writeln!(
                err,
                "{name}: {} statement(s) failed; changes were not saved (use --commit-each to keep each successful statement)",
                report.failed
            );
        }
    }
    report
}
