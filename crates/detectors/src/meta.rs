//! Static, compile-time metadata of one detector.
//!
//! [`bulwark_report::RuleMeta`] owns its strings (it is also deserialised,
//! for example by the server), so it cannot be written as a `const`. Each
//! detector module therefore declares a [`DetectorMeta`] made only of
//! `&'static str` and slices, and the registry converts it once with
//! [`DetectorMeta::to_rule_meta`]. The two types carry the same fields;
//! `applies_to` has no slot of its own in `RuleMeta` and is folded into the
//! "what it detects" section.

use bulwark_report::{Confidence, RuleDocs, RuleMeta, Severity};

/// Everything `bulwark detectors`, `bulwark explain`, SARIF rules and the
/// audit reports say about one detector.
///
/// Text fields are Markdown. `exploit` and `fix` usually hold a short
/// Solidity snippet in a fenced code block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DetectorMeta {
    /// Kebab-case id, unique across the registry (`reentrancy-eth`).
    pub id: &'static str,
    /// Short title, the same for every finding (no trailing period).
    pub title: &'static str,
    pub severity: Severity,
    pub confidence: Confidence,
    /// SWC registry ids (`SWC-107`); empty when no entry fits.
    pub swc: &'static [&'static str],
    /// The Solidity versions where the issue exists ("all versions",
    /// "before 0.5.0", ...), in words for the reader.
    pub applies_to: &'static str,
    /// One or two sentences: what a finding of this detector means.
    pub summary: &'static str,
    /// What the detector reports and how it decides (what counts as a
    /// guard, what is deliberately left out).
    pub what: &'static str,
    /// Why it matters: what goes wrong, and for whom.
    pub why: &'static str,
    /// A concrete exploit scenario, step by step.
    pub exploit: &'static str,
    /// The recommended fix.
    pub fix: &'static str,
    /// URLs of the SWC entry, the Solidity documentation and incidents.
    pub references: &'static [&'static str],
}

impl DetectorMeta {
    /// The report crate's owned form, used by findings and renderers.
    pub fn to_rule_meta(&self) -> RuleMeta {
        RuleMeta {
            id: self.id.to_string(),
            title: self.title.to_string(),
            severity: self.severity,
            confidence: self.confidence,
            swc: self.swc.iter().map(|s| s.to_string()).collect(),
            summary: self.summary.to_string(),
            docs: RuleDocs {
                what: format!("{}\n\nApplies to: {}.", self.what, self.applies_to),
                why: self.why.to_string(),
                exploit: self.exploit.to_string(),
                fix: self.fix.to_string(),
                references: self.references.iter().map(|s| s.to_string()).collect(),
            },
        }
    }
}
