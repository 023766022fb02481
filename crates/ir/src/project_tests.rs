//! Call graph, read/write sets and guards on the fixtures under
//! `tests/fixtures/`.

use std::collections::BTreeSet;

use crate::callgraph::CallEdgeKind;
use crate::testutil::{func, names, node, state_var, Fixture};
use crate::ProjectIr;

const BANK: &str = include_str!("../tests/fixtures/bank.sol");
const WALLET: &str = include_str!("../tests/fixtures/legacy_wallet.sol");
const NAMESPACED: &str = include_str!("../tests/fixtures/namespaced_guard.sol");

fn contract(model: &bulwark_sema::Model<'_>, name: &str) -> bulwark_sema::DeclId {
    model
        .contracts()
        .iter()
        .find(|c| model.decl(c.decl).name == name)
        .unwrap()
        .decl
}

#[test]
fn call_graph_edges_by_kind() {
    let fx = Fixture::new(BANK);
    let model = fx.model();
    let ir = ProjectIr::new(&model);
    let g = ir.call_graph();
    let edges = |c: &str, f: &str| -> BTreeSet<(String, String)> {
        g.edges_from(func(&model, c, f))
            .iter()
            .map(|e| {
                (
                    format!("{:?}", e.kind),
                    e.callee
                        .map(|d| model.decl(d).name.clone())
                        .unwrap_or_default(),
                )
            })
            .collect()
    };
    let withdraw = edges("Bank", "withdraw");
    assert!(withdraw.contains(&("Modifier".into(), "nonReentrant".into())));
    assert!(withdraw.contains(&("Internal".into(), "debit".into())));
    assert!(withdraw.contains(&("LowLevel(Call)".into(), String::new())));
    let sweep = edges("Bank", "sweep");
    assert!(sweep.contains(&("External".into(), "transfer".into())));
    assert!(sweep.contains(&("External".into(), "balanceOf".into())));
    // Base constructors: explicit `Owned(msg.sender)`, and Bank(t) from
    // PremiumBank, which also runs Owned's and Locked's implicitly.
    let ctor = edges("Bank", "constructor");
    assert!(ctor.contains(&("BaseConstructor".into(), String::new())));
    let premium_ctor: Vec<_> = g
        .edges_from(func(&model, "PremiumBank", "constructor"))
        .iter()
        .filter(|e| e.kind == CallEdgeKind::BaseConstructor)
        .map(|e| {
            model
                .decl(model.decl(e.callee.unwrap()).container.unwrap())
                .name
                .clone()
        })
        .collect();
    assert_eq!(premium_ctor, ["Bank", "Owned"]);
    // `super._quote()` is a Super edge.
    assert!(edges("PremiumBank", "_quote").contains(&("Super".into(), "_quote".into())));
}

#[test]
fn virtual_dispatch_follows_the_most_derived_contract() {
    let fx = Fixture::new(BANK);
    let model = fx.model();
    let ir = ProjectIr::new(&model);
    let checked = func(&model, "Bank", "checkedBalance");
    let bank = contract(&model, "Bank");
    let premium = contract(&model, "PremiumBank");
    let premium_quote = func(&model, "PremiumBank", "_quote");
    let in_bank = ir.call_graph().reachable_in(&ir, Some(bank), checked);
    assert!(!in_bank.contains(&premium_quote));
    let in_premium = ir.call_graph().reachable_in(&ir, Some(premium), checked);
    assert!(in_premium.contains(&premium_quote));
    // ...and the read set follows: `premium` is read only in PremiumBank.
    let access = ir.access();
    let p = state_var(&model, "PremiumBank", "premium");
    assert!(!access.transitive(&ir, Some(bank), checked).reads(p));
    assert!(access.transitive(&ir, Some(premium), checked).reads(p));
}

