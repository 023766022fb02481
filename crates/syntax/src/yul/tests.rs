//! Parser tests: one per construct, then the old-style dialect, then error
//! recovery. Sources are small Solidity fragments so that spans are checked
//! as absolute offsets into the surrounding file.

use super::*;

/// Parses the first `{` of `src` and asserts there are no diagnostics.
fn parse_ok(src: &str) -> YulBlock {
    let open = src.find('{').expect("test source has a block");
    let parsed = parse_block(src, open);
    assert!(
        parsed.diagnostics.is_empty(),
        "unexpected diagnostics: {:#?}",
        parsed.diagnostics
    );
    parsed.block
}

fn parse_errors(src: &str) -> YulParse {
    let parsed = parse_block(src, src.find('{').unwrap());
    assert!(
        !parsed.diagnostics.is_empty(),
        "expected diagnostics for {src:?}"
    );
    parsed
}

fn only_statement(block: &YulBlock) -> &YulStatement {
    assert_eq!(block.statements.len(), 1, "{:#?}", block.statements);
    &block.statements[0]
}

fn call_name(expression: &YulExpression) -> &str {
    match expression {
        YulExpression::Call(call) => &call.name.name,
        other => panic!("expected a call, got {other:?}"),
    }
}

fn ident_name(expression: &YulExpression) -> &str {
    match expression {
        YulExpression::Identifier(ident) => &ident.name,
        other => panic!("expected an identifier, got {other:?}"),
    }
}

fn messages(parsed: &YulParse) -> Vec<&str> {
    parsed
        .diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect()
}

// ---- entry point contract ------------------------------------------------

#[test]
fn end_is_just_past_the_matching_brace_and_spans_are_absolute() {
    let src = "function f() { assembly { let x := 1 } x = 2; }";
    let open = src.find("{ let").unwrap();
    let parsed = parse_block(src, open);
    assert!(parsed.diagnostics.is_empty());
    assert_eq!(&src[parsed.end..], " x = 2; }");
    assert_eq!(parsed.block.span.text(src), "{ let x := 1 }");
    assert_eq!(parsed.block.statements[0].span().text(src), "let x := 1");
}

#[test]
fn open_brace_offset_not_at_a_brace_is_reported_not_panicking() {
    for offset in [0, 3, 100] {
        let parsed = parse_block("abc", offset);
        assert_eq!(parsed.end, offset.min(3));
        assert_eq!(parsed.diagnostics.len(), 1);
        assert!(parsed.block.statements.is_empty());
    }
}

// ---- statements ----------------------------------------------------------

