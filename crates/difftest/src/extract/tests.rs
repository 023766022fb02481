//! The extractor on small hand-written ASTs in the shapes of solc 0.4 and
//! 0.8 output (only the fields the extractor reads).

use serde_json::{json, Value};

use super::{extract_unit, AstSource};
use crate::facts::{
    ContractKind, DeclLoc, ExprKind, Facts, FunctionKind, Item, Mutability, RefKind, SourceRange,
    Target, Visibility,
};

/// `start:length:file` of the `nth` occurrence of `needle` in `text`.
fn src(text: &str, needle: &str, nth: usize, file: u32) -> String {
    let start = text
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("{needle:?} #{nth} not in text"))
        .0;
    format!("{start}:{}:{file}", needle.len())
}

fn range(text: &str, needle: &str, nth: usize, file: &str) -> SourceRange {
    let start = text.match_indices(needle).nth(nth).unwrap().0 as u32;
    SourceRange::new(file, start, start + needle.len() as u32)
}

const LEGACY: &str = "pragma solidity ^0.4.24;
contract A {
    uint x;
    function A() { x = now; }
    function() payable {}
    function g() constant returns (uint r) { assembly { r := sload(x_slot) } }
}
";

/// solc 0.4 shapes: `isConstructor`, empty fallback name, `constant`
/// flags, positive built-in ids, one-key `externalReferences` objects, no
/// `nameLocation`.
fn legacy_ast() -> Value {
    let t = LEGACY;
    json!({
        "nodeType": "SourceUnit", "id": 30, "src": format!("0:{}:0", t.len()),
        "nodes": [
            {"nodeType": "PragmaDirective", "id": 1, "src": src(t, "pragma solidity ^0.4.24;", 0, 0)},
            {
                "nodeType": "ContractDefinition", "id": 29, "name": "A", "contractKind": "contract",
                "fullyImplemented": true, "linearizedBaseContracts": [29],
                "src": src(t, "contract A {", 0, 0),
                "nodes": [
                    {
                        "nodeType": "VariableDeclaration", "id": 3, "name": "x", "constant": false,
                        "stateVariable": true, "visibility": "internal", "src": src(t, "uint x", 0, 0),
                        "typeDescriptions": {"typeString": "uint256"}, "value": null
                    },
                    {
                        "nodeType": "FunctionDefinition", "id": 10, "name": "A", "isConstructor": true,
                        "visibility": "public", "src": src(t, "function A() { x = now; }", 0, 0),
                        "body": {"nodeType": "Block", "statements": [{
                            "nodeType": "ExpressionStatement",
                            "expression": {
                                "nodeType": "Assignment", "src": src(t, "x = now", 0, 0),
                                "typeDescriptions": {"typeString": "uint256"},
                                "leftHandSide": {
                                    "nodeType": "Identifier", "name": "x", "referencedDeclaration": 3,
                                    "src": src(t, "x = now", 0, 0).replace(":7:", ":1:"),
                                    "typeDescriptions": {"typeString": "uint256"}
                                },
                                "rightHandSide": {
                                    "nodeType": "Identifier", "name": "now", "referencedDeclaration": 97,
                                    "src": src(t, "now", 0, 0),
                                    "typeDescriptions": {"typeString": "uint256"}
                                }
                            }
                        }]}
                    },
                    {
                        "nodeType": "FunctionDefinition", "id": 12, "name": "", "isConstructor": false,
                        "visibility": "public", "src": src(t, "function() payable {}", 0, 0)
                    },
                    {
                        "nodeType": "FunctionDefinition", "id": 20, "name": "g", "isConstructor": false,
                        "visibility": "public", "src": src(t, "function g()", 0, 0),
                        "returnParameters": {"nodeType": "ParameterList", "parameters": [{
                            "nodeType": "VariableDeclaration", "id": 15, "name": "r", "constant": false,
                            "stateVariable": false, "visibility": "internal",
                            "src": src(t, "uint r", 0, 0),
                            "typeDescriptions": {"typeString": "uint256"}
                        }]},
                        "body": {"nodeType": "Block", "statements": [{
                            "nodeType": "InlineAssembly", "src": src(t, "assembly { r := sload(x_slot) }", 0, 0),
                            "operations": "{ r := sload(x_slot) }",
                            "externalReferences": [
                                {"r": {"declaration": 15, "isSlot": false, "src": src(t, "r :=", 0, 0).replace(":4:", ":1:")}},
                                {"x_slot": {"declaration": 3, "isSlot": true, "src": src(t, "x_slot", 0, 0)}}
                            ]
                        }]}
                    }
                ]
            }
        ]
    })
}

fn extract_one(path: &str, text: &str, ast: &Value) -> Facts {
    let sources = [AstSource {
        path,
        id: 0,
        ast,
        text: Some(text),
    }];
    extract_unit(&sources, &|_| true)
}

