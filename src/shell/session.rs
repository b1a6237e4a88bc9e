//! A shell session: the open graph, its file, parameters and output settings,
//! and the meta-commands. Kept apart from line editing so that it can be
//! driven and tested without a terminal.

use std::fmt::Write;
use std::path::{Path, PathBuf};

use crate::facts;
use crate::model::closest;
use crate::query::{self, Params};
use crate::render::{self, Format};
use crate::store::wal::{Access, StoreFile};
use crate::store::{codec, Graph};

/// A meta-command: its name, argument synopsis and one-line help.
pub struct MetaCommand {
    /// Name without the colon.
    pub name: &'static str,
    /// Arguments, for help.
    pub args: &'static str,
    /// What it does.
    pub help: &'static str,
}

/// Every meta-command; help, completion and suggestions read this table.
pub const META_COMMANDS: &[MetaCommand] = &[
    MetaCommand {
        name: "help",
        args: "[topic]",
        help: "this list, or help on a topic: queries, patterns, functions, formats, params",
    },
    MetaCommand {
        name: "schema",
        args: "",
        help: "labels and relationship types with their properties and endpoints",
    },
    MetaCommand {
        name: "stats",
        args: "",
        help: "node counts per label and relationship counts per type",
    },
    MetaCommand {
        name: "open",
        args: "FILE",
        help: "open a store file (creating it if it does not exist); saves unsaved changes first",
    },
    MetaCommand {
        name: "save",
        args: "[FILE]",
        help: "save the graph to its file, or to FILE (which becomes its file)",
    },
    MetaCommand {
        name: "load",
        args: "FACTS_FILE",
        help: "load a facts file into the graph (all or nothing)",
    },
    MetaCommand {
        name: "format",
        args: "table|json|jsonl|csv",
        help: "how results are printed",
    },
    MetaCommand {
        name: "params",
        args: "",
        help: "list query parameters",
    },
    MetaCommand {
        name: "param",
        args: "NAME VALUE",
        help: "set parameter $NAME to a Cypher literal, else JSON, else text; without VALUE, remove it",
    },
    MetaCommand {
        name: "timing",
        args: "on|off",
        help: "show row counts and elapsed time after each result",
    },
    MetaCommand {
        name: "set",
        args: "[timeout|max-rows VALUE]",
        help:
            "show or set the limits of each query: timeout SECS (0 = none), max-rows N (0 = none)",
    },
    MetaCommand {
        name: "quit",
        args: "",
        help: "leave (unsaved changes are saved first; see :help saving)",
    },
];

/// The open graph and the session's settings.
pub struct Session {
    /// The graph.
    pub graph: Graph,
    /// The file it is saved to, if any (none for the bundled seed graph).
    pub path: Option<PathBuf>,
    /// The open store file with its write-ahead log, when the session has one.
    pub store: Option<StoreFile>,
    /// Whether the graph has changes not yet saved.
    pub dirty: bool,
    /// Query parameters.
    pub params: Params,
    /// Output format.
    pub format: Format,
    /// Whether to print counts and time.
    pub timing: bool,
    /// Row and time limits of each query, and the flag that cancels the running one.
    pub limits: query::Limits,
}

/// What handling one input produced.
pub struct Output {
    /// Text for standard output.
    pub text: String,
    /// Whether it is an error.
    pub error: bool,
    /// Whether the session should end.
    pub quit: bool,
}

impl Output {
    fn ok(text: impl Into<String>) -> Output {
        Output {
            text: text.into(),
            error: false,
            quit: false,
        }
    }
    fn err(text: impl Into<String>) -> Output {
        Output {
            text: text.into(),
            error: true,
            quit: false,
        }
    }
}

impl Session {
    /// A session on `graph`, saved to `path` if given.
    pub fn new(graph: Graph, path: Option<PathBuf>) -> Session {
        Session {
            graph,
            path,
            store: None,
            dirty: false,
            params: Params::new(),
            format: Format::Table,
            timing: true,
            limits: query::Limits {
                cancel: Some(Default::default()),
                ..query::Limits::default()
            },
        }
    }

