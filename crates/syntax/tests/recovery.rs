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

/// Parses `body` as a function body that has syntax errors; returns the
/// statements kept (rendered by `show_stmt`) and the diagnostics.
fn broken_body(body: &str) -> (Vec<String>, Vec<String>) {
    let src = format!("contract C {{ function f() public {{ {body} }} }}");
    let parsed = parse(&src);
    for d in &parsed.diagnostics {
        assert!(d.span.end as usize <= src.len(), "span out of range");
    }
    let c = only_contract(&parsed);
    let stmts = function(c, "f").body.as_ref().unwrap().stmts.iter();
    let shown = stmts.map(show_stmt).collect();
    let messages = parsed
        .diagnostics
        .iter()
        .map(|d| d.message.clone())
        .collect();
    (shown, messages)
}

/// A compact rendering of the statements the recovery tests look at.
fn show_stmt(stmt: &Stmt) -> String {
    match &stmt.kind {
        StmtKind::Expr(e) => show(e),
        StmtKind::Return(Some(e)) => format!("return {}", show(e)),
        StmtKind::VarDecl(v) => format!(
            "var {} = {}",
            v.decls[0].as_ref().map_or("_", |d| d.name.name.as_str()),
            v.init.as_ref().map_or("-".to_string(), show)
        ),
        StmtKind::If {
            cond, then_branch, ..
        } => format!("if {} then {}", show(cond), show_stmt(then_branch)),
        StmtKind::While { cond, body } => format!("while {} do {}", show(cond), show_stmt(body)),
        StmtKind::For {
            cond, update, body, ..
        } => format!(
            "for {} {} do {}",
            cond.as_ref().map_or("-".to_string(), show),
            update.as_ref().map_or("-".to_string(), show),
            show_stmt(body)
        ),
        StmtKind::Block(b) => format!(
            "{{{}}}",
            b.stmts.iter().map(show_stmt).collect::<Vec<_>>().join("; ")
        ),
        other => format!("{other:?}").chars().take(20).collect(),
    }
}

#[test]
fn missing_operand_becomes_an_error_node_and_the_statement_stays() {
    let (stmts, messages) = broken_body("a = ; b = x + ; c = -; d = 1;");
    assert_eq!(
        stmts,
        [
            "(a = <error>)",
            "(b = (x + <error>))",
            "(c = (Neg <error>))",
            "(d = 1)"
        ]
    );
    assert_eq!(messages, ["expected expression, found ';'"; 3]);
}

#[test]
fn broken_argument_keeps_the_call_and_its_other_arguments() {
    let (stmts, messages) =
        broken_body(r#"require(amount > , "too low"); f(a, , c); g(a b); balance -= amount;"#);
    assert_eq!(
        stmts,
        [
            r#"require((amount > <error>), "too low")"#,
            "f(a, <error>, c)",
            "g(a)",
            "(balance -= amount)"
        ]
    );
    assert_eq!(
        messages,
        [
            "expected expression, found ','",
            "expected expression, found ','",
            "expected ')' to close argument list, found identifier 'b'"
        ]
    );
    // An argument the expression parser gives up on (here a conditional
    // without its `:`) is one `Error` covering it; the next one is read.
    let (stmts, messages) = broken_body("h(x ? y, z);");
    assert_eq!(stmts, ["h(<error>, z)"]);
    assert_eq!(
        messages,
        ["expected ':' in conditional expression, found ','"]
    );
}

#[test]
fn broken_index_member_tuple_and_array_stay_in_place() {
    let (stmts, _) = broken_body("x = a[i j]; y = b.; (p, q r) = t(); z = [1, +];");
    assert_eq!(
        stmts,
        [
            "(x = a[i])",
            "(y = <error>)",
            "(<p, q> = t())",
            "(z = [1, (Plus <error>)])"
        ]
    );
}

#[test]
fn broken_condition_keeps_the_statement_and_its_body() {
    let (stmts, messages) = broken_body(
        "if (owner == ) { x = 1; } while (a b) { y = 2; } for (i = 0; i < ; i++) { s += i; }",
    );
    assert_eq!(
        stmts,
        [
            "if (owner == <error>) then {(x = 1)}",
            "while a do {(y = 2)}",
            "for (i < <error>) (PostInc i) do {(s += i)}"
        ]
    );
    assert_eq!(messages.len(), 3, "{messages:?}");
}

#[test]
fn declaration_with_broken_initializer_still_declares() {
    let (stmts, _) = broken_body("uint x = y * ; return x + ; ");
    assert_eq!(stmts, ["var x = (y * <error>)", "return (x + <error>)"]);
}

#[test]
fn stray_tokens_after_an_expression_are_skipped_not_the_statement() {
    let (stmts, messages) = broken_body("x = 1 2; y = 3");
    assert_eq!(stmts, ["(x = 1)", "(y = 3)"]);
    assert_eq!(
        messages,
        [
            "expected ';' after expression, found number '2'",
            "expected ';' after expression, found '}'"
        ]
    );
    // Nothing recognisable at all is still skipped whole.
    let (stmts, _) = broken_body(") ] x; y = 4;");
    assert_eq!(stmts, ["(y = 4)"]);
}
