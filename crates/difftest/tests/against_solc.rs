//! The differential test: the fixtures in `fixtures/` compiled by solc-js,
//! and Bulwark's analysis of the same files compared with solc's AST.
//!
//! Needs Node.js and `npm ci --prefix tools/solcjs` (done by `.ci/run`).

use std::collections::BTreeSet;
use std::sync::OnceLock;

use bulwark_difftest::bulwark::bulwark_facts;
use bulwark_difftest::facts::{
    ContractKind, ExprKind, FunctionKind, Item, Mutability, RefKind, Target,
};
use bulwark_difftest::pragma::Version;
use bulwark_difftest::report::render;
use bulwark_difftest::{compare, solc_facts, workspace_root, Project, SolcJs, SolcRun, Thresholds};

fn fixtures() -> Project {
    let root = workspace_root().join("crates/difftest/fixtures");
    Project::from_dir(&root).expect("the fixtures directory is readable")
}

/// solc's run over the fixtures, shared by the tests of this binary.
fn solc_run() -> &'static SolcRun {
    static RUN: OnceLock<SolcRun> = OnceLock::new();
    RUN.get_or_init(|| {
        let solcjs = SolcJs::in_workspace(&workspace_root()).unwrap_or_else(|e| {
            panic!("solc-js is needed for the differential test: {e}\n(run `npm ci --prefix tools/solcjs` from the workspace root)")
        });
        solc_facts(&solcjs, &fixtures(), 2).unwrap_or_else(|e| panic!("{e}"))
    })
}

#[test]
fn every_fixture_compiles_with_its_solc_version() {
    let run = solc_run();
    let failures: Vec<String> = run
        .failures
        .iter()
        .map(|f| {
            format!(
                "{:?} with {:?}:\n{}",
                f.files,
                f.version,
                f.messages.join("\n")
            )
        })
        .collect();
    assert!(
        failures.is_empty(),
        "fixtures that do not compile:\n{}",
        failures.join("\n\n")
    );

    let project = fixtures();
    assert!(
        project.files.len() >= 40,
        "only {} fixtures",
        project.files.len()
    );
    let compiled: BTreeSet<&String> = run.compiled.keys().collect();
    let expected: BTreeSet<&String> = project.files.iter().collect();
    assert_eq!(compiled, expected, "every fixture's facts come from solc");
    let minors: BTreeSet<u32> = run.compiled.values().map(|v| v.minor).collect();
    assert_eq!(
        minors,
        BTreeSet::from([4, 5, 6, 7, 8]),
        "fixtures span 0.4–0.8"
    );
    assert!(
        run.compiled.values().any(|v| *v == Version::new(0, 4, 24)),
        "the exact `pragma solidity 0.4.24` fixture picks 0.4.24"
    );
}

/// The extractor must locate every declaration's name, in every compiler
/// version's output: this is what the comparison keys on.
#[test]
fn declaration_ranges_spell_the_declared_name() {
    let run = solc_run();
    let mut checked = 0;
    for reference in &run.facts.references {
        let Target::Declaration(decl) = &reference.target else {
            continue;
        };
        let Some(text) = run.sources.get(&decl.at.file) else {
            continue;
        };
        let spelled = &text[decl.at.start as usize..decl.at.end as usize];
        assert_eq!(
            spelled, decl.name,
            "declaration of {} at {}",
            decl.name, decl.at
        );
        checked += 1;
    }
    assert!(checked > 1000, "only {checked} declaration targets checked");
}

/// A reference spells the name of what it resolves to: catches a solc
/// node id mistaken for another (built-ins have ids of no AST node in old
/// compilers, real declarations in others).
#[test]
fn references_spell_their_targets_name() {
    let run = solc_run();
    // `import {A as B}` aliases in the fixtures: the use spells the alias.
    let aliases = [
        ("Base", "Owned"),
        ("mulWad", "wmul"),
        ("NotAllowed", "Unauthorized"),
    ];
    for reference in &run.facts.references {
        let text = &run.sources[&reference.at.file];
        let used = &text[reference.at.start as usize..reference.at.end as usize];
        // The last segment of `a.b`, `L.S`, `x.slot`; assembly's `x_slot`.
        let last = used.rsplit('.').next().unwrap_or(used).trim();
        let name = match &reference.target {
            Target::Declaration(decl) => decl.name.as_str(),
            Target::Builtin { name } => name.as_str(),
        };
        let ok = match reference.kind {
            RefKind::Assembly => used.starts_with(name),
            RefKind::Member => last == name,
            RefKind::Identifier | RefKind::Path => last == name || aliases.contains(&(last, name)),
        };
        assert!(
            ok,
            "{:?} `{used}` at {} resolves to {name}",
            reference.kind, reference.at
        );
    }
}

