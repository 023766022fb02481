//! The contract between a detector and the analysis driver.

use std::marker::PhantomData;

use bulwark_report::Finding;

use crate::meta::DetectorMeta;

/// One detector: static metadata plus a pass over the analysed project.
///
/// Detectors are stateless unit structs registered as `&'static dyn
/// Detector` in [`crate::registry`], so `meta` takes `&self` (a `fn meta()`
/// without a receiver would make the trait unusable as a trait object).
/// `run` may be called concurrently for different projects, hence `Sync`.
pub trait Detector: Sync {
    /// The detector's metadata; `meta().id` is its registry key.
    fn meta(&self) -> &'static DetectorMeta;

    /// Appends one finding per vulnerable statement to `out`.
    ///
    /// A detector reports only what it can locate precisely: the primary
    /// location is the vulnerable statement, related locations are the
    /// statements that make it a bug (the state write after the call, the
    /// unguarded setter). It never re-parses source text; everything it
    /// needs comes from `cx`. Fingerprints, suppressions and severity
    /// overrides are applied afterwards by the report pipeline.
    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>);
}

/// What a detector can see of the analysed project.
///
/// **Integration point.** This is deliberately empty until the semantic
/// model (`bulwark-sema`) and the IR (`bulwark-ir`) exist. It will borrow:
/// - the loaded project: source units with their effective Solidity
///   version, contracts with their C3 linearisation, resolved functions,
///   modifiers, state variables and types;
/// - per function: the control-flow graph, def-use chains, the taint
///   results (which values derive from parameters, `msg.*`, `tx.origin`,
///   block values, external call results, storage) and read/write sets
///   including those of internal callees and modifiers;
/// - the call graph with external call sites classified (low-level or
///   high-level, value-carrying, gas-limited, static, delegate);
/// - line/column conversion for building `bulwark_report::Location`s.
///
/// The facts each detector needs are listed in the module docs of
/// `crate::detectors::*` under "Facts needed".
pub struct AnalysisContext<'a> {
    _model: PhantomData<&'a ()>,
}
