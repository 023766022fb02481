//! Per-node facts on small contracts, checked through the model.

use crate::facts::{AccessHow, CallSiteKind, LowLevelOp, ResultUse};
use crate::testutil::{func, names, node, state_var, Fixture};
use crate::ProjectIr;

#[test]
fn locals_defs_uses_and_state_accesses() {
    let fx = Fixture::new(
        "pragma solidity ^0.8.0;
contract C {
    uint total;
    mapping(address => uint) balances;
    struct S { uint a; uint[] list; }
    S s;
    function f(uint x) public returns (uint y) {
        uint z = x + total;
        balances[msg.sender] += z;
        s.list.push(z);
        delete s.a;
        y = balances[msg.sender];
    }
}",
    );
    let model = fx.model();
    let ir = ProjectIr::new(&model);
    let f = ir.function_ir(func(&model, "C", "f")).unwrap();
    let src = fx.source();
    let decl = f.facts(node(f, src, "uint z"));
    assert_eq!(names(&model, decl.defs.iter().map(|d| d.var)), ["z"]);
    assert_eq!(names(&model, decl.uses.iter().copied()), ["x"]);
    assert_eq!(
        names(&model, decl.state_reads.iter().map(|a| a.var)),
        ["total"]
    );

    let add = f.facts(node(f, src, "balances[msg.sender] +="));
    assert_eq!(
        names(&model, add.state_writes.iter().map(|a| a.var)),
        ["balances"]
    );
    assert_eq!(
        names(&model, add.state_reads.iter().map(|a| a.var)),
        ["balances"]
    );
    assert_eq!(add.state_writes[0].how, AccessHow::Element);
    assert!(add.reads_env(bulwark_sema::Builtin::MsgSender));

    let push = f.facts(node(f, src, "s.list.push"));
    assert_eq!(push.state_writes.len(), 1);
    assert_eq!(push.state_writes[0].var, state_var(&model, "C", "s"));
    assert_eq!(push.state_writes[0].how, AccessHow::Push);

    let del = f.facts(node(f, src, "delete s.a"));
    assert_eq!(del.state_writes[0].how, AccessHow::Delete);
    assert!(del.state_reads.is_empty());

    let y = f.facts(node(f, src, "y = balances"));
    assert_eq!(names(&model, y.defs.iter().map(|d| d.var)), ["y"]);
    assert!(y.defs[0].strong);
}

#[test]
fn writes_through_storage_pointers() {
    let fx = Fixture::new(
        "pragma solidity ^0.8.0;
contract C {
    struct P { uint amount; }
    mapping(uint => P) positions;
    P[] list;
    function f(uint id, bool b) public {
        P storage p = positions[id];
        P storage q = b ? p : list[0];
        q.amount = 1;
        P memory m = list[1];
        m.amount = 2;
    }
}",
    );
    let model = fx.model();
    let ir = ProjectIr::new(&model);
    let f = ir.function_ir(func(&model, "C", "f")).unwrap();
    let src = fx.source();
    let w = f.facts(node(f, src, "q.amount = 1"));
    assert_eq!(
        names(&model, w.state_writes.iter().map(|a| a.var)),
        ["list", "positions"]
    );
    assert!(matches!(w.state_writes[0].how, AccessHow::Pointer(_)));
    // A memory copy is not storage.
    let m = f.facts(node(f, src, "m.amount = 2"));
    assert!(m.state_writes.is_empty());
    assert_eq!(names(&model, m.defs.iter().map(|d| d.var)), ["m"]);
    assert!(!m.defs[0].strong);
}

