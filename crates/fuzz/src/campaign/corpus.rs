//! The corpus: sequences that reached new coverage, shared by the workers
//! in memory and kept on disk (`--corpus-dir`) as JSON, one file each, so a
//! later campaign starts where this one stopped.

use std::path::Path;

use alloy_dyn_abi::JsonAbiExt;
use revm::primitives::{Address, U256};
use serde::{Deserialize, Serialize};

use super::sequence::{Call, Sequence};
use crate::revert::hex;
use crate::world::World;

/// A corpus entry: the sequence, and the comparison operands its last call
/// made (the frontier that mutation tries to get past).
#[derive(Debug, Clone)]
pub struct Entry {
    pub seq: Sequence,
    pub cmps: Vec<(U256, U256)>,
}

#[derive(Serialize, Deserialize)]
struct StoredCall {
    sender: Address,
    target: Address,
    /// Human-readable signature; informative only.
    function: String,
    calldata: String,
    value: U256,
    warp: u64,
    roll: u64,
}

#[derive(Serialize, Deserialize)]
struct StoredSequence {
    calls: Vec<StoredCall>,
}

/// JSON text of a sequence.
pub fn to_json(world: &World, seq: &[Call]) -> String {
    let calls = seq
        .iter()
        .map(|c| {
            let t = &world.targets[c.target];
            let f = &t.functions[c.func];
            StoredCall {
                sender: c.sender,
                target: t.address,
                function: f.function.signature(),
                calldata: format!("0x{}", hex(&f.calldata(&c.args))),
                value: c.value,
                warp: c.warp,
                roll: c.roll,
            }
        })
        .collect();
    serde_json::to_string_pretty(&StoredSequence { calls }).unwrap_or_default()
}

/// Parses a stored sequence against this world; `None` if it names a
/// target or function the world does not have (the harness changed).
pub fn from_json(world: &World, text: &str) -> Option<Sequence> {
    let stored: StoredSequence = serde_json::from_str(text).ok()?;
    stored
        .calls
        .into_iter()
        .map(|c| {
            let target = world.targets.iter().position(|t| t.address == c.target)?;
            let data = decode_hex(&c.calldata)?;
            if data.len() < 4 {
                return None;
            }
            let func = world.targets[target]
                .functions
                .iter()
                .position(|f| f.function.selector().0 == data[..4])?;
            let args = world.targets[target].functions[func]
                .function
                .abi_decode_input(&data[4..])
                .ok()?;
            Some(Call {
                sender: c.sender,
                target,
                func,
                args,
                value: c.value,
                warp: c.warp,
                roll: c.roll,
            })
        })
        .collect()
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    let t = text.trim_start_matches("0x");
    (0..t.len())
        .step_by(2)
        .map(|i| t.get(i..i + 2).and_then(|b| u8::from_str_radix(b, 16).ok()))
        .collect()
}

/// Loads every readable sequence in `dir` (missing directory: none).
pub fn load_dir(world: &World, dir: &Path) -> Vec<Sequence> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return vec![];
    };
    let mut paths: Vec<_> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    // Sorted for determinism.
    paths.sort();
    paths
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .filter_map(|t| from_json(world, &t))
        .filter(|s| !s.is_empty())
        .collect()
}

/// Writes a sequence under a name derived from its content (so the same
/// sequence is stored once).
pub fn save(world: &World, dir: &Path, seq: &[Call]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let text = to_json(world, seq);
    let name = format!(
        "{}.json",
        &hex(revm::primitives::keccak256(text.as_bytes()).as_slice())[..16]
    );
    let path = dir.join(name);
    if !path.exists() {
        std::fs::write(path, text)?;
    }
    Ok(())
}
