//! Virtual dispatch per most derived contract: overrides along the
//! linearization, overloads kept apart, modifiers, and `super` reaching
//! bases the caller does not know about (diamonds).

use bulwark_sema::{analyze, DeclId, LoadOptions, Model, Project};

const MODERN: &str = r#"
pragma solidity ^0.8.0;
contract A {
    function f() public virtual returns (uint) { return 1; }
    function g(uint x) internal virtual returns (uint) { return x; }
    function g(bool) internal virtual returns (uint) { return 2; }
    function p() private pure returns (uint) { return 0; }
    modifier only() virtual { _; }
    function run() public only returns (uint) { return f() + g(1) + g(true) + p(); }
}
contract B is A {
    function f() public virtual override returns (uint) { return super.f() + 10; }
    modifier only() virtual override { _; }
}
contract C is A {
    function f() public virtual override returns (uint) { return super.f() + 100; }
    function g(uint x) internal virtual override returns (uint) { return x + 1; }
}
contract D is B, C {
    function f() public override(B, C) returns (uint) { return super.f(); }
}
contract E is B {}
contract Other { function f() public returns (uint) { return 5; } }
library L { function h() internal pure returns (uint) { return 1; } }
"#;

const LEGACY: &str = r#"
pragma solidity ^0.4.24;
contract P {
    function f() internal returns (uint) { return 1; }
    function run() public { f(); }
}
contract Q is P {
    function f() internal returns (uint) { return 2; }
}
"#;

fn project(source: &str) -> Project {
    Project::from_sources(&[("a.sol", source)], &LoadOptions::default())
}

fn contract(model: &Model<'_>, name: &str) -> DeclId {
    model
        .contracts()
        .iter()
        .find(|c| model.decl(c.decl).name == name)
        .unwrap_or_else(|| panic!("no contract {name}"))
        .decl
}

/// The function or modifier `contract.name` whose first parameter (if
/// any) has the type `first`.
fn member(model: &Model<'_>, contract_name: &str, name: &str, first: Option<&str>) -> DeclId {
    let c = contract(model, contract_name);
    model
        .functions()
        .iter()
        .find(|f| {
            f.contract == Some(c)
                && model.decl(f.decl).name == name
                && f.params
                    .first()
                    .map(|&p| model.type_string(model.decl_type(p)))
                    == first.map(str::to_string)
        })
        .unwrap_or_else(|| panic!("no {contract_name}.{name}"))
        .decl
}

#[test]
fn calls_by_name_run_the_most_derived_override() {
    let project = project(MODERN);
    let model = analyze(&project);
    let f = |c: &str| member(&model, c, "f", None);
    let [a, b, c, d, e, other] = ["A", "B", "C", "D", "E", "Other"].map(|n| contract(&model, n));

    assert_eq!(model.dispatch(d, f("A")), f("D"));
    assert_eq!(model.dispatch(d, f("B")), f("D"));
    assert_eq!(model.dispatch(e, f("A")), f("B"));
    assert_eq!(model.dispatch(c, f("A")), f("C"));
    assert_eq!(model.dispatch(a, f("A")), f("A"));
    // Overloads are distinct functions: only g(uint) is overridden.
    let g_uint = member(&model, "A", "g", Some("uint256"));
    let g_bool = member(&model, "A", "g", Some("bool"));
    assert_eq!(
        model.dispatch(d, g_uint),
        member(&model, "C", "g", Some("uint256"))
    );
    assert_eq!(model.dispatch(b, g_uint), g_uint);
    assert_eq!(model.dispatch(d, g_bool), g_bool);
    // Modifiers dispatch by name.
    let only = member(&model, "A", "only", None);
    assert_eq!(model.dispatch(d, only), member(&model, "B", "only", None));
    assert_eq!(model.dispatch(c, only), only);
    // Nothing to dispatch: private, library, unrelated contract.
    let p = member(&model, "A", "p", None);
    assert_eq!(model.dispatch(d, p), p);
    let h = member(&model, "L", "h", None);
    assert_eq!(model.dispatch(d, h), h);
    assert_eq!(model.dispatch(other, f("A")), f("A"));
    assert_eq!(model.dispatch(f("A"), f("A")), f("A"), "not a contract");
}

#[test]
fn super_follows_the_linearization_of_the_instance() {
    let project = project(MODERN);
    let model = analyze(&project);
    let f = |c: &str| member(&model, c, "f", None);
    let [a, b, c, d, other] = ["A", "B", "C", "D", "Other"].map(|n| contract(&model, n));
    // D's linearization is D, C, B, A: `super.f()` in C reaches B in a D,
    // although C alone only knows A.
    assert_eq!(model.dispatch_super(d, c, f("A")), Some(f("B")));
    assert_eq!(model.dispatch_super(c, c, f("A")), Some(f("A")));
    assert_eq!(model.dispatch_super(d, b, f("A")), Some(f("A")));
    assert_eq!(model.dispatch_super(d, d, f("C")), Some(f("C")));
    assert_eq!(model.dispatch_super(d, a, f("A")), None);
    assert_eq!(model.dispatch_super(other, c, f("A")), None);
}

#[test]
fn legacy_functions_are_virtual_without_the_keyword() {
    let project = project(LEGACY);
    let model = analyze(&project);
    let q = contract(&model, "Q");
    let p = contract(&model, "P");
    let pf = member(&model, "P", "f", None);
    assert_eq!(model.dispatch(q, pf), member(&model, "Q", "f", None));
    assert_eq!(model.dispatch(p, pf), pf);
}