#[test]
fn variable_declarations_with_and_without_values() {
    let src = "{ let a, b := f() let c let d:u256 := 1:u256 }";
    let block = parse_ok(src);
    let decls: Vec<&YulVariableDeclaration> = block
        .statements
        .iter()
        .map(|s| match s {
            YulStatement::VariableDeclaration(d) => d,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        decls[0]
            .names
            .iter()
            .map(|n| n.name.name.as_str())
            .collect::<Vec<_>>(),
        ["a", "b"]
    );
    assert_eq!(call_name(decls[0].value.as_ref().unwrap()), "f");
    assert_eq!(decls[0].span.text(src), "let a, b := f()");
    assert!(decls[1].value.is_none());
    assert_eq!(decls[1].span.text(src), "let c");
    assert_eq!(decls[2].names[0].ty.as_ref().unwrap().name, "u256");
    assert_eq!(decls[2].names[0].span.text(src), "d:u256");
    match decls[2].value.as_ref().unwrap() {
        YulExpression::Literal(lit) => {
            assert_eq!(lit.raw, "1");
            assert_eq!(lit.ty.as_ref().unwrap().name, "u256");
            assert_eq!(lit.span.text(src), "1:u256");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn assignments_single_and_multiple() {
    let src = "{ x := 1 a, b.slot := g(x) }";
    let block = parse_ok(src);
    match &block.statements[1] {
        YulStatement::Assignment(a) => {
            assert_eq!(
                a.targets
                    .iter()
                    .map(|t| t.name.as_str())
                    .collect::<Vec<_>>(),
                ["a", "b.slot"]
            );
            assert_eq!(call_name(&a.value), "g");
            assert_eq!(a.span.text(src), "a, b.slot := g(x)");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn nested_calls_and_literal_kinds() {
    let src = r#"{ mstore(0x40, add(mload(0x40), 32)) log1(0, 0, "Transfer\"x", hex"dead_beef", true, false) }"#;
    let block = parse_ok(src);
    let YulStatement::Expression(YulExpression::Call(mstore)) = &block.statements[0] else {
        panic!()
    };
    assert_eq!(mstore.name.name, "mstore");
    assert_eq!(mstore.arguments.len(), 2);
    assert_eq!(call_name(&mstore.arguments[1]), "add");
    assert_eq!(mstore.arguments[1].span().text(src), "add(mload(0x40), 32)");
    let YulStatement::Expression(YulExpression::Call(log)) = &block.statements[1] else {
        panic!()
    };
    let kinds: Vec<(YulLiteralKind, &str)> = log
        .arguments
        .iter()
        .map(|a| match a {
            YulExpression::Literal(l) => (l.kind, l.raw.as_str()),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        kinds,
        [
            (YulLiteralKind::Decimal, "0"),
            (YulLiteralKind::Decimal, "0"),
            (YulLiteralKind::String, r#""Transfer\"x""#),
            (YulLiteralKind::HexString, r#"hex"dead_beef""#),
            (YulLiteralKind::Bool, "true"),
            (YulLiteralKind::Bool, "false"),
        ]
    );
}

#[test]
fn literal_numeric_values() {
    let block = parse_ok("{ f(0xff, 255, true, 0x10000000000000000000000000000000000) }");
    let YulStatement::Expression(YulExpression::Call(call)) = only_statement(&block) else {
        panic!()
    };
    let values: Vec<Option<u128>> = call
        .arguments
        .iter()
        .map(|a| match a {
            YulExpression::Literal(l) => l.numeric_value(),
            _ => panic!(),
        })
        .collect();
    assert_eq!(values, [Some(255), Some(255), Some(1), None]);
}

#[test]
fn if_statement() {
    let src = "{ if iszero(x) { revert(0, 0) } }";
    let block = parse_ok(src);
    let YulStatement::If(if_statement) = only_statement(&block) else {
        panic!()
    };
    assert_eq!(call_name(&if_statement.condition), "iszero");
    assert_eq!(if_statement.body.span.text(src), "{ revert(0, 0) }");
    assert_eq!(if_statement.span.text(src), "if iszero(x) { revert(0, 0) }");
}

#[test]
fn switch_with_hex_and_string_cases_and_default() {
    let src = "{ switch shr(224, calldataload(0)) case 0xa9059cbb { t() } case \"ab\" {} default { revert(0, 0) } }";
    let block = parse_ok(src);
    let YulStatement::Switch(switch) = only_statement(&block) else {
        panic!()
    };
    assert_eq!(call_name(&switch.expression), "shr");
    assert_eq!(switch.cases.len(), 3);
    let first = switch.cases[0].value.as_ref().unwrap();
    assert_eq!(
        (first.kind, first.raw.as_str()),
        (YulLiteralKind::HexNumber, "0xa9059cbb")
    );
    assert_eq!(first.numeric_value(), Some(0xa9059cbb));
    assert_eq!(
        switch.cases[1].value.as_ref().unwrap().kind,
        YulLiteralKind::String
    );
    assert_eq!(
        switch.default_case().unwrap().span.text(src),
        "default { revert(0, 0) }"
    );
    assert_eq!(switch.cases[0].span.text(src), "case 0xa9059cbb { t() }");
}

#[test]
fn switch_with_only_default() {
    let block = parse_ok("{ switch x default { y := 1 } }");
    let YulStatement::Switch(switch) = only_statement(&block) else {
        panic!()
    };
    assert_eq!(switch.cases.len(), 1);
    assert!(switch.default_case().is_some());
}

#[test]
fn for_loop_with_empty_init_and_body() {
    let src = "{ for {} lt(i, n) { i := add(i, 1) } {} }";
    let block = parse_ok(src);
    let YulStatement::For(for_loop) = only_statement(&block) else {
        panic!()
    };
    assert!(for_loop.init.statements.is_empty());
    assert_eq!(for_loop.init.span.text(src), "{}");
    assert_eq!(call_name(&for_loop.condition), "lt");
    assert!(matches!(
        for_loop.post.statements[0],
        YulStatement::Assignment(_)
    ));
    assert!(for_loop.body.statements.is_empty());
    assert_eq!(
        for_loop.span.text(src),
        "for {} lt(i, n) { i := add(i, 1) } {}"
    );
}

#[test]
fn for_loop_with_control_flow() {
    let block = parse_ok("{ for { let i := 0 } 1 {} { if x { break } if y { continue } } }");
    let YulStatement::For(for_loop) = only_statement(&block) else {
        panic!()
    };
    assert!(matches!(
        for_loop.init.statements[0],
        YulStatement::VariableDeclaration(_)
    ));
    let YulStatement::If(first) = &for_loop.body.statements[0] else {
        panic!()
    };
    assert!(matches!(first.body.statements[0], YulStatement::Break(_)));
    let YulStatement::If(second) = &for_loop.body.statements[1] else {
        panic!()
    };
    assert!(matches!(
        second.body.statements[0],
        YulStatement::Continue(_)
    ));
}

#[test]
fn nested_function_definitions_with_params_returns_and_leave() {
    let src = "{ function outer(a, b:u256) -> r, s { function inner() -> z { z := 1 leave } r := inner() } }";
    let block = parse_ok(src);
    let YulStatement::FunctionDefinition(outer) = only_statement(&block) else {
        panic!()
    };
    assert_eq!(outer.name.name, "outer");
    assert_eq!(
        outer
            .params
            .iter()
            .map(|p| p.name.name.as_str())
            .collect::<Vec<_>>(),
        ["a", "b"]
    );
    assert_eq!(outer.params[1].ty.as_ref().unwrap().name, "u256");
    assert_eq!(
        outer
            .returns
            .iter()
            .map(|p| p.name.name.as_str())
            .collect::<Vec<_>>(),
        ["r", "s"]
    );
    let YulStatement::FunctionDefinition(inner) = &outer.body.statements[0] else {
        panic!()
    };
    assert!(inner.params.is_empty());
    assert!(matches!(inner.body.statements[1], YulStatement::Leave(_)));
    assert_eq!(
        inner.span.text(src),
        "function inner() -> z { z := 1 leave }"
    );
}

#[test]
fn function_without_returns() {
    let block = parse_ok("{ function f(x) { sstore(0, x) } }");
    let YulStatement::FunctionDefinition(f) = only_statement(&block) else {
        panic!()
    };
    assert!(f.returns.is_empty());
    assert_eq!(f.params.len(), 1);
}

#[test]
fn nested_blocks() {
    let src = "{ { let x := 1 { pop(x) } } }";
    let block = parse_ok(src);
    let YulStatement::Block(outer) = only_statement(&block) else {
        panic!()
    };
    let YulStatement::Block(inner) = &outer.statements[1] else {
        panic!()
    };
    assert_eq!(inner.span.text(src), "{ pop(x) }");
}

#[test]
fn memory_safe_block_from_modern_code() {
    // The `("memory-safe")` flags precede the brace and belong to the
    // Solidity parser; the body is plain Yul with dotted suffixes.
    let src = r#"function f(bytes calldata data) { assembly ("memory-safe") {
        let ptr := mload(0x40)
        calldatacopy(ptr, data.offset, data.length)
        tstore(slot, 1)
        result := keccak256(ptr, data.length)
    } }"#;
    let parsed = parse_block(src, src.find("{\n").unwrap());
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    let block = parsed.block;
    assert_eq!(block.statements.len(), 4);
    let names: Vec<String> = block
        .external_references()
        .iter()
        .map(|r| r.ident.name.clone())
        .collect();
    assert_eq!(
        names,
        [
            "data.offset",
            "data.length",
            "slot",
            "data.length",
            "result",
        ]
    );
    let ident = block.external_references()[0].ident.clone();
    assert_eq!(
        ident.member_suffix(),
        Some(("data", YulAccessSuffix::Offset))
    );
}

#[test]
fn comments_are_skipped() {
    let block = parse_ok("{ // a } in a comment\n /* { */ let x := 1 // trailing\n }");
    assert_eq!(block.statements.len(), 1);
}

#[test]
fn solidity_04_suffixes() {
    let block = parse_ok("{ let v := sload(balances_slot) v := add(v, x_offset) }");
    let refs = block.external_references();
    assert_eq!(
        refs[0].ident.legacy_suffix(),
        Some(("balances", YulAccessSuffix::Slot))
    );
    assert_eq!(
        refs[1].ident.legacy_suffix(),
        Some(("x", YulAccessSuffix::Offset))
    );
    assert_eq!(refs[0].ident.member_suffix(), None);
}

// ---- old-style assembly --------------------------------------------------

#[test]
fn old_style_labels_jumps_and_stack_assignment() {
    let src = "{ let n := 0 loop: jumpi(end, eq(n, 10)) n := add(n, 1) jump(loop) end: 0x40 mload =: ptr }";
    let block = parse_ok(src);
    let kinds: Vec<&str> = block
        .statements
        .iter()
        .map(|s| match s {
            YulStatement::VariableDeclaration(_) => "let",
            YulStatement::Label(_) => "label",
            YulStatement::Expression(YulExpression::Call(_)) => "call",
            YulStatement::Expression(YulExpression::Literal(_)) => "push",
            YulStatement::Assignment(_) => "assign",
            YulStatement::Instruction(_) => "instruction",
            YulStatement::StackAssignment(_) => "stack-assign",
            _ => "other",
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "let",
            "label",
            "call",
            "assign",
            "call",
            "label",
            "push",
            "instruction",
            "stack-assign"
        ]
    );
    let YulStatement::Label(label) = &block.statements[1] else {
        panic!()
    };
    assert_eq!(
        (label.name.name.as_str(), label.span.text(src)),
        ("loop", "loop:")
    );
    let YulStatement::StackAssignment(stack) = &block.statements[8] else {
        panic!()
    };
    assert_eq!(stack.target.name, "ptr");
    assert_eq!(stack.span.text(src), "=: ptr");
    let YulStatement::Instruction(mload) = &block.statements[7] else {
        panic!()
    };
    assert_eq!(mload.name, "mload");
}

#[test]
fn old_style_bare_builtin_as_value() {
    // From a 0.4 contract: `gas` without parentheses.
    let block = parse_ok("{ _gas:= gas }");
    let YulStatement::Assignment(a) = only_statement(&block) else {
        panic!()
    };
    assert_eq!(ident_name(&a.value), "gas");
    let refs: Vec<&str> = block
        .external_references()
        .iter()
        .map(|r| r.ident.name.as_str())
        .collect();
    assert_eq!(refs, ["_gas"]);
}

#[test]
fn old_style_instruction_sequence() {
    let block = parse_ok("{ 0x20 0x40 add dup1 swap1 pop sstore }");
    assert_eq!(block.statements.len(), 7);
    assert!(block.statements[2..]
        .iter()
        .all(|s| matches!(s, YulStatement::Instruction(_))));
}

#[test]
fn typed_literal_needs_an_adjacent_colon() {
    // With a space, `:` after a literal starts no type; `x:` here is a label.
    let block = parse_ok("{ 0x40 x: mload }");
    assert_eq!(block.statements.len(), 3);
    assert!(matches!(block.statements[1], YulStatement::Label(_)));
}

// ---- error recovery ------------------------------------------------------

#[test]
fn missing_expression_reports_and_recovers_at_next_line() {
    let src = "{ let x := )\n sstore(0, 1) }";
    let parsed = parse_errors(src);
    assert_eq!(messages(&parsed), ["expected an expression, found ')'"]);
    let span = parsed.diagnostics[0].span;
    assert_eq!(span.text(src), ")");
    assert_eq!(parsed.block.statements.len(), 2);
    assert!(matches!(
        &parsed.block.statements[0],
        YulStatement::VariableDeclaration(YulVariableDeclaration {
            value: Some(YulExpression::Error(_)),
            ..
        })
    ));
    assert_eq!(
        call_name(parsed.block.statements[1].as_expression().unwrap()),
        "sstore"
    );
}

#[test]
fn bad_argument_list_recovers_inside_the_call() {
    let src = "{ mstore(0x40, add(x 1)) sstore(0, 1) }";
    let parsed = parse_errors(src);
    assert_eq!(
        messages(&parsed),
        ["expected ',' or ')' in the argument list, found '1'"]
    );
    assert_eq!(parsed.block.statements.len(), 2);
    assert_eq!(
        call_name(parsed.block.statements[1].as_expression().unwrap()),
        "sstore"
    );
}

#[test]
fn solidity_syntax_inside_assembly_is_one_error_per_line() {
    let src = "{\n x = 1;\n y := 2\n}";
    let parsed = parse_errors(src);
    assert_eq!(messages(&parsed), ["expected a statement, found '='"]);
    // `x` is read as an old-style instruction; `y := 2` survives.
    assert!(parsed
        .block
        .statements
        .iter()
        .any(|s| matches!(s, YulStatement::Assignment(_))));
}

#[test]
fn missing_block_after_if_keeps_following_statements() {
    let src = "{ if x\n sstore(0, 1) }";
    let parsed = parse_errors(src);
    assert_eq!(messages(&parsed), ["expected '{', found 'sstore'"]);
    assert_eq!(parsed.block.statements.len(), 2);
}

#[test]
fn case_outside_switch_and_switch_without_cases() {
    let parsed = parse_errors("{ case 1 {} switch x\n let y := 1 }");
    let msgs = messages(&parsed);
    assert_eq!(msgs.len(), 2, "{msgs:?}");
    assert!(msgs[0].starts_with(
        "expected a statement ('case' and 'default' belong inside 'switch'), found 'case'"
    ));
    assert_eq!(
        msgs[1],
        "expected 'case' or 'default' after the switch expression, found 'let'"
    );
    assert!(matches!(
        parsed.block.statements.last(),
        Some(YulStatement::VariableDeclaration(_))
    ));
}

#[test]
fn default_must_be_last() {
    let parsed = parse_errors("{ switch x default {} case 1 {} default {} }");
    assert_eq!(
        messages(&parsed),
        [
            "'case' after 'default': the default case must come last",
            "second 'default' case in one 'switch'"
        ]
    );
}

#[test]
fn unclosed_block_ends_at_end_of_input_with_one_diagnostic() {
    let src = "contract C { function f() { assembly { let x := add(1, 2)\n if x { sstore(0, x) ";
    let open = src.find("{ let").unwrap();
    let parsed = parse_block(src, open);
    assert_eq!(parsed.end, src.len());
    assert_eq!(
        messages(&parsed),
        ["unclosed assembly block: expected '}' before the end of the file"]
    );
}

#[test]
fn unknown_characters_are_reported() {
    let parsed = parse_errors("{ let x := 1 # 2\n let y := 3 }");
    assert_eq!(messages(&parsed), ["expected a statement, found '#'"]);
    assert_eq!(parsed.block.statements.len(), 2);
}

#[test]
fn function_definition_errors() {
    let parsed = parse_errors("{ function (a) {} function g(a b) -> {} let z := 1 }");
    let msgs = messages(&parsed);
    assert_eq!(
        msgs,
        [
            "expected a function name, found '('",
            "expected ',' or ')' in the parameter list, found 'b'",
            "expected a variable name, found '{'",
        ]
    );
    assert!(matches!(
        parsed.block.statements.last(),
        Some(YulStatement::VariableDeclaration(_))
    ));
}

#[test]
fn braces_inside_broken_parentheses_stay_balanced() {
    let src = "{ f(a, { let x := 1 })\n g() }";
    let parsed = parse_errors(src);
    assert_eq!(parsed.end, src.len());
    assert_eq!(parsed.block.span.text(src), src);
    assert_eq!(
        messages(&parsed),
        [
            "expected an expression, found '{'",
            "expected a statement, found ')'"
        ]
    );
    // The block inside the broken call is parsed as a block of its own, and
    // the call after it survives.
    assert!(matches!(parsed.block.statements[1], YulStatement::Block(_)));
    assert_eq!(
        call_name(parsed.block.statements[2].as_expression().unwrap()),
        "g"
    );
}

#[test]
fn deep_nesting_is_capped_without_stack_overflow() {
    let depth = 100_000;
    let src = format!("{{ {}1{} }}", "f(".repeat(depth), ")".repeat(depth));
    let parsed = parse_block(&src, 0);
    assert_eq!(parsed.end, src.len());
    assert!(parsed
        .diagnostics
        .iter()
        .any(|d| d.message.contains("nested more than")));

    let src = format!("{}{}", "{".repeat(depth), "}".repeat(depth));
    let parsed = parse_block(&src, 0);
    assert_eq!(parsed.end, src.len());
    assert_eq!(parsed.diagnostics.len(), 1);
}
