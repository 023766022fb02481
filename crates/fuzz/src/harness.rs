//! Which contract is the harness, in which mode it is fuzzed, and which of
//! its functions are properties.
//!
//! - Property mode (Echidna/Medusa): `echidna_*()` (configurable prefix)
//!   functions returning `bool`; false or a revert breaks the property.
//! - Invariant mode (Foundry): `setUp()` deploys the system, `invariant_*()`
//!   functions; a revert (or a `false` result) breaks the invariant.
//! - Assertion mode: no properties; failing `assert`s (`Panic(0x01)`, the
//!   INVALID opcode before 0.8) and `AssertionFailed(..)` events are the
//!   failures. Assertion failures are reported in every mode.

use alloy_json_abi::Function;

use crate::compiler::Artifact;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Property,
    Assertion,
    Invariant,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Property => "property",
            Mode::Assertion => "assertion",
            Mode::Invariant => "invariant",
        }
    }
}

/// How the user narrowed the choice.
#[derive(Debug, Clone)]
pub struct HarnessOptions {
    pub contract: Option<String>,
    /// Prefix of boolean property functions (`echidna_` by default).
    pub prefix: String,
    /// Forces a mode instead of detecting it.
    pub mode: Option<Mode>,
}

impl Default for HarnessOptions {
    fn default() -> Self {
        HarnessOptions {
            contract: None,
            prefix: "echidna_".to_string(),
            mode: None,
        }
    }
}

/// The chosen harness.
#[derive(Debug, Clone)]
pub struct HarnessSpec {
    /// Index into the compiled artifacts.
    pub artifact: usize,
    pub mode: Mode,
    pub properties: Vec<Function>,
}

pub const INVARIANT_PREFIX: &str = "invariant_";

fn property_functions(art: &Artifact, prefix: &str) -> Vec<Function> {
    art.abi
        .functions()
        .filter(|f| f.name.starts_with(prefix) && f.inputs.is_empty())
        .cloned()
        .collect()
}

fn detect_mode(art: &Artifact, prefix: &str) -> Mode {
    if !property_functions(art, INVARIANT_PREFIX).is_empty() {
        Mode::Invariant
    } else if !property_functions(art, prefix).is_empty() {
        Mode::Property
    } else {
        Mode::Assertion
    }
}

/// Picks the harness among the artifacts of `entry_units` (the files the
/// user pointed at).
pub fn select(
    artifacts: &[Artifact],
    entry_units: &[String],
    opts: &HarnessOptions,
) -> Result<HarnessSpec, String> {
    let deployable = |a: &Artifact| a.creation_code.is_some();
    let index = match &opts.contract {
        Some(name) => {
            let matches: Vec<usize> = (0..artifacts.len())
                .filter(|&i| artifacts[i].name == *name)
                .collect();
            let preferred = matches
                .iter()
                .copied()
                .find(|&i| entry_units.contains(&artifacts[i].unit))
                .or_else(|| matches.first().copied())
                .ok_or_else(|| format!("no contract named `{name}` in the compiled sources"))?;
            if !deployable(&artifacts[preferred]) {
                return Err(format!(
                    "`{name}` cannot be deployed (it is abstract, an interface, or needs linked libraries)"
                ));
            }
            preferred
        }
        None => {
            let candidates: Vec<usize> = (0..artifacts.len())
                .filter(|&i| entry_units.contains(&artifacts[i].unit) && deployable(&artifacts[i]))
                .filter(|&i| {
                    let a = &artifacts[i];
                    !property_functions(a, &opts.prefix).is_empty()
                        || !property_functions(a, INVARIANT_PREFIX).is_empty()
                })
                .collect();
            match candidates.as_slice() {
                [one] => *one,
                [] => {
                    return Err(format!(
                        "no harness found: no contract has `{}*` or `{INVARIANT_PREFIX}*` functions; pass --contract NAME to fuzz a contract's assertions",
                        opts.prefix
                    ))
                }
                many => {
                    let names: Vec<&str> = many.iter().map(|&i| artifacts[i].name.as_str()).collect();
                    return Err(format!(
                        "several harnesses found ({}); choose one with --contract",
                        names.join(", ")
                    ));
                }
            }
        }
    };
    let art = &artifacts[index];
    let mode = opts.mode.unwrap_or_else(|| detect_mode(art, &opts.prefix));
    let properties = match mode {
        Mode::Property => property_functions(art, &opts.prefix),
        Mode::Invariant => property_functions(art, INVARIANT_PREFIX),
        Mode::Assertion => vec![],
    };
    if mode != Mode::Assertion && properties.is_empty() {
        return Err(format!(
            "`{}` has no properties for {} mode",
            art.name,
            mode.as_str()
        ));
    }
    Ok(HarnessSpec {
        artifact: index,
        mode,
        properties,
    })
}

/// Whether a harness function is fuzzing machinery rather than something to
/// call (properties, Foundry's setup and target declarations).
pub fn is_machinery(name: &str, prefix: &str) -> bool {
    name.starts_with(prefix)
        || name.starts_with(INVARIANT_PREFIX)
        || name == "setUp"
        || name == "IS_TEST"
        || name == "failed"
        || name.starts_with("target")
        || name.starts_with("exclude")
}
