//! CFG shape tests on small bodies, built with the syntactic oracle.

use bulwark_syntax::ast::{ContractMember, FunctionDefinition, SourceItem};

use super::*;

/// Parses `src` (contract members) inside a contract and returns the unit.
fn parse(src: &str) -> bulwark_syntax::Parsed {
    let parsed = bulwark_syntax::parse(&format!(
        "pragma solidity ^0.8.0;\ncontract C {{\n{src}\n}}\n"
    ));
    assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics);
    parsed
}

fn function<'a>(parsed: &'a bulwark_syntax::Parsed, name: &str) -> &'a FunctionDefinition {
    for item in &parsed.unit.items {
        if let SourceItem::Contract(c) = item {
            for m in &c.members {
                if let ContractMember::Function(f) = m {
                    if f.name.as_ref().map(|n| n.name.as_str()) == Some(name) {
                        return f;
                    }
                }
            }
        }
    }
    panic!("no function {name}");
}

/// A compact label per node: entry/exit names, else the first word of the
/// node's source text.
fn label(cfg: &Cfg<'_>, src: &str, ix: NodeIx) -> String {
    let n = cfg.node(ix);
    match n.kind {
        NodeKind::Entry => "ENTRY".into(),
        NodeKind::Exit => "EXIT".into(),
        NodeKind::RevertExit => "REVERT".into(),
        NodeKind::LoopStart => "LOOP".into(),
        NodeKind::TrySuccess(_) => "SUCCESS".into(),
        _ => n
            .span
            .text(src)
            .split([';', '\n'])
            .next()
            .unwrap_or("")
            .trim()
            .to_string(),
    }
}

/// Every edge as `from -kind-> to`, sorted, from the reachable part only.
fn edges(src: &str, cfg: &Cfg<'_>) -> Vec<String> {
    let mut out = Vec::new();
    for &ix in cfg.reverse_postorder() {
        for &(to, kind) in cfg.node(ix).succs() {
            out.push(format!(
                "{} -{:?}-> {}",
                label(cfg, src, ix),
                kind,
                label(cfg, src, to)
            ));
        }
    }
    out.sort();
    out
}

fn build<'a>(parsed: &'a bulwark_syntax::Parsed, name: &str) -> Cfg<'a> {
    build_cfg(function(parsed, name), &SyntacticOracle)
}

macro_rules! check {
    ($members:expr, $fn:expr, [$($edge:expr),* $(,)?]) => {{
        let members = $members;
        let src = format!("pragma solidity ^0.8.0;\ncontract C {{\n{members}\n}}\n");
        let parsed = parse(members);
        let cfg = build(&parsed, $fn);
        let mut expected: Vec<String> = vec![$($edge.to_string()),*];
        expected.sort();
        assert_eq!(edges(&src, &cfg), expected);
        (src, cfg.len())
    }};
}

#[test]
fn straight_line_and_return() {
    check!(
        "function f(uint a) public returns (uint) { uint b = a + 1; b += 2; return b; }",
        "f",
        [
            "ENTRY -Normal-> uint b = a + 1",
            "uint b = a + 1 -Normal-> b += 2",
            "b += 2 -Normal-> return b",
            "return b -Halt-> EXIT",
        ]
    );
}

#[test]
fn if_else_merges_without_join_node() {
    check!(
        "function f(uint a) public { if (a > 1) { a = 1; } else a = 2; a = 3; }",
        "f",
        [
            "ENTRY -Normal-> a > 1",
            "a > 1 -True-> a = 1",
            "a > 1 -False-> a = 2",
            "a = 1 -Normal-> a = 3",
            "a = 2 -Normal-> a = 3",
            "a = 3 -Normal-> EXIT",
        ]
    );
}

#[test]
fn if_without_else_and_empty_then() {
    check!(
        "function f(uint a) public { if (a > 1) {} a = 3; }",
        "f",
        [
            "ENTRY -Normal-> a > 1",
            "a > 1 -True-> a = 3",
            "a > 1 -False-> a = 3",
            "a = 3 -Normal-> EXIT",
        ]
    );
}

