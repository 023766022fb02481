//! Human-readable rendering of a [`Comparison`]: the percentages first, then
//! the most frequent mismatches grouped so that one bug shows up as one line
//! with a count and an example location.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;

use crate::compare::{Comparison, Side, Tally};
use crate::facts::{SourceRange, Target};

/// File texts by source unit name, used to print `file:line:col` and the
/// source snippet of examples. Missing files only lose that detail.
pub type SourceTexts = HashMap<String, String>;

/// Render `comparison`, showing at most `limit` lines per mismatch list.
pub fn render(comparison: &Comparison, sources: &SourceTexts, limit: usize) -> String {
    let mut out = String::new();
    render_summary(comparison, &mut out);
    render_structure_mismatches(comparison, limit, &mut out);
    render_linearization_mismatches(comparison, limit, &mut out);
    render_reference_mismatches(comparison, sources, limit, &mut out);
    render_type_mismatches(comparison, sources, limit, &mut out);
    out
}

fn percent(t: &Tally) -> String {
    format!(
        "{:6.2}% ({}/{}, {} extra)",
        100.0 * t.rate(),
        t.matched,
        t.total,
        t.extra
    )
}

fn render_summary(c: &Comparison, out: &mut String) {
    let verdict = |equal: bool| if equal { "equal" } else { "DIFFERENT" };
    let _ = writeln!(out, "(a) structure: {}", verdict(c.structure_equal()));
    for (category, tally) in &c.structure {
        let _ = writeln!(out, "      {category:<16} {}", percent(tally));
    }
    let _ = writeln!(
        out,
        "(b) linearization: {} {}",
        verdict(c.linearization_equal()),
        percent(&c.linearization)
    );
    let _ = writeln!(out, "(c) references:   {}", percent(&c.reference_total()));
    for (kind, tally) in &c.references {
        let _ = writeln!(out, "      {:<16} {}", format!("{kind:?}"), percent(tally));
    }
    let _ = writeln!(out, "(d) types:        {}", percent(&c.type_total()));
    for (kind, tally) in &c.types {
        let _ = writeln!(out, "      {:<16} {}", format!("{kind:?}"), percent(tally));
    }
}

fn render_structure_mismatches(c: &Comparison, limit: usize, out: &mut String) {
    if c.structure_mismatches.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\nstructure mismatches ({}):",
        c.structure_mismatches.len()
    );
    for m in c.structure_mismatches.iter().take(limit) {
        let side = match m.side {
            Side::Missing => "missing in bulwark",
            Side::Extra => "extra in bulwark",
            Side::Different => "different",
        };
        let _ = writeln!(out, "  {}: {} {side}: {}", m.place, m.category, m.detail);
    }
}

fn render_linearization_mismatches(c: &Comparison, limit: usize, out: &mut String) {
    if c.linearization_mismatches.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\nlinearization mismatches ({}):",
        c.linearization_mismatches.len()
    );
    for m in c.linearization_mismatches.iter().take(limit) {
        let _ = writeln!(
            out,
            "  {}: {}: solc [{}], bulwark [{}]",
            m.file,
            m.contract,
            m.solc.join(", "),
            m.bulwark.join(", ")
        );
    }
}

/// Mismatches sharing a key, with one example location.
struct Group {
    count: usize,
    example: SourceRange,
}

fn grouped<K: Ord>(entries: impl Iterator<Item = (K, SourceRange)>) -> Vec<(K, Group)> {
    let mut groups: BTreeMap<K, Group> = BTreeMap::new();
    for (key, at) in entries {
        groups
            .entry(key)
            .and_modify(|g| g.count += 1)
            .or_insert(Group {
                count: 1,
                example: at,
            });
    }
    let mut list: Vec<(K, Group)> = groups.into_iter().collect();
    // Most frequent first; ties keep the key order.
    list.sort_by_key(|(_, group)| std::cmp::Reverse(group.count));
    list
}