    /// A session on an open store: each change is logged to its write-ahead
    /// log before it is reported, and folded into the snapshot on `:save` and
    /// on leaving.
    pub fn with_store(mut graph: Graph, store: StoreFile) -> Session {
        graph.track_changes();
        let path = store.path().to_path_buf();
        let mut s = Session::new(graph, Some(path));
        s.dirty = store.has_log();
        s.store = Some(store);
        s
    }

    /// Whether the session's store was opened with --read-only.
    pub fn read_only(&self) -> bool {
        self.store.as_ref().is_some_and(|s| !s.writable())
    }

    fn read_only_refusal(&self) -> Output {
        let path = self
            .path
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        Output::err(format!(
            "error: {path} is open read-only (--read-only): statements that change the graph are refused\n"
        ))
    }

    /// Runs `unit` as one acknowledged unit of work: with a store, what it
    /// changed is appended to the log and synced before its output is
    /// returned; if that fails, the change is undone and reported.
    fn logged(&mut self, unit: impl FnOnce(&mut Session) -> Output) -> Output {
        if self.store.is_none() {
            return unit(self);
        }
        let cp = self.graph.checkpoint();
        let out = unit(self);
        let Some(store) = self.store.as_mut() else {
            self.graph.commit(cp);
            return out;
        };
        if out.error {
            // A failed unit leaves nothing behind, in memory or in the log.
            self.graph.rollback(cp);
            self.graph.discard_changes();
            return out;
        }
        if !store.writable() {
            if self.graph.has_changes() {
                self.graph.rollback(cp);
                self.graph.discard_changes();
                return self.read_only_refusal();
            }
            self.graph.commit(cp);
            return out;
        }
        match store.append(&mut self.graph) {
            Ok(appended) => {
                self.graph.commit(cp);
                self.dirty |= appended;
                if !store.should_fold() {
                    return out;
                }
                // The change is durable already; a failed fold only leaves the log longer.
                match store.fold(&mut self.graph) {
                    Ok(()) => self.dirty = false,
                    Err(e) => eprintln!("warning: the log could not be folded into the store: {e}"),
                }
                out
            }
            Err(e) => {
                self.graph.rollback(cp);
                self.graph.discard_changes();
                Output::err(format!(
                    "{}error: the change was undone because it could not be made durable: {e}\n",
                    out.text
                ))
            }
        }
    }

    /// Runs one statement as a unit of work (see [`Session::logged`]).
    fn logged_query(&mut self, statement: &str) -> Output {
        if self.read_only() && query::is_update(statement) {
            return self.read_only_refusal();
        }
        self.logged(|s| s.query(statement))
    }

    /// Handles one complete input: a `:command` or a query (with or without its `;`).
    pub fn handle(&mut self, input: &str) -> Output {
        let trimmed = input.trim();
        if let Some(cmd) = trimmed.strip_prefix(':') {
            return self.meta(cmd.trim_end_matches(';').trim());
        }
        let statements = super::split::split(trimmed);
        let mut text = String::new();
        for s in statements {
            let out = self.logged_query(&s.text);
            text.push_str(&out.text);
            if out.error {
                return Output::err(text);
            }
        }
        Output::ok(text)
    }

    /// Runs one statement and renders its result.
    pub fn query(&mut self, statement: &str) -> Output {
        // A Ctrl-C from before this statement must not cancel it.
        if let Some(flag) = &self.limits.cancel {
            flag.store(false, std::sync::atomic::Ordering::Relaxed);
        }
        match crate::statement::run_limited(&mut self.graph, statement, &self.params, &self.limits)
        {
            Ok(result) => {
                if result.counters.any() {
                    self.dirty = true;
                }
                let mut text = render::render(&result, &self.graph, self.format);
                if self.timing && self.format == Format::Table {
                    let _ = writeln!(text, "{}", render::summary(&result));
                }
                Output::ok(text)
            }
            Err(e) => Output::err(format!("error [{}]: {e}\n", e.code())),
        }
    }