#[test]
fn while_with_break_and_continue() {
    check!(
        "function f(uint a) public { while (a < 10) { if (a == 5) break; if (a == 6) continue; a++; } a = 0; }",
        "f",
        [
            "ENTRY -Normal-> a < 10",
            "a < 10 -True-> a == 5",
            "a < 10 -False-> a = 0",
            "a == 5 -Break-> a = 0",
            "a == 5 -False-> a == 6",
            "a == 6 -Continue-> a < 10",
            "a == 6 -False-> a++",
            "a++ -Back-> a < 10",
            "a = 0 -Normal-> EXIT",
        ]
    );
}

#[test]
fn for_loop_continue_goes_to_update() {
    let members = "function f() public { for (uint i = 0; i < 3; i++) { if (i == 1) continue; g(); } } function g() internal {}";
    let (src, _) = check!(
        members,
        "f",
        [
            "ENTRY -Normal-> uint i = 0",
            "uint i = 0 -Normal-> i < 3",
            "i < 3 -True-> i == 1",
            "i < 3 -False-> EXIT",
            "i == 1 -Continue-> i++",
            "i == 1 -False-> g()",
            "g() -Normal-> i++",
            "i++ -Back-> i < 3",
        ]
    );
    // Loop depth: the init runs once, everything else is in the loop.
    let parsed = parse(members);
    let cfg = build(&parsed, "f");
    for (ix, n) in cfg.nodes() {
        let l = label(&cfg, &src, ix);
        let expected = match l.as_str() {
            "i < 3" | "i == 1" | "g()" | "i++" => 1,
            _ => 0,
        };
        assert_eq!(n.loop_depth, expected, "{l}");
    }
}

#[test]
fn do_while_and_infinite_for() {
    check!(
        "function f(uint a) public { do { a--; if (a == 2) continue; } while (a > 0); for (;;) { if (a == 9) break; } }",
        "f",
        [
            "ENTRY -Normal-> LOOP",
            "LOOP -Normal-> a--",
            "a-- -Normal-> a == 2",
            "a == 2 -Continue-> a > 0",
            "a == 2 -False-> a > 0",
            "a > 0 -Back-> LOOP",
            "a > 0 -False-> LOOP",
            "LOOP -Normal-> a == 9",
            "a == 9 -Break-> EXIT",
            "a == 9 -False-> LOOP",
        ]
    );
}

#[test]
fn while_true_has_no_false_edge() {
    check!(
        "function f(uint a) public { while (true) { a++; } }",
        "f",
        [
            "ENTRY -Normal-> true",
            "true -True-> a++",
            "a++ -Back-> true",
        ]
    );
}

#[test]
fn reverts_go_to_the_revert_exit() {
    check!(
        "error E(); function f(uint a) public { require(a > 0, \"x\"); if (a == 1) revert(\"no\"); if (a == 2) revert E(); assert(a != 3); if (a == 4) require(false); a = 5; }",
        "f",
        [
            "ENTRY -Normal-> require(a > 0, \"x\")",
            "require(a > 0, \"x\") -Normal-> a == 1",
            "require(a > 0, \"x\") -Revert-> REVERT",
            "a == 1 -True-> revert(\"no\")",
            "revert(\"no\") -Revert-> REVERT",
            "a == 1 -False-> a == 2",
            "a == 2 -True-> revert E()",
            "revert E() -Revert-> REVERT",
            "a == 2 -False-> assert(a != 3)",
            "assert(a != 3) -Normal-> a == 4",
            "assert(a != 3) -Revert-> REVERT",
            "a == 4 -True-> require(false)",
            "require(false) -Revert-> REVERT",
            "a == 4 -False-> a = 5",
            "a = 5 -Normal-> EXIT",
        ]
    );
}

#[test]
fn legacy_throw_and_dead_code_after_return() {
    let src = "pragma solidity ^0.4.24;\ncontract C { function f(uint a) { if (a == 0) throw; return; a = 1; } }";
    let parsed = bulwark_syntax::parse(src);
    assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics);
    let cfg = build(&parsed, "f");
    let mut expected = vec![
        "ENTRY -Normal-> a == 0",
        "a == 0 -True-> throw",
        "throw -Revert-> REVERT",
        "a == 0 -False-> return",
        "return -Halt-> EXIT",
    ];
    expected.sort();
    assert_eq!(edges(src, &cfg), expected);
    // `a = 1` exists but is unreachable.
    let dead = cfg
        .nodes()
        .find(|(ix, _)| label(&cfg, src, *ix) == "a = 1")
        .map(|(ix, _)| ix)
        .expect("dead statement still has a node");
    assert!(!cfg.reaches(cfg.entry, dead));
    assert!(cfg.preds(dead).is_empty());
}

