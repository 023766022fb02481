//! Code with syntax errors is still analysed: the parser keeps broken
//! expressions as `ExprKind::Error` nodes inside their statements, sema
//! types them as unknown, and every name around them still resolves.

use bulwark_sema::{analyze, LoadOptions, Project, Res, Type};
use bulwark_syntax::ast::{Expr, ExprKind, Stmt, StmtKind};

const VAULT: &str = r#"pragma solidity ^0.8.0;
contract Vault {
    mapping(address => uint) balances;
    function withdraw(uint amount) public {
        require(balances[msg.sender] >= , "low");
        uint left = balances[msg.sender] - ;
        balances[msg.sender] = left;
        (bool ok, ) = msg.sender.call{value: amount}("" junk);
        require(ok, "failed");
        if (ok == ) { left = 0; }
        emit Done(left, );
    }
    event Done(uint a, uint b);
}
"#;

/// Every `Error` expression of the statements (depth-first).
fn error_nodes<'a>(stmts: &'a [Stmt], out: &mut Vec<&'a Expr>) {
    fn expr<'a>(e: &'a Expr, out: &mut Vec<&'a Expr>) {
        match &e.kind {
            ExprKind::Error => out.push(e),
            ExprKind::Binary { lhs, rhs, .. } | ExprKind::Assign { lhs, rhs, .. } => {
                expr(lhs, out);
                expr(rhs, out);
            }
            ExprKind::Call { callee, args } => {
                expr(callee, out);
                if let bulwark_syntax::ast::CallArgsKind::Positional(args) = &args.kind {
                    args.iter().for_each(|a| expr(a, out));
                }
            }
            _ => {}
        }
    }
    for s in stmts {
        match &s.kind {
            StmtKind::Expr(e) => expr(e, out),
            StmtKind::VarDecl(v) => v.init.iter().for_each(|e| expr(e, out)),
            StmtKind::If { cond, .. } => expr(cond, out),
            StmtKind::Emit { args, .. } => {
                if let bulwark_syntax::ast::CallArgsKind::Positional(args) = &args.kind {
                    args.iter().for_each(|a| expr(a, out));
                }
            }
            _ => {}
        }
    }
}

#[test]
fn names_around_broken_expressions_resolve_and_errors_are_unknown() {
    let project = Project::from_sources(&[("vault.sol", VAULT)], &LoadOptions::default());
    let file = &project.files[0];
    assert!(file.parsed.has_errors());
    let model = analyze(&project);

    // Every statement survived, broken ones included.
    let contract = file.parsed.unit.contracts().next().unwrap();
    let body = &contract
        .functions()
        .next()
        .unwrap()
        .body
        .as_ref()
        .unwrap()
        .stmts;
    assert_eq!(body.len(), 7, "{body:#?}");

    // Each name resolves to its declaration, in broken statements too.
    let resolved = |text: &str| -> Vec<String> {
        model
            .resolutions(file.id)
            .filter(|(_, span, _)| span.text(&file.source) == text)
            .map(|(_, _, res)| match res {
                Res::Decl(d) => model.decl(*d).name.clone(),
                other => format!("{other:?}"),
            })
            .collect()
    };
    assert_eq!(resolved("balances"), ["balances"; 3]);
    assert_eq!(
        resolved("left"),
        ["left"; 3],
        "uses of the local declared by a broken statement"
    );
    assert_eq!(resolved("ok"), ["ok"; 2]);
    assert_eq!(resolved("amount"), ["amount"]);
    assert_eq!(resolved("Done"), ["Done"]);

    // Types around the holes are still computed.
    let typed = |text: &str| -> Vec<String> {
        model
            .typed_nodes(file.id)
            .filter(|(_, span, _)| span.text(&file.source) == text)
            .map(|(_, _, ty)| model.type_string(ty))
            .collect()
    };
    assert_eq!(
        typed(r#"msg.sender.call{value: amount}("" junk)"#),
        ["tuple(bool,bytes memory)"]
    );
    assert_eq!(typed("balances[msg.sender]"), ["uint256"; 3]);

    // The holes themselves are unknown.
    let mut errors = Vec::new();
    error_nodes(body, &mut errors);
    assert_eq!(errors.len(), 4, "{errors:#?}");
    for e in errors {
        assert!(
            matches!(model.type_of(file.id, e.id), None | Some(Type::Unknown)),
            "an error node has a type"
        );
    }
}

/// From 0.5 on, inline assembly is functional only, so a bare name it
/// neither declares nor finds among the Solidity variables is a mistake
/// (the Yul parser still accepts it, e.g. as an old-style instruction).
#[test]
fn unknown_names_in_functional_assembly_are_reported() {
    let body = "uint total;
    function f(uint amount, uint[] calldata xs) public returns (uint r) {
        assembly {
            let x := add(amont, 1)
            function g(a) -> b { b := add(a, total.slot) }
            r := g(x)
            mstor(0, h(r))
            { function h(v) -> w { w := v } }
            sstore(total.slot, add(amount, xs.length))
            totl
        }
    }";
    let undeclared = |pragma: &str| -> Vec<String> {
        let src = format!("pragma solidity {pragma};\ncontract C {{ {body} }}");
        let project = Project::from_sources(&[("a.sol", &src)], &LoadOptions::default());
        let model = analyze(&project);
        model
            .diagnostics()
            .iter()
            .filter(|d| d.message.contains("inline assembly"))
            .map(|d| d.message.clone())
            .collect()
    };
    assert_eq!(
        undeclared("^0.8.0"),
        [
            "undeclared identifier `amont` in inline assembly",
            "undeclared function `mstor` called in inline assembly",
            "undeclared identifier `totl` in inline assembly"
        ]
    );
    assert_eq!(undeclared("^0.5.0").len(), 3);
    // Before 0.5 a bare name may be an instruction or a label.
    assert!(undeclared("^0.4.24").is_empty());
}

/// Old-style assembly (labels, `=:`, instructions without parentheses) is
/// reported where solc rejects it (checked with solc-js 0.5.17, 0.6.12,
/// 0.7.6 and 0.8.26), and accepted before 0.5.
#[test]
fn old_style_assembly_is_reported_from_050() {
    let body = "function f() public returns (uint r) {
        assembly {
            let x := caller
            pop
            r := add(x, 1)
            start:
            3 =: r
        }
    }";
    let messages = |pragma: &str| -> Vec<String> {
        let src = format!("pragma solidity {pragma};\ncontract C {{ {body} }}");
        let project = Project::from_sources(&[("a.sol", &src)], &LoadOptions::default());
        analyze(&project)
            .diagnostics()
            .iter()
            .filter(|d| d.message.contains("inline assembly"))
            .map(|d| d.message.clone())
            .collect()
    };
    let found = messages("^0.8.0");
    assert_eq!(found.len(), 4, "{found:#?}");
    assert!(found[0].starts_with("instruction `caller` used without parentheses"));
    assert!(found[1].starts_with("instruction `pop` used without parentheses"));
    assert!(found[2].starts_with("label `start`"));
    assert!(found[3].starts_with("stack assignment `=:`"));
    // 0.5 still accepted a builtin used as a value (`caller`); solc 0.6
    // requires `caller()` (checked with solc-js 0.5.17 and 0.6.12).
    let found = messages("^0.5.0");
    assert_eq!(found.len(), 3, "{found:#?}");
    assert!(found[0].starts_with("instruction `pop`"));
    assert!(messages("^0.4.24").is_empty());
}