#[test]
fn solc_facts_of_fixtures_hold_known_answers() {
    let facts = &solc_run().facts;
    let contract = |file: &str, name: &str| {
        facts
            .contracts
            .iter()
            .find(|c| c.file == file && c.name == name)
            .unwrap_or_else(|| panic!("{file}: {name} missing"))
    };
    let d = contract("v0_4/diamond_04.sol", "D");
    assert_eq!(d.linearization, ["D", "C", "B", "A"]);
    let z = contract("v0_7/diamond_07.sol", "Z");
    assert_eq!(z.linearization, ["Z", "K2", "C", "K1", "B", "A", "O"]);

    // 0.4 named constructor, unnamed fallback, default public visibility.
    let token = contract("v0_4/legacy_token.sol", "LegacyToken");
    assert!(token.items.contains(&Item::Function {
        name: String::new(),
        kind: FunctionKind::Constructor,
        visibility: bulwark_difftest::facts::Visibility::Public,
    }));
    let piggy = contract("v0_4/legacy_fallback.sol", "Piggy");
    assert!(piggy.items.iter().any(|i| matches!(
        i,
        Item::Function {
            kind: FunctionKind::Fallback,
            ..
        }
    )));

    // Abstractness before and after the `abstract` keyword.
    assert!(contract("v0_4/interfaces_04.sol", "Sweeper").is_abstract);
    assert!(!contract("v0_4/interfaces_04.sol", "TreasurySweeper").is_abstract);
    assert!(contract("v0_6/abstract_virtual_06.sol", "Shape").is_abstract);
    assert_eq!(
        contract("v0_8/interfaces_08.sol", "IERC20").kind,
        ContractKind::Interface
    );

    let guard = contract("v0_8/transient_08.sol", "TransientGuard");
    assert!(guard.items.iter().any(|i| matches!(
        i,
        Item::StateVariable { name, mutability: Mutability::Transient, .. } if name == "entered"
    )));
    assert!(facts.file_items.iter().any(|fi| fi.file == "v0_7/free_functions_07.sol"
        && matches!(&fi.item, Item::Function { name, kind: FunctionKind::Free, .. } if name == "wmul")));

    for kind in RefKind::ALL {
        assert!(
            facts.references.iter().any(|r| r.kind == kind),
            "no {kind:?} reference extracted"
        );
    }
    assert!(facts
        .references
        .iter()
        .any(|r| matches!(&r.target, Target::Builtin { name } if name == "sha3")));
    assert!(
        facts
            .expression_types
            .iter()
            .any(|t| t.kind == ExprKind::Declaration
                && t.type_string == "mapping(address => uint256)")
    );
}

#[test]
fn bulwark_matches_solc_on_fixtures() {
    let run = solc_run();
    let ours = bulwark_facts(&fixtures()).unwrap_or_else(|e| panic!("{e}"));
    let comparison = compare(&run.facts, &ours);
    let report = render(&comparison, &run.sources, 25);
    println!("{report}");
    let failures = comparison.failures(&Thresholds::default());
    assert!(failures.is_empty(), "{}\n\n{report}", failures.join("\n"));
}

/// The comparator on real data: solc against itself agrees fully, and a
/// damaged copy is caught in every category.
#[test]
fn comparator_on_real_facts() {
    let facts = &solc_run().facts;
    let same = compare(facts, facts);
    assert!(same.failures(&Thresholds::default()).is_empty());
    assert_eq!(same.reference_total().rate(), 1.0);
    assert_eq!(same.type_total().rate(), 1.0);

    let mut damaged = facts.clone();
    let derived = damaged
        .contracts
        .iter_mut()
        .find(|c| c.linearization.len() > 1)
        .expect("fixtures have inheritance");
    derived.linearization.reverse();
    damaged.contracts[1].items.pop();
    let drop_refs = damaged.references.len() / 50; // 2% unresolved
    damaged
        .references
        .truncate(damaged.references.len() - drop_refs);
    for t in damaged.expression_types.iter_mut().step_by(10) {
        t.type_string = "uint8".into(); // 10% wrong (or already uint8)
    }
    let failures = compare(facts, &damaged).failures(&Thresholds::default());
    assert_eq!(failures.len(), 4, "{failures:#?}");
}
