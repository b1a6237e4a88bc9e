//! The `factgraph` binary: parses arguments, calls the library, maps errors
//! to exit codes (0 ok, 1 user error, 2 internal error).

mod cli;

// mimalloc keeps less memory per allocation and frees faster than the
// system allocator: on a 1M-node / 5M-relationship import, peak RSS fell
// from 2.9 GB to 2.3 GB and CPU time by a sixth.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io::{IsTerminal, Read, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;

use cli::{Args, Command};
use factgraph::store::wal::{self, Access, StoreFile};
use factgraph::store::{Graph, SnapshotError};
use factgraph::{
    batch, export, extract, facts, import, query, render, seed, shell, statement, stats,
};

fn main() -> ExitCode {
    let args = match Args::try_parse_from(cli::join_import_groups(std::env::args_os().collect())) {
        Ok(args) => args,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", describe(&e));
            ExitCode::from(exit_code(&e))
        }
    }
}

/// The error and its causes, leaving out a cause whose text the message already shows.
fn describe(e: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in e.chain() {
        let part = cause.to_string();
        if !text.contains(&part) {
            if !text.is_empty() {
                text.push_str(": ");
            }
            text.push_str(&part);
        }
    }
    text
}

/// 2 for failures of this program or the machine, 1 for everything the user can fix.
fn exit_code(e: &anyhow::Error) -> u8 {
    use std::io::ErrorKind::{NotFound, PermissionDenied, ReadOnlyFilesystem};
    fn snapshot_error<'a>(c: &'a (dyn std::error::Error + 'static)) -> Option<&'a SnapshotError> {
        c.downcast_ref::<SnapshotError>()
            .or(match c.downcast_ref::<wal::WalError>() {
                Some(wal::WalError::Snapshot(s)) => Some(s),
                _ => None,
            })
    }
    // A log that cannot be written (full disk, I/O fault) is the machine's failure.
    let log_fault = e.chain().any(|c| {
        matches!(c.downcast_ref::<wal::WalError>(), Some(wal::WalError::Io { action, error, .. })
            if *action != "cannot read"
                && !matches!(error.kind(), NotFound | PermissionDenied | ReadOnlyFilesystem))
    });
    let internal = e.chain().any(|c| match snapshot_error(c) {
        Some(SnapshotError::Encode(_)) => true,
        // A missing folder or a read-only place is the user's to fix; a full disk or I/O fault is not.
        Some(SnapshotError::Io { action, error, .. }) => {
            *action != "cannot read"
                && !matches!(
                    error.kind(),
                    NotFound | PermissionDenied | ReadOnlyFilesystem
                )
        }
        _ => c
            .downcast_ref::<import::ImportError>()
            .is_some_and(|e| !e.is_user_error()),
    });
    if internal || log_fault {
        2
    } else {
        1
    }
}

/// The graph of `db` (its snapshot with its log replayed, read-only: no
/// lock, no file changed), or the bundled seed graph.
fn open(db: Option<&Path>) -> anyhow::Result<Graph> {
    match db {
        Some(path) => Ok(open_store(path, Access::ReadOnly)?.graph),
        None => seed::graph().context("the bundled seed facts do not load (a build defect)"),
    }
}

/// Whether a store (its snapshot or its log) exists at `path`.
fn store_exists(path: &Path) -> bool {
    path.exists() || wal::log_path(path).exists()
}

/// Refuses to read a store that does not exist, saying how to make one.
fn no_store(path: &Path) -> anyhow::Error {
    let p = path.display();
    anyhow::anyhow!(
        "there is no store at {p}: create one with `factgraph init --db {p}` \
         (`--schema open` for any labels), or fill one with `factgraph load`, \
         `factgraph import` or `factgraph extract` and `--db {p}`"
    )
}

/// Says on standard error that `run` or `repl` is about to create the store
/// at `path` with the news schema, and how to get an open one instead.
fn note_new_store(path: &Path, read_only: bool) {
    if !read_only && !store_exists(path) {
        let p = path.display();
        eprintln!(
            "note: {p} does not exist; it is created with the news schema on the first change \
             (`factgraph init --db {p} --schema open` first for a store that takes any label)"
        );
    }
}

/// Opens the store at `path`, printing replay warnings (a dropped torn record) to standard error.
fn open_store(path: &Path, access: Access) -> anyhow::Result<wal::Opened> {
    if access == Access::ReadOnly && !store_exists(path) {
        return Err(no_store(path));
    }
    let opened = StoreFile::open(path, access)?;
    for w in &opened.warnings {
        eprintln!("{w}");
    }
    Ok(opened)
}

/// How a command that may change `db` opens it: for writing, unless --read-only.
fn access(read_only: bool) -> Access {
    if read_only {
        Access::ReadOnly
    } else {
        Access::Write
    }
}

/// Refuses --read-only for a command that exists to change the store.
fn refuse_read_only(read_only: bool, command: &str) -> anyhow::Result<()> {
    if read_only {
        anyhow::bail!("`factgraph {command}` changes the store; it cannot run with --read-only");
    }
    Ok(())
}

fn query_subgraph(
    graph: &mut Graph,
    text: &str,
    params: &query::Params,
    hops: u32,
) -> anyhow::Result<export::Subgraph> {
    if query::is_update(text) {
        anyhow::bail!("export takes a read-only query (MATCH ... RETURN ...)");
    }
    let result = query::run(graph, text, params)?;
    Ok(statement::subgraph(graph, &result.rows, hops))
}

/// Renders DOT text to an SVG, PNG or PDF file with Graphviz's `dot`.
fn render_dot(dot: &str, output: &Path) -> anyhow::Result<()> {
    let kind = output
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_lowercase)
        .unwrap_or_else(|| "svg".into());
    if !matches!(kind.as_str(), "svg" | "png" | "pdf") {
        anyhow::bail!("render writes .svg, .png or .pdf files, not .{kind}");
    }
    let child = std::process::Command::new("dot")
        .arg(format!("-T{kind}"))
        .arg("-o")
        .arg(output)
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => anyhow::bail!(
            "Graphviz is not installed (no `dot` command). Install it (Debian/Ubuntu: apt-get install graphviz; \
             macOS: brew install graphviz), or write DOT and render it elsewhere: factgraph export --format dot -o graph.dot"
        ),
        Err(e) => return Err(e).context("cannot run Graphviz's dot"),
    };
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(dot.as_bytes())
            .context("cannot send the graph to dot")?;
    }
    let done = child.wait_with_output().context("dot did not finish")?;
    if !done.status.success() {
        anyhow::bail!(
            "dot failed: {}",
            String::from_utf8_lossy(&done.stderr).trim()
        );
    }
    Ok(())
}