#[test]
fn legacy_structure() {
    let facts = extract_one("a.sol", LEGACY, &legacy_ast());
    assert_eq!(facts.contracts.len(), 1);
    let a = &facts.contracts[0];
    assert_eq!(
        (a.name.as_str(), a.kind, a.is_abstract),
        ("A", ContractKind::Contract, false)
    );
    assert_eq!(a.linearization, ["A"]);
    let function = |name: &str, kind| Item::Function {
        name: name.into(),
        kind,
        visibility: Visibility::Public,
    };
    let mut expected = vec![
        Item::StateVariable {
            name: "x".into(),
            visibility: Visibility::Internal,
            mutability: Mutability::Mutable,
        },
        // The 0.4 constructor named after the contract loses its name.
        function("", FunctionKind::Constructor),
        function("", FunctionKind::Fallback),
        function("g", FunctionKind::Function),
    ];
    expected.sort();
    assert_eq!(a.items, expected);
}

#[test]
fn legacy_references_locate_names_in_the_text() {
    let t = LEGACY;
    let facts = extract_one("a.sol", t, &legacy_ast());
    let x_decl = Target::Declaration(DeclLoc {
        name: "x".into(),
        // Found in "uint x" without `nameLocation`.
        at: range(t, "x", 0, "a.sol"),
    });
    // The return variable r, found in "uint r".
    let r_start = t.find("uint r").unwrap() as u32 + "uint ".len() as u32;
    let r_decl = Target::Declaration(DeclLoc {
        name: "r".into(),
        at: SourceRange::new("a.sol", r_start, r_start + 1),
    });
    let targets: Vec<(RefKind, &Target)> = facts
        .references
        .iter()
        .map(|r| (r.kind, &r.target))
        .collect();
    assert_eq!(
        targets,
        vec![
            (RefKind::Identifier, &x_decl),
            (RefKind::Identifier, &Target::Builtin { name: "now".into() }),
            (RefKind::Assembly, &r_decl),
            (RefKind::Assembly, &x_decl),
        ]
    );
}

#[test]
fn legacy_types_include_declarations_by_name() {
    let t = LEGACY;
    let facts = extract_one("a.sol", t, &legacy_ast());
    let declaration = facts
        .expression_types
        .iter()
        .find(|e| e.kind == ExprKind::Declaration && e.at == range(t, "x", 0, "a.sol"))
        .expect("x's declared type");
    assert_eq!(declaration.type_string, "uint256");
    let assignment = facts
        .expression_types
        .iter()
        .find(|e| e.kind == ExprKind::Assignment)
        .expect("the assignment's type");
    assert_eq!(assignment.at, range(t, "x = now", 0, "a.sol"));
    // Identifiers x and now, the assignment, and the declarations x and r.
    assert_eq!(facts.expression_types.len(), 5);
}

const MODERN: &str = "type Id is uint256;
function next(Id a) pure returns (Id) { return a; }
interface I {}
abstract contract B is I { bool transient locked; }
";

/// solc 0.8 shapes: `kind`, `nameLocation`, negative built-in ids,
/// `UserDefinedTypeName` wrapping an `IdentifierPath` with the same range.
fn modern_ast() -> Value {
    let t = MODERN;
    json!({
        "nodeType": "SourceUnit", "id": 40, "src": format!("0:{}:0", t.len()),
        "nodes": [
            {
                "nodeType": "UserDefinedValueTypeDefinition", "id": 2, "name": "Id",
                "nameLocation": src(t, "Id", 0, 0), "src": src(t, "type Id is uint256;", 0, 0)
            },
            {
                "nodeType": "FunctionDefinition", "id": 9, "name": "next", "kind": "freeFunction",
                "visibility": "internal", "nameLocation": src(t, "next", 0, 0),
                "src": src(t, "function next(Id a) pure returns (Id) { return a; }", 0, 0),
                "parameters": {"nodeType": "ParameterList", "parameters": [{
                    "nodeType": "VariableDeclaration", "id": 5, "name": "a", "mutability": "mutable",
                    "nameLocation": src(t, "a)", 0, 0).replace(":2:", ":1:"),
                    "src": src(t, "Id a", 0, 0), "stateVariable": false, "visibility": "internal",
                    "typeDescriptions": {"typeString": "Id"},
                    "typeName": {
                        "nodeType": "UserDefinedTypeName", "referencedDeclaration": 2,
                        "src": src(t, "Id", 1, 0), "typeDescriptions": {"typeString": "Id"},
                        "pathNode": {"nodeType": "IdentifierPath", "name": "Id", "referencedDeclaration": 2, "src": src(t, "Id", 1, 0)}
                    }
                }]},
                "body": {"nodeType": "Block", "statements": [{
                    "nodeType": "Return",
                    "expression": {
                        "nodeType": "Identifier", "name": "a", "referencedDeclaration": 5,
                        "src": src(t, "a;", 0, 0).replace(":2:", ":1:"),
                        "typeDescriptions": {"typeString": "Id"}
                    }
                }]}
            },
            {
                "nodeType": "ContractDefinition", "id": 12, "name": "I", "contractKind": "interface",
                "abstract": false, "fullyImplemented": true, "linearizedBaseContracts": [12],
                "nameLocation": src(t, "I {", 0, 0).replace(":3:", ":1:"), "src": src(t, "interface I {}", 0, 0), "nodes": []
            },
            {
                "nodeType": "ContractDefinition", "id": 20, "name": "B", "contractKind": "contract",
                "abstract": true, "fullyImplemented": true, "linearizedBaseContracts": [20, 12],
                "nameLocation": src(t, "B", 0, 0), "src": src(t, "abstract contract B", 0, 0),
                "baseContracts": [{
                    "nodeType": "InheritanceSpecifier",
                    "baseName": {"nodeType": "IdentifierPath", "name": "I", "referencedDeclaration": 12, "src": src(t, "I {", 1, 0).replace(":3:", ":1:")}
                }],
                "nodes": [{
                    "nodeType": "VariableDeclaration", "id": 15, "name": "locked", "mutability": "mutable",
                    "storageLocation": "transient", "stateVariable": true, "visibility": "internal",
                    "nameLocation": src(t, "locked", 0, 0), "src": src(t, "bool transient locked", 0, 0),
                    "typeDescriptions": {"typeString": "bool"}
                }]
            },
            {
                "nodeType": "ExpressionStatement",
                "expression": {"nodeType": "Identifier", "name": "msg", "referencedDeclaration": -15, "src": "0:0:0", "typeDescriptions": {"typeString": "msg"}}
            }
        ]
    })
}

