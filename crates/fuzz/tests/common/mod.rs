//! Shared helpers for the integration tests: a compiler manager that uses
//! the repository's pinned solc-js (tools/solcjs) and never a native solc,
//! so results do not depend on the machine.

#![allow(dead_code)]

use std::path::PathBuf;
use std::time::Duration;

use bulwark_fuzz::campaign::{CampaignConfig, CampaignResult};
use bulwark_fuzz::compiler::CompilerManager;
use bulwark_fuzz::{prepare, FuzzOptions, Session};

/// The repository root (two levels above this crate).
pub fn repo_root() -> PathBuf {
    let tests = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .canonicalize()
        .unwrap();
    tests.ancestors().nth(3).unwrap().to_path_buf()
}

pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Uses tools/solcjs when installed (`npm ci --prefix tools/solcjs`);
/// otherwise falls back to installing solc-js from npm into a cache under
/// the target directory.
pub fn manager() -> CompilerManager {
    CompilerManager {
        cache_dir: PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bulwark-cache"),
        solcjs_dirs: vec![repo_root().join("tools/solcjs")],
        use_native: false,
        native_solc: None,
        verbose: false,
    }
}

pub fn options(name: &str, contract: Option<&str>, runs: u64) -> FuzzOptions {
    let mut opts = FuzzOptions::new(fixture(name));
    opts.harness.contract = contract.map(String::from);
    opts.campaign = CampaignConfig {
        workers: 1,
        seed: 1,
        // Only a guard: the budget is `runs`, so results do not depend on load.
        time_limit: Some(Duration::from_secs(900)),
        runs: Some(runs),
        seq_len: 20,
        // Shrinking is bounded by its replay budget; the time limit is only
        // a guard, so that results do not depend on the machine's load.
        shrink_time: Duration::from_secs(900),
        ..CampaignConfig::default()
    };
    opts
}

pub fn fuzz_fixture(name: &str, contract: Option<&str>, runs: u64) -> (Session, CampaignResult) {
    let opts = options(name, contract, runs);
    let session = prepare(&opts, &manager()).unwrap_or_else(|e| panic!("{name}: {e}"));
    let result = session.run(&opts.campaign, None).unwrap();
    (session, result)
}