#[test]
fn read_write_sets_direct_and_transitive() {
    let fx = Fixture::new(BANK);
    let model = fx.model();
    let ir = ProjectIr::new(&model);
    let access = ir.access();
    let withdraw = func(&model, "Bank", "withdraw");
    // The body alone touches no state variable by name...
    let direct = access.direct(withdraw).unwrap();
    assert!(direct.writes.is_empty());
    // ...but through the lock modifier and the library writing through its
    // storage parameter, it writes `_status` and `book`.
    let t = access.transitive(&ir, None, withdraw);
    assert_eq!(names(&model, t.writes.iter().copied()), ["_status", "book"]);
    assert_eq!(names(&model, t.reads.iter().copied()), ["_status", "book"]);
    // Storage-parameter effects propagate through the private helper.
    let debit = func(&model, "Ledger", "debit");
    assert_eq!(access.param_writes(debit), [0]);
    // Per node: the call `book.debit(...)` writes `book`.
    let f = ir.function_ir(withdraw).unwrap();
    let at = access.at_node(&ir, None, withdraw, node(f, fx.source(), "book.debit"));
    assert_eq!(names(&model, at.writes.iter().copied()), ["book"]);
    // Modifier-only access (onlyOwner reads owner through _checkOwner).
    let set_fee = func(&model, "Bank", "setFee");
    let t = access.transitive(&ir, None, set_fee);
    assert_eq!(names(&model, t.reads.iter().copied()), ["owner"]);
    assert_eq!(names(&model, t.writes.iter().copied()), ["fee"]);
}

#[test]
fn sender_checks_by_behaviour() {
    let fx = Fixture::new(BANK);
    let model = fx.model();
    let ir = ProjectIr::new(&model);
    let guards = ir.guards();
    let g = |f: &str| guards.of(&ir, func(&model, "Bank", f));
    // Modifier calling a helper that compares owner with _msgSender().
    let set_fee = g("setFee");
    assert!(set_fee.sender_restricted);
    assert_eq!(
        names(&model, set_fee.restricting_modifiers.iter().copied()),
        ["onlyOwner"]
    );
    assert_eq!(
        names(&model, set_fee.sender_checks[0].state_vars.iter().copied()),
        ["owner"]
    );
    // Mapping lookup `operators[msg.sender]`.
    let op = g("setOperator");
    assert!(op.sender_restricted);
    assert_eq!(
        names(&model, op.sender_checks[0].state_vars.iter().copied()),
        ["operators"]
    );
    // Direct comparison.
    assert!(g("sweep").sender_restricted);
    // Near misses: a balance comparison is not access control, and a
    // function without checks is not restricted.
    assert!(!g("checkedBalance").sender_restricted);
    assert!(g("checkedBalance").sender_checks.is_empty());
    assert!(!g("withdraw").sender_restricted);
    assert!(!g("deposit").sender_restricted);
}

#[test]
fn mutex_by_behaviour() {
    let fx = Fixture::new(BANK);
    let model = fx.model();
    let ir = ProjectIr::new(&model);
    let guards = ir.guards();
    let w = guards.of(&ir, func(&model, "Bank", "withdraw"));
    assert_eq!(w.mutexes.len(), 1);
    assert_eq!(model.decl(w.mutexes[0].var).name, "_status");
    assert_eq!(model.decl(w.mutexes[0].holder).name, "nonReentrant");
    // The onlyOwner modifier reads owner but never writes it: no lock.
    assert!(guards
        .of(&ir, func(&model, "Bank", "setFee"))
        .mutexes
        .is_empty());
    assert!(guards
        .of(&ir, func(&model, "Bank", "unsafeWithdraw"))
        .mutexes
        .is_empty());
}

#[test]
fn legacy_wallet_guards_and_calls() {
    let fx = Fixture::new(WALLET);
    let model = fx.model();
    let ir = ProjectIr::new(&model);
    let guards = ir.guards();
    // Inline lock: `if (locked) throw; locked = true; call; locked = false`.
    let w = guards.of(&ir, func(&model, "Wallet", "withdraw"));
    assert_eq!(names(&model, w.mutexes.iter().map(|m| m.var)), ["locked"]);
    assert!(!w.sender_restricted);
    // `if (msg.sender != owner) throw;`
    let pay = func(&model, "Wallet", "pay");
    assert!(guards.of(&ir, pay).sender_restricted);
    let f = ir.function_ir(pay).unwrap();
    let send = node(f, fx.source(), "to.send");
    assert!(guards.node_is_sender_guarded(&ir, pay, send));
    // tx.origin is not msg.sender: kill() is not sender-restricted.
    assert!(
        !guards
            .of(&ir, func(&model, "Wallet", "kill"))
            .sender_restricted
    );
    // The legacy constructor runs as a constructor.
    let ctor = func(&model, "Wallet", "Wallet");
    assert_eq!(
        ir.function_info(ctor).unwrap().kind,
        bulwark_syntax::ast::FunctionKind::Constructor
    );
}

