//! Every proof of concept the fuzzer writes for the planted bugs compiles
//! and fails under `forge test` for the reason the fuzzer reported. Needs
//! forge (tools/forge, `npm ci --prefix tools/forge`, or on PATH); without
//! it the test says so and passes.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use bulwark_fuzz::prepare;

fn forge_binary() -> Option<PathBuf> {
    let pinned = common::repo_root()
        .join("tools/forge/node_modules/@foundry-rs/forge-linux-amd64/bin/forge");
    if pinned.is_file() {
        return Some(pinned);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join("forge"))
        .find(|p| p.is_file())
}

/// A Foundry project in a temporary directory whose `solc` is a script
/// forwarding to the pinned solc-js through Bulwark's wrapper.
fn forge_project(dir: &Path, solc_package: &Path) {
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::create_dir_all(dir.join("test")).unwrap();
    let wrapper = bulwark_fuzz::compiler::ensure_wrapper(dir).unwrap();
    let script = dir.join("solc");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nexec node '{}' '{}' \"$@\"\n",
            wrapper.display(),
            solc_package.display()
        ),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    std::fs::write(
        dir.join("foundry.toml"),
        format!(
            "[profile.default]\nsrc = \"src\"\ntest = \"test\"\nout = \"out\"\nsolc = \"{}\"\noffline = true\n",
            script.display()
        ),
    )
    .unwrap();
}

/// (fixture, harness, expected failures as (PoC file name fragment,
/// expected substring of forge's failure reason)).
type Case = (
    &'static str,
    Option<&'static str>,
    &'static [(&'static str, &'static str)],
);

const CASES: [Case; 6] = [
    (
        "StateMachine.sol",
        None,
        &[("echidna_stays_locked", "echidna_stays_locked is false")],
    ),
    (
        "MagicConstant.sol",
        Some("MagicConstant"),
        &[("configure", "AssertionFailed event emitted")],
    ),
    (
        "Vesting.sol",
        None,
        &[("echidna_never_overpays", "echidna_never_overpays is false")],
    ),
    (
        "MultiSender.sol",
        None,
        &[("invariant_supply", "balances exceed supply")],
    ),
    (
        "Rounding.sol",
        Some("Rounding"),
        &[("withdraw", "assertion failed")],
    ),
    // Arguments of every ABI shape: structs with nested arrays, fixed
    // arrays, enums, bytes, string arrays, contracts, payable addresses.
    (
        "ComplexArgs.sol",
        Some("ComplexArgs"),
        &[
            ("settle", "assertion failed"),
            ("blob", "AssertionFailed event emitted"),
            ("check", "assertion failed"),
            ("batch", "assertion failed"),
        ],
    ),
];

#[test]
fn proofs_of_concept_fail_under_forge_for_the_right_reason() {
    let Some(forge) = forge_binary() else {
        eprintln!(
            "SKIPPED: forge not found (run `npm ci --prefix tools/forge` or put forge on PATH)"
        );
        return;
    };
    let manager = common::manager();
    let solc_package = manager
        .installed()
        .into_iter()
        .find_map(|s| match s {
            bulwark_fuzz::compiler::Solc::SolcJs {
                package_dir,
                version,
            } if version.minor == 8 => Some(package_dir),
            _ => None,
        })
        .expect("a solc-js 0.8 package (npm ci --prefix tools/solcjs)");
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("poc-forge");
    let _ = std::fs::remove_dir_all(&dir);
    forge_project(&dir, &solc_package);

    let mut expected: Vec<(String, &str)> = Vec::new();
    for (fixture, contract, failures) in CASES {
        std::fs::copy(common::fixture(fixture), dir.join("src").join(fixture)).unwrap();
        let mut opts = common::options(fixture, contract, 3000);
        opts.path = dir.join("src").join(fixture);
        let session = prepare(&opts, &manager).unwrap_or_else(|e| panic!("{fixture}: {e}"));
        let result = session.run(&opts.campaign, None).unwrap();
        let titles: Vec<String> = session
            .failures(&result)
            .into_iter()
            .map(|v| v.title)
            .collect();
        assert_eq!(
            result.failures.len(),
            failures.len(),
            "{fixture}: {titles:#?}"
        );
        let written = session.write_pocs(&result, &dir.join("test")).unwrap();
        for (_, path) in written {
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            let (_, reason) = failures
                .iter()
                .find(|(fragment, _)| name.contains(fragment))
                .unwrap_or_else(|| panic!("{fixture}: unexpected PoC {name} ({titles:#?})"));
            expected.push((name, reason));
        }
    }

    let out = Command::new(&forge)
        .args(["test", "--json", "--offline"])
        .current_dir(&dir)
        .output()
        .expect("forge runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let json_start = stdout.find('{').unwrap_or_else(|| {
        panic!(
            "forge produced no JSON (compilation failed?)\nstdout: {stdout}\nstderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let report: serde_json::Value =
        serde_json::from_str(stdout[json_start..].trim()).expect("forge JSON");
    for (file, reason) in expected {
        let suite = report
            .as_object()
            .unwrap()
            .iter()
            .find(|(k, _)| k.starts_with(&format!("test/{file}:")))
            .unwrap_or_else(|| panic!("no forge result for {file}: {report}"))
            .1;
        let results = suite["test_results"].as_object().unwrap();
        assert_eq!(results.len(), 1, "{file}");
        let (test, r) = results.iter().next().unwrap();
        assert_eq!(r["status"], "Failure", "{file}::{test} must fail: {r}");
        let why = r["reason"].as_str().unwrap_or_default();
        assert!(
            why.contains(reason),
            "{file}::{test} failed for `{why}`, expected `{reason}`"
        );
    }
}
