//! Initializers: functions that set up critical state once, in place of a
//! constructor (upgradeable implementations, clones, pre-0.4.22 libraries
//! such as the Parity wallet library).
//!
//! Recognised by behaviour first: a one-shot lock
//! ([`crate::analysis::one_shot`]) on a function that stores caller-chosen
//! values into critical state. A name of the `init…` family only adds
//! evidence for functions *without* a lock — there behaviour cannot tell
//! an initializer that forgot its lock from an ordinary setter, and the
//! name is what tells the reader which of the two the author meant.

use bulwark_sema::DeclId;

use crate::analysis::one_shot::{one_shot_guard, OneShot};
use crate::detector::AnalysisContext;

/// How an entry point that writes critical state is locked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InitializerLock {
    /// Runs once: the lock found.
    OneShot(OneShot),
    /// Named like an initializer but nothing stops a second call.
    None,
}

/// Whether `name` reads as an initializer: `initialize`, `init`,
/// `initWallet`, `__Ownable_init` (but not `initiate…`).
pub fn named_like_initializer(name: &str) -> bool {
    let lower = name.trim_start_matches('_').to_ascii_lowercase();
    (lower.starts_with("init") && !lower.starts_with("initiat")) || lower.ends_with("_init")
}

/// The lock of an entry point seen as an initializer, or `None` when it is
/// neither locked once nor named like an initializer.
pub fn initializer_lock(cx: &AnalysisContext<'_>, entry: DeclId) -> Option<InitializerLock> {
    if let Some(lock) = one_shot_guard(cx, entry) {
        return Some(InitializerLock::OneShot(lock));
    }
    named_like_initializer(&cx.model.decl(entry).name).then_some(InitializerLock::None)
}

#[cfg(test)]
mod tests {
    use super::named_like_initializer;

    #[test]
    fn initializer_names() {
        for yes in [
            "initialize",
            "init",
            "initWallet",
            "__Ownable_init",
            "initialise",
        ] {
            assert!(named_like_initializer(yes), "{yes}");
        }
        for no in ["initiateTransfer", "setOwner", "reinit_later", "finish"] {
            assert!(!named_like_initializer(no), "{no}");
        }
    }
}