#[test]
fn calls_are_classified() {
    let fx = Fixture::new(
        "pragma solidity ^0.8.0;
interface IERC20 { function transfer(address to, uint v) external returns (bool); }
library L { function inc(uint x) internal pure returns (uint) { return x + 1; } }
contract D { constructor() payable {} }
contract C {
    using L for uint;
    event E(uint v);
    IERC20 token;
    function g(uint v) internal returns (uint) { return v; }
    function f(address payable to, uint v) public payable {
        g(v);
        token.transfer(to, v);
        (bool ok, ) = to.call{value: v}(\"\");
        require(ok);
        to.transfer(v);
        to.send(v);
        uint w = v.inc();
        emit E(w);
        new D{value: 1}();
        if (block.timestamp > 5) selfdestruct(to);
    }
}",
    );
    let model = fx.model();
    let ir = ProjectIr::new(&model);
    let fd = func(&model, "C", "f");
    let f = ir.function_ir(fd).unwrap();
    let src = fx.source();
    let kinds: Vec<String> = f
        .calls()
        .map(|(_, c)| match &c.kind {
            CallSiteKind::Internal { .. } => "internal".to_string(),
            CallSiteKind::External { value, .. } => format!("external value={}", value.is_some()),
            CallSiteKind::LowLevel { op, value, .. } => {
                format!("{} value={}", op.name(), value.is_some())
            }
            CallSiteKind::BoundInternal { .. } => "bound".to_string(),
            CallSiteKind::Event(e) => format!("event {}", e.is_some()),
            CallSiteKind::Create { value, .. } => format!("create value={}", value.is_some()),
            CallSiteKind::SelfDestruct { .. } => "selfdestruct".to_string(),
            CallSiteKind::Builtin(b) => format!("{b:?}"),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "internal",
            "external value=false",
            "call value=true",
            "Require",
            "transfer value=true",
            "send value=true",
            "bound",
            "event true",
            "create value=true",
            "selfdestruct",
        ]
    );
    // Result uses: the low-level call result is assigned then checked;
    // `send` is ignored; `g(v)` ignored.
    let call = f
        .calls()
        .find(|(_, c)| {
            matches!(
                c.kind,
                CallSiteKind::LowLevel {
                    op: LowLevelOp::Call,
                    ..
                }
            )
        })
        .unwrap()
        .1;
    assert!(matches!(call.result, ResultUse::Assigned(_)));
    assert!(call.checked);
    let send = f
        .calls()
        .find(|(_, c)| {
            matches!(
                c.kind,
                CallSiteKind::LowLevel {
                    op: LowLevelOp::Send,
                    ..
                }
            )
        })
        .unwrap()
        .1;
    assert_eq!(send.result, ResultUse::Ignored);
    assert!(!send.checked);
    let sd = f.facts(node(f, src, "selfdestruct"));
    assert!(sd
        .calls
        .iter()
        .any(|c| matches!(c.kind, CallSiteKind::SelfDestruct { .. })));
    let cond = f.facts(node(f, src, "block.timestamp"));
    assert!(cond.reads_env(bulwark_sema::Builtin::BlockTimestamp));
}

#[test]
fn legacy_call_value_and_unchecked_send() {
    let fx = Fixture::new(
        "pragma solidity ^0.4.24;
contract C {
    mapping(address => uint) credit;
    function withdraw(uint amount) {
        if (msg.sender.call.value(amount)()) {
            credit[msg.sender] -= amount;
        }
        msg.sender.send(amount);
        if (!msg.sender.send(1)) throw;
        suicide(msg.sender);
    }
}",
    );
    let model = fx.model();
    let ir = ProjectIr::new(&model);
    let f = ir.function_ir(func(&model, "C", "withdraw")).unwrap();
    let calls: Vec<_> = f.calls().map(|(_, c)| c).collect();
    let ll: Vec<_> = calls
        .iter()
        .filter_map(|c| match c.kind {
            CallSiteKind::LowLevel { op, value, .. } => Some((op, value.is_some(), c.checked)),
            _ => None,
        })
        .collect();
    assert_eq!(
        ll,
        [
            (LowLevelOp::Call, true, true),
            (LowLevelOp::Send, true, false),
            (LowLevelOp::Send, true, true),
        ]
    );
    assert!(calls
        .iter()
        .any(|c| matches!(c.kind, CallSiteKind::SelfDestruct { .. })));
}

#[test]
fn assembly_accesses() {
    let fx = Fixture::new(
        "pragma solidity ^0.8.0;
contract C {
    uint stored;
    function f(address impl) public returns (uint r) {
        assembly {
            r := sload(stored.slot)
            sstore(stored.slot, caller())
            let ok := delegatecall(gas(), impl, 0, 0, 0, 0)
        }
    }
}",
    );
    let model = fx.model();
    let ir = ProjectIr::new(&model);
    let f = ir.function_ir(func(&model, "C", "f")).unwrap();
    let asm = f.facts(node(f, fx.source(), "assembly"));
    assert_eq!(
        names(&model, asm.state_writes.iter().map(|a| a.var)),
        ["stored"]
    );
    assert_eq!(names(&model, asm.defs.iter().map(|d| d.var)), ["r"]);
    assert_eq!(names(&model, asm.uses.iter().copied()), ["impl"]);
    assert!(asm.reads_env(bulwark_sema::Builtin::MsgSender));
    assert!(asm.has_external_call());
}

#[test]
fn results_returned_through_named_return_variables_are_checked() {
    let fx = Fixture::new(
        "pragma solidity ^0.8.0;
library Sim {
    function run(address t, bytes memory d) internal returns (bool success, bytes memory ret) {
        (success, ret) = t.delegatecall(d);
        success = !success;
    }
    function fire(address t, bytes memory d) internal {
        (bool ok, ) = t.call(d);
        ok = !ok;
    }
}",
    );
    let model = fx.model();
    let ir = ProjectIr::new(&model);
    let checked = |name: &str| {
        let f = ir.function_ir(func(&model, "Sim", name)).unwrap();
        f.calls()
            .find(|(_, c)| matches!(c.kind, CallSiteKind::LowLevel { .. }))
            .unwrap()
            .1
            .checked
    };
    assert!(checked("run"));
    // Assigned to a plain local that nothing checks: unchecked.
    assert!(!checked("fire"));
}
