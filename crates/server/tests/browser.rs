//! Browser end-to-end test of the web workspace: runs a real server (test
//! engine) and drives headless Chromium through `e2e/workspace.test.mjs`
//! (playwright-core, pinned in `e2e/package-lock.json`). Skips with a
//! message when Chromium or the npm packages are not installed
//! (`npm ci --prefix crates/server/e2e`, Debian's `chromium`).

mod common;

use std::path::Path;
use std::process::Command;

use common::{tar_gz, Backend, TestServer, TOKEN_V1, VAULT_V1, VAULT_V2};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn workspace_in_headless_chromium() {
    let e2e = Path::new(env!("CARGO_MANIFEST_DIR")).join("e2e");
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !e2e.join("node_modules/playwright-core").exists() || !Path::new(&chromium).exists() {
        eprintln!(
            "SKIPPED: the browser test needs `npm ci --prefix crates/server/e2e` and Debian's chromium at {chromium}"
        );
        return;
    }
    let mut srv = TestServer::start(Backend::Sqlite).await.unwrap();
    let (_, key) = srv.new_org("e2e").await;
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("e2e-output");
    std::fs::create_dir_all(&out).unwrap();
    let archive = srv.dir.0.join("vault.tar.gz");
    std::fs::write(
        &archive,
        tar_gz(&[("src/Vault.sol", VAULT_V1), ("src/Token.sol", TOKEN_V1)]),
    )
    .unwrap();

    let retest = srv.dir.0.join("vault-fixed.tar.gz");
    std::fs::write(
        &retest,
        tar_gz(&[("src/Vault.sol", VAULT_V2), ("src/Token.sol", TOKEN_V1)]),
    )
    .unwrap();

    let base = srv.base.clone();
    let run = tokio::task::spawn_blocking(move || {
        Command::new("node")
            .args(["--test", "workspace.test.mjs"])
            .current_dir(&e2e)
            .env("BULWARK_E2E_URL", base)
            .env("BULWARK_E2E_KEY", key)
            .env("BULWARK_E2E_ARCHIVE", &archive)
            .env("BULWARK_E2E_RETEST_ARCHIVE", &retest)
            .env("BULWARK_E2E_OUT", &out)
            .env("CHROMIUM", chromium)
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        run.status.success(),
        "browser test failed:\n{stdout}\n{stderr}"
    );
    let screenshot = Path::new(env!("CARGO_TARGET_TMPDIR")).join("e2e-output/workspace.png");
    assert!(
        std::fs::metadata(&screenshot)
            .map(|m| m.len() > 10_000)
            .unwrap_or(false),
        "no screenshot at {}",
        screenshot.display()
    );
    eprintln!("screenshot kept at {}", screenshot.display());
    srv.stop().await;
}
