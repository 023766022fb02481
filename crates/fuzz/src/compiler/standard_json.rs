//! Builds solc's standard-JSON input and reads its output into artifacts
//! and diagnostics.

use std::fmt;

use alloy_json_abi::JsonAbi;
use serde_json::{json, Value};

use super::project_config::ProjectConfig;
use super::sources::SourceSet;

/// One compiled contract.
#[derive(Debug, Clone)]
pub struct Artifact {
    /// Source unit name (path relative to the project root).
    pub unit: String,
    pub name: String,
    pub abi: JsonAbi,
    /// Creation code; `None` for interfaces, abstract contracts and code
    /// with unlinked libraries.
    pub creation_code: Option<Vec<u8>>,
    pub runtime_code: Vec<u8>,
    /// Byte ranges of the runtime code filled in at deployment
    /// (immutables); ignored when matching deployed code to artifacts.
    pub immutable_ranges: Vec<(usize, usize)>,
    /// solc's source map of the runtime code (may be empty).
    pub runtime_source_map: String,
}

impl Artifact {
    /// Whether `code` (as deployed on chain) is this artifact's runtime code.
    pub fn matches_runtime(&self, code: &[u8]) -> bool {
        if code.len() != self.runtime_code.len() || code.is_empty() {
            return false;
        }
        let mut masked = vec![false; code.len()];
        for &(start, len) in &self.immutable_ranges {
            for m in masked.iter_mut().skip(start).take(len) {
                *m = true;
            }
        }
        code.iter()
            .zip(&self.runtime_code)
            .zip(&masked)
            .all(|((a, b), m)| *m || a == b)
    }
}

/// A compiler error or warning with a position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: String,
    pub file: Option<String>,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl Diagnostic {
    pub fn is_error(&self) -> bool {
        self.severity == "error"
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.file {
            Some(file) => write!(
                f,
                "{file}:{}:{}: {}: {}",
                self.line, self.column, self.severity, self.message
            ),
            None => write!(f, "{}: {}", self.severity, self.message),
        }
    }
}

/// The standard-JSON input for `sources` with the project's settings.
pub fn build_input(sources: &SourceSet, cfg: &ProjectConfig) -> String {
    let mut srcs = serde_json::Map::new();
    for (name, text) in &sources.units {
        srcs.insert(name.clone(), json!({ "content": text }));
    }
    let mut settings = json!({
        "optimizer": { "enabled": cfg.optimizer, "runs": cfg.optimizer_runs },
        "remappings": cfg.remappings.iter().map(|r| r.to_solc()).collect::<Vec<_>>(),
        "outputSelection": { "*": { "*": [
            "abi",
            "evm.bytecode.object",
            "evm.deployedBytecode.object",
            "evm.deployedBytecode.immutableReferences",
            "evm.deployedBytecode.sourceMap"
        ] } }
    });
    if cfg.via_ir {
        settings["viaIR"] = json!(true);
    }
    if let Some(evm) = &cfg.evm_version {
        settings["evmVersion"] = json!(evm);
    }
    json!({ "language": "Solidity", "sources": srcs, "settings": settings }).to_string()
}

/// Source unit names by source-map file id.
pub type SourceIds = std::collections::BTreeMap<i64, String>;

/// Artifacts, diagnostics and source ids of a standard-JSON output.
pub fn parse_output(
    output: &str,
    sources: &SourceSet,
) -> Result<(Vec<Artifact>, Vec<Diagnostic>, SourceIds), String> {
    let root: Value = serde_json::from_str(output)
        .map_err(|e| format!("the compiler returned invalid JSON ({e})"))?;
    let diagnostics = root
        .get("errors")
        .and_then(Value::as_array)
        .map(|errs| errs.iter().map(|e| diagnostic(e, sources)).collect())
        .unwrap_or_default();
    let mut artifacts = Vec::new();
    if let Some(files) = root.get("contracts").and_then(Value::as_object) {
        for (unit, contracts) in files {
            let Some(contracts) = contracts.as_object() else {
                continue;
            };
            for (name, c) in contracts {
                artifacts.push(artifact(unit, name, c)?);
            }
        }
    }
    let mut ids = SourceIds::new();
    if let Some(files) = root.get("sources").and_then(Value::as_object) {
        for (unit, info) in files {
            if let Some(id) = info.get("id").and_then(Value::as_i64) {
                ids.insert(id, unit.clone());
            }
        }
    }
    Ok((artifacts, diagnostics, ids))
}