#[test]
fn calls_of_helpers_that_never_return_end_the_path() {
    let fx = Fixture::new(
        "pragma solidity ^0.8.0;
contract C {
    address owner;
    uint x;
    error NotOwner();
    function _fail() internal pure { revert NotOwner(); }
    function _failTwice() internal pure { _fail(); }
    function _delegate(address impl) internal {
        assembly {
            let ok := delegatecall(gas(), impl, 0, calldatasize(), 0, 0)
            switch ok
            case 0 { revert(0, returndatasize()) }
            default { return(0, returndatasize()) }
        }
    }
    function set(uint v) external {
        if (msg.sender != owner) _failTwice();
        x = v;
    }
    fallback() external { _delegate(owner); x = 1; }
}",
    );
    let model = fx.model();
    let ir = ProjectIr::new(&model);
    use crate::function::Termination;
    assert_eq!(
        ir.termination(func(&model, "C", "_fail")),
        Termination::AlwaysReverts
    );
    assert_eq!(
        ir.termination(func(&model, "C", "_failTwice")),
        Termination::AlwaysReverts
    );
    assert_eq!(
        ir.termination(func(&model, "C", "_delegate")),
        Termination::AlwaysHalts
    );
    assert_eq!(
        ir.termination(func(&model, "C", "set")),
        Termination::Returns
    );
    // The `if` branch calling the helper can only revert: a sender check.
    let set = func(&model, "C", "set");
    assert!(ir.guards().of(&ir, set).sender_restricted);
    // `x = 1` after `_delegate` is dead code.
    let fb = func(&model, "C", "fallback");
    let f = ir.function_ir(fb).unwrap();
    let dead = node(f, fx.source(), "x = 1");
    assert!(!f.cfg.reaches(f.cfg.entry, dead));
}

#[test]
fn namespaced_storage_fields_and_lock() {
    let fx = Fixture::new(NAMESPACED);
    let model = fx.model();
    let ir = ProjectIr::new(&model);
    let before = func(&model, "GuardUpgradeable", "_before");
    let access = ir.state_access(None, before);
    assert!(access.writes.is_empty());
    assert_eq!(
        names(&model, access.field_writes.iter().copied()),
        ["_status"]
    );
    assert_eq!(
        names(&model, access.field_reads.iter().copied()),
        ["_status"]
    );
    let g = ir.function_guards(func(&model, "Pool", "pull"));
    assert_eq!(names(&model, g.mutexes.iter().map(|m| m.var)), ["_status"]);
    assert_eq!(model.decl(g.mutexes[0].holder).name, "nonReentrant");
}

#[test]
fn super_calls_follow_the_most_derived_linearization() {
    let fx = Fixture::new(
        "pragma solidity ^0.8.0;
contract Base { uint public hits; function f() public virtual { hits += 1; } }
contract A is Base { uint a; function f() public virtual override { a = 1; super.f(); } }
contract B is Base { uint b; function f() public virtual override { b = 1; super.f(); } }
contract C is A, B { function f() public override(A, B) { super.f(); } }",
    );
    let model = fx.model();
    let ir = ProjectIr::new(&model);
    let c = contract(&model, "C");
    let (a_f, b_f) = (func(&model, "A", "f"), func(&model, "B", "f"));
    let base_f = func(&model, "Base", "f");
    // In C (linearization C, B, A, Base): B.f's super is A.f, A.f's is Base.f.
    assert_eq!(ir.super_dispatch(c, b_f, base_f), a_f);
    assert_eq!(ir.super_dispatch(c, a_f, base_f), base_f);
    // So C.f runs all three and writes a, b and hits.
    let t = ir.state_access(Some(c), func(&model, "C", "f"));
    assert_eq!(names(&model, t.writes.iter().copied()), ["a", "b", "hits"]);
    // In A alone, A.f reaches Base.f only.
    let a = contract(&model, "A");
    let t = ir.state_access(Some(a), a_f);
    assert_eq!(names(&model, t.writes.iter().copied()), ["a", "hits"]);
}