    fn meta(&mut self, line: &str) -> Output {
        let (name, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        let rest = rest.trim();
        match name {
            "help" | "h" | "?" => Output::ok(help(rest)),
            "schema" => Output::ok(self.graph.schema().to_string()),
            "stats" => Output::ok(crate::stats::report(&self.graph)),
            "quit" | "q" | "exit" => {
                let mut out = self.save_on_exit();
                out.quit = true;
                out
            }
            "save" => {
                let target = if rest.is_empty() {
                    self.path.clone()
                } else {
                    Some(PathBuf::from(rest))
                };
                match target {
                    None => Output::err("the bundled seed graph has no file: use :save FILE\n"),
                    Some(p) => self.save_to(&p),
                }
            }
            "open" => {
                if rest.is_empty() {
                    return Output::err("usage: :open FILE\n");
                }
                let saved = self.save_if_dirty();
                if saved.error {
                    return saved;
                }
                self.open_file(PathBuf::from(rest), saved.text)
            }
            "load" => {
                if self.read_only() {
                    return self.read_only_refusal();
                }
                self.logged(|s| s.load_file(rest))
            }
            "export" => {
                let mut parts = rest.splitn(3, char::is_whitespace);
                let (Some(format), Some(file), Some(q)) =
                    (parts.next(), parts.next(), parts.next())
                else {
                    return Output::err("usage: :export FORMAT FILE QUERY   e.g. :export graphml out.graphml MATCH p=(a:Person)--() RETURN p\n");
                };
                let q = q.trim().trim_end_matches(';');
                let quoted = file.replace('\'', "\\'");
                self.query(&format!("EXPORT ({q}) TO '{quoted}' FORMAT {format}"))
            }
            "format" => match rest {
                "table" => self.set_format(Format::Table),
                "json" => self.set_format(Format::Json),
                "jsonl" => self.set_format(Format::Jsonl),
                "csv" => self.set_format(Format::Csv),
                "" => Output::ok(format!("format: {:?}\n", self.format).to_lowercase()),
                other => Output::err(format!(
                    "unknown format {other:?}: use table, json, jsonl or csv\n"
                )),
            },
            "params" => {
                if self.params.is_empty() {
                    return Output::ok("no parameters; set one with :param name value\n");
                }
                let mut text = String::new();
                for (k, v) in &self.params {
                    let _ = writeln!(text, "${k} = {}", v.render(&self.graph));
                }
                Output::ok(text)
            }
            "param" => {
                let (pname, value) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
                let pname = pname.trim_start_matches('$');
                if pname.is_empty() {
                    return Output::err("usage: :param NAME VALUE\n");
                }
                if value.trim().is_empty() {
                    self.params.remove(pname);
                    return Output::ok(format!("${pname} removed\n"));
                }
                let v = query::parse_param_value(value.trim());
                let shown = v.render(&self.graph);
                self.params.insert(pname.to_string(), v);
                Output::ok(format!("${pname} = {shown}\n"))
            }
            "timing" => match rest {
                "on" => {
                    self.timing = true;
                    Output::ok("timing on\n")
                }
                "off" => {
                    self.timing = false;
                    Output::ok("timing off\n")
                }
                _ => Output::err("usage: :timing on|off\n"),
            },
            "set" => self.set_limit(rest),
            other => {
                let suggestion = closest(other, META_COMMANDS.iter().map(|c| c.name))
                    .map(|s| format!(" (did you mean :{s}?)"))
                    .unwrap_or_default();
                Output::err(format!(
                    "unknown command :{other}{suggestion}; :help lists the commands\n"
                ))
            }
        }
    }

    /// `:load FILE`: a facts file, or a plain-text article to extract from.
    fn load_file(&mut self, rest: &str) -> Output {
        if rest.is_empty() {
            return Output::err("usage: :load FILE (a .facts file, or a plain-text article)\n");
        }
        let p = PathBuf::from(rest);
        let text = match std::fs::read_to_string(&p) {
            Ok(t) => t,
            Err(e) => return Output::err(format!("error: cannot read {}: {e}\n", p.display())),
        };
        if p.extension().is_none_or(|e| e != "facts") {
            return self.extract(&p, &text);
        }
        let base = p.parent().map(Path::to_path_buf).unwrap_or_default();
        match facts::load(&mut self.graph, &text, rest, &|name| {
            std::fs::read_to_string(base.join(name))
        }) {
            Ok(report) => {
                self.dirty = true;
                Output::ok(format!("{report}\n"))
            }
            Err(e) => Output::err(format!("error: {e}\n")),
        }
    }

    /// `:open FILE` on a store (created on the first change if missing),
    /// with its log replayed. A read-only session opens it read-only.
    fn open_file(&mut self, p: PathBuf, saved: String) -> Output {
        let access = if self.read_only() {
            Access::ReadOnly
        } else {
            Access::Write
        };
        // Reopening the store this session holds: its lock must be let go first.
        if self.store.as_ref().is_some_and(|s| {
            s.path() == p || std::path::absolute(s.path()).ok() == std::path::absolute(&p).ok()
        }) {
            self.store = None;
        }
        let opened = match StoreFile::open(&p, access) {
            Ok(o) => o,
            Err(e) => return Output::err(format!("{saved}error: {e}\n")),
        };
        let mut msg = saved;
        for w in &opened.warnings {
            let _ = writeln!(msg, "{w}");
        }
        let _ = writeln!(
            msg,
            "opened {} ({} nodes, {} relationships)",
            p.display(),
            opened.graph.node_count(),
            opened.graph.edge_count()
        );
        let mut graph = opened.graph;
        graph.track_changes();
        self.graph = graph;
        self.path = Some(p);
        self.dirty = opened.store.has_log();
        self.store = Some(opened.store);
        Output::ok(msg)
    }

    /// Extracts facts from a plain-text article into the graph.
    fn extract(&mut self, path: &Path, text: &str) -> Output {
        let (id, title) = document_identity(path, text);
        let options = crate::extract::ExtractOptions {
            source: Some(path.display().to_string()),
            ..Default::default()
        };
        match crate::extract::extract_document(&mut self.graph, &id, &title, text, None, &options) {
            Ok(report) => {
                self.dirty = true;
                Output::ok(format!("{report}"))
            }
            Err(e) => Output::err(format!("error: {e}\n")),
        }
    }

    fn set_limit(&mut self, rest: &str) -> Output {
        let (key, value) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
        let value = value.trim();
        let shown = |l: &query::Limits| {
            format!(
                "timeout: {}\nmax-rows: {}\n",
                l.timeout
                    .map_or("none".to_string(), |t| format!("{} s", t.as_secs_f64())),
                l.max_rows.map_or("none".to_string(), |n| n.to_string())
            )
        };
        let outcome = match (key, value) {
            ("", _) => return Output::ok(shown(&self.limits)),
            ("timeout", v) if !v.is_empty() => {
                query::parse_timeout(v).map(|t| self.limits.timeout = t)
            }
            ("max-rows", v) if !v.is_empty() => {
                query::parse_max_rows(v).map(|n| self.limits.max_rows = n)
            }
            _ => Err("usage: :set timeout SECS | :set max-rows N (0 for no limit)".to_string()),
        };
        match outcome {
            Ok(()) => Output::ok(shown(&self.limits)),
            Err(e) => Output::err(format!("{e}\n")),
        }
    }

    fn set_format(&mut self, f: Format) -> Output {
        self.format = f;
        Output::ok(format!("format: {f:?}\n").to_lowercase())
    }

    fn save_to(&mut self, p: &Path) -> Output {
        if let Some(store) = self.store.as_mut() {
            if !store.writable() {
                return self.read_only_refusal();
            }
            let same = |a: &Path, b: &Path| {
                a == b || std::path::absolute(a).ok() == std::path::absolute(b).ok()
            };
            let result = if same(store.path(), p) {
                store.fold(&mut self.graph)
            } else {
                StoreFile::create(&mut self.graph, p).map(|new| {
                    self.store = Some(new);
                })
            };
            return match result {
                Ok(()) => {
                    self.path = Some(p.to_path_buf());
                    self.dirty = false;
                    Output::ok(format!("saved to {}\n", p.display()))
                }
                Err(e) => Output::err(format!("error: {e}\n")),
            };
        }
        match codec::save(&self.graph, p) {
            Ok(()) => {
                self.path = Some(p.to_path_buf());
                self.dirty = false;
                Output::ok(format!("saved to {}\n", p.display()))
            }
            Err(e) => Output::err(format!("error: {e}\n")),
        }
    }

    fn save_if_dirty(&mut self) -> Output {
        if self.read_only() {
            return Output::ok("");
        }
        if !self.dirty {
            return Output::ok("");
        }
        match self.path.clone() {
            Some(p) => self.save_to(&p),
            None => self.save_unnamed(),
        }
    }

    /// Saves unsaved changes before leaving: to the open file, or, for the
    /// bundled seed graph, to a new file in the data directory (never lost).
    pub fn save_on_exit(&mut self) -> Output {
        self.save_if_dirty()
    }

    fn save_unnamed(&mut self) -> Output {
        let dir = data_dir();
        if let Err(e) = std::fs::create_dir_all(&dir) {
            return Output::err(format!("error: cannot create {}: {e}\n", dir.display()));
        }
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        let p = dir.join(format!("unsaved-{stamp}.fg"));
        let out = self.save_to(&p);
        if out.error {
            return out;
        }
        Output::ok(format!(
            "the bundled seed graph had unsaved changes; they are saved in {}\n(open them with: factgraph repl --db {})\n",
            p.display(),
            p.display()
        ))
    }
}

/// A document id and title for an article file: the id from the file name
/// ([`crate::extract::document_id`]), the title from its first line.
pub fn document_identity(path: &Path, text: &str) -> (String, String) {
    let id = crate::extract::document_id(&path.display().to_string());
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let first_line = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim();
    let title: String = if first_line.chars().count() > 100 {
        first_line
            .chars()
            .take(99)
            .chain(std::iter::once('…'))
            .collect()
    } else {
        first_line.to_string()
    };
    (id, if title.is_empty() { stem } else { title })
}

/// Where the shell keeps its history and rescued sessions: `$FACTGRAPH_HOME`,
/// else `$XDG_DATA_HOME/factgraph`, else `~/.local/share/factgraph`.
pub fn data_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("FACTGRAPH_HOME") {
        return PathBuf::from(d);
    }
    if let Some(d) = std::env::var_os("XDG_DATA_HOME").filter(|d| !d.is_empty()) {
        return PathBuf::from(d).join("factgraph");
    }
    match std::env::var_os("HOME") {
        Some(h) => PathBuf::from(h).join(".local/share/factgraph"),
        None => PathBuf::from(".factgraph"),
    }
}

