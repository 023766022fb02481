//! Taint sources and propagation through locals, state and calls.

use super::Source;
use crate::testutil::{func, node, state_var, Fixture};
use crate::ProjectIr;

const LOTTERY: &str = "pragma solidity ^0.8.0;
interface IOracle { function price() external view returns (uint); }
contract Lottery {
    address owner;
    uint seed;
    uint lastPrice;
    IOracle oracle;
    address winner;

    constructor(address o) { owner = o; }

    function setSeed(uint s) external { seed = s; }

    function random() internal view returns (uint) {
        return uint(keccak256(abi.encodePacked(block.timestamp, seed)));
    }

    function pass(uint x, uint y) internal pure returns (uint) { return x; }

    function sender() internal view returns (address) { return msg.sender; }

    function draw(uint bet) external payable {
        uint r = random();
        uint p = oracle.price();
        lastPrice = p;
        uint kept = pass(bet, r);
        address who = sender();
        if (r % 2 == 0) { winner = who; }
        uint clean = 5;
        clean = kept;
        require(msg.value > 0);
    }

    function read() external view returns (uint) { return lastPrice; }
}";

#[test]
fn sources_flow_through_locals_calls_and_state() {
    let fx = Fixture::new(LOTTERY);
    let model = fx.model();
    let ir = ProjectIr::new(&model);
    let src = fx.source();
    let draw = func(&model, "Lottery", "draw");
    let f = ir.function_ir(draw).unwrap();
    let taint = ir.taint();
    let var_after = |text: &str| {
        let n = node(f, src, text);
        let def = f.facts(n).defs[0].var;
        // The value right after the node is the value before its successor.
        let succ = f.cfg.succs(n).next().unwrap();
        taint.var_before(draw, succ, def)
    };
    // random(): block.timestamp plus a stored parameter (setSeed).
    let r = var_after("uint r");
    assert!(r.has(Source::Timestamp));
    assert!(r.has(Source::StoredInput));
    assert!(!r.has(Source::MsgSender));
    // External call result.
    assert!(var_after("uint p").has(Source::ExternalCall));
    // Summary of pass(x, y) keeps only x (the parameter bet, index 0).
    let kept = var_after("uint kept");
    assert!(kept.has(Source::Param) && kept.has_param(0));
    assert!(!kept.has(Source::Timestamp));
    // sender() returns msg.sender.
    assert!(var_after("address who").has(Source::MsgSender));
    // Strong update: `clean = kept` replaces the literal's empty taint.
    assert!(var_after("uint clean").is_empty());
    assert!(var_after("clean = kept").has_param(0));
    // State: lastPrice holds an external call result; owner was set in the
    // constructor from a parameter, which is not user input.
    assert!(taint
        .state_var(state_var(&model, "Lottery", "lastPrice"))
        .has(Source::ExternalCall));
    assert!(taint
        .state_var(state_var(&model, "Lottery", "owner"))
        .is_empty());
    assert!(taint
        .state_var(state_var(&model, "Lottery", "winner"))
        .has(Source::MsgSender));
    // Cross-function: read() returns the tainted state.
    let read = func(&model, "Lottery", "read");
    assert!(taint.summary(read).intrinsic.has(Source::ExternalCall));
    // Conditions.
    let cond = node(f, src, "r % 2 == 0");
    assert!(taint.condition(&ir, draw, cond).has(Source::Timestamp));
    let req = node(f, src, "require(msg.value");
    let t = taint.condition(&ir, draw, req);
    assert!(t.has(Source::MsgValue) && !t.has(Source::Timestamp));
}

#[test]
fn expression_queries_and_legacy_sources() {
    let fx = Fixture::new(
        "pragma solidity ^0.4.24;
contract Old {
    function f(uint n) public returns (bytes32) {
        bytes32 h = block.blockhash(n);
        uint t = now;
        address o = tx.origin;
        return h;
    }
}",
    );
    let model = fx.model();
    let ir = ProjectIr::new(&model);
    let fd = func(&model, "Old", "f");
    let f = ir.function_ir(fd).unwrap();
    let src = fx.source();
    let taint = ir.taint();
    let init_of = |text: &str| {
        let n = node(f, src, text);
        let v = f.facts(n).defs[0].value.unwrap();
        taint.expr(&ir, fd, v)
    };
    let h = init_of("bytes32 h");
    assert!(h.has(Source::Blockhash) && h.has_param(0));
    assert!(init_of("uint t").has(Source::Timestamp));
    assert!(init_of("address o").has(Source::TxOrigin));
    assert!(taint.summary(fd).intrinsic.has(Source::Blockhash));
    assert_eq!(taint.summary(fd).param_mask, 1);
}

#[test]
fn overrides_join_their_summaries() {
    let fx = Fixture::new(
        "pragma solidity ^0.8.0;
contract A {
    function v() internal view virtual returns (uint) { return 1; }
    function use_() external view returns (uint) { return v(); }
}
contract B is A {
    function v() internal view override returns (uint) { return block.number; }
}",
    );
    let model = fx.model();
    let ir = ProjectIr::new(&model);
    let use_ = func(&model, "A", "use_");
    assert!(ir.taint().summary(use_).intrinsic.has(Source::BlockNumber));
}

#[test]
fn writes_through_storage_parameters_taint_the_callers_state() {
    let fx = Fixture::new(include_str!("../../tests/fixtures/bank.sol"));
    let model = fx.model();
    let ir = ProjectIr::new(&model);
    // deposit(): book.credit(msg.sender, msg.value) — Ledger.credit stores
    // `amount` (msg.value here) under the key `who`. As for direct writes,
    // the stored value taints the variable, the key does not.
    let book = ir.taint().state_var(state_var(&model, "Bank", "book"));
    assert!(book.has(Source::MsgValue), "{book:?}");
    assert!(!book.has(Source::MsgSender), "{book:?}");
    // withdraw(amount): through debit -> _sub (passed on twice), the
    // amount parameter becomes stored input.
    assert!(book.has(Source::StoredInput));
    let writers: Vec<String> = ir
        .taint()
        .writes_of(state_var(&model, "Bank", "book"))
        .iter()
        .map(|w| model.decl(w.function).name.clone())
        .collect();
    assert!(writers.contains(&"deposit".to_string()), "{writers:?}");
    assert!(writers.contains(&"withdraw".to_string()), "{writers:?}");
    // A variable nobody writes through a library stays clean.
    assert!(ir
        .taint()
        .state_var(state_var(&model, "Bank", "fee"))
        .has(Source::StoredInput));
    assert!(!ir
        .taint()
        .state_var(state_var(&model, "Bank", "fee"))
        .has(Source::MsgValue));
}
