//! The semantic model on small in-memory projects: declarations, C3,
//! resolution, overloads, `using for`, types as solc displays them.

use bulwark_sema::{analyze, Builtin, CallKind, LoadOptions, Model, Project, Res};
use bulwark_syntax::ast::{Expr, ExprKind, NodeId};

fn project(sources: &[(&str, &str)]) -> Project {
    Project::from_sources(sources, &LoadOptions::default())
}

/// Every expression of every file: (source text, node id, file index).
fn expressions(project: &Project) -> Vec<(String, NodeId, usize)> {
    // Walk the source with a cheap recursive visitor over statements we use.
    let mut out = Vec::new();
    for (fi, file) in project.files.iter().enumerate() {
        let src = &file.source;
        let mut stack: Vec<&Expr> = Vec::new();
        for c in file.parsed.unit.contracts() {
            for f in c.functions() {
                if let Some(body) = &f.body {
                    collect_block(body, &mut stack);
                }
            }
            for v in c.state_variables() {
                if let Some(e) = &v.initializer {
                    stack.push(e);
                }
            }
        }
        while let Some(e) = stack.pop() {
            out.push((e.span.text(src).to_string(), e.id, fi));
            match &e.kind {
                ExprKind::Member { base, .. } => stack.push(base),
                ExprKind::Call { callee, args } => {
                    stack.push(callee);
                    if let bulwark_syntax::ast::CallArgsKind::Positional(a) = &args.kind {
                        stack.extend(a.iter());
                    }
                }
                ExprKind::Binary { lhs, rhs, .. } | ExprKind::Assign { lhs, rhs, .. } => {
                    stack.push(lhs);
                    stack.push(rhs);
                }
                ExprKind::Index { base, index } => {
                    stack.push(base);
                    if let Some(i) = index {
                        stack.push(i);
                    }
                }
                ExprKind::Unary { operand, .. } => stack.push(operand),
                ExprKind::Tuple(items) => stack.extend(items.iter().flatten()),
                _ => {}
            }
        }
    }
    out
}

fn collect_block<'a>(b: &'a bulwark_syntax::ast::Block, out: &mut Vec<&'a Expr>) {
    use bulwark_syntax::ast::StmtKind::*;
    for s in &b.stmts {
        match &s.kind {
            Expr(e) => out.push(e),
            VarDecl(v) => out.extend(v.init.iter()),
            Return(Some(e)) => out.push(e),
            Block(b) | Unchecked(b) => collect_block(b, out),
            Emit { event, .. } => out.push(event),
            _ => {}
        }
    }
}

/// The type string of the expression whose text is `text`.
fn type_of(model: &Model, text: &str) -> String {
    let project = model.project();
    let (_, id, fi) = expressions(project)
        .into_iter()
        .find(|(t, _, _)| t == text)
        .unwrap_or_else(|| panic!("no expression `{text}`"));
    let file = project.files[fi].id;
    model
        .type_of(file, id)
        .map(|t| model.type_string(t))
        .unwrap_or_else(|| "<none>".into())
}

fn res_of<'m>(model: &'m Model, text: &str) -> Option<&'m Res> {
    let project = model.project();
    let (_, id, fi) = expressions(project)
        .into_iter()
        .find(|(t, _, _)| t == text)?;
    model.resolution(project.files[fi].id, id)
}

#[test]
fn linearization_and_inherited_members() {
    let p = project(&[(
        "a.sol",
        "pragma solidity ^0.8.0;
contract A { uint x; function f() public virtual {} }
contract B is A { function f() public virtual override {} }
contract C is A { function f() public virtual override {} }
contract D is B, C { function f() public override(B, C) { super.f(); x = 1; } }",
    )]);
    let m = analyze(&p);
    let d = m
        .contracts()
        .iter()
        .find(|c| c.ast.name.name == "D")
        .unwrap();
    let names: Vec<&str> = d
        .linearization
        .iter()
        .map(|&c| m.decl(c).name.as_str())
        .collect();
    assert_eq!(names, ["D", "C", "B", "A"]);
    assert_eq!(d.state_vars.len(), 1);
    let fs: Vec<_> = d
        .functions
        .iter()
        .map(|&f| m.decl(f).container.unwrap())
        .collect();
    assert_eq!(fs, vec![d.decl], "only D.f survives override resolution");
    // super.f() in D resolves to C.f (next in D's linearization).
    let Some(Res::Decl(target)) = res_of(&m, "super.f") else {
        panic!("super.f unresolved")
    };
    assert_eq!(m.decl(m.decl(*target).container.unwrap()).name, "C");
    let Some(Res::Decl(x)) = res_of(&m, "x") else {
        panic!()
    };
    assert_eq!(m.decl(*x).name, "x");
    assert_eq!(type_of(&m, "x"), "uint256");
    let f_of_d = m.function(d.functions[0]).unwrap();
    assert_eq!(f_of_d.overrides.len(), 2);
}

