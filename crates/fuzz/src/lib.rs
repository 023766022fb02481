//! bulwark-fuzz: property, assertion and invariant fuzzing of Solidity
//! contracts on an in-process EVM (revm).
//!
//! Pipeline: [`compiler`] (pick/install solc, compile via standard JSON) →
//! [`harness`] (find the properties) → [`world`] (deploy, `setUp()`, call
//! targets) → [`campaign`] (generate, mutate, coverage-guided corpus,
//! parallel workers) → [`shrink`] → [`poc`] (a Foundry test per failure) and
//! [`findings`] (the shared finding model of `bulwark-report`).
//!
//! ```no_run
//! use bulwark_fuzz::{prepare, FuzzOptions, compiler::CompilerManager};
//! let opts = FuzzOptions::new("examples/fuzz");
//! let session = prepare(&opts, &CompilerManager::from_env()).unwrap();
//! let result = session.run(&opts.campaign, None).unwrap();
//! for f in session.failures(&result) { println!("{}", f.title); }
//! ```

pub mod campaign;
pub mod compiler;
pub mod evm;
pub mod findings;
pub mod harness;
pub mod poc;
pub mod project;
pub mod render;
pub mod revert;
pub mod rng;
pub mod shrink;
pub mod values;
pub mod world;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use revm::primitives::Address;

use campaign::{CampaignConfig, CampaignResult, FailureKey, FailureRecord, Snapshot};
use compiler::{line_col, strip_comments, CompileError, CompilerManager, Solc};
use harness::{HarnessOptions, Mode};
use world::World;

/// Everything `bulwark fuzz` needs to know.
#[derive(Debug, Clone)]
pub struct FuzzOptions {
    /// A Solidity file or a project directory.
    pub path: PathBuf,
    pub harness: HarnessOptions,
    pub senders: Vec<Address>,
    pub campaign: CampaignConfig,
    /// Directory excluded from harness discovery (where PoCs are written).
    pub poc_dir: Option<PathBuf>,
}

impl FuzzOptions {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        FuzzOptions {
            path: path.into(),
            harness: HarnessOptions::default(),
            senders: world::DEFAULT_SENDERS.to_vec(),
            campaign: CampaignConfig::default(),
            poc_dir: None,
        }
    }
}

/// Why a fuzzing session could not start (all exit code 2).
#[derive(Debug, Clone)]
pub enum FuzzError {
    /// Bad path, no harness, ambiguous harness...
    Usage(String),
    Compile(CompileError),
    /// Deployment, `setUp()` or the EVM failed.
    Setup(String),
}

impl std::fmt::Display for FuzzError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FuzzError::Usage(m) | FuzzError::Setup(m) => f.write_str(m),
            FuzzError::Compile(e) => write!(f, "{e}"),
        }
    }
}

/// A compiled and deployed harness, ready for campaigns.
pub struct Session {
    pub root: PathBuf,
    pub solc: Solc,
    pub world: Arc<World>,
    /// Source text per unit name, for locations.
    pub sources: std::collections::BTreeMap<String, String>,
    /// Unit names by source-map file id.
    pub source_ids: std::collections::BTreeMap<i64, String>,
}

/// Compiles the project, picks the harness and deploys it.
pub fn prepare(opts: &FuzzOptions, manager: &CompilerManager) -> Result<Session, FuzzError> {
    let skip: Vec<PathBuf> = opts.poc_dir.iter().cloned().collect();
    let files = project::discover(
        &opts.path,
        opts.harness.contract.as_deref(),
        &opts.harness.prefix,
        &skip,
    )
    .map_err(FuzzError::Usage)?;
    let compiled =
        compiler::compile(&files.root, &files.entries, manager).map_err(FuzzError::Compile)?;
    let entry_units: Vec<String> = files
        .entries
        .iter()
        .map(|e| compiler::unit_name_for(&files.root, e))
        .collect();
    let spec = harness::select(&compiled.artifacts, &entry_units, &opts.harness)
        .map_err(FuzzError::Usage)?;
    let world = world::build_world(
        compiled.artifacts,
        &spec,
        &opts.senders,
        &opts.harness.prefix,
    )
    .map_err(FuzzError::Setup)?;
    Ok(Session {
        root: files.root,
        solc: compiled.solc,
        world: Arc::new(world),
        sources: compiled.sources.units,
        source_ids: compiled.source_ids,
    })
}

