//! The entry point the CLI and the server call: run the selected
//! detectors over an analysed project and return their findings, ordered
//! and fingerprinted.

use std::collections::BTreeSet;

use bulwark_ir::ProjectIr;
use bulwark_report::{assign_fingerprints, canonical_order, Finding, SourceLookup};
use bulwark_sema::Project;
use rayon::prelude::*;

use crate::detector::{AnalysisContext, Detector};
use crate::registry;

/// Which detectors to run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    /// `None`: every implemented detector.
    only: Option<BTreeSet<String>>,
    excluded: BTreeSet<String>,
}

impl Selection {
    /// Every implemented detector.
    pub fn all() -> Selection {
        Selection::default()
    }

    /// Only the detectors with these ids (unknown ids select nothing; the
    /// CLI validates ids against [`registry::ids`] first).
    pub fn only<I, S>(ids: I) -> Selection
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Selection {
            only: Some(ids.into_iter().map(Into::into).collect()),
            excluded: BTreeSet::new(),
        }
    }

    /// The same selection without the detector `id`.
    pub fn without(mut self, id: impl Into<String>) -> Selection {
        self.excluded.insert(id.into());
        self
    }

    pub fn includes(&self, id: &str) -> bool {
        !self.excluded.contains(id) && self.only.as_ref().is_none_or(|only| only.contains(id))
    }

    /// The selected detectors that are implemented, in registry order.
    pub fn detectors(&self) -> Vec<&'static dyn Detector> {
        registry::runnable()
            .filter(|d| self.includes(d.meta().id))
            .collect()
    }
}

/// Runs the selected detectors on `cx` (in parallel) and returns every
/// finding in [`canonical_order`], with fingerprints assigned.
///
/// Findings in dependency files (imported libraries, `node_modules`) are
/// produced like any other — the code is analysed so that inherited
/// functions are checked in the context of the contracts using them — and
/// [`in_dependency`] tells them apart; the CLI decides what to report.
pub fn run_detectors(cx: &AnalysisContext<'_>, selection: &Selection) -> Vec<Finding> {
    cx.ir.build_all();
    let mut findings: Vec<Finding> = selection
        .detectors()
        .par_iter()
        .flat_map_iter(|detector| {
            let mut out = Vec::new();
            detector.run(cx, &mut out);
            out
        })
        .collect();
    findings.sort_by(canonical_order);
    findings.dedup_by(|a, b| a.detector == b.detector && a.locations == b.locations);
    assign_fingerprints(&mut findings, &ProjectSources(cx.project));
    findings
}

/// Analyses a loaded project (semantic model, IR) and runs the selected
/// detectors on it: the one call a driver needs.
pub fn audit_project(project: &Project, selection: &Selection) -> Vec<Finding> {
    let model = bulwark_sema::analyze(project);
    let ir = ProjectIr::new(&model);
    let cx = AnalysisContext::new(project, &model, &ir);
    run_detectors(&cx, selection)
}

/// Whether `finding`'s primary location is in a file the project only
/// reached through imports.
pub fn in_dependency(project: &Project, finding: &Finding) -> bool {
    finding.primary().is_some_and(|location| {
        project
            .file_by_rel_path(&location.file)
            .is_some_and(|file| file.is_dependency)
    })
}

/// The project's sources by relative path, for fingerprints.
struct ProjectSources<'p>(&'p Project);

impl SourceLookup for ProjectSources<'_> {
    fn source_of(&self, file: &str) -> Option<&str> {
        self.0.file_by_rel_path(file).map(|f| f.source.as_str())
    }
}