#[test]
fn types_overloads_and_builtins() {
    let p = project(&[(
        "t.sol",
        "pragma solidity ^0.8.0;
library SafeMath { function add(uint a, uint b) internal pure returns (uint) { return a + b; } }
contract T {
    using SafeMath for uint;
    struct S { uint a; bytes b; }
    mapping(address => S) users;
    uint[] list;
    event E(address who);
    function g(uint a) internal pure returns (uint) { return a; }
    function g(bytes memory a) internal pure returns (bytes memory) { return a; }
    function h() public {
        uint v = 1;
        v = v.add(2);
        users[msg.sender].a = g(v);
        list.push(3);
        bytes32 k = keccak256(abi.encodePacked(v));
        (bool ok, ) = msg.sender.call{value: 1}(\"\");
        require(ok, \"failed\");
        emit E(tx.origin);
    }
}",
    )]);
    let m = analyze(&p);
    assert_eq!(type_of(&m, "users[msg.sender]"), "struct T.S storage ref");
    assert_eq!(type_of(&m, "users[msg.sender].a"), "uint256");
    assert_eq!(
        type_of(&m, "users"),
        "mapping(address => struct T.S storage ref)"
    );
    assert_eq!(type_of(&m, "msg.sender"), "address");
    assert_eq!(type_of(&m, "g(v)"), "uint256");
    assert_eq!(type_of(&m, "v.add(2)"), "uint256");
    // 0.8 shows the array bound as the first parameter (checked against
    // solc 0.8.26 and 0.8.37).
    assert_eq!(
        type_of(&m, "list.push"),
        "function (uint256[] storage pointer,uint256)"
    );
    assert_eq!(type_of(&m, "abi.encodePacked(v)"), "bytes memory");
    assert_eq!(type_of(&m, "keccak256(abi.encodePacked(v))"), "bytes32");
    assert_eq!(type_of(&m, "2"), "int_const 2");
    assert_eq!(
        type_of(&m, "msg.sender.call{value: 1}(\"\")"),
        "tuple(bool,bytes memory)"
    );
    assert_eq!(type_of(&m, "require"), "function (bool,string memory) pure");
    assert_eq!(
        res_of(&m, "msg.sender"),
        Some(&Res::Builtin(Builtin::MsgSender))
    );
    // v.add(2) is a bound internal library call.
    let project = m.project();
    let (_, id, fi) = expressions(project)
        .into_iter()
        .find(|(t, _, _)| t == "v.add(2)")
        .unwrap();
    assert!(matches!(
        m.call_kind(project.files[fi].id, id),
        Some(CallKind::BoundInternal(_))
    ));
}

#[test]
fn legacy_versions() {
    let p = project(&[(
        "old.sol",
        "pragma solidity ^0.4.24;
contract Old {
    address owner;
    function Old() { owner = msg.sender; }
    function kill() { now; suicide(owner); }
    function pay() { bool ok = owner.call.value(1)(); ok; bytes32 h = sha3(\"x\"); h; }
}",
    )]);
    let m = analyze(&p);
    let c = &m.contracts()[0];
    let ctor = m
        .function(c.constructor.expect("legacy constructor"))
        .unwrap();
    assert_eq!(ctor.visibility, bulwark_syntax::ast::Visibility::Public);
    assert_eq!(type_of(&m, "now"), "uint256");
    assert_eq!(res_of(&m, "suicide"), Some(&Res::Builtin(Builtin::Suicide)));
    assert_eq!(type_of(&m, "owner.call.value(1)()"), "bool");
    assert_eq!(type_of(&m, "sha3(\"x\")"), "bytes32");
}

#[test]
fn broken_code_does_not_panic() {
    let p = project(&[(
        "b.sol",
        "contract X is Missing { function f( { uint x = ; y.z(); } contract Y is Y {}",
    )]);
    let m = analyze(&p);
    assert!(!m.contracts().is_empty());
}
