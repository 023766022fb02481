//! Comparing Bulwark's facts with solc's.
//!
//! solc is the reference: rates are "how much of what solc says does Bulwark
//! say too", and what Bulwark says beyond that is counted as *extra*.
//! Structure and linearization must match exactly; references and types are
//! measured as rates against [`Thresholds`].

use std::collections::{BTreeMap, HashMap};

use crate::facts::{Contract, ExprKind, Facts, Item, RefKind, SourceRange, Target};
use crate::normalize::normalize_type_string;

/// How many of solc's facts of one kind Bulwark reproduced.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Facts on solc's side.
    pub total: usize,
    /// Of those, the ones Bulwark reproduced.
    pub matched: usize,
    /// Facts only Bulwark has.
    pub extra: usize,
}

impl Tally {
    /// `matched / total`, 1.0 when there is nothing to match.
    pub fn rate(&self) -> f64 {
        if self.total == 0 {
            1.0
        } else {
            self.matched as f64 / self.total as f64
        }
    }

    fn add(&mut self, other: Tally) {
        self.total += other.total;
        self.matched += other.matched;
        self.extra += other.extra;
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Side {
    /// solc has it, Bulwark does not.
    Missing,
    /// Bulwark has it, solc does not.
    Extra,
    /// Both have it, with different attributes.
    Different,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StructureMismatch {
    /// `file` or `file: Contract`.
    pub place: String,
    pub category: &'static str,
    pub side: Side,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinearizationMismatch {
    pub file: String,
    pub contract: String,
    pub solc: Vec<String>,
    pub bulwark: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferenceMismatch {
    pub at: SourceRange,
    pub kind: RefKind,
    pub solc: Target,
    /// `None`: Bulwark has no reference at this range.
    pub bulwark: Option<Target>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeMismatch {
    pub at: SourceRange,
    pub kind: ExprKind,
    /// Normalised type strings.
    pub solc: String,
    /// `None`: Bulwark has no type for this expression.
    pub bulwark: Option<String>,
}

/// The outcome of [`compare`].
#[derive(Debug, Clone, Default)]
pub struct Comparison {
    /// Per structural category (`contracts`, `functions`, …).
    pub structure: BTreeMap<&'static str, Tally>,
    pub structure_mismatches: Vec<StructureMismatch>,
    pub linearization: Tally,
    pub linearization_mismatches: Vec<LinearizationMismatch>,
    pub references: BTreeMap<RefKind, Tally>,
    pub reference_mismatches: Vec<ReferenceMismatch>,
    pub types: BTreeMap<ExprKind, Tally>,
    pub type_mismatches: Vec<TypeMismatch>,
}

/// The acceptance thresholds of the differential test (issue 2).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    pub min_reference_rate: f64,
    pub min_type_rate: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            min_reference_rate: 0.99,
            min_type_rate: 0.95,
        }
    }
}

impl Comparison {
    pub fn structure_equal(&self) -> bool {
        self.structure_mismatches.is_empty()
    }

    pub fn linearization_equal(&self) -> bool {
        self.linearization_mismatches.is_empty()
    }

    pub fn reference_total(&self) -> Tally {
        sum(self.references.values())
    }

    pub fn type_total(&self) -> Tally {
        sum(self.types.values())
    }

    /// Every threshold that is not met, as a sentence; empty when all hold.
    pub fn failures(&self, thresholds: &Thresholds) -> Vec<String> {
        let mut failures = Vec::new();
        if !self.structure_equal() {
            failures.push(format!(
                "(a) structure differs from solc's AST: {} mismatches",
                self.structure_mismatches.len()
            ));
        }
        if !self.linearization_equal() {
            failures.push(format!(
                "(b) {} C3 linearizations differ from linearizedBaseContracts",
                self.linearization_mismatches.len()
            ));
        }
        let refs = self.reference_total();
        if refs.rate() < thresholds.min_reference_rate {
            failures.push(format!(
                "(c) {:.2}% of references resolve to solc's declaration, below {:.2}%",
                100.0 * refs.rate(),
                100.0 * thresholds.min_reference_rate
            ));
        }
        let types = self.type_total();
        if types.rate() < thresholds.min_type_rate {
            failures.push(format!(
                "(d) {:.2}% of expression types equal solc's, below {:.2}%",
                100.0 * types.rate(),
                100.0 * thresholds.min_type_rate
            ));
        }
        failures
    }
}

fn sum<'t>(tallies: impl Iterator<Item = &'t Tally>) -> Tally {
    let mut total = Tally::default();
    for t in tallies {
        total.add(*t);
    }
    total
}

/// Compare `bulwark` against the reference `solc`.
pub fn compare(solc: &Facts, bulwark: &Facts) -> Comparison {
    let mut out = Comparison::default();
    compare_contracts(solc, bulwark, &mut out);
    compare_file_items(solc, bulwark, &mut out);
    compare_references(solc, bulwark, &mut out);
    compare_types(solc, bulwark, &mut out);
    out
}

fn contracts_by_key(facts: &Facts) -> BTreeMap<(&str, &str), &Contract> {
    facts
        .contracts
        .iter()
        .map(|c| ((c.file.as_str(), c.name.as_str()), c))
        .collect()
}

fn compare_contracts(solc: &Facts, bulwark: &Facts, out: &mut Comparison) {
    let theirs = contracts_by_key(solc);
    let ours = contracts_by_key(bulwark);
    for (&(file, name), reference) in &theirs {
        let place = format!("{file}: {name}");
        let tally = out.structure.entry("contracts").or_default();
        tally.total += 1;
        let Some(candidate) = ours.get(&(file, name)) else {
            out.structure_mismatches.push(StructureMismatch {
                place: file.to_string(),
                category: "contracts",
                side: Side::Missing,
                detail: describe_contract(reference),
            });
            compare_items(&place, &reference.items, &[], out);
            continue;
        };
        if (reference.kind, reference.is_abstract) == (candidate.kind, candidate.is_abstract) {
            tally.matched += 1;
        } else {
            out.structure_mismatches.push(StructureMismatch {
                place: file.to_string(),
                category: "contracts",
                side: Side::Different,
                detail: format!(
                    "solc: {}; bulwark: {}",
                    describe_contract(reference),
                    describe_contract(candidate)
                ),
            });
        }
        compare_items(&place, &reference.items, &candidate.items, out);
        out.linearization.total += 1;
        if reference.linearization == candidate.linearization {
            out.linearization.matched += 1;
        } else {
            out.linearization_mismatches.push(LinearizationMismatch {
                file: file.to_string(),
                contract: name.to_string(),
                solc: reference.linearization.clone(),
                bulwark: candidate.linearization.clone(),
            });
        }
    }
    for (&(file, _), extra) in ours.iter().filter(|(key, _)| !theirs.contains_key(key)) {
        out.structure.entry("contracts").or_default().extra += 1;
        out.structure_mismatches.push(StructureMismatch {
            place: file.to_string(),
            category: "contracts",
            side: Side::Extra,
            detail: describe_contract(extra),
        });
        compare_items(&format!("{file}: {}", extra.name), &[], &extra.items, out);
        out.linearization.extra += 1;
    }
}

fn describe_contract(c: &Contract) -> String {
    let abstract_ = if c.is_abstract { "abstract " } else { "" };
    format!("{abstract_}{:?} {}", c.kind, c.name).to_lowercase()
}

fn compare_file_items(solc: &Facts, bulwark: &Facts, out: &mut Comparison) {
    let group = |facts: &Facts| {
        let mut by_file: BTreeMap<String, Vec<Item>> = BTreeMap::new();
        for fi in &facts.file_items {
            by_file
                .entry(fi.file.clone())
                .or_default()
                .push(fi.item.clone());
        }
        by_file
    };
    let theirs = group(solc);
    let mut ours = group(bulwark);
    for (file, items) in &theirs {
        let candidate = ours.remove(file).unwrap_or_default();
        compare_items(file, items, &candidate, out);
    }
    for (file, extra) in ours {
        compare_items(&file, &[], &extra, out);
    }
}

/// Multiset comparison of two member lists (overloads repeat an item).
fn compare_items(place: &str, solc: &[Item], bulwark: &[Item], out: &mut Comparison) {
    let mut remaining: HashMap<&Item, usize> = HashMap::new();
    for item in bulwark {
        *remaining.entry(item).or_default() += 1;
    }
    for item in solc {
        let tally = out.structure.entry(item.category()).or_default();
        tally.total += 1;
        match remaining.get_mut(item) {
            Some(count) if *count > 0 => {
                *count -= 1;
                tally.matched += 1;
            }
            _ => out.structure_mismatches.push(StructureMismatch {
                place: place.to_string(),
                category: item.category(),
                side: Side::Missing,
                detail: item.to_string(),
            }),
        }
    }
    // Walk Bulwark's list (not the map) so the report order is stable.
    for item in bulwark {
        if let Some(count) = remaining.get_mut(item).filter(|c| **c > 0) {
            *count -= 1;
            out.structure.entry(item.category()).or_default().extra += 1;
            out.structure_mismatches.push(StructureMismatch {
                place: place.to_string(),
                category: item.category(),
                side: Side::Extra,
                detail: item.to_string(),
            });
        }
    }
}

fn compare_references(solc: &Facts, bulwark: &Facts, out: &mut Comparison) {
    let mut ours: HashMap<&SourceRange, Vec<&Target>> = HashMap::new();
    for r in &bulwark.references {
        ours.entry(&r.at).or_default().push(&r.target);
    }
    let mut seen: HashMap<&SourceRange, ()> = HashMap::new();
    for r in &solc.references {
        seen.insert(&r.at, ());
        let tally = out.references.entry(r.kind).or_default();
        tally.total += 1;
        let candidates = ours.get(&r.at);
        if candidates.is_some_and(|c| c.contains(&&r.target)) {
            tally.matched += 1;
        } else {
            out.reference_mismatches.push(ReferenceMismatch {
                at: r.at.clone(),
                kind: r.kind,
                solc: r.target.clone(),
                bulwark: candidates.and_then(|c| c.first()).map(|t| (*t).clone()),
            });
        }
    }
    for r in &bulwark.references {
        if !seen.contains_key(&r.at) {
            out.references.entry(r.kind).or_default().extra += 1;
        }
    }
}

fn compare_types(solc: &Facts, bulwark: &Facts, out: &mut Comparison) {
    // A declaration's type and an expression's type never share a key even
    // if a producer were to use the same range for both.
    let key = |kind: ExprKind| kind == ExprKind::Declaration;
    let mut ours: HashMap<(&SourceRange, bool), &str> = HashMap::new();
    for t in &bulwark.expression_types {
        ours.entry((&t.at, key(t.kind))).or_insert(&t.type_string);
    }
    let mut seen: HashMap<(&SourceRange, bool), ()> = HashMap::new();
    for t in &solc.expression_types {
        seen.insert((&t.at, key(t.kind)), ());
        let tally = out.types.entry(t.kind).or_default();
        tally.total += 1;
        let expected = normalize_type_string(&t.type_string);
        let actual = ours
            .get(&(&t.at, key(t.kind)))
            .map(|s| normalize_type_string(s));
        if actual.as_deref() == Some(expected.as_ref()) {
            tally.matched += 1;
        } else {
            out.type_mismatches.push(TypeMismatch {
                at: t.at.clone(),
                kind: t.kind,
                solc: expected.into_owned(),
                bulwark: actual.map(|a| a.into_owned()),
            });
        }
    }
    for t in &bulwark.expression_types {
        if !seen.contains_key(&(&t.at, key(t.kind))) {
            out.types.entry(t.kind).or_default().extra += 1;
        }
    }
}

#[cfg(test)]
mod tests;
