//! Error tolerance: every syntax error is reported with what was expected
//! and what was found, and the parser resynchronises so later statements,
//! members and items are still in the tree.

mod common;

use bulwark_syntax::ast::*;
use bulwark_syntax::{parse, LineIndex};
use common::*;

fn messages(src: &str) -> Vec<String> {
    parse(src)
        .diagnostics
        .iter()
        .map(|d| d.message.clone())
        .collect()
}

#[test]
fn missing_semicolon_message_names_expected_and_found() {
    let src = "contract C { function f() public { x = 1 } }";
    let parsed = parse(src);
    assert_eq!(parsed.diagnostics.len(), 1);
    let d = &parsed.diagnostics[0];
    assert_eq!(d.message, "expected ';' after expression, found '}'");
    let pos = LineIndex::new(src).line_col(src, d.span.start as usize);
    assert_eq!((pos.line, pos.col), (1, 42));
}

#[test]
fn missing_semicolon_at_line_end_is_reported_after_the_previous_token() {
    let src = "contract C {\n    uint x\n    function f() public {}\n}";
    let parsed = parse(src);
    assert_eq!(parsed.diagnostics.len(), 1);
    let d = &parsed.diagnostics[0];
    assert_eq!(
        d.message,
        "expected ';' after state variable declaration, found keyword 'function'"
    );
    let pos = LineIndex::new(src).line_col(src, d.span.start as usize);
    assert_eq!((pos.line, pos.col), (2, 11));
    // Both the declaration missing its `;` and the next member survive.
    let c = only_contract(&parsed);
    assert_eq!(c.state_variables().count(), 1);
    assert_eq!(c.functions().count(), 1);

    let src = "contract C { function f() public {\n x = 1\n return;\n} }";
    let parsed = parse(src);
    assert_eq!(parsed.diagnostics.len(), 1);
    let c = only_contract(&parsed);
    let body = &function(c, "f").body.as_ref().unwrap().stmts;
    assert!(matches!(body[0].kind, StmtKind::Expr(_)));
    assert!(matches!(body[1].kind, StmtKind::Return(None)));
}