fn help(topic: &str) -> String {
    let mut s = String::new();
    match topic {
        "" => {
            let _ = writeln!(s, "Type a query ending with ; (it may span lines), or a :command.\n");
            for c in META_COMMANDS {
                let _ = writeln!(s, "  :{:<8} {:<22} {}", c.name, c.args, c.help);
            }
            let _ = writeln!(s, "\nTopics: :help queries | patterns | functions | formats | params | saving");
            let _ = writeln!(s, "Keys: Tab completes, Ctrl-C cancels the input or the running query, Ctrl-D leaves.");
        }
        "queries" => {
            s.push_str(
                "openCypher clauses: MATCH, OPTIONAL MATCH, WHERE, WITH, UNWIND, RETURN [DISTINCT] ... ORDER BY ... SKIP ... LIMIT,\n\
                 UNION [ALL], CREATE, MERGE ... ON CREATE SET / ON MATCH SET, SET, REMOVE, [DETACH] DELETE, CALL db.labels() etc.\n\
                 Prefix EXPLAIN to see the plan, PROFILE to run it with rows and time per clause.\n\
                 Example: MATCH (p:Person)-[:HOLDS]->(r:Role)-[:ROLE_OF]->(c:Country) RETURN p.name, r.name, c.name;\n",
            );
        }
        "patterns" => {
            s.push_str(
                "(n:Label {key: value})  -[:TYPE]->  <-[r:A|B]-  -[*1..3]-  p = (a)-->(b)  shortestPath((a)-[*]-(b))\n\
                 Shortest paths honour WHERE all(...)/none(...) over nodes(p) or relationships(p) while searching, e.g.\n\
                 MATCH p = shortestPath((a)-[*]-(b)) WHERE none(n IN nodes(p) WHERE n:Document) RETURN p;\n",
            );
        }
        "functions" => {
            let mut names: Vec<&str> = query::FUNCTIONS.iter().chain(query::AGGREGATES).copied().collect();
            names.sort_unstable();
            let _ = writeln!(s, "{}", names.join(", "));
            let _ = writeln!(s, "provenance(x) lists the sources of a node or relationship: document, sentence, start, end, quote, text.");
        }
        "formats" => s.push_str(":format table (default) | json | jsonl | csv\n"),
        "params" => s.push_str(":param name 'value' sets $name; :params lists them; queries use $name.\n"),
        "saving" => s.push_str(
            "With a store file, each change is appended to its log (FILE.wal) and synced before its result is shown,\n\
             so a crash loses nothing that was reported; :save, :quit and Ctrl-D fold the log into the store file.\n\
             Changes to the bundled seed graph are kept in memory; on leaving they go to a new file in the data directory,\n\
             whose path is printed.\n",
        ),
        other => {
            let _ = writeln!(s, "no help on {other:?}; topics: queries, patterns, functions, formats, params, saving");
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session() -> Session {
        Session::new(crate::seed::graph().expect("seed graph"), None)
    }

    #[test]
    fn queries_render_tables_and_errors_keep_the_session() {
        let mut s = session();
        let out = s.handle("MATCH (p:Person {name: 'Steve Witkoff'}) RETURN p.name AS name;");
        assert!(!out.error, "{}", out.text);
        assert!(
            out.text.contains("Steve Witkoff") && out.text.contains("1 row"),
            "{}",
            out.text
        );
        let out = s.handle("MATCH (p:Persn) RETURN p;");
        assert!(
            out.error && out.text.contains("did you mean :Person?"),
            "{}",
            out.text
        );
        assert!(!s.handle("RETURN 1 AS one;").error);
    }

    #[test]
    fn meta_commands_and_suggestions() {
        let mut s = session();
        assert!(s.handle(":stats").text.contains("Person"));
        assert!(s.handle(":schema").text.contains("HOLDS"));
        let out = s.handle(":stast");
        assert!(
            out.error && out.text.contains("did you mean :stats?"),
            "{}",
            out.text
        );
        assert!(s
            .handle(":param who 'Marco Rubio'")
            .text
            .contains("$who = 'Marco Rubio'"));
        assert!(s.handle(":format csv").text.contains("csv"));
        let out = s.handle("MATCH (p:Person {name: $who}) RETURN p.name AS name;");
        assert_eq!(out.text, "name\nMarco Rubio\n");
        assert!(s.handle(":help").text.contains(":timing"));
    }

    #[test]
    fn changes_mark_the_session_dirty_and_save_goes_to_the_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("g.fg");
        let mut s = session();
        assert!(!s.dirty);
        let out = s.handle("CREATE (:Person {name: 'Ann Example'});");
        assert!(!out.error, "{}", out.text);
        assert!(s.dirty);
        assert!(s.handle(":save").error, "no file yet");
        assert!(!s.handle(&format!(":save {}", path.display())).error);
        assert!(!s.dirty);
        let reopened = codec::load(&path).expect("load");
        assert_eq!(reopened.node_count(), s.graph.node_count());
    }
}
