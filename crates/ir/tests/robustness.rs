//! The IR must never panic, whatever the input: every Solidity file the
//! repository ships (this crate's fixtures, the differential-test fixtures)
//! goes through load + sema + the whole IR (every analysis, guards and
//! printers) intact, truncated at many points and with bytes replaced.
//!
//! `BULWARK_SHARED=/work/shared cargo test -p bulwark-ir --release --test
//! robustness -- --ignored` runs the same on the shared corpora.

use std::path::{Path, PathBuf};

use bulwark_ir::{printers, ProjectIr};
use bulwark_sema::{analyze, LoadOptions, Project};

fn sol_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            sol_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "sol") {
            out.push(p);
        }
    }
}

/// Runs everything the IR offers on one source text.
fn exercise(name: &str, src: &str) {
    let project = Project::from_sources(&[(name, src)], &LoadOptions::default());
    let model = analyze(&project);
    let ir = ProjectIr::new(&model);
    ir.build_all();
    for info in model.functions() {
        let f = ir
            .function_ir(info.decl)
            .expect("every model function has an IR");
        let _ = f.reaching_defs();
        let g = ir.guards().of(&ir, info.decl);
        for n in f.external_call_nodes() {
            let _ = ir.guards().node_is_sender_guarded(&ir, info.decl, n);
        }
        let _ = g;
        for (ix, _) in f.cfg.nodes() {
            let _ = ir.taint().condition(&ir, info.decl, ix);
            let _ = ir.access().at_node(&ir, info.contract, info.decl, ix);
        }
        let _ = ir.access().transitive(&ir, info.contract, info.decl);
    }
    let _ = printers::call_graph_dot(&ir);
    let _ = printers::function_summary(&ir);
}

/// A small deterministic generator (no dependency needed).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

/// Bytes that make interesting damage in Solidity text.
const NOISE: &[u8] = b"{}();=._ \n\"'/*+-!<>0aZ";

fn mutate_and_exercise(files: &[PathBuf], truncations: usize, flips: usize) {
    let mut rng = Lcg(0x5eed);
    for path in files {
        let Ok(src) = std::fs::read_to_string(path) else {
            continue;
        };
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        exercise(&name, &src);
        for _ in 0..truncations {
            let mut cut = (rng.next() as usize) % (src.len() + 1);
            while !src.is_char_boundary(cut) {
                cut -= 1;
            }
            exercise(&name, &src[..cut]);
        }
        for _ in 0..flips {
            let mut bytes = src.clone().into_bytes();
            for _ in 0..4 {
                if bytes.is_empty() {
                    break;
                }
                let at = (rng.next() as usize) % bytes.len();
                bytes[at] = NOISE[(rng.next() as usize) % NOISE.len()];
            }
            let text = String::from_utf8_lossy(&bytes).into_owned();
            exercise(&name, &text);
        }
    }
}

#[test]
fn repository_fixtures_intact_truncated_and_mutated() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    sol_files(&root.join("tests/fixtures"), &mut files);
    let own = files.len();
    assert!(own >= 2, "the IR fixtures are missing");
    sol_files(&root.join("../difftest/fixtures"), &mut files);
    mutate_and_exercise(&files, 6, 6);
}

#[test]
#[ignore = "validation run over the shared corpora (set BULWARK_SHARED)"]
fn shared_corpora_do_not_panic() {
    let Some(shared) = std::env::var_os("BULWARK_SHARED") else {
        panic!("set BULWARK_SHARED to the shared data directory");
    };
    let mut files = Vec::new();
    sol_files(&Path::new(&shared).join("corpora"), &mut files);
    sol_files(&Path::new(&shared).join("benchmarks"), &mut files);
    mutate_and_exercise(&files, 2, 2);
}
