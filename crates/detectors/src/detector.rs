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
    /// overrides are applied afterwards by the report pipeline. A detector
    /// may lower a finding's confidence below the rule's default when it
    /// reports through a weaker heuristic (never raise it).
    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>);
}

/// What a detector can see of the analysed project.
///
/// **Integration point.** Deliberately empty until the semantic model and
/// the IR are complete; detectors are written against it in the next phase.
/// It will borrow:
/// - `bulwark_sema::Model`: contracts with their C3 linearisation,
///   `FunctionInfo` (kind as the file's version means it, effective
///   visibility, mutability, modifiers), state variables, `Model::type_of`
///   (integer widths, data locations), `Model::call_kind` (`External`,
///   `Library`, `Builtin(AddressCall | AddressSend | ...)`), resolution of
///   built-ins (`TxOrigin`, `BlockTimestamp`, `Selfdestruct`, `Suicide`, ...)
///   and each file's effective `Version`;
/// - `bulwark_ir`: per-function and per-modifier `Cfg`s (dominance,
///   `revert_exit`), the guard analysis that composes modifiers with the
///   functions they wrap, and the facts still to come — storage read/write
///   sets per node (through internal callees and modifiers), def-use chains,
///   taint from parameters, `msg.*`, `tx.origin`, block values and external
///   call results (also through storage), and per-function access-control
///   summaries;
/// - line/column conversion for building `bulwark_report::Location`s.
///
/// The facts each detector needs are listed in the module docs of
/// `crate::detectors::*` under "Facts needed".
pub struct AnalysisContext<'a> {
    _model: PhantomData<&'a ()>,
}