#[test]
fn sender_checks_against_fixed_authorities_and_near_misses() {
    let fx = Fixture::new(
        "pragma solidity ^0.8.0;
contract Gov {
    address immutable admin;
    uint public fee;
    constructor(address a) { admin = a; }
    function _msgSender() internal view returns (address) { return msg.sender; }
    function _executor() internal view virtual returns (address) { return address(this); }
    function _checkGovernance() internal view {
        if (_executor() != _msgSender()) revert();
    }
    modifier onlyGovernance() { _checkGovernance(); _; }
    function relay(uint f) external onlyGovernance { fee = f; }
    function byAdmin(uint f) external { require(msg.sender == admin); fee = f; }
    function byParam(address who, uint f) external { require(msg.sender == who); fee = f; }
    function notZero(uint f) external { require(msg.sender != address(0)); fee = f; }
    function noContracts(uint f) external { require(msg.sender == tx.origin); fee = f; }
}
contract TimelockGov is Gov {
    address timelock;
    constructor(address t) Gov(t) { timelock = t; }
    function _executor() internal view override returns (address) { return timelock; }
}",
    );
    let model = fx.model();
    let ir = ProjectIr::new(&model);
    let guards = ir.guards();
    let restricted = |c: &str, f: &str| guards.of(&ir, func(&model, c, f)).sender_restricted;
    assert!(restricted("Gov", "relay"));
    assert!(restricted("Gov", "byAdmin"));
    assert!(!restricted("Gov", "byParam"));
    assert!(!restricted("Gov", "notZero"));
    assert!(!restricted("Gov", "noContracts"));
    // In the derived contract the check reads `timelock` through the
    // override of `_executor()`.
    let derived = contract(&model, "TimelockGov");
    let g = guards.of_in(&ir, Some(derived), func(&model, "Gov", "relay"));
    assert!(g.sender_restricted);
    assert_eq!(
        names(
            &model,
            g.sender_checks
                .iter()
                .flat_map(|c| c.state_vars.iter().copied())
        ),
        ["timelock"]
    );
}