#[test]
fn broken_function_does_not_hide_later_members() {
    let src = r#"contract C {
    uint a;
    function broken( public { if (x { y = ; } }
    function good() public { z = 1; }
    event E();
    uint b;
}
contract D { function h() public {} }"#;
    let parsed = parse(src);
    assert!(!parsed.diagnostics.is_empty());
    let contracts: Vec<_> = parsed.unit.contracts().collect();
    assert_eq!(contracts.len(), 2);
    let c = contracts[0];
    assert!(c
        .functions()
        .any(|f| f.name.as_ref().unwrap().name == "good"));
    assert!(c
        .members
        .iter()
        .any(|m| matches!(m, ContractMember::Event(_))));
    assert_eq!(c.state_variables().count(), 2);
    assert_eq!(contracts[1].functions().count(), 1);
}

#[test]
fn broken_statement_does_not_hide_later_statements() {
    let src = "contract C { function f() public { a = ; b = 2; if (c) { d(; } e = 3; } }";
    let parsed = parse(src);
    assert_eq!(parsed.diagnostics.len(), 2, "{:?}", parsed.diagnostics);
    let c = only_contract(&parsed);
    let body = &function(c, "f").body.as_ref().unwrap().stmts;
    let shown: Vec<String> = body
        .iter()
        .filter_map(|s| match &s.kind {
            StmtKind::Expr(e) => Some(show(e)),
            _ => None,
        })
        .collect();
    assert!(shown.contains(&"(b = 2)".to_string()), "{shown:?}");
    assert!(shown.contains(&"(e = 3)".to_string()), "{shown:?}");
}

#[test]
fn unclosed_function_body_is_closed_at_next_member() {
    let src = "contract C {\n function f() public {\n x = 1;\n\n function g() public { y = 2; }\n}";
    let parsed = parse(src);
    assert_eq!(
        messages(src),
        vec!["expected '}' to close block, found keyword 'function'".to_string()]
    );
    let c = only_contract(&parsed);
    assert_eq!(c.functions().count(), 2);
}

#[test]
fn unclosed_contract_is_closed_at_next_contract() {
    let src = "contract A { function f() public {} \n contract B { uint x; }";
    let parsed = parse(src);
    assert_eq!(parsed.unit.contracts().count(), 2);
    assert_eq!(
        messages(src),
        vec!["expected '}' to close contract body, found keyword 'contract'".to_string()]
    );
}

#[test]
fn garbage_at_file_level_is_skipped() {
    let src = "} ) garbage here; contract C {}";
    let parsed = parse(src);
    assert!(!parsed.diagnostics.is_empty());
    assert_eq!(parsed.unit.contracts().count(), 1);
    assert!(parsed.diagnostics[0]
        .message
        .starts_with("expected pragma, import, contract"));
}

#[test]
fn bad_member_is_skipped() {
    let src = "contract C { 42; uint x; + - ; function f() public {} }";
    let parsed = parse(src);
    assert!(parsed.diagnostics[0]
        .message
        .contains("in contract body, found number '42'"));
    let c = only_contract(&parsed);
    assert_eq!(c.state_variables().count(), 1);
    assert_eq!(c.functions().count(), 1);
}

#[test]
fn broken_parameter_list_keeps_function() {
    let src = "contract C { function f(uint a, +) public returns (uint) { return a; } }";
    let parsed = parse(src);
    assert_eq!(parsed.diagnostics.len(), 1);
    let c = only_contract(&parsed);
    let f = function(c, "f");
    assert_eq!(f.params.len(), 1);
    assert!(f.body.is_some());
}

#[test]
fn missing_pragma_semicolon_is_reported_at_line_end() {
    let src = "pragma solidity ^0.8.0\ncontract C {}";
    let parsed = parse(src);
    assert_eq!(
        parsed.diagnostics[0].message,
        "expected ';' after pragma directive, found end of line"
    );
    assert_eq!(parsed.unit.contracts().count(), 1);
}

#[test]
fn lexer_errors_surface_as_diagnostics() {
    let src = "contract C { string s = \"unterminated\n; uint x = 1; }";
    let parsed = parse(src);
    assert!(parsed
        .diagnostics
        .iter()
        .any(|d| d.message.contains("unterminated string")));
    let src = "contract C { uint x = 1 # 2; }";
    assert!(messages(src)
        .iter()
        .any(|m| m.contains("invalid character \"#\"")));
}

#[test]
fn unclosed_everything_at_end_of_file() {
    for src in [
        "contract C {",
        "contract C { function f() public {",
        "contract C { function f() public { if (x) { a = (1 + ",
        "contract C { function f() public { assembly {",
        "import {a, b",
        "pragma solidity",
        "/* unterminated",
        "contract C { struct S { uint",
        "contract C { enum E { A,",
        "contract C { mapping(uint =>",
    ] {
        let parsed = parse(src);
        assert!(parsed.has_errors(), "no error for {src:?}");
        assert!(
            parsed
                .diagnostics
                .iter()
                .all(|d| d.span.end as usize <= src.len()),
            "span out of range for {src:?}"
        );
    }
}

#[test]
fn deep_nesting_is_bounded_not_a_stack_overflow() {
    let depth = 5_000;
    let src = format!(
        "contract C {{ function f() public {{ x = {}1{}; }} }}",
        "(".repeat(depth),
        ")".repeat(depth)
    );
    let parsed = parse(&src);
    assert!(parsed
        .diagnostics
        .iter()
        .any(|d| d.message.starts_with("nesting too deep")));

    let src = format!(
        "contract C {{ function f() public {} }}",
        "{".repeat(depth) + &"}".repeat(depth)
    );
    assert!(parse(&src).has_errors());
    let src = format!(
        "contract C {{ function f() public {{ x = {}1; }} }}",
        "-".repeat(depth)
    );
    assert!(parse(&src).has_errors());
    let src = format!("contract C {{ {} x; }}", "mapping(uint => ".repeat(depth));
    assert!(parse(&src).has_errors());
    // Real code nests far less and must not hit the bound.
    let src = format!(
        "contract C {{ function f() public {{ x = {}1{}; }} }}",
        "(".repeat(40),
        ")".repeat(40)
    );
    parse_clean(&src);
}

#[test]
fn long_operator_and_postfix_chains_do_not_overflow() {
    let n = 20_000;
    for body in [
        format!("x = {}1;", "1 + ".repeat(n)),
        format!("x = a{};", ".b".repeat(n)),
        format!("x = f{};", "()".repeat(n)),
        format!("x = a{};", "[0]".repeat(n)),
        format!("x = a{};", "++".repeat(n)),
        format!("{} x = 1;", "if (a) {} else ".repeat(n)),
    ] {
        let src = format!("contract C {{ function f() public {{ {body} }} }}");
        let parsed = parse(&src);
        assert!(parsed
            .diagnostics
            .iter()
            .any(|d| d.message.starts_with("nesting too deep")));
        assert!(parsed.diagnostics.len() <= 1000, "diagnostics are capped");
        drop(parsed);
    }
    // Long but plausible chains are fine.
    let n = 300;
    parse_clean(&format!(
        "contract C {{ function f() public {{ x = {}1; y = a{}; {} z = 1; }} }}",
        "1 + ".repeat(n),
        ".b".repeat(n),
        "if (a) {} else ".repeat(n)
    ));
}
