//! The comparator on small hand-built facts.

use super::{compare, Side, Thresholds};
use crate::facts::{
    Contract, ContractKind, DeclLoc, ExprKind, ExprType, Facts, FileItem, FunctionKind, Item,
    Mutability, RefKind, Reference, SourceRange, Target, Visibility,
};

fn at(start: u32) -> SourceRange {
    SourceRange::new("a.sol", start, start + 1)
}

fn decl(name: &str, start: u32) -> Target {
    Target::Declaration(DeclLoc {
        name: name.into(),
        at: at(start),
    })
}

fn reference(start: u32, kind: RefKind, target: Target) -> Reference {
    Reference {
        at: at(start),
        kind,
        target,
    }
}

fn typed(start: u32, kind: ExprKind, type_string: &str) -> ExprType {
    ExprType {
        at: at(start),
        kind,
        type_string: type_string.into(),
    }
}

fn function(name: &str) -> Item {
    Item::Function {
        name: name.into(),
        kind: FunctionKind::Function,
        visibility: Visibility::Public,
    }
}

fn contract(name: &str, linearization: &[&str], items: Vec<Item>) -> Contract {
    Contract {
        file: "a.sol".into(),
        name: name.into(),
        kind: ContractKind::Contract,
        is_abstract: false,
        linearization: linearization.iter().map(|s| s.to_string()).collect(),
        items,
    }
}

/// A small solc-side picture: two contracts, an overload pair, a file-level
/// constant, four references and four types.
fn reference_facts() -> Facts {
    Facts {
        contracts: vec![
            contract("A", &["A"], vec![function("f"), function("f")]),
            contract(
                "B",
                &["B", "A"],
                vec![
                    function("g"),
                    Item::Modifier {
                        name: "only".into(),
                    },
                ],
            ),
        ],
        file_items: vec![FileItem {
            file: "a.sol".into(),
            item: Item::StateVariable {
                name: "K".into(),
                visibility: Visibility::Internal,
                mutability: Mutability::Constant,
            },
        }],
        references: vec![
            reference(10, RefKind::Identifier, decl("x", 1)),
            reference(
                20,
                RefKind::Identifier,
                Target::Builtin { name: "msg".into() },
            ),
            reference(30, RefKind::Member, decl("f", 2)),
            reference(40, RefKind::Path, decl("A", 0)),
        ],
        expression_types: vec![
            typed(10, ExprKind::Identifier, "uint256"),
            typed(50, ExprKind::Literal, "int_const 42"),
            typed(60, ExprKind::Call, "tuple()"),
            typed(1, ExprKind::Declaration, "uint256"),
        ],
    }
}

#[test]
fn identical_facts_agree_completely() {
    let facts = reference_facts();
    let c = compare(&facts, &facts);
    assert!(c.structure_equal());
    assert!(c.linearization_equal());
    assert_eq!(c.reference_total().rate(), 1.0);
    assert_eq!(c.type_total().total, 4);
    assert_eq!(c.type_total().rate(), 1.0);
    assert!(c.failures(&Thresholds::default()).is_empty());
    // Overloads count twice.
    assert_eq!(c.structure["functions"].total, 3);
}

#[test]
fn structure_reports_missing_extra_and_different() {
    let solc = reference_facts();
    let mut ours = reference_facts();
    // One overload of f lost, a function too many in B, A made abstract,
    // the file-level constant typed as mutable.
    ours.contracts[0].items.pop();
    ours.contracts[0].is_abstract = true;
    ours.contracts[1].items.push(function("h"));
    ours.file_items[0].item = Item::StateVariable {
        name: "K".into(),
        visibility: Visibility::Internal,
        mutability: Mutability::Mutable,
    };
    let c = compare(&solc, &ours);
    assert!(!c.structure_equal());
    let sides: Vec<(&str, Side)> = c
        .structure_mismatches
        .iter()
        .map(|m| (m.category, m.side))
        .collect();
    assert_eq!(
        sides,
        vec![
            ("contracts", Side::Different),
            ("functions", Side::Missing),
            ("functions", Side::Extra),
            ("state variables", Side::Missing),
            ("state variables", Side::Extra),
        ]
    );
    assert_eq!(c.structure["functions"].matched, 2);
    assert_eq!(c.structure["functions"].extra, 1);
}