#[test]
fn role_checks_through_parameterised_helpers() {
    let fx = Fixture::new(
        "pragma solidity ^0.8.0;
contract Roles {
    struct RoleData { mapping(address => bool) hasRole; bytes32 adminRole; }
    mapping(bytes32 => RoleData) private _roles;
    uint public fee;
    function _msgSender() internal view returns (address) { return msg.sender; }
    function hasRole(bytes32 role, address account) public view returns (bool) {
        return _roles[role].hasRole[account];
    }
    function _checkRole(bytes32 role, address account) internal view {
        if (!hasRole(role, account)) revert();
    }
    function _checkRole(bytes32 role) internal view { _checkRole(role, _msgSender()); }
    modifier onlyRole(bytes32 role) { _checkRole(role); _; }
    function setFee(uint f) external onlyRole(keccak256(\"ADMIN\")) { fee = f; }
    // Near miss: the helper checks an address the caller chooses.
    function setFeeFor(address who, uint f) external { _checkRole(0, who); fee = f; }
    function grant(uint f) public virtual onlyRole(0) { fee = f; }
}
contract Strict is Roles {
    // Checked by the modifier of the function `super` reaches.
    function grant(uint f) public override { require(f != 0); super.grant(f); }
}",
    );
    let model = fx.model();
    let ir = ProjectIr::new(&model);
    let g = ir.function_guards(func(&model, "Roles", "setFee"));
    assert!(g.sender_restricted, "{g:?}");
    assert_eq!(
        names(&model, g.restricting_modifiers.iter().copied()),
        ["onlyRole"]
    );
    assert!(g.sender_checks.iter().all(|c| c.is_direct()));
    assert_eq!(
        names(
            &model,
            g.sender_checks
                .iter()
                .flat_map(|c| c.state_vars.iter().copied())
        ),
        ["_roles"]
    );
    assert!(
        ir.function_guards(func(&model, "Strict", "grant"))
            .sender_restricted
    );
    let near = ir.function_guards(func(&model, "Roles", "setFeeFor"));
    assert!(!near.sender_restricted);
    assert!(near.sender_checks.is_empty());
}

#[test]
fn sender_checks_that_gate_without_reverting() {
    let fx = Fixture::new(
        "pragma solidity ^0.4.24;
contract Legacy {
    address owner;
    uint fee;
    mapping(address => bool) admins;
    constructor() public { owner = msg.sender; }
    modifier onlyOwner { if (msg.sender == owner) _; }
    modifier notOwner { if (msg.sender != owner) _; }
    modifier anyone { if (msg.sender == owner || fee > 0) _; }
    function setFee(uint f) public onlyOwner { fee = f; }
    function setFeeOthers(uint f) public notOwner { fee = f; }
    function setFeeAnyone(uint f) public anyone { fee = f; }
    function early(uint f) public {
        if (msg.sender != owner) return;
        fee = f;
    }
    function wrapped(uint f) public {
        if (admins[msg.sender]) { fee = f; }
        fee = fee + 1;
    }
}",
    );
    let model = fx.model();
    let ir = ProjectIr::new(&model);
    let guards = ir.guards();
    let g = |f: &str| guards.of(&ir, func(&model, "Legacy", f));
    assert!(g("setFee").sender_restricted);
    assert_eq!(
        names(&model, g("setFee").restricting_modifiers.iter().copied()),
        ["onlyOwner"]
    );
    assert_eq!(
        names(
            &model,
            g("setFee")
                .sender_checks
                .iter()
                .flat_map(|c| c.state_vars.iter().copied())
        ),
        ["owner"]
    );
    // `_` runs for everyone but the owner, or for anyone once fee > 0.
    assert!(!g("setFeeOthers").sender_restricted);
    assert!(!g("setFeeAnyone").sender_restricted);
    // In bodies: the statement after `if (msg.sender != owner) return;`
    // and the one inside `if (admins[msg.sender])` are gated; the one
    // after the `if` that both branches reach is not.
    let early = func(&model, "Legacy", "early");
    let f = ir.function_ir(early).unwrap();
    assert!(guards.node_is_sender_guarded(&ir, early, node(f, fx.source(), "fee = f;")));
    let wrapped = func(&model, "Legacy", "wrapped");
    let f = ir.function_ir(wrapped).unwrap();
    assert!(guards.node_is_sender_guarded(&ir, wrapped, node(f, fx.source(), "fee = f;")));
    assert!(!guards.node_is_sender_guarded(&ir, wrapped, node(f, fx.source(), "fee = fee + 1")));
}

#[test]
fn membership_by_index_and_helpers_returning_true_only_for_members() {
    let fx = Fixture::new(
        "pragma solidity ^0.4.24;
contract Multi {
    mapping(uint => uint) m_ownerIndex;
    uint fee;
    constructor() public { m_ownerIndex[uint(msg.sender)] = 1; }
    modifier onlymany(bytes32 op) { if (confirmAndCheck(op)) _; }
    modifier anybody(bytes32 op) { if (confirmAny(op)) _; }
    function confirmAndCheck(bytes32 op) internal returns (bool) {
        uint ownerIndex = m_ownerIndex[uint(msg.sender)];
        if (ownerIndex == 0) return;
        if (op == 0) return false;
        return true;
    }
    function confirmAny(bytes32 op) internal returns (bool) {
        if (op == 0) return false;
        return true;
    }
    function setFee(uint f) public onlymany(sha3(msg.data)) { fee = f; }
    function setFeeAny(uint f) public anybody(sha3(msg.data)) { fee = f; }
    function direct(uint f) public {
        uint ownerIndex = m_ownerIndex[uint(msg.sender)];
        if (ownerIndex == 0) return;
        fee = f;
    }
    function inverted(uint f) public {
        uint ownerIndex = m_ownerIndex[uint(msg.sender)];
        if (ownerIndex != 0) return;
        fee = f;
    }
    function notZero(uint f) public {
        if (msg.sender == address(0)) return;
        fee = f;
    }
}",
    );
    let model = fx.model();
    let ir = ProjectIr::new(&model);
    let guards = ir.guards();
    let g = |f: &str| guards.of(&ir, func(&model, "Multi", f));
    assert!(g("setFee").sender_restricted, "{:?}", g("setFee"));
    assert!(!g("setFeeAny").sender_restricted);
    let at = |f: &str| {
        let d = func(&model, "Multi", f);
        let fir = ir.function_ir(d).unwrap();
        guards.node_is_sender_guarded(&ir, d, node(fir, fx.source(), "fee = f;"))
    };
    // Zero is "not a member": only members get past `ownerIndex == 0`.
    assert!(at("direct"));
    assert!(!at("inverted"));
    // Comparing the caller itself with zero looks nothing up.
    assert!(!at("notZero"));
}

#[test]
fn home_made_assertion_helpers_check_like_require() {
    let fx = Fixture::new(
        "pragma solidity ^0.4.24;
contract Old {
    address owner;
    uint fee;
    constructor() public { owner = msg.sender; }
    function assert(bool x) internal { if (!x) throw; }
    function note(bool x) internal { if (!x) fee = 0; }
    function setFee(uint f) public { assert(msg.sender == owner); fee = f; }
    function setFeeNoted(uint f) public { note(msg.sender == owner); fee = f; }
}",
    );
    let model = fx.model();
    let ir = ProjectIr::new(&model);
    let guards = ir.guards();
    let g = |f: &str| guards.of(&ir, func(&model, "Old", f));
    assert!(g("setFee").sender_restricted, "{:?}", g("setFee"));
    assert!(!g("setFeeNoted").sender_restricted);
    let assert_fn = func(&model, "Old", "assert");
    assert_eq!(
        crate::assert_helper::asserted_param(&model, assert_fn),
        Some(0)
    );
    assert_eq!(
        crate::assert_helper::asserted_param(&model, func(&model, "Old", "note")),
        None
    );
}

#[test]
fn lock_tested_through_a_memory_copy_of_state() {
    let fx = Fixture::new(
        "pragma solidity ^0.8.0;
interface ICallee { function hook() external; }
contract Pool {
    struct Slot0 { uint160 price; bool unlocked; }
    Slot0 public slot0;
    uint public total;
    function swap(ICallee c) external {
        Slot0 memory start = slot0;
        require(start.unlocked, 'LOK');
        slot0.unlocked = false;
        c.hook();
        total += 1;
        slot0.unlocked = true;
    }
    function near(ICallee c) external {
        uint t = total;
        require(t < 10);
        c.hook();
        total = t + 1;
    }
}",
    );
    let model = fx.model();
    let ir = ProjectIr::new(&model);
    let guards = ir.guards();
    let swap = guards.of(&ir, func(&model, "Pool", "swap"));
    assert_eq!(names(&model, swap.mutexes.iter().map(|m| m.var)), ["slot0"]);
    // A copy tested but not written before the call is no lock.
    assert!(guards
        .of(&ir, func(&model, "Pool", "near"))
        .mutexes
        .is_empty());
}

#[test]
fn transient_storage_lock_through_a_library() {
    let fx = Fixture::new(
        "pragma solidity ^0.8.24;
interface ICallee { function hook() external; }
library Slots {
    function load(bytes32 slot) internal view returns (bool v) { assembly { v := tload(slot) } }
    function store(bytes32 slot, bool v) internal { assembly { tstore(slot, v) } }
}
contract Guarded {
    bytes32 private constant SLOT = keccak256('lock');
    uint256 public total;
    modifier nonReentrant() {
        if (Slots.load(SLOT)) revert();
        Slots.store(SLOT, true);
        _;
        Slots.store(SLOT, false);
    }
    // Reads the slot but writes it only before `_`: no lock.
    modifier once() {
        if (Slots.load(SLOT)) revert();
        Slots.store(SLOT, true);
        _;
    }
    function run(ICallee c) external nonReentrant { c.hook(); total += 1; }
    function first(ICallee c) external once { c.hook(); total += 1; }
}",
    );
    let model = fx.model();
    let ir = ProjectIr::new(&model);
    let guards = ir.guards();
    let run = guards.of(&ir, func(&model, "Guarded", "run"));
    assert_eq!(
        names(&model, run.mutexes.iter().map(|m| m.var)),
        ["nonReentrant"]
    );
    assert!(guards
        .of(&ir, func(&model, "Guarded", "first"))
        .mutexes
        .is_empty());
}