fn artifact(unit: &str, name: &str, c: &Value) -> Result<Artifact, String> {
    let abi: JsonAbi = match c.get("abi") {
        Some(v) => serde_json::from_value(v.clone())
            .map_err(|e| format!("{unit}:{name}: unreadable ABI ({e})"))?,
        None => JsonAbi::default(),
    };
    let hex_at = |path: &[&str]| -> Option<String> {
        let mut v = c;
        for p in path {
            v = v.get(p)?;
        }
        v.as_str().map(String::from)
    };
    let creation = hex_at(&["evm", "bytecode", "object"]).unwrap_or_default();
    let runtime = hex_at(&["evm", "deployedBytecode", "object"]).unwrap_or_default();
    let mut immutable_ranges = Vec::new();
    if let Some(refs) = c
        .pointer("/evm/deployedBytecode/immutableReferences")
        .and_then(Value::as_object)
    {
        for places in refs.values().filter_map(Value::as_array) {
            for p in places {
                let start = p.get("start").and_then(Value::as_u64).unwrap_or(0) as usize;
                let len = p.get("length").and_then(Value::as_u64).unwrap_or(0) as usize;
                immutable_ranges.push((start, len));
            }
        }
    }
    Ok(Artifact {
        unit: unit.to_string(),
        name: name.to_string(),
        abi,
        creation_code: decode_hex(&creation).filter(|c| !c.is_empty()),
        runtime_code: decode_hex(&runtime).unwrap_or_default(),
        immutable_ranges,
        runtime_source_map: hex_at(&["evm", "deployedBytecode", "sourceMap"]).unwrap_or_default(),
    })
}

/// Hex without `0x`; `None` when it holds library placeholders (`__$..$__`).
fn decode_hex(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_start_matches("0x");
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}

fn diagnostic(e: &Value, sources: &SourceSet) -> Diagnostic {
    let severity = e
        .get("severity")
        .and_then(Value::as_str)
        .unwrap_or("error")
        .to_string();
    let message = e
        .get("message")
        .and_then(Value::as_str)
        .unwrap_or("(no message)")
        .to_string();
    let loc = e.get("sourceLocation");
    let file = loc
        .and_then(|l| l.get("file"))
        .and_then(Value::as_str)
        .map(String::from);
    let start = loc
        .and_then(|l| l.get("start"))
        .and_then(Value::as_i64)
        .unwrap_or(-1);
    let (line, column) = match (&file, start) {
        (Some(f), s) if s >= 0 => sources
            .units
            .get(f)
            .map(|text| line_col(text, s as usize))
            .unwrap_or((0, 0)),
        _ => (0, 0),
    };
    // Old compilers give no structured location: keep the formatted text.
    if file.is_none() {
        if let Some(formatted) = e.get("formattedMessage").and_then(Value::as_str) {
            return Diagnostic {
                severity,
                file: None,
                line: 0,
                column: 0,
                message: formatted.lines().next().unwrap_or(&message).to_string(),
            };
        }
    }
    Diagnostic {
        severity,
        file,
        line,
        column,
        message,
    }
}

/// 1-based line and column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let col = offset
        - before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |p| p + 1)
        + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn foundry_settings_reach_the_compiler_input() {
        let mut sources = SourceSet::default();
        sources
            .units
            .insert("src/A.sol".into(), "contract A {}".into());
        let cfg = ProjectConfig {
            remappings: vec![super::super::Remapping::parse("lib/=deps/lib/").unwrap()],
            optimizer: true,
            optimizer_runs: 1000,
            via_ir: true,
            evm_version: Some("paris".into()),
            ..ProjectConfig::default()
        };
        let input: Value = serde_json::from_str(&build_input(&sources, &cfg)).unwrap();
        let settings = &input["settings"];
        assert_eq!(
            settings["optimizer"],
            json!({ "enabled": true, "runs": 1000 })
        );
        assert_eq!(settings["remappings"], json!(["lib/=deps/lib/"]));
        assert_eq!(settings["viaIR"], json!(true));
        assert_eq!(settings["evmVersion"], json!("paris"));
        assert_eq!(input["sources"]["src/A.sol"]["content"], "contract A {}");
        // No foundry.toml: solc's defaults (optimizer off, no viaIR).
        let plain: Value =
            serde_json::from_str(&build_input(&sources, &ProjectConfig::default())).unwrap();
        assert_eq!(plain["settings"]["optimizer"]["enabled"], json!(false));
        assert!(plain["settings"].get("viaIR").is_none());
    }

    #[test]
    fn reads_artifacts_and_positions_errors() {
        let mut sources = SourceSet::default();
        sources
            .units
            .insert("a.sol".into(), "line1\nline2 bad\n".into());
        let out = r#"{
          "errors": [{"severity":"error","message":"boom","sourceLocation":{"file":"a.sol","start":12,"end":15}}],
          "contracts": {"a.sol": {"C": {"abi": [], "evm": {
             "bytecode": {"object": "6001"},
             "deployedBytecode": {"object": "60aa60bb", "immutableReferences": {"3": [{"start": 1, "length": 1}]}}}}}}
        }"#;
        let (arts, diags, _) = parse_output(out, &sources).unwrap();
        assert_eq!(diags[0].to_string(), "a.sol:2:7: error: boom");
        assert_eq!(arts[0].creation_code.as_deref(), Some(&[0x60, 0x01][..]));
        assert!(arts[0].matches_runtime(&[0x60, 0x11, 0x60, 0xbb]));
        assert!(!arts[0].matches_runtime(&[0x60, 0xaa, 0x60, 0xbc]));
    }

    #[test]
    fn placeholders_mean_not_deployable() {
        assert_eq!(decode_hex("60__$abc$__"), None);
        assert_eq!(decode_hex("0x6001"), Some(vec![0x60, 0x01]));
    }
}