#[test]
fn missing_contract_counts_its_members_missing() {
    let solc = reference_facts();
    let mut ours = reference_facts();
    ours.contracts.remove(1);
    let c = compare(&solc, &ours);
    assert_eq!(c.structure["contracts"].matched, 1);
    assert_eq!(c.structure["modifiers"].matched, 0);
    assert_eq!(c.structure["modifiers"].total, 1);
    // Only contracts present on both sides have a linearization to compare.
    assert_eq!(c.linearization.total, 1);
}

#[test]
fn linearization_order_matters() {
    let solc = reference_facts();
    let mut ours = reference_facts();
    ours.contracts[1].linearization.reverse();
    let c = compare(&solc, &ours);
    assert!(c.structure_equal());
    assert!(!c.linearization_equal());
    assert_eq!(c.linearization_mismatches[0].contract, "B");
    assert_eq!(c.linearization_mismatches[0].bulwark, ["A", "B"]);
}

#[test]
fn references_need_the_same_range_and_target() {
    let solc = reference_facts();
    let mut ours = reference_facts();
    // Wrong declaration, a builtin mistaken for a declaration, one missing,
    // one only we have.
    ours.references[0].target = decl("x", 99);
    ours.references[1].target = decl("msg", 5);
    ours.references.remove(2);
    ours.references
        .push(reference(70, RefKind::Identifier, decl("y", 3)));
    let c = compare(&solc, &ours);
    let total = c.reference_total();
    assert_eq!((total.matched, total.total, total.extra), (1, 4, 1));
    assert_eq!(c.references[&RefKind::Identifier].matched, 0);
    assert_eq!(c.references[&RefKind::Path].matched, 1);
    let member = c
        .reference_mismatches
        .iter()
        .find(|m| m.kind == RefKind::Member)
        .unwrap();
    assert_eq!(member.bulwark, None);
    let failures = c.failures(&Thresholds::default());
    assert_eq!(failures.len(), 1);
    assert!(failures[0].starts_with("(c) 25.00%"), "{failures:?}");
}

#[test]
fn types_compare_after_normalisation_only() {
    let solc = reference_facts();
    let mut ours = reference_facts();
    // A different literal value is the same type after normalisation; a
    // different data location is not.
    ours.expression_types[1].type_string = "int_const 43".into();
    ours.expression_types[0].type_string = "uint8".into();
    // The declaration type keyed by the same range as an expression does not
    // stand in for the expression.
    ours.expression_types[2] = typed(60, ExprKind::Declaration, "tuple()");
    let c = compare(&solc, &ours);
    assert_eq!(c.types[&ExprKind::Literal].matched, 1);
    assert_eq!(c.types[&ExprKind::Identifier].matched, 0);
    assert_eq!(c.types[&ExprKind::Call].matched, 0);
    let total = c.type_total();
    assert_eq!((total.matched, total.total, total.extra), (2, 4, 1));
    let identifier = c
        .type_mismatches
        .iter()
        .find(|m| m.kind == ExprKind::Identifier)
        .unwrap();
    assert_eq!(
        (identifier.solc.as_str(), identifier.bulwark.as_deref()),
        ("uint256", Some("uint8"))
    );
}

#[test]
fn thresholds_are_inclusive() {
    let mut solc = Facts::default();
    let mut ours = Facts::default();
    for i in 0..100 {
        let r = reference(i, RefKind::Identifier, decl("v", 1000));
        solc.references.push(r.clone());
        if i != 0 {
            ours.references.push(r);
        }
    }
    // Exactly 99%: passes.
    assert!(compare(&solc, &ours)
        .failures(&Thresholds::default())
        .is_empty());
    ours.references.pop();
    assert_eq!(
        compare(&solc, &ours).failures(&Thresholds::default()).len(),
        1
    );
}