/// A script failed: the statements' errors were already printed.
#[derive(Debug, thiserror::Error)]
#[error("{0} statement(s) failed")]
struct ScriptFailed(usize);

#[allow(clippy::too_many_arguments)]
fn run_script(
    mut graph: Graph,
    mut store: Option<&mut StoreFile>,
    script: &Path,
    format: render::Format,
    params: &[String],
    continue_on_error: bool,
    commit_each: bool,
    limits: factgraph::query::Limits,
) -> anyhow::Result<()> {
    let params = parse_params(params)?;
    let (text, name) = if script.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .context("cannot read standard input")?;
        (text, "<stdin>".to_string())
    } else {
        let text = std::fs::read_to_string(script)
            .with_context(|| format!("cannot read script {}", script.display()))?;
        (text, script.display().to_string())
    };
    let options = batch::BatchOptions {
        format,
        continue_on_error,
        commit_each,
        progress: true,
        read_only: store.as_ref().is_some_and(|s| !s.writable()),
    };
    // With --commit-each each statement is appended to the store's log and
    // synced before its result is printed. A whole script is one unit that
    // the fold below makes durable at once: a log record of it would write
    // everything twice, and could outgrow a record.
    let mut save = |g: &mut Graph| match store.as_deref_mut() {
        Some(s) if s.writable() && commit_each => {
            s.append(g).map(|_| ()).map_err(|e| e.to_string())
        }
        _ => Ok(()),
    };
    let report = batch::run_limited(
        &mut graph,
        batch::Script {
            text: &text,
            name: &name,
        },
        &params,
        options,
        &limits,
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
        &mut save,
    );
    // Fold what the log holds into the snapshot: with --commit-each every
    // logged statement, else the whole script once it succeeded.
    if let Some(s) = store {
        let pending = s.has_log() || graph.has_changes();
        if s.writable() && pending && (report.failed == 0 || commit_each) {
            s.fold(&mut graph)?;
        }
    }
    if report.failed > 0 {
        return Err(ScriptFailed(report.failed).into());
    }
    Ok(())
}