#[test]
fn try_catch_has_success_and_catch_edges() {
    check!(
        "function f(I t) public returns (uint r) { try t.g() returns (uint v) { r = v; } catch Error(string memory) { r = 1; } catch { r = 2; } r += 1; }",
        "f",
        [
            "ENTRY -Normal-> t.g()",
            "t.g() -TrySuccess-> SUCCESS",
            "t.g() -Catch(0)-> catch Error(string memory) { r = 1",
            "t.g() -Catch(1)-> catch { r = 2",
            "SUCCESS -Normal-> r = v",
            "r = v -Normal-> r += 1",
            "catch Error(string memory) { r = 1 -Normal-> r = 1",
            "catch { r = 2 -Normal-> r = 2",
            "r = 1 -Normal-> r += 1",
            "r = 2 -Normal-> r += 1",
            "r += 1 -Normal-> EXIT",
        ]
    );
}

#[test]
fn unchecked_nodes_are_flagged() {
    let members = "function f(uint a) public { a += 1; unchecked { a -= 1; } a *= 2; }";
    let src = format!("pragma solidity ^0.8.0;\ncontract C {{\n{members}\n}}\n");
    let parsed = parse(members);
    let cfg = build(&parsed, "f");
    let flagged: Vec<String> = cfg
        .nodes()
        .filter(|(_, n)| n.unchecked)
        .map(|(ix, _)| label(&cfg, &src, ix))
        .collect();
    assert_eq!(flagged, ["a -= 1"]);
}

#[test]
fn modifiers_and_placeholder() {
    check!(
        "modifier m(uint x) { require(x > 0); _; x = 0; } function f(uint a) public m(a) m(2) { a = 1; }",
        "f",
        [
            "ENTRY -Normal-> m(a)",
            "m(a) -Normal-> m(2)",
            "m(2) -Normal-> a = 1",
            "a = 1 -Normal-> EXIT",
        ]
    );
    check!(
        "modifier m(uint x) { require(x > 0); _; x = 0; }",
        "m",
        [
            "ENTRY -Normal-> require(x > 0)",
            "require(x > 0) -Normal-> _",
            "require(x > 0) -Revert-> REVERT",
            "_ -Normal-> x = 0",
            "x = 0 -Normal-> EXIT",
        ]
    );
}

#[test]
fn assembly_is_one_node_with_summary() {
    let members = "function f(address impl) public { assembly { let ok := delegatecall(gas(), impl, 0, 0, 0, 0) if iszero(ok) { revert(0, 0) } sstore(0, caller()) return(0, 0) } }";
    let src = format!("pragma solidity ^0.8.0;\ncontract C {{\n{members}\n}}\n");
    let parsed = parse(members);
    let cfg = build(&parsed, "f");
    let asm_ix = cfg
        .nodes()
        .find(|(_, n)| matches!(n.kind, NodeKind::Assembly(_)))
        .map(|(ix, _)| ix)
        .unwrap();
    let asm = cfg.node(asm_ix).asm.as_deref().unwrap();
    assert!(asm.has(AsmCallKind::DelegateCall));
    assert!(asm.has(AsmCallKind::SStore));
    assert!(asm.has(AsmCallKind::Caller));
    assert!(asm.may_revert && asm.may_halt && !asm.falls_through);
    let dc = asm.calls_of(AsmCallKind::DelegateCall).next().unwrap();
    assert_eq!(dc.arg_names[1], ["impl"]);
    assert_eq!(asm.refs.len(), 1);
    assert_eq!(asm.refs[0].name, "impl");
    assert!(!asm.refs[0].written);
    let mut kinds: Vec<EdgeKind> = cfg.node(asm_ix).succs().iter().map(|e| e.1).collect();
    kinds.sort_by_key(|k| format!("{k:?}"));
    assert_eq!(kinds, [EdgeKind::Halt, EdgeKind::Revert]);
    let _ = src;
}