/// A source position for a failure (1-based line and column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourcePos {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub contract: String,
    pub function: Option<String>,
}

/// A failure ready for display.
#[derive(Debug, Clone)]
pub struct FailureView {
    pub title: String,
    /// `property`, `invariant` or `assertion`.
    pub kind: &'static str,
    /// Property/invariant name, or the function whose call failed an assert.
    pub name: String,
    pub message: String,
    /// The shrunk sequence, one Solidity-like line per call.
    pub calls: Vec<String>,
    pub location: Option<SourcePos>,
    pub record: FailureRecord,
}

impl Session {
    pub fn harness_name(&self) -> &str {
        &self.world.artifacts[self.world.harness_artifact].name
    }

    pub fn mode(&self) -> Mode {
        self.world.mode
    }

    pub fn run(
        &self,
        cfg: &CampaignConfig,
        status: Option<&(dyn Fn(&Snapshot) + Sync)>,
    ) -> Result<CampaignResult, FuzzError> {
        campaign::run_campaign(self.world.clone(), cfg, status).map_err(FuzzError::Setup)
    }

    /// Properties in declaration order with the failure that broke each
    /// (`None`: it held).
    pub fn property_outcomes<'r>(
        &self,
        result: &'r CampaignResult,
    ) -> Vec<(String, Option<&'r FailureRecord>)> {
        self.world
            .properties
            .iter()
            .enumerate()
            .map(|(i, p)| {
                (
                    p.name.clone(),
                    result
                        .failures
                        .iter()
                        .find(|f| f.key == FailureKey::Property(i)),
                )
            })
            .collect()
    }

    /// Every failure, properties first, ready to print or convert.
    pub fn failures(&self, result: &CampaignResult) -> Vec<FailureView> {
        result.failures.iter().map(|f| self.view(f)).collect()
    }

    fn view(&self, f: &FailureRecord) -> FailureView {
        let harness = self.harness_name().to_string();
        let (kind, name, title, location) = match &f.key {
            FailureKey::Property(p) => {
                let prop = &self.world.properties[*p];
                let kind = if self.world.mode == Mode::Invariant {
                    "invariant"
                } else {
                    "property"
                };
                let art = &self.world.artifacts[self.world.harness_artifact];
                (
                    kind,
                    prop.name.clone(),
                    format!("{kind} {harness}.{} broken", prop.name),
                    self.function_position(&art.unit, &art.name, &prop.name),
                )
            }
            FailureKey::Assertion(site) => {
                let call = f.failing_call.and_then(|i| f.sequence.get(i));
                let (contract, function, unit) = match call {
                    Some(c) => {
                        let t = &self.world.targets[c.target];
                        (
                            t.name.clone(),
                            t.functions[c.func].function.name.clone(),
                            self.world.artifacts[t.artifact].unit.clone(),
                        )
                    }
                    None => (
                        harness.clone(),
                        String::new(),
                        self.world.artifacts[self.world.harness_artifact]
                            .unit
                            .clone(),
                    ),
                };
                let _ = site;
                let precise = f
                    .site
                    .and_then(|(addr, pc)| self.statement_position(addr, pc));
                // Name the statement when the source map locates it: many
                // asserts can sit behind one entry point (`step` in a maze).
                let title = match &precise {
                    Some(p) => format!(
                        "assertion failure in {contract}.{function} ({}:{}, in {}.{})",
                        p.file,
                        p.line,
                        p.contract,
                        p.function.as_deref().unwrap_or("?")
                    ),
                    None => format!("assertion failure in {contract}.{function}"),
                };
                (
                    "assertion",
                    function.clone(),
                    title,
                    precise.or_else(|| self.function_position(&unit, &contract, &function)),
                )
            }
        };
        FailureView {
            title,
            kind,
            name,
            message: f.message.clone(),
            calls: f
                .sequence
                .iter()
                .map(|c| render::call(&self.world, c))
                .collect(),
            location,
            record: f.clone(),
        }
    }

    /// The statement that compiled to `pc` in the code deployed at `addr`
    /// (harness or target), through the artifact's source map.
    pub fn statement_position(&self, addr: Address, pc: usize) -> Option<SourcePos> {
        let artifact = if addr == self.world.harness {
            self.world.harness_artifact
        } else {
            self.world
                .targets
                .iter()
                .find(|t| t.address == addr)?
                .artifact
        };
        let art = &self.world.artifacts[artifact];
        let range = compiler::range_at(&art.runtime_code, &art.runtime_source_map, pc)?;
        let unit = self.source_ids.get(&range.file)?;
        let text = self.sources.get(unit)?;
        let (line, column) = line_col(text, range.offset);
        let (end_line, end_column) = line_col(text, range.offset + range.length);
        let clean = strip_comments(text);
        let before = &clean[..range.offset.min(clean.len())];
        let last_name_after = |keyword: &str| -> Option<String> {
            let at = before.rfind(&format!("{keyword} "))?;
            let name: String = before[at + keyword.len()..]
                .trim_start()
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            (!name.is_empty()).then_some(name)
        };
        Some(SourcePos {
            file: unit.clone(),
            line,
            column,
            end_line,
            end_column,
            contract: last_name_after("contract").unwrap_or_else(|| art.name.clone()),
            function: last_name_after("function"),
        })
    }

    /// Where `contract`'s `function` is declared in `unit` (the contract's
    /// declaration when the function is inherited or unnamed).
    pub fn function_position(
        &self,
        unit: &str,
        contract: &str,
        function: &str,
    ) -> Option<SourcePos> {
        let text = self.sources.get(unit)?;
        let clean = strip_comments(text);
        let contract_at = find_word_after(&clean, "contract", contract, 0)?;
        let func_at = if function.is_empty() {
            None
        } else {
            find_word_after(&clean, "function", function, contract_at)
        };
        let at = func_at.unwrap_or(contract_at);
        let (line, column) = line_col(text, at);
        // The declaration ends at its body's closing brace.
        let (end_line, end_column) =
            body_end(&clean, at).map_or((line, column), |end| line_col(text, end));
        Some(SourcePos {
            file: unit.to_string(),
            line,
            column,
            end_line,
            end_column,
            contract: contract.to_string(),
            function: func_at.map(|_| function.to_string()),
        })
    }

    /// Writes a PoC per failure into `dir`; returns (failure index, path).
    pub fn write_pocs(
        &self,
        result: &CampaignResult,
        dir: &Path,
    ) -> std::io::Result<Vec<(usize, PathBuf)>> {
        let ctx = poc::PocContext {
            world: &self.world,
            root: &self.root,
            solc_version: self.solc.version(),
            sources: &self.sources,
        };
        let mut out = Vec::new();
        for (i, f) in result.failures.iter().enumerate() {
            out.push((i, poc::write(&ctx, f, i + 1, dir)?));
        }
        Ok(out)
    }
}

/// Offset of `keyword <name>` (word-bounded) at or after `from`.
fn find_word_after(text: &str, keyword: &str, name: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut search = from;
    while let Some(rel) = text[search..].find(keyword) {
        let at = search + rel;
        let rest = &text[at + keyword.len()..];
        let trimmed = rest.trim_start();
        let boundary_before =
            at == 0 || !(bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_');
        if boundary_before && rest.len() != trimmed.len() && trimmed.starts_with(name) {
            let after = trimmed.as_bytes().get(name.len()).copied().unwrap_or(b' ');
            if !(after.is_ascii_alphanumeric() || after == b'_') {
                return Some(at);
            }
        }
        search = at + keyword.len();
    }
    None
}

/// Offset of the `}` closing the first `{` after `from`.
fn body_end(text: &str, from: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, b) in text.as_bytes()[from..].iter().enumerate() {
        match b {
            b'{' => depth += 1,
            b'}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(from + i);
                }
            }
            b';' if depth == 0 => return Some(from + i),
            _ => {}
        }
    }
    None
}
