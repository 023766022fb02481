//! Storage layout on the fixture `fixtures/layout.sol` (solc's packing).

use bulwark_sema::{analyze, LoadOptions, Project};

#[test]
fn packing_follows_solc() {
    let src = include_str!("fixtures/layout.sol");
    let project = Project::from_sources(&[("layout.sol", src)], &LoadOptions::default());
    let model = analyze(&project);
    let derived = model
        .contracts()
        .iter()
        .find(|c| c.ast.name.name == "Derived")
        .unwrap();
    let layout = model.storage_layout(derived.decl);
    let got: Vec<(String, u128, u8, u128, String)> = layout
        .storage
        .iter()
        .map(|e| {
            (
                model.decl(e.var).name.clone(),
                e.slot,
                e.offset,
                e.size,
                model.decl(e.contract).name.clone(),
            )
        })
        .collect();
    let expected: Vec<(String, u128, u8, u128, String)> = [
        ("a", 0, 0, 16, "Base"),
        ("b", 0, 16, 8, "Base"),
        ("owner", 1, 0, 20, "Base"),
        ("flag", 1, 20, 1, "Base"),
        ("mode", 1, 21, 1, "Derived"),
        ("bal", 2, 0, 32, "Derived"),
        ("pair", 3, 0, 64, "Derived"),
        ("small", 5, 0, 64, "Derived"),
        ("big", 7, 0, 96, "Derived"),
        ("data", 10, 0, 32, "Derived"),
        ("tail", 11, 0, 2, "Derived"),
    ]
    .into_iter()
    .map(|(n, s, o, z, c)| (n.to_string(), s, o, z, c.to_string()))
    .collect();
    assert_eq!(got, expected);
    assert_eq!(layout.transient.len(), 1);
    assert_eq!(model.decl(layout.transient[0].var).name, "lock");
    assert_eq!(layout.transient[0].slot, 0);
}