fn target_summary(target: &Target) -> String {
    match target {
        Target::Declaration(decl) => format!("{} @{}:{}", decl.name, decl.at.file, decl.at.start),
        Target::Builtin { name } => format!("builtin {name}"),
    }
}

fn render_reference_mismatches(
    c: &Comparison,
    sources: &SourceTexts,
    limit: usize,
    out: &mut String,
) {
    if c.reference_mismatches.is_empty() {
        return;
    }
    let groups = grouped(c.reference_mismatches.iter().map(|m| {
        let bulwark = match &m.bulwark {
            Some(target) => target_summary(target),
            None => "unresolved".to_string(),
        };
        ((m.kind, target_summary(&m.solc), bulwark), m.at.clone())
    }));
    let _ = writeln!(
        out,
        "\nworst reference mismatches ({} in {} groups):",
        c.reference_mismatches.len(),
        groups.len()
    );
    for ((kind, solc, bulwark), group) in groups.iter().take(limit) {
        let _ = writeln!(
            out,
            "  {:>4}x {kind:?}: solc {solc} | bulwark {bulwark} | e.g. {}",
            group.count,
            locate(&group.example, sources)
        );
    }
}

fn render_type_mismatches(c: &Comparison, sources: &SourceTexts, limit: usize, out: &mut String) {
    if c.type_mismatches.is_empty() {
        return;
    }
    let groups = grouped(c.type_mismatches.iter().map(|m| {
        let bulwark = m.bulwark.clone().unwrap_or_else(|| "<none>".to_string());
        ((m.kind, m.solc.clone(), bulwark), m.at.clone())
    }));
    let _ = writeln!(
        out,
        "\nworst type mismatches ({} in {} groups):",
        c.type_mismatches.len(),
        groups.len()
    );
    for ((kind, solc, bulwark), group) in groups.iter().take(limit) {
        let _ = writeln!(
            out,
            "  {:>4}x {kind:?}: solc `{solc}` | bulwark `{bulwark}` | e.g. {}",
            group.count,
            locate(&group.example, sources)
        );
    }
}

/// `file:line:col `snippet`` when the text is known, else `file@start..end`.
pub fn locate(at: &SourceRange, sources: &SourceTexts) -> String {
    let Some(text) = sources.get(&at.file) else {
        return at.to_string();
    };
    let start = (at.start as usize).min(text.len());
    let end = (at.end as usize).clamp(start, text.len());
    let before = text.get(..start).unwrap_or_default();
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    let snippet: String = text
        .get(start..end)
        .unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let snippet = if snippet.chars().count() > 60 {
        format!("{}…", snippet.chars().take(60).collect::<String>())
    } else {
        snippet
    };
    format!("{}:{line}:{column} `{snippet}`", at.file)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::TypeMismatch;
    use crate::facts::ExprKind;

    #[test]
    fn locate_prints_line_column_and_snippet() {
        let mut sources = SourceTexts::new();
        sources.insert("a.sol".into(), "contract A {\n  uint  x;\n}\n".into());
        let at = SourceRange::new("a.sol", 15, 23);
        assert_eq!(locate(&at, &sources), "a.sol:2:3 `uint x;`");
        let unknown = SourceRange::new("b.sol", 1, 2);
        assert_eq!(locate(&unknown, &sources), "b.sol@1..2");
    }

    #[test]
    fn type_mismatches_are_grouped_most_frequent_first() {
        let mismatch = |start, solc: &str| TypeMismatch {
            at: SourceRange::new("a.sol", start, start + 1),
            kind: ExprKind::Literal,
            solc: solc.into(),
            bulwark: None,
        };
        let comparison = Comparison {
            type_mismatches: vec![
                mismatch(1, "bool"),
                mismatch(2, "uint8"),
                mismatch(3, "uint8"),
            ],
            ..Comparison::default()
        };
        let text = render(&comparison, &SourceTexts::new(), 10);
        let uint8 = text.find("2x Literal: solc `uint8`").expect(&text);
        let bool_ = text.find("1x Literal: solc `bool`").expect(&text);
        assert!(uint8 < bool_, "{text}");
    }
}