#[test]
fn modern_structure() {
    let facts = extract_one("m.sol", MODERN, &modern_ast());
    let kinds: Vec<(&str, ContractKind, bool)> = facts
        .contracts
        .iter()
        .map(|c| (c.name.as_str(), c.kind, c.is_abstract))
        .collect();
    assert_eq!(
        kinds,
        vec![
            ("B", ContractKind::Contract, true),
            ("I", ContractKind::Interface, false)
        ]
    );
    assert_eq!(facts.contracts[0].linearization, ["B", "I"]);
    assert_eq!(
        facts.contracts[0].items,
        vec![Item::StateVariable {
            name: "locked".into(),
            visibility: Visibility::Internal,
            mutability: Mutability::Transient,
        }]
    );
    let file_items: Vec<&Item> = facts.file_items.iter().map(|fi| &fi.item).collect();
    assert_eq!(
        file_items,
        vec![
            &Item::Function {
                name: "next".into(),
                kind: FunctionKind::Free,
                visibility: Visibility::Internal
            },
            &Item::ValueType { name: "Id".into() },
        ]
    );
}

#[test]
fn modern_references_use_name_locations_and_dedupe_paths() {
    let t = MODERN;
    let facts = extract_one("m.sol", t, &modern_ast());
    let id_decl = Target::Declaration(DeclLoc {
        name: "Id".into(),
        at: range(t, "Id", 0, "m.sol"),
    });
    let path_refs: Vec<&Target> = facts
        .references
        .iter()
        .filter(|r| r.at == range(t, "Id", 1, "m.sol"))
        .map(|r| &r.target)
        .collect();
    assert_eq!(
        path_refs,
        vec![&id_decl],
        "type name and its path are one reference"
    );
    assert!(facts
        .references
        .iter()
        .any(|r| r.target == Target::Builtin { name: "msg".into() }));
    let mut base_at = range(t, "I {", 1, "m.sol");
    base_at.end = base_at.start + 1;
    let base = facts
        .references
        .iter()
        .find(|r| r.at == base_at)
        .expect("the base contract reference");
    assert_eq!(base.kind, RefKind::Path);
    let mut interface_name = range(t, "I {", 0, "m.sol");
    interface_name.end = interface_name.start + 1;
    assert_eq!(
        base.target,
        Target::Declaration(DeclLoc {
            name: "I".into(),
            at: interface_name
        })
    );
}

#[test]
fn include_filter_limits_facts_but_not_resolution() {
    let ast = modern_ast();
    let sources = [AstSource {
        path: "m.sol",
        id: 0,
        ast: &ast,
        text: Some(MODERN),
    }];
    let facts = extract_unit(&sources, &|path| path != "m.sol");
    assert_eq!(facts, Facts::default());
}

#[test]
fn import_alias_is_found_after_as() {
    let text = "import \"./as.sol\" as as2;\n";
    let ast = json!({
        "nodeType": "SourceUnit", "id": 3, "src": "0:26:0",
        "nodes": [
            {"nodeType": "ImportDirective", "id": 1, "unitAlias": "as2", "src": "0:25:0"},
            {"nodeType": "ExpressionStatement", "expression": {
                "nodeType": "Identifier", "name": "as2", "referencedDeclaration": 1, "src": "21:3:0"
            }}
        ]
    });
    let facts = extract_one("i.sol", text, &ast);
    assert_eq!(
        facts.references[0].target,
        Target::Declaration(DeclLoc {
            name: "as2".into(),
            at: SourceRange::new("i.sol", 21, 24),
        })
    );
}
