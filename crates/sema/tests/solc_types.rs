//! Types that depend on the compiler series, each checked against what
//! solc-js 0.4.24 / 0.5.17 / 0.7.6 / 0.8.26 / 0.8.37 print as
//! `typeString` for the same code (address payability, address literals,
//! mobile types, locations of mapping keys and constants, functions named
//! through a contract, builtins added within a series).

use bulwark_sema::{analyze, LoadOptions, Model, Project};

fn project(source: &str) -> Project {
    Project::from_sources(&[("t.sol", source)], &LoadOptions::default())
}

/// The type of the first expression whose source text is `text`.
fn type_of(model: &Model<'_>, text: &str) -> String {
    let file = &model.project().files[0];
    model
        .typed_nodes(file.id)
        .find(|(_, span, _)| &file.source[span.start as usize..span.end as usize] == text)
        .map(|(_, _, t)| model.type_string(t))
        .unwrap_or_else(|| panic!("no typed expression `{text}`"))
}

#[test]
fn address_conversions_by_series() {
    let v05 = project(
        "pragma solidity ^0.5.0;
contract P { function() external payable {} function f() public view { address(this); } }
contract N { function f(uint u, bytes20 b) public view { address(this); address(u); address(b); } }",
    );
    let m = analyze(&v05);
    let file = &v05.files[0];
    let this_types: Vec<String> = m
        .typed_nodes(file.id)
        .filter(|(_, s, _)| &file.source[s.start as usize..s.end as usize] == "address(this)")
        .map(|(_, _, t)| m.type_string(t))
        .collect();
    assert_eq!(
        this_types,
        ["address payable", "address"],
        "payable fallback decides"
    );
    assert_eq!(type_of(&m, "address(u)"), "address payable");
    assert_eq!(type_of(&m, "address(b)"), "address payable");

    let v07 = project(
        "pragma solidity ^0.7.0;
contract R { receive() external payable {} function f() public view { address(this); address(0); } }",
    );
    let m = analyze(&v07);
    assert_eq!(type_of(&m, "address(this)"), "address payable");
    assert_eq!(type_of(&m, "address(0)"), "address payable");

    let v08 = project(
        "pragma solidity ^0.8.0;
contract R { receive() external payable {}
  function f(bytes memory d) public view { address(this); payable(address(this)); abi.decode(d, (address)); abi.decode(d, (address[])); } }",
    );
    let m = analyze(&v08);
    assert_eq!(type_of(&m, "address(this)"), "address");
    assert_eq!(type_of(&m, "payable(address(this))"), "address payable");
    assert_eq!(type_of(&m, "abi.decode(d, (address))"), "address payable");
    assert_eq!(
        type_of(&m, "abi.decode(d, (address[]))"),
        "address[] memory"
    );
}

#[test]
fn address_literals_need_their_checksum() {
    let v04 = project(
        "pragma solidity ^0.4.24;
contract H { function f() public pure { 0xdCad3a6d3569DF655070DEd06cb7A1b2Ccd1D3AF; 0xdcad3a6d3569df655070ded06cb7a1b2ccd1d3af; } }",
    );
    let m = analyze(&v04);
    assert_eq!(
        type_of(&m, "0xdCad3a6d3569DF655070DEd06cb7A1b2Ccd1D3AF"),
        "address"
    );
    assert!(type_of(&m, "0xdcad3a6d3569df655070ded06cb7a1b2ccd1d3af").starts_with("int_const"));
    let v05 = project(
        "pragma solidity ^0.5.0;
contract H { function f() public pure { 0x000000000000000000000000000000000000dEaD; } }",
    );
    let m = analyze(&v05);
    assert_eq!(
        type_of(&m, "0x000000000000000000000000000000000000dEaD"),
        "address payable"
    );
}

#[test]
fn literals_widen_the_other_operand() {
    let p = project(
        "pragma solidity ^0.7.0;
contract O { function f(uint32 a) public pure returns (uint40) { return a + 2**32; } }",
    );
    let m = analyze(&p);
    assert_eq!(type_of(&m, "a + 2**32"), "uint40");
}

#[test]
fn locations_of_mapping_keys_and_constants() {
    let p = project(
        "pragma solidity ^0.8.0;
contract L {
  mapping(bytes => uint) byKey;
  string constant NAME = \"x\";
  function f(bytes memory k) public view returns (uint, string memory) { return (byKey[k], NAME); }
}",
    );
    let m = analyze(&p);
    assert_eq!(type_of(&m, "byKey"), "mapping(bytes memory => uint256)");
    assert_eq!(type_of(&m, "NAME"), "string memory");
}

#[test]
fn functions_named_through_contracts() {
    let p = project(
        "pragma solidity ^0.8.0;
interface I { function e(uint) external returns (uint); }
contract B { function p(uint) public payable virtual returns (uint) {} function x(uint) external virtual returns (uint) {} }
contract C is B, I {
  function e(uint) external override returns (uint) {}
  function t() public { B.p; I.e; B.x; this.e.selector; p(1); }
}",
    );
    let m = analyze(&p);
    // A base's public function jumps (and drops `payable` when used
    // internally); external ones can only be named.
    assert_eq!(type_of(&m, "B.p"), "function (uint256) returns (uint256)");
    assert_eq!(type_of(&m, "p"), "function (uint256) returns (uint256)");
    assert_eq!(
        type_of(&m, "I.e"),
        "function I.e(uint256) returns (uint256)"
    );
    assert_eq!(
        type_of(&m, "B.x"),
        "function B.x(uint256) returns (uint256)"
    );
    // `e` is both C's and I's: the override chain has one answer.
    assert_eq!(
        type_of(&m, "this.e"),
        "function (uint256) external returns (uint256)"
    );
    assert_eq!(type_of(&m, "this.e.selector"), "bytes4");
}

#[test]
fn builtins_added_later_in_the_series() {
    // `type(T).max` came with 0.6.8; `^0.6.0` code using it compiles there.
    let p = project(
        "pragma solidity ^0.6.0;
contract T { function f() public pure returns (uint8) { return type(uint8).max; } }",
    );
    let m = analyze(&p);
    assert_eq!(type_of(&m, "type(uint8).max"), "uint8");
    // Not across series: `^0.5.0` cannot reach 0.6.8.
    let p = project(
        "pragma solidity ^0.5.0;
contract T { function f() public pure { type(uint8).max; } }",
    );
    let m = analyze(&p);
    let file = &p.files[0];
    let typed = m
        .typed_nodes(file.id)
        .any(|(_, s, _)| &file.source[s.start as usize..s.end as usize] == "type(uint8).max");
    assert!(!typed);
}