/// Names the model cannot resolve are diagnosed (as warnings, with their
/// kind), once per occurrence: a missing base contract, a type name and a
/// name used in code.
#[test]
fn unresolved_bases_types_and_names_are_diagnosed_once_each() {
    use bulwark_sema::{DiagnosticKind, Severity};
    let src = "pragma solidity ^0.8.0;
contract A is Missing {
    Gone g;
    function f(Gone x) public { undefinedThing(); undefinedThing(1); x; }
}
contract B is A, NotThere {}";
    let project = Project::from_sources(&[("a.sol", src)], &LoadOptions::default());
    let model = analyze(&project);
    let found: Vec<(DiagnosticKind, String)> = model
        .diagnostics()
        .iter()
        .map(|d| {
            assert_eq!(d.severity, Severity::Warning, "{}", d.message);
            let text = &src[d.span.unwrap().start as usize..d.span.unwrap().end as usize];
            (d.kind, text.to_string())
        })
        .collect();
    let expected: Vec<(DiagnosticKind, String)> = [
        (DiagnosticKind::BaseNotFound, "Missing"),
        (DiagnosticKind::BaseNotFound, "NotThere"),
        (DiagnosticKind::TypeNotFound, "Gone"),
        (DiagnosticKind::TypeNotFound, "Gone"),
        (DiagnosticKind::IdentifierNotFound, "undefinedThing"),
        (DiagnosticKind::IdentifierNotFound, "undefinedThing"),
    ]
    .into_iter()
    .map(|(k, t)| (k, t.to_string()))
    .collect();
    let mut sorted = found.clone();
    sorted.sort();
    assert_eq!(sorted, expected, "{found:?}");
    assert!(model.diagnostics()[0]
        .message
        .contains("base contract `Missing` of `A` not found"));
}

/// Clean code that uses built-ins, `this`/`super`, inherited members,
/// events, errors, modifiers, structs, enums, libraries and named
/// arguments resolves every name: no diagnostic at all.
#[test]
fn clean_code_has_no_semantic_diagnostics() {
    let src = "pragma solidity ^0.8.4;
library L { function twice(uint a) internal pure returns (uint) { return a * 2; } }
interface I { function g() external returns (uint); }
abstract contract Base {
    event E(address indexed who, uint v);
    error Bad(uint code);
    enum State { Off, On }
    struct S { uint a; State s; }
    mapping(address => S) internal items;
    modifier only(address who) { require(msg.sender == who, \"no\"); _; }
    function v() public virtual returns (uint) { return 1; }
}
contract C is Base {
    using L for uint;
    address owner = msg.sender;
    function v() public override returns (uint) { return super.v() + 1; }
    function f(uint x) external only(owner) returns (bytes32 h) {
        S memory s = S({a: x.twice(), s: State.On});
        items[msg.sender] = s;
        if (x == 0) revert Bad({code: 1});
        emit E(address(this), type(uint).max);
        h = keccak256(abi.encodePacked(block.timestamp, s.a, I(owner).g()));
        uint[] memory xs = new uint[](x);
        assembly { h := xor(h, mload(xs)) }
        (bool ok, ) = payable(owner).call{value: 0}(\"\");
        require(ok);
    }
}";
    let project = Project::from_sources(&[("a.sol", src)], &LoadOptions::default());
    assert!(project.diagnostics.is_empty());
    let model = analyze(&project);
    let found: Vec<String> = model
        .diagnostics()
        .iter()
        .map(|d| d.render(&project))
        .collect();
    assert!(found.is_empty(), "{found:#?}");
}