#[test]
fn assembly_helpers_that_never_return_end_the_path() {
    let members = "function f(uint x) public { assembly { function fail() { revert(0, 0) } if x { x := 1 } fail() } x = 2; }";
    let parsed = parse(members);
    let cfg = build(&parsed, "f");
    let (_, asm_node) = cfg
        .nodes()
        .find(|(_, n)| matches!(n.kind, NodeKind::Assembly(_)))
        .unwrap();
    let asm = asm_node.asm.as_deref().unwrap();
    assert!(!asm.falls_through);
    assert!(asm.refs.iter().any(|r| r.name == "x" && r.written));
    // `x = 2` is dead.
    assert!(!cfg.reaches(cfg.entry, cfg.exit));
}

#[test]
fn selfdestruct_halts() {
    check!(
        "function f(address payable a) public { selfdestruct(a); a = payable(0); }",
        "f",
        [
            "ENTRY -Normal-> selfdestruct(a)",
            "selfdestruct(a) -Halt-> EXIT"
        ]
    );
}

#[test]
fn dominance_and_node_lookup() {
    let members = "function f(uint a) public { require(a > 0); if (a == 1) { a = 2; } a = 3; }";
    let src = format!("pragma solidity ^0.8.0;\ncontract C {{\n{members}\n}}\n");
    let parsed = parse(members);
    let cfg = build(&parsed, "f");
    let find = |l: &str| {
        cfg.nodes()
            .find(|(ix, _)| label(&cfg, &src, *ix) == l)
            .unwrap()
            .0
    };
    let req = find("require(a > 0)");
    let then = find("a = 2");
    let tail = find("a = 3");
    assert!(cfg.dominates(req, tail));
    assert!(cfg.dominates(req, then));
    assert!(!cfg.dominates(then, tail));
    // Looking a node up by a sub-expression id.
    let NodeKind::Expr(e) = cfg.node(then).kind else {
        panic!()
    };
    let bulwark_syntax::ast::ExprKind::Assign { rhs, .. } = &e.kind else {
        panic!()
    };
    assert_eq!(cfg.node_of_expr(rhs.id), Some(then));
}

#[test]
fn body_less_declaration() {
    let parsed = bulwark_syntax::parse("interface I { function f() external; }");
    let f = match &parsed.unit.items[0] {
        SourceItem::Contract(c) => c.functions().next().unwrap(),
        _ => panic!(),
    };
    let cfg = build_cfg(f, &SyntacticOracle);
    assert_eq!(cfg.succs(cfg.entry).collect::<Vec<_>>(), [cfg.exit]);
}

#[test]
fn dominators_agree_with_path_search() {
    // Compare the dominator tree with the definition (remove `via`, see
    // whether `target` is still reachable) on a body with loops, breaks,
    // try/catch and early exits.
    let members = "function f(uint a, I t) public returns (uint r) {
        for (uint i = 0; i < a; i++) { if (i == 3) break; if (i == 4) continue; r += i; }
        while (r > 10) { r--; if (r == 12) return r; }
        try t.g() returns (uint v) { r = v; } catch { revert(); }
        do { r++; } while (r < 20);
        if (a == 0) { r = 1; } else if (a == 1) { r = 2; } else { require(a > 5); }
        r += 1;
    }";
    let parsed = parse(members);
    let cfg = build(&parsed, "f");
    let by_search = |via: NodeIx, target: NodeIx| {
        if via == target {
            return true;
        }
        let mut seen = vec![false; cfg.len()];
        seen[via.index()] = true;
        let mut work = vec![cfg.entry];
        while let Some(ix) = work.pop() {
            if ix == target {
                return false;
            }
            if std::mem::replace(&mut seen[ix.index()], true) {
                continue;
            }
            work.extend(cfg.succs(ix));
        }
        true
    };
    let mut checked = 0;
    for (a, _) in cfg.nodes() {
        for (b, _) in cfg.nodes() {
            assert_eq!(cfg.dominates(a, b), by_search(a, b), "{a:?} dom {b:?}");
            checked += 1;
        }
    }
    assert!(checked > 400);
}
