//! Building findings: locations from spans, names of the enclosing contract
//! and function, and the rule's metadata, in one place so that every
//! detector reports the same way.

use bulwark_report::{Confidence, Finding, Location};
use bulwark_sema::{DeclId, DeclKind, FileId};
use bulwark_syntax::ast::FunctionKind;
use bulwark_syntax::Span;

use crate::detector::AnalysisContext;
use crate::meta::DetectorMeta;
use crate::registry;

impl AnalysisContext<'_> {
    /// A location covering `span` of `file`, with 1-based lines and
    /// columns, the path relative to the project root and no scope names.
    pub fn location(&self, file: FileId, span: Span) -> Location {
        let source = self.project.file(file);
        Location::from_byte_range(
            source.rel_path.clone(),
            &source.source,
            span.start as usize..span.end as usize,
        )
    }

    /// A location inside `function` (a function or modifier declaration):
    /// the contract and function names are filled in.
    pub fn location_in(&self, function: DeclId, span: Span) -> Location {
        let decl = self.model.decl(function);
        let mut location = self.location(decl.file, span);
        location.function = Some(self.function_name(function));
        location.contract = self
            .model
            .enclosing_contract(function)
            .map(|c| self.model.decl(c).name.clone());
        location
    }

    /// A location on a contract-level declaration (the contract itself, a
    /// state variable): only the contract name is filled in.
    pub fn location_in_contract(&self, contract: DeclId, file: FileId, span: Span) -> Location {
        let mut location = self.location(file, span);
        location.contract = Some(self.model.decl(contract).name.clone());
        location
    }

    /// How findings name a function: its name, or `constructor`,
    /// `fallback` and `receive` for the unnamed special functions.
    pub fn function_name(&self, function: DeclId) -> String {
        let decl = self.model.decl(function);
        if !decl.name.is_empty() {
            return decl.name.clone();
        }
        match self.model.function(function).map(|f| f.kind) {
            Some(FunctionKind::Constructor) => "constructor".to_string(),
            Some(FunctionKind::Receive) => "receive".to_string(),
            Some(FunctionKind::Fallback) => "fallback".to_string(),
            _ if decl.kind == DeclKind::Modifier => "modifier".to_string(),
            _ => "function".to_string(),
        }
    }

    /// `Contract.function` (or the bare function name for free functions),
    /// for messages.
    pub fn qualified_name(&self, function: DeclId) -> String {
        let name = self.function_name(function);
        match self.model.enclosing_contract(function) {
            Some(c) => format!("{}.{}", self.model.decl(c).name, name),
            None => name,
        }
    }

    /// The source text of `span` in `file`, on one line with whitespace
    /// runs collapsed, shortened to about `max` characters: for quoting a
    /// call or an expression in a message.
    pub fn snippet(&self, file: FileId, span: Span, max: usize) -> String {
        let text = span.text(&self.project.file(file).source);
        let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if collapsed.chars().count() <= max {
            return collapsed;
        }
        let cut: String = collapsed.chars().take(max.saturating_sub(3)).collect();
        format!("{cut}...")
    }
}

/// A finding under construction for one detector.
pub struct FindingBuilder {
    finding: Finding,
}

impl FindingBuilder {
    /// A finding of the detector `meta` with its message and primary
    /// location; id, title, severity, confidence and SWC ids come from the
    /// registered rule.
    pub fn new(meta: &DetectorMeta, message: impl Into<String>, primary: Location) -> Self {
        let rule = registry::rule(meta.id).unwrap_or_else(|| {
            panic!("detector `{}` is not registered", meta.id);
        });
        FindingBuilder {
            finding: Finding::from_rule(rule, message, primary),
        }
    }

    /// Adds a related location explaining why the primary one is a bug.
    pub fn related(mut self, location: Location, label: impl Into<String>) -> Self {
        self.finding.locations.push(location.with_label(label));
        self
    }

    /// Lowers the confidence (a detector never raises it above the rule's).
    pub fn confidence(mut self, confidence: Confidence) -> Self {
        if confidence.rank() < self.finding.confidence.rank() {
            self.finding.confidence = confidence;
        }
        self
    }

    /// Adds an SWC id the instance also falls under.
    pub fn extra_swc(mut self, swc: &str) -> Self {
        if !self.finding.swc.iter().any(|s| s == swc) {
            self.finding.swc.push(swc.to_string());
        }
        self
    }

    /// Adds a classification tag for a category no SWC id covers (the
    /// DASP `short_addresses`).
    pub fn category(mut self, category: &str) -> Self {
        if !self.finding.categories.iter().any(|c| c == category) {
            self.finding.categories.push(category.to_string());
        }
        self
    }

    pub fn build(self) -> Finding {
        self.finding
    }
}
