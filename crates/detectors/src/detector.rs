//! The contract between a detector and the analysis driver.

use std::sync::OnceLock;

use bulwark_ir::ProjectIr;
use bulwark_report::Finding;
use bulwark_sema::{Model, Project};

use crate::analysis::reentrancy::{self, Reentrancy};
use crate::meta::DetectorMeta;

/// One detector: static metadata plus a pass over the analysed project.
///
/// Detectors are stateless unit structs registered as `&'static dyn
/// Detector` in [`crate::registry`], so `meta` takes `&self` (a `fn meta()`
/// without a receiver would make the trait unusable as a trait object).
/// `run` may be called concurrently for different projects (and different
/// detectors run concurrently on one project), hence `Sync`.
pub trait Detector: Sync {
    /// The detector's metadata; `meta().id` is its registry key.
    fn meta(&self) -> &'static DetectorMeta;

    /// Appends one finding per vulnerable statement to `out`.
    ///
    /// A detector reports only what it can locate precisely: the primary
    /// location is the vulnerable statement, related locations are the
    /// statements that make it a bug (the state write after the call, the
    /// unguarded setter). It never re-parses source text; everything it
    /// needs comes from `cx`. Findings are built with
    /// [`crate::finding::FindingBuilder`]; fingerprints are assigned by the
    /// driver ([`crate::run_detectors`]), suppressions and severity
    /// overrides by the report pipeline. A detector may lower a finding's
    /// confidence below the rule's default when it reports through a weaker
    /// heuristic (never raise it).
    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>);
}

/// What a detector can see of the analysed project: the loaded sources,
/// the semantic model (declarations, resolution, types, call kinds, each
/// file's effective compiler version) and the IR built on it (CFGs with
/// per-node facts, taint, call graph, read/write sets, guards).
///
/// The IR is built lazily and caches what it computes, so detectors that
/// ask the same questions share the work.
pub struct AnalysisContext<'a> {
    pub project: &'a Project,
    pub model: &'a Model<'a>,
    pub ir: &'a ProjectIr<'a, 'a>,
    /// Every reentrancy of the project, found once for the four
    /// detectors that report (or deduplicate against) them.
    reentrancies: OnceLock<Vec<Reentrancy<'a>>>,
}

impl<'a> AnalysisContext<'a> {
    pub fn new(
        project: &'a Project,
        model: &'a Model<'a>,
        ir: &'a ProjectIr<'a, 'a>,
    ) -> AnalysisContext<'a> {
        AnalysisContext {
            project,
            model,
            ir,
            reentrancies: OnceLock::new(),
        }
    }

    /// [`reentrancy::find`], computed on first use and shared.
    pub fn reentrancies(&self) -> &[Reentrancy<'a>] {
        self.reentrancies.get_or_init(|| reentrancy::find(self))
    }
}
