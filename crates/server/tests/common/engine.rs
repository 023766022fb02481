//! A deterministic engine for tests only: findings come from planted
//! markers, so tests control exactly what an audit finds.
//!
//! Markers, one per line, in `.sol` files:
//! - `// FINDING <severity> <detector-id>`: a finding on this line;
//! - `// SLOW <ms>`: the file takes that long to "analyse" (cancellable);
//! - `// FAIL-TIMES <n>`: the first `n` runs over this text fail.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use bulwark_report::{Confidence, FileInfo, Finding, Location, RuleDocs, RuleMeta, Severity};
use bulwark_server::engine::solidity_files;
use bulwark_server::{AuditEngine, AuditOptions, AuditOutput, EngineError};

#[derive(Default)]
pub struct MarkerEngine {
    failures: Mutex<HashMap<String, u32>>,
    /// `SLOW` lasts this many times longer (0 counts as 1).
    slow_factor: u64,
}

impl MarkerEngine {
    /// An engine on which `SLOW` markers last `factor` times longer: the
    /// server a test stops or kills mid-audit uses it, so the audit cannot
    /// finish first however slow the machine, while the server that takes
    /// the audit over runs it at the normal pace.
    pub fn slowed(factor: u64) -> MarkerEngine {
        MarkerEngine {
            slow_factor: factor,
            ..MarkerEngine::default()
        }
    }
}

fn rule(id: &str, severity: Severity) -> RuleMeta {
    RuleMeta {
        id: id.to_string(),
        title: format!("Planted {id}"),
        severity,
        confidence: Confidence::High,
        swc: vec![],
        summary: format!("A planted {id} marker."),
        docs: RuleDocs {
            what: format!("Finds the `{id}` marker."),
            why: "Tests need known findings.".into(),
            exploit: "None: this is a test fixture.".into(),
            fix: "Remove the marker.".into(),
            references: vec![],
        },
    }
}

impl AuditEngine for MarkerEngine {
    fn run(
        &self,
        dir: &Path,
        _options: &AuditOptions,
        progress: &dyn Fn(f32),
        cancel: &AtomicBool,
    ) -> Result<AuditOutput, EngineError> {
        let paths = solidity_files(dir).map_err(|e| EngineError::Failed(e.to_string()))?;
        let mut out = AuditOutput::default();
        let mut rules: HashMap<String, RuleMeta> = HashMap::new();
        for (index, rel) in paths.iter().enumerate() {
            let text = std::fs::read_to_string(dir.join(rel))
                .map_err(|e| EngineError::Failed(e.to_string()))?;
            for (line_index, line) in text.lines().enumerate() {
                let Some(at) = line.find("// ") else { continue };
                let words: Vec<&str> = line[at + 3..].split_whitespace().collect();
                match words.as_slice() {
                    ["FINDING", severity, detector, ..] => {
                        let severity: Severity =
                            severity
                                .parse()
                                .map_err(|e: bulwark_report::ParseLevelError| {
                                    EngineError::Failed(e.to_string())
                                })?;
                        let start = line.len() - line.trim_start().len() + 1;
                        let location = Location::new(
                            rel.clone(),
                            line_index as u32 + 1,
                            start as u32,
                            line_index as u32 + 1,
                            at as u32 + 1,
                        )
                        .with_contract("C")
                        .with_function("f");
                        let meta = rules
                            .entry(detector.to_string())
                            .or_insert_with(|| rule(detector, severity));
                        let mut finding = Finding::from_rule(
                            meta,
                            format!("planted {detector}: `{}`", line[..at].trim()),
                            location,
                        );
                        finding.severity = severity;
                        out.findings.push(finding);
                    }
                    ["SLOW", ms, ..] => {
                        let total: u64 = ms.parse::<u64>().unwrap_or(0) * self.slow_factor.max(1);
                        let mut waited = 0;
                        while waited < total {
                            if cancel.load(Ordering::Relaxed) {
                                return Err(EngineError::Cancelled);
                            }
                            std::thread::sleep(Duration::from_millis(10));
                            waited += 10;
                            progress(
                                (index as f32 + waited as f32 / total as f32) / paths.len() as f32,
                            );
                        }
                    }
                    ["FAIL-TIMES", n, ..] => {
                        let limit: u32 = n.parse().unwrap_or(0);
                        let mut failures = self.failures.lock().unwrap();
                        let seen = failures.entry(text.clone()).or_default();
                        if *seen < limit {
                            *seen += 1;
                            return Err(EngineError::Failed(format!(
                                "planted failure {} of {limit}",
                                *seen
                            )));
                        }
                    }
                    _ => {}
                }
            }
            out.files.push(FileInfo::new(rel.clone(), text));
            progress((index + 1) as f32 / paths.len().max(1) as f32);
        }
        let mut rules: Vec<RuleMeta> = rules.into_values().collect();
        rules.sort_by(|a, b| a.id.cmp(&b.id));
        out.rules = rules;
        Ok(out)
    }
}
