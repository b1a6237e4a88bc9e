//! The interactive loop: rustyline with persistent history, multi-line input
//! ending at `;`, Ctrl-C to cancel the input and Ctrl-D to leave (saving first).

use std::io::Write;
use std::path::PathBuf;

use rustyline::config::Config;
use rustyline::error::ReadlineError;
use rustyline::history::FileHistory;
use rustyline::{CompletionType, Editor};

use super::helper::ShellHelper;
use super::session::{data_dir, Session};

/// A failure of the terminal itself (not of a query: those are printed and the loop goes on).
#[derive(Debug, thiserror::Error)]
#[error("terminal error: {0}")]
pub struct ReplError(#[from] ReadlineError);

/// The history file: `$FACTGRAPH_HISTORY`, else `history` in the data directory.
pub fn history_path() -> PathBuf {
    std::env::var_os("FACTGRAPH_HISTORY")
        .map(PathBuf::from)
        .unwrap_or_else(|| data_dir().join("history"))
}

/// Runs the shell until :quit or Ctrl-D.
pub fn run(mut session: Session, color: bool) -> Result<(), ReplError> {
    let config = Config::builder()
        .max_history_size(1000)?
        .auto_add_history(false)
        .completion_type(CompletionType::List)
        .build();
    let mut editor: Editor<ShellHelper, FileHistory> = Editor::with_config(config)?;
    editor.set_helper(Some(ShellHelper::new(color)));
    let history = history_path();
    if let Some(dir) = history.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let _ = editor.load_history(&history);
    // At the prompt the terminal is in raw mode and rustyline reads Ctrl-C as
    // a key; while a query runs it arrives as SIGINT, which from here on sets
    // the session's cancellation flag instead of killing the shell.
    if let Some(flag) = &session.limits.cancel {
        if let Err(e) = signal_hook::flag::register(signal_hook::consts::SIGINT, flag.clone()) {
            eprintln!("warning: Ctrl-C cannot cancel queries ({e}); it will end the shell");
        }
    }
    let mut out = std::io::stdout();
    let _ = writeln!(
        out,
        "factgraph {} — {} nodes, {} relationships. End queries with ; — :help for commands, Ctrl-D to leave.",
        session.path.as_ref().map_or("bundled seed graph".to_string(), |p| p.display().to_string()),
        session.graph.node_count(),
        session.graph.edge_count()
    );
    loop {
        if let Some(h) = editor.helper_mut() {
            h.refresh(&session.graph, session.params.keys().cloned());
        }
        match editor.readline("factgraph> ") {
            Ok(line) => {
                if line.trim().is_empty() {
                    continue;
                }
                // Keep the history even if what follows crashes.
                let _ = editor.add_history_entry(line.as_str());
                let _ = editor.save_history(&history);
                let result = session.handle(&line);
                if result.error {
                    eprint!("{}", result.text);
                } else {
                    let _ = write!(out, "{}", result.text);
                }
                let _ = out.flush();
                if result.quit {
                    break;
                }
            }
            Err(ReadlineError::Interrupted) => {
                let _ = writeln!(out, "(input cancelled; Ctrl-D or :quit to leave)");
            }
            Err(ReadlineError::Eof) => {
                let result = session.save_on_exit();
                let _ = write!(out, "{}", result.text);
                if result.error {
                    // Saving failed: stay, so that the work is not lost.
                    eprintln!("not leaving: the changes could not be saved; use :save FILE");
                    continue;
                }
                break;
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}