fn parse_params(raw: &[String]) -> anyhow::Result<query::Params> {
    raw.iter()
        .map(|p| {
            let (name, value) = p
                .split_once('=')
                .with_context(|| format!("--param {p:?} must look like NAME=VALUE"))?;
            Ok((
                name.trim().trim_start_matches('$').to_string(),
                query::parse_param_value(value),
            ))
        })
        .collect()
}

fn run(args: Args) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    let read_only = args.read_only;
    match args.command {
        None => {
            let graph = open(None)?;
            if std::io::stdin().is_terminal() {
                drop(out);
                shell::repl::run(
                    shell::Session::new(graph, None),
                    std::io::stdout().is_terminal(),
                )?;
            } else {
                // Piped input: run it as a script against the seed graph.
                drop(out);
                return run_script(
                    graph,
                    None,
                    "-".as_ref(),
                    render::Format::Table,
                    &[],
                    false,
                    false,
                    factgraph::query::Limits::default(),
                );
            }
        }
        Some(Command::Repl {
            db,
            no_color,
            limits,
        }) => {
            drop(out);
            let mut session = match &db {
                Some(p) => {
                    note_new_store(p, read_only);
                    let opened = open_store(p, access(read_only))?;
                    shell::Session::with_store(opened.graph, opened.store)
                }
                None => shell::Session::new(open(None)?, None),
            };
            session.limits.timeout = limits.limits().timeout;
            session.limits.max_rows = limits.limits().max_rows;
            shell::repl::run(session, !no_color && std::io::stdout().is_terminal())?;
        }
        Some(Command::Run {
            script,
            db,
            format,
            params,
            continue_on_error,
            commit_each,
            limits,
        }) => {
            let (graph, mut store) = match &db {
                Some(p) => {
                    note_new_store(p, read_only);
                    let opened = open_store(p, access(read_only))?;
                    (opened.graph, Some(opened.store))
                }
                None => (open(None)?, None),
            };
            drop(out);
            return run_script(
                graph,
                store.as_mut(),
                &script,
                format,
                &params,
                continue_on_error,
                commit_each,
                limits.limits(),
            );
        }
        Some(Command::Stats { db }) => {
            write!(out, "{}", stats::report(&open(db.as_deref())?))?;
        }
        Some(Command::Schema { db }) => {
            let graph = match db {
                Some(p) => open(Some(&p))?,
                None => Graph::default(),
            };
            let schema = graph.schema();
            let which = if schema.open {
                "open (any label, relationship type and property)".to_string()
            } else if *schema == factgraph::model::Schema::news() {
                "news (built in)".to_string()
            } else {
                format!(
                    "the store's own ({} labels, {} relationship types)",
                    schema.labels.len(),
                    schema.rel_types.len()
                )
            };
            writeln!(out, "schema: {which}")?;
            write!(out, "{schema}")?;
        }
        Some(Command::Init { db, schema }) => {
            refuse_read_only(read_only, "init")?;
            if store_exists(&db) {
                anyhow::bail!(
                    "{} already holds a store: `factgraph init` only creates new ones",
                    db.display()
                );
            }
            let (schema, which) = match schema.as_str() {
                "news" => (factgraph::model::Schema::news(), "news".to_string()),
                "open" => (factgraph::model::Schema::open(), "open".to_string()),
                file => (
                    import::schema_file::read_schema_file(Path::new(file))?,
                    format!("from {file}"),
                ),
            };
            let mut opened = open_store(&db, Access::Write)?;
            let mut graph = Graph::new(schema);
            opened.store.fold(&mut graph)?;
            writeln!(out, "created {} ({which} schema, empty)", db.display())?;
        }
        Some(Command::Query {
            query,
            db,
            format,
            params,
            limits,
        }) => {
            // Only an updating query takes the write lock; --read-only refuses one.
            let updating = query::is_update(&query);
            if updating && read_only {
                anyhow::bail!(
                    "the store is open read-only (--read-only): the query changes the graph"
                );
            }
            let (mut graph, mut store) = match &db {
                // A query never creates a store (a missing one is an error).
                Some(p) if updating && store_exists(p) => {
                    let opened = open_store(p, Access::Write)?;
                    (opened.graph, Some(opened.store))
                }
                other => (open(other.as_deref())?, None),
            };
            let params = parse_params(&params)?;
            let result = statement::run_limited(&mut graph, &query, &params, &limits.limits())?;
            write!(out, "{}", render::render(&result, &graph, format))?;
            if format == render::Format::Table {
                eprintln!("{}", render::summary(&result));
            }
            if let Some(store) = store.as_mut() {
                if result.counters.any() || store.has_log() {
                    store.fold(&mut graph)?;
                }
            }
        }
        Some(Command::Export {
            db,
            query,
            format,
            output,
            hops,
            dialect,
            params,
        }) => {
            let mut graph = open(db.as_deref())?;
            let params = parse_params(&params)?;
            let sub = query_subgraph(&mut graph, &query, &params, hops)?;
            let format = match format.or_else(|| export::ExportFormat::from_path(&output)) {
                Some(f) => f,
                None => anyhow::bail!(
                    "cannot tell the format of {}: give --format",
                    output.display()
                ),
            };
            let files = if format == export::ExportFormat::Cypher {
                let mut buf = Vec::new();
                export::write_cypher(&graph, &sub, dialect, &mut buf)?;
                std::fs::write(&output, buf)
                    .with_context(|| format!("cannot write {}", output.display()))?;
                vec![output]
            } else {
                export::write_to_path(&graph, &sub, format, &output)?
            };
            for f in files {
                writeln!(
                    out,
                    "{}: {} nodes, {} relationships ({})",
                    f.display(),
                    sub.node_count(),
                    sub.edge_count(),
                    format.name()
                )?;
            }
        }
        Some(Command::Render {
            db,
            query,
            output,
            hops,
            params,
        }) => {
            let mut graph = open(db.as_deref())?;
            let params = parse_params(&params)?;
            let sub = query_subgraph(&mut graph, &query, &params, hops)?;
            let dot = export::to_string(&graph, &sub, export::ExportFormat::Dot)?;
            render_dot(&dot, &output)?;
            writeln!(
                out,
                "{}: {} nodes, {} relationships",
                output.display(),
                sub.node_count(),
                sub.edge_count()
            )?;
        }
        Some(Command::Extract {
            jsonl: true,
            db,
            errors,
            home_country,
            ..
        }) => {
            let options = extract::ExtractOptions {
                home_country,
                ..Default::default()
            };
            let bad =
                factgraph::corpus::run_extract_stream(db.as_deref(), errors.as_deref(), &options)?;
            if bad > 0 {
                anyhow::bail!("{bad} bad input line(s); see the messages above");
            }
        }
        Some(Command::Extract {
            files,
            db,
            dry_run,
            format,
            trace,
            date,
            home_country,
            ..
        }) => {
            let (mut graph, mut store) = match &db {
                Some(p) if !dry_run => {
                    refuse_read_only(read_only, "extract")?;
                    let opened = open_store(p, Access::Write)?;
                    (opened.graph, Some(opened.store))
                }
                Some(p) if p.exists() => (open(Some(p))?, None),
                _ => (Graph::default(), None),
            };
            let date = date
                .as_deref()
                .map(factgraph::model::Date::parse)
                .transpose()?;
            let options = extract::ExtractOptions {
                home_country,
                dry_run,
                source: None,
            };
            let before = graph.node_count() + graph.edge_count();
            let checkpoint = graph.checkpoint();
            for file in &files {
                let text = match facts::read_text_file(file) {
                    Ok(t) => t,
                    Err(e) => {
                        graph.rollback(checkpoint);
                        return Err(e).with_context(|| format!("cannot read {}", file.display()));
                    }
                };
                let (id, title) = shell::session::document_identity(file, &text);
                let options = extract::ExtractOptions {
                    source: Some(file.display().to_string()),
                    ..options.clone()
                };
                let report =
                    match extract::extract_document(&mut graph, &id, &title, &text, date, &options)
                    {
                        Ok(r) => r,
                        Err(e) => {
                            graph.rollback(checkpoint);
                            return Err(e)
                                .with_context(|| format!("cannot extract {}", file.display()));
                        }
                    };
                match format {
                    cli::ExtractFormat::Summary => write!(out, "{report}")?,
                    cli::ExtractFormat::Facts => write!(
                        out,
                        "{}",
                        extract::to_facts_text(&report, &text, &file.display().to_string())
                    )?,
                    cli::ExtractFormat::Json => writeln!(
                        out,
                        "{}",
                        serde_json::to_string_pretty(&extract::to_json(&report, &text))?
                    )?,
                }
                if trace {
                    for f in &report.trace {
                        writeln!(
                            out,
                            "sentence {:>3} {:>5}..{:<5} {:<28} {:?} -> {}",
                            f.sentence,
                            f.start,
                            f.end,
                            f.rule,
                            f.text,
                            f.produced.join(", ")
                        )?;
                    }
                }
            }
            graph.commit(checkpoint);
            if let (Some(path), Some(store)) = (&db, store.as_mut()) {
                store.fold(&mut graph)?;
                let after = graph.node_count() + graph.edge_count();
                writeln!(
                    out,
                    "{}: {} elements added ({} nodes, {} relationships in all)",
                    path.display(),
                    after.saturating_sub(before),
                    graph.node_count(),
                    graph.edge_count()
                )?;
            }
        }
        Some(Command::GenCorpus {
            articles,
            seed,
            out: path,
            gold,
        }) => {
            let cfg = factgraph::corpus::gen::CorpusConfig { articles, seed };
            let n = if path.as_os_str() == "-" {
                let stdout = std::io::stdout();
                let mut w = std::io::BufWriter::new(stdout.lock());
                factgraph::corpus::gen::write_corpus(&cfg, &mut w, gold.as_deref())?
            } else {
                let file = std::fs::File::create(&path)
                    .with_context(|| format!("cannot write {}", path.display()))?;
                let mut w = std::io::BufWriter::new(file);
                factgraph::corpus::gen::write_corpus(&cfg, &mut w, gold.as_deref())?
            };
            eprintln!("{}: {n} article(s)", path.display());
        }
        Some(Command::Eval { gold, verbose }) => {
            for (k, dir) in gold.iter().enumerate() {
                let report = extract::evaluate(dir)?;
                if gold.len() > 1 {
                    if k > 0 {
                        writeln!(out)?;
                    }
                    writeln!(out, "== gold set {}", dir.display())?;
                }
                if verbose {
                    write!(out, "{report:#}")?;
                } else {
                    write!(out, "{report}")?;
                }
            }
        }
        Some(Command::Import {
            db,
            nodes,
            relationships,
            format,
            delimiter,
            array_delimiter,
            quote,
            id_type,
            skip_bad_relationships,
            skip_duplicate_nodes,
            bad_tolerance,
            report_file,
            schema,
            infer_schema,
            append,
            force,
            merge,
            shards,
        }) => {
            if merge {
                let summary = import::merge::merge_files(&shards, &db, force)?;
                write!(out, "{summary}")?;
                writeln!(out, "{}: written", db.display())?;
                return Ok(());
            }
            let groups = |specs: &[String]| -> anyhow::Result<Vec<import::InputGroup>> {
                specs
                    .iter()
                    .map(|spec| {
                        import::InputGroup::parse(spec)
                            .map_err(|e| anyhow::anyhow!("{spec:?}: {e}"))
                    })
                    .collect()
            };
            let char_option = |name: &str, text: &str| -> anyhow::Result<u8> {
                import::parse_char_option(text).map_err(|e| anyhow::anyhow!("--{name}: {e}"))
            };
            let mut opts = import::ImportOptions::new(db);
            opts.nodes = groups(&nodes)?;
            opts.relationships = groups(&relationships)?;
            opts.format = format;
            opts.delimiter = char_option("delimiter", &delimiter)?;
            opts.array_delimiter = char_option("array-delimiter", &array_delimiter)?;
            opts.quote = char_option("quote", &quote)?;
            opts.id_type = id_type
                .parse()
                .map_err(|e| anyhow::anyhow!("--id-type: {e}"))?;
            opts.skip_bad_relationships = skip_bad_relationships;
            opts.skip_duplicate_nodes = skip_duplicate_nodes;
            opts.bad_tolerance = bad_tolerance;
            opts.report_file = report_file;
            opts.schema = schema;
            opts.infer_schema = infer_schema;
            opts.append = append;
            opts.force = force;
            let bar = if std::io::stderr().is_terminal() {
                indicatif::ProgressBar::new(0)
            } else {
                indicatif::ProgressBar::hidden()
            };
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{msg} {bar:30} {bytes}/{total_bytes} {elapsed}",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            // The import writes the snapshot itself: it holds the store's write
            // lock meanwhile, and first folds a log left by a crashed writer so
            // that no acknowledged change is lost under the new snapshot.
            refuse_read_only(read_only, "import")?;
            let (_writer, _lock) = if wal::log_path(&opts.db).exists() {
                let mut o = open_store(&opts.db, Access::Write)?;
                o.store.fold(&mut o.graph)?;
                (Some(o.store), None)
            } else {
                let lock = factgraph::store::lock::WriteLock::acquire(&opts.db)?;
                (None, Some(lock))
            };
            let summary = import::import(&opts, &mut |p: &import::Progress| {
                bar.set_length(p.total_bytes);
                bar.set_position(p.bytes_read);
                bar.set_message(format!(
                    "{:?}: {} rows ({:.0} rows/s)",
                    p.phase,
                    p.rows,
                    p.rows_per_sec()
                ));
            });
            bar.finish_and_clear();
            write!(out, "{}", summary?)?;
        }
        Some(Command::Gen {
            people,
            nodes,
            seed,
            edges_per_node,
            out: dir,
            format,
        }) => {
            let mut cfg = match (people, nodes) {
                (Some(people), _) => factgraph::gen::GenConfig {
                    people,
                    seed,
                    ..Default::default()
                },
                (None, n) => factgraph::gen::GenConfig::with_nodes(n.unwrap_or(0), seed),
            };
            cfg.edges_per_node = edges_per_node;
            let graph = factgraph::gen::generate(&cfg);
            let settings = serde_json::json!({
                "people": cfg.people, "seed": cfg.seed, "edges_per_node": cfg.edges_per_node,
            });
            let m = factgraph::gen::files::write_files(&graph, &dir, format, Some(settings))?;
            writeln!(
                out,
                "{}: {} nodes, {} relationships in {} files (manifest.json)",
                dir.display(),
                m.nodes,
                m.relationships,
                m.node_files.len() + m.relationship_files.len() + 1
            )?;
        }
        Some(Command::Load { facts: path, db }) => {
            refuse_read_only(read_only, "load")?;
            let opened = open_store(&db, Access::Write)?;
            let (mut graph, mut store) = (opened.graph, opened.store);
            let text = facts::read_text_file(&path)
                .with_context(|| format!("cannot read facts file {}", path.display()))?;
            let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
            let report = facts::load(&mut graph, &text, &path.display().to_string(), &|name| {
                std::fs::read_to_string(base.join(name))
            })?;
            store.fold(&mut graph)?;
            writeln!(out, "{}: {report}", db.display())?;
            write!(out, "{}", stats::report(&graph))?;
        }
    }
    Ok(())
}
