//! The interactive shell and its pieces: statement splitting (shared with
//! batch scripts), the session with its meta-commands, and the line editor.

pub mod helper;
pub mod repl;
pub mod session;
pub mod split;

pub use session::{Output, Session, META_COMMANDS};
