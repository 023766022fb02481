//! `storage-collision`: a contract delegatecalls into another contract
//! whose state variables sit in the same slots as different variables of
//! the caller, so the callee's writes land on the caller's state.
//!
//! # Facts used
//! - Delegatecalls (`delegatecall`/`callcode` in Solidity, `delegatecall`
//!   in inline assembly) reachable from the functions of a deployable
//!   contract with storage.
//! - The contract behind the target ([`DelegateTargets`]): its declared
//!   type, what the project stores into the variable it is read from
//!   (`address(new Logic())`, a constructor argument typed as a contract),
//!   through locals and internal helpers. Libraries have no state: library
//!   calls are never reported.
//! - Failing that, for a proxy (a contract whose fallback delegatecalls):
//!   the implementation the project names after it (`VaultProxy` and
//!   `Vault`, `VaultImplementation`, `VaultLogic`, `VaultV2`,
//!   `VaultLogicV1`) or passes to
//!   its constructor as `implementation`/`logic` — reported with low
//!   confidence.
//! - Both storage layouts ([`bulwark_sema::Model::storage_layout`]): a
//!   state variable of the callee that one of its externally callable
//!   functions writes (only the function the call data names, when it
//!   names one: `abi.encodeWithSignature("f()")`, `abi.encodeCall(T.f,
//!   ..)`, `T.f.selector`) and that overlaps a caller variable of another
//!   name or type. Mappings own no slot of their own and are left out, so
//!   are element writes of dynamic arrays (only the length is in the slot);
//!   variables inherited from a shared base, or mirrored with the same
//!   name and type, are the same variable.
//! - Storage at explicit slots ([`crate::analysis::explicit_slots`]): two
//!   different structs bound to the same constant slot (an ERC-7201 or
//!   diamond namespace reused), or a raw `sstore` to a slot where a
//!   struct of several fields lives.

use std::collections::HashMap;

use bulwark_ir::cfg::{AsmCallKind, NodeIx};
use bulwark_ir::facts::{AccessHow, CallSite, CallSiteKind, LowLevelOp};
use bulwark_ir::walk::walk_expr;
use bulwark_ir::FunctionIr;
use bulwark_report::{Confidence, Finding, Severity};
use bulwark_sema::{DeclId, DeclKind, Res, StorageEntry, Type};
use bulwark_syntax::ast::{ContractKind, ExprKind, FunctionKind, Literal};
use bulwark_syntax::Span;

use crate::analysis::delegate_targets::DelegateTargets;
use crate::analysis::explicit_slots::{self, Placed};
use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "storage-collision",
    title: "Storage layout collision through delegatecall",
    severity: Severity::High,
    confidence: Confidence::Medium,
    swc: &["SWC-124", "SWC-112"],
    applies_to: "all versions",
    summary: "Code run by `delegatecall` writes its own variables into slots where the calling \
contract keeps different ones: the implementation pointer, the owner or balances get \
overwritten.",
    what: r#"Reports a `delegatecall` (or `callcode`, or an assembly `delegatecall`) from a contract
into another contract of the project when a state variable the callee writes occupies a slot
(and byte range) where the caller keeps a different variable. The classic shapes are a
proxy that declares ordinary state variables (`address implementation; address owner;` at
slots 0 and 1) in front of an implementation whose own first variables land on them, and a
contract that delegatecalls into a "library" written as a contract with state of its own.

The contract behind the target is taken from the code: the target's declared contract type,
the value the project stores into the variable it reads (`lib = address(new Lib())`, a
constructor parameter typed as a contract, the argument every `new Proxy(..)` passes), also
through locals and internal helpers such as `_delegate(_implementation())`. For a proxy
whose target cannot be traced that way (its fallback delegatecalls to an address set at run
time), the implementation named after it (`TokenProxy` and `Token`, `TokenImplementation`,
`TokenLogic`, `TokenV2`, `TokenLogicV1`) or passed to its constructor as `implementation`/`logic` is
compared, with low confidence.

Storage placed at explicit slots is compared too: a struct bound with `$.slot := SLOT` (an
ERC-7201 namespace, diamond storage) or a raw `sstore(SLOT, v)` (an EIP-1967 proxy slot),
where `SLOT` is a constant written as a literal, `keccak256("...")`, the EIP-1967 formula
(`bytes32(uint256(keccak256("...")) - 1)`) or the ERC-7201 one. The first placement at a slot
owns it; a later one with a different struct layout (two facets reusing a namespace string
for different structs), or a struct of several fields where a raw word is written, is
reported. A one-field struct (`StorageSlot.AddressSlot`) is the word itself.

Only variables the callee writes through its externally callable functions count — just the
function the call data names, when it names one (`abi.encodeWithSignature("setOwner(address)",
..)`, `abi.encodeCall(Lib.setOwner, ..)`). Not reported: library calls (libraries have no
state; storage pointers passed to them are how libraries are meant to work), proxies that
keep their own data in EIP-1967 or ERC-7201 slots or in immutables, layouts shared through
a common base contract or mirrored variable by variable (same name and type), mappings
(whose base slot holds nothing) and writes of dynamic-array elements (which live at a hash
of the slot; pushes and pops, which change the length in the slot, count). The primary location is the delegatecall; the related
locations are the caller's variable and the callee's write."#,
    why: r#"`delegatecall` runs the callee's code on the caller's storage, and the compiler lays out
each contract's variables on its own, from slot 0. When the two layouts disagree, every
write the callee makes to its variable is a write to whatever the caller keeps in that slot.
A proxy whose `implementation` sits in slot 0 and whose implementation stores `owner` in
slot 0 gets its code pointer replaced by the first `initialize(owner)`; a contract whose
"library" keeps a counter in slot 0 sees its owner overwritten by a number. The result is a
bricked proxy, or one that the attacker who chose the written value now controls."#,
    exploit: r#"```solidity
contract Proxy {
    address public implementation; // slot 0
    address public admin;          // slot 1
    fallback() external payable {
        (bool ok, ) = implementation.delegatecall(msg.data);
        require(ok);
    }
}
contract Vault {
    address public owner;          // slot 0
    function initialize() external { require(owner == address(0)); owner = msg.sender; }
}
```
1. The project deploys `Proxy` pointing at `Vault`.
2. Anyone calls `initialize()` through the proxy: `owner` is slot 0 in `Vault`, so the
   proxy's `implementation` becomes the caller's address.
3. Every later call through the proxy delegatecalls into the attacker's address (an
   account they control, or a contract they deploy there with `CREATE2`), running their
   code with the proxy's storage and funds."#,
    fix: r#"Keep a proxy's own data out of the implementation's slot range: store it in the
EIP-1967 slots (`bytes32(uint256(keccak256("eip1967.proxy.implementation")) - 1)`) or an
ERC-7201 namespace, or in immutables; or give the callee the caller's exact layout by
inheriting one shared storage contract first.
```solidity
bytes32 private constant IMPLEMENTATION_SLOT =
    0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc;
```
Make delegatecalled helpers real `library`s, which cannot declare state."#,
    references: &[
        "https://swcregistry.io/docs/SWC-124",
        "https://eips.ethereum.org/EIPS/eip-1967",
        "https://eips.ethereum.org/EIPS/eip-7201",
        "https://docs.openzeppelin.com/upgrades-plugins/proxies#unstructured-storage-proxies",
    ],
};

/// How many colliding pairs a message lists before summarising.
const LISTED: usize = 3;

pub struct StorageCollision;

impl Detector for StorageCollision {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        let targets = DelegateTargets::new(cx);
        let mut callee_writes = CalleeWrites::default();
        for contract in cx.model.contracts() {
            if contract.kind != ContractKind::Contract || contract.is_abstract {
                continue;
            }
            let layout = cx.model.storage_layout(contract.decl).storage;
            if layout.is_empty() {
                continue;
            }
            let from_fallback = fallback_reach(cx, contract.decl);
            for g in reachable_functions(cx, contract.decl) {
                let Some(f) = cx.ir.function_ir(g) else {
                    continue;
                };
                for (node, call) in f.calls() {
                    let Some(resolved) =
                        delegate_callees(cx, &targets, contract.decl, f, node, call)
                    else {
                        continue;
                    };
                    let (callees, confidence) = if !resolved.is_empty() {
                        (resolved, Confidence::Medium)
                    } else if from_fallback.contains(&g) {
                        (paired_implementations(cx, contract.decl), Confidence::Low)
                    } else {
                        continue;
                    };
                    let selectors = called_functions(cx, f, call);
                    for callee in callees {
                        if callee == contract.decl {
                            continue;
                        }
                        let Some(writes) = callee_writes.of(cx, callee, &selectors) else {
                            continue;
                        };
                        let callee_layout = cx.model.storage_layout(callee).storage;
                        let pairs = collisions(cx, &layout, &callee_layout, &writes);
                        if pairs.is_empty() {
                            continue;
                        }
                        out.push(report(
                            cx,
                            contract.decl,
                            callee,
                            f,
                            call.span,
                            &pairs,
                            confidence,
                        ));
                    }
                }
            }
        }
        explicit_slot_collisions(cx, out);
    }
}

/// Different layouts placed at the same constant slot: an ERC-7201 or
/// diamond-storage namespace reused for another struct, or a raw word
/// (`sstore(SLOT, impl)`) written where a multi-field struct lives.
fn explicit_slot_collisions(cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
    let all = explicit_slots::bindings(cx);
    let mut reported: Vec<(explicit_slots::Word, Placed, Placed)> = Vec::new();
    for (i, b) in all.iter().enumerate() {
        // The slot belongs to its first placement; later ones must agree.
        let Some(first) = all[..i].iter().find(|a| a.slot == b.slot) else {
            continue;
        };
        if !clashes(cx, &first.placed, &b.placed) {
            continue;
        }
        let key = (b.slot, first.placed.clone(), b.placed.clone());
        if reported.contains(&key) {
            continue;
        }
        reported.push(key);
        let describe = |x: &explicit_slots::Binding| match x.placed {
            Placed::Struct(d) => format!("the struct `{}`", cx.model.decl(d).name),
            Placed::Word => "a raw word (`sstore`)".to_string(),
        };
        let slot_hex: String = b.slot.iter().map(|x| format!("{x:02x}")).collect();
        let message = format!(
            "`{}` places {} at slot `0x{}…` (`{}`), where `{}` places {} (`{}`): the two layouts \
overlap, so writes through one corrupt the other; give each layout its own namespace",
            cx.qualified_name(b.function),
            describe(b),
            &slot_hex[..16],
            cx.model.decl(b.constant).name,
            cx.qualified_name(first.function),
            describe(first),
            cx.model.decl(first.constant).name,
        );
        out.push(
            FindingBuilder::new(&META, message, cx.location_in(b.function, b.span))
                .related(
                    cx.location_in(first.function, first.span),
                    "the other layout",
                )
                .build(),
        );
    }
}

/// Whether two placements at one slot disagree: two structs with different
/// fields, or a raw word and a struct of more than one field (a one-field
/// struct such as `StorageSlot.AddressSlot` is the word itself).
fn clashes(cx: &AnalysisContext<'_>, a: &Placed, b: &Placed) -> bool {
    // `None`: a single word (raw, or a one-field struct).
    let layout = |p: &Placed| match p {
        Placed::Struct(s) => Some(fields(cx, *s)).filter(|f| f.len() > 1),
        Placed::Word => None,
    };
    match (layout(a), layout(b)) {
        (None, None) => false,
        (Some(x), Some(y)) => x != y,
        _ => true,
    }
}

/// A struct's fields as (name, type), in order.
fn fields(cx: &AnalysisContext<'_>, strukt: DeclId) -> Vec<(String, String)> {
    let bulwark_sema::DeclAst::Struct(def) = cx.model.decl(strukt).ast else {
        return Vec::new();
    };
    let file = cx.model.decl(strukt).file;
    def.fields
        .iter()
        .map(|p| {
            let name = p.name.as_ref().map(|n| n.name.clone()).unwrap_or_default();
            let ty = cx
                .model
                .decl_at(file, p.id)
                .map(|d| format!("{:?}", cx.model.decl_type(d)))
                .unwrap_or_default();
            (name, ty)
        })
        .collect()
}

/// The contracts a delegatecall at `call` may run (empty when unknown);
/// `None` when `call` is no delegatecall.
fn delegate_callees(
    cx: &AnalysisContext<'_>,
    targets: &DelegateTargets<'_, '_>,
    deployed: DeclId,
    f: &FunctionIr<'_>,
    node: NodeIx,
    call: &CallSite,
) -> Option<Vec<DeclId>> {
    match call.kind {
        CallSiteKind::LowLevel {
            op: LowLevelOp::DelegateCall | LowLevelOp::CallCode,
            target,
            ..
        } => Some(
            f.expr(target)
                .map(|t| targets.of_expr(deployed, f, node, t))
                .unwrap_or_default(),
        ),
        CallSiteKind::Assembly(AsmCallKind::DelegateCall | AsmCallKind::CallCode) => {
            let n = f.cfg.node(node);
            let asm = n.asm.as_ref()?;
            let target = asm
                .calls
                .iter()
                .find(|c| c.span == call.span)
                .and_then(|c| c.args.get(1).copied());
            let mut found = Vec::new();
            if let (Some(target), Some(stmt)) = (target, n.stmt) {
                for r in cx.model.assembly_refs(f.file, stmt) {
                    if r.span.start >= target.start && r.span.end <= target.end {
                        found.extend(targets.of_decl(deployed, f, node, r.decl));
                    }
                }
            }
            found.sort();
            found.dedup();
            Some(found)
        }
        _ => None,
    }
}

/// Every function a deployable contract can run: its own and inherited
/// functions (constructor, fallback and receive included) and what they
/// reach.
fn reachable_functions(cx: &AnalysisContext<'_>, contract: DeclId) -> Vec<DeclId> {
    let Some(info) = cx.model.contract(contract) else {
        return Vec::new();
    };
    let mut all = Vec::new();
    for &entry in &info.functions {
        if cx
            .model
            .function(entry)
            .is_some_and(|f| f.has_body() && !f.is_modifier())
        {
            all.extend(
                cx.ir
                    .call_graph()
                    .reachable_in(cx.ir, Some(contract), entry),
            );
        }
    }
    all.sort();
    all.dedup();
    all
}

/// The functions the contract's fallback (or receive) reaches: where a
/// proxy forwards.
fn fallback_reach(cx: &AnalysisContext<'_>, contract: DeclId) -> Vec<DeclId> {
    let Some(info) = cx.model.contract(contract) else {
        return Vec::new();
    };
    let mut all = Vec::new();
    for &entry in &info.functions {
        if cx.model.function(entry).is_some_and(|f| {
            f.has_body() && matches!(f.kind, FunctionKind::Fallback | FunctionKind::Receive)
        }) {
            all.extend(
                cx.ir
                    .call_graph()
                    .reachable_in(cx.ir, Some(contract), entry),
            );
        }
    }
    all
}

/// Implementations the project pairs with `proxy` when its target is set
/// at run time: named after it, or passed to its constructor as the
/// implementation.
fn paired_implementations(cx: &AnalysisContext<'_>, proxy: DeclId) -> Vec<DeclId> {
    let name = &cx.model.decl(proxy).name;
    let mut found = Vec::new();
    if let Some(stem) = name.strip_suffix("Proxy").filter(|s| !s.is_empty()) {
        for c in cx.model.contracts() {
            if c.kind == ContractKind::Contract
                && c.decl != proxy
                && is_named_implementation(stem, &c.ast.name.name)
            {
                found.push(c.decl);
            }
        }
    }
    found.extend(passed_implementations(cx, proxy));
    found.sort();
    found.dedup();
    found
}

/// `Token`, `TokenImpl`, `TokenImplementation`, `TokenLogic`,
/// `TokenUpgradeable`, `TokenV2` for the stem `Token`, and a role with a
/// version (`TokenLogicV1`, `TokenImplementationV2`).
fn is_named_implementation(stem: &str, name: &str) -> bool {
    let Some(rest) = name.strip_prefix(stem) else {
        return false;
    };
    let is_version = |v: &str| {
        v.strip_prefix('V')
            .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
    };
    ["", "Impl", "Implementation", "Logic", "Upgradeable"]
        .into_iter()
        .any(|role| {
            rest.strip_prefix(role)
                .is_some_and(|v| v.is_empty() || is_version(v))
        })
}

/// Contracts passed to `new Proxy(..)` at a constructor parameter named
/// for the implementation (`_implementation`, `logic`).
fn passed_implementations(cx: &AnalysisContext<'_>, proxy: DeclId) -> Vec<DeclId> {
    let Some(info) = cx.model.contract(proxy) else {
        return Vec::new();
    };
    let Some(ctor) = info.functions.iter().copied().find(|&f| {
        cx.model
            .function(f)
            .is_some_and(|i| i.kind == FunctionKind::Constructor && i.contract == Some(proxy))
    }) else {
        return Vec::new();
    };
    let params = cx
        .model
        .function(ctor)
        .map(|i| i.params.clone())
        .unwrap_or_default();
    let positions: Vec<usize> = params
        .iter()
        .enumerate()
        .filter(|(_, &p)| {
            let name = cx.model.decl(p).name.to_ascii_lowercase();
            name.contains("impl") || name.contains("logic")
        })
        .map(|(i, _)| i)
        .collect();
    let mut found = Vec::new();
    for g in cx.ir.functions() {
        for (_, call) in g.calls() {
            if !matches!(call.kind, CallSiteKind::Create { contract: Some(c), .. } if c == proxy) {
                continue;
            }
            for &i in &positions {
                let Some(arg) = call.args.get(i).and_then(|&a| g.expr(a)) else {
                    continue;
                };
                let mut e = arg;
                loop {
                    if let Some(Type::Contract(c)) = cx.model.type_of(g.file, e.id) {
                        if cx
                            .model
                            .contract(*c)
                            .is_some_and(|c| c.kind == ContractKind::Contract)
                        {
                            found.push(*c);
                        }
                        break;
                    }
                    let inner = crate::analysis::expr::strip_conversions(cx, g.file, e);
                    if std::ptr::eq(inner, e) {
                        break;
                    }
                    e = inner;
                }
            }
        }
    }
    found
}

/// The function names the call data of a delegatecall selects
/// (`abi.encodeWithSignature("f(uint256)")`, `T.f.selector`,
/// `abi.encodeCall(T.f, ..)`); empty when it forwards anything.
fn called_functions(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, call: &CallSite) -> Vec<String> {
    let mut names = Vec::new();
    for &arg in &call.args {
        let Some(arg) = f.expr(arg) else {
            continue;
        };
        walk_expr(arg, &mut |e| match &e.kind {
            ExprKind::Literal(Literal::String { value, .. }) => {
                let text = String::from_utf8_lossy(value);
                if let Some((name, _)) = text.split_once('(') {
                    if !name.is_empty()
                        && name
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'$')
                    {
                        names.push(name.to_string());
                    }
                }
            }
            ExprKind::Ident(_) | ExprKind::Member { .. } => {
                if let Some(Res::Decl(d)) = cx.model.resolution(f.file, e.id) {
                    if cx.model.decl(*d).kind == DeclKind::Function {
                        names.push(cx.model.decl(*d).name.clone());
                    }
                }
            }
            _ => {}
        });
    }
    names.sort();
    names.dedup();
    names
}

/// State variables written, each with one writing statement (function,
/// span).
type Writes = HashMap<DeclId, (DeclId, Span)>;

/// The state variables a callee's externally callable functions write,
/// memoised per (callee, selection).
#[derive(Default)]
struct CalleeWrites {
    memo: HashMap<(DeclId, Vec<String>), Option<Writes>>,
}

impl CalleeWrites {
    /// `None` when the call data names functions the callee lacks: the
    /// callee is then not what the call runs.
    fn of(
        &mut self,
        cx: &AnalysisContext<'_>,
        callee: DeclId,
        selected: &[String],
    ) -> Option<Writes> {
        self.memo
            .entry((callee, selected.to_vec()))
            .or_insert_with(|| written_by(cx, callee, selected))
            .clone()
    }
}

fn written_by(cx: &AnalysisContext<'_>, callee: DeclId, selected: &[String]) -> Option<Writes> {
    let info = cx.model.contract(callee)?;
    let entries: Vec<DeclId> = info
        .functions
        .iter()
        .copied()
        .filter(|&g| {
            cx.model.function(g).is_some_and(|i| {
                i.has_body()
                    && match i.kind {
                        FunctionKind::Fallback | FunctionKind::Receive => true,
                        FunctionKind::Function => i.is_externally_callable(),
                        _ => false,
                    }
            })
        })
        .collect();
    let chosen: Vec<DeclId> = if selected.is_empty() {
        entries
    } else {
        let named: Vec<DeclId> = entries
            .into_iter()
            .filter(|&g| selected.contains(&cx.model.decl(g).name))
            .collect();
        if named.is_empty() {
            return None;
        }
        named
    };
    let mut writes = HashMap::new();
    for entry in chosen {
        for g in cx.ir.call_graph().reachable_in(cx.ir, Some(callee), entry) {
            let Some(f) = cx.ir.function_ir(g) else {
                continue;
            };
            for (_, w) in f.state_writes() {
                if writes_own_slots(cx, w.var, w.how) {
                    writes.entry(w.var).or_insert((g, w.span));
                }
            }
        }
    }
    Some(writes)
}

/// Whether a write of `var` changes the slots the layout gives it: the
/// elements of a dynamic array live at a hash of its slot, only its length
/// (pushes, pops, whole assignments) lives in the slot.
fn writes_own_slots(cx: &AnalysisContext<'_>, var: DeclId, how: AccessHow) -> bool {
    let dynamic_array = matches!(cx.model.decl_type(var), Type::Array { len: None, .. });
    !(dynamic_array && matches!(how, AccessHow::Element | AccessHow::Pointer(_)))
}

/// A caller variable and the callee variable written over it.
struct Collision<'l> {
    caller: &'l StorageEntry,
    callee: &'l StorageEntry,
    write: (DeclId, Span),
}

/// Caller variables that a written callee variable overlaps while being
/// another variable (not the same declaration, nor one of the same name
/// and type).
fn collisions<'l>(
    cx: &AnalysisContext<'_>,
    caller: &'l [StorageEntry],
    callee: &'l [StorageEntry],
    writes: &Writes,
) -> Vec<Collision<'l>> {
    let is_mapping = |e: &StorageEntry| matches!(cx.model.decl_type(e.var), Type::Mapping { .. });
    let bytes = |e: &StorageEntry| {
        let start = e.slot.saturating_mul(32) + u128::from(e.offset);
        (start, start.saturating_add(e.size.max(1)))
    };
    let mut out = Vec::new();
    for t in callee {
        let Some(&write) = writes.get(&t.var) else {
            continue;
        };
        if is_mapping(t) {
            continue;
        }
        let (ts, te) = bytes(t);
        for c in caller {
            let (cs, ce) = bytes(c);
            if ce <= ts || te <= cs || is_mapping(c) || c.var == t.var {
                continue;
            }
            let same_name = cx.model.decl(c.var).name == cx.model.decl(t.var).name;
            let same_type = cx.model.type_string_short(cx.model.decl_type(c.var))
                == cx.model.type_string_short(cx.model.decl_type(t.var));
            if same_name && same_type {
                continue;
            }
            out.push(Collision {
                caller: c,
                callee: t,
                write,
            });
        }
    }
    out
}

/// `slot 3` or `slot 3, offset 20`.
fn place(e: &StorageEntry) -> String {
    if e.offset == 0 {
        format!("slot {}", e.slot)
    } else {
        format!("slot {}, offset {}", e.slot, e.offset)
    }
}

fn report(
    cx: &AnalysisContext<'_>,
    caller: DeclId,
    callee: DeclId,
    f: &FunctionIr<'_>,
    span: Span,
    pairs: &[Collision<'_>],
    confidence: Confidence,
) -> Finding {
    let caller_name = &cx.model.decl(caller).name;
    let callee_name = &cx.model.decl(callee).name;
    let var = |e: &StorageEntry| {
        format!(
            "`{}.{}` ({})",
            cx.model.decl(e.contract).name,
            cx.model.decl(e.var).name,
            place(e)
        )
    };
    let listed: Vec<String> = pairs
        .iter()
        .take(LISTED)
        .map(|p| format!("{} writes over {}", var(p.callee), var(p.caller)))
        .collect();
    let more = match pairs.len().saturating_sub(LISTED) {
        0 => String::new(),
        n => format!(", and {n} more"),
    };
    let how = if confidence == Confidence::Low {
        " (the implementation the project pairs with this proxy)"
    } else {
        ""
    };
    // Inherited code is named with the contract whose storage it runs on.
    let running = if f.contract == Some(caller) {
        String::new()
    } else {
        format!(" (running in `{caller_name}`)")
    };
    let message = format!(
        "`{}`{running} delegatecalls into `{callee_name}`{how}, whose storage is laid out \
differently: {}{more}",
        cx.qualified_name(f.decl),
        listed.join("; "),
    );
    let first = &pairs[0];
    let caller_var = cx.model.decl(first.caller.var);
    let callee_var = cx.model.decl(first.callee.var);
    FindingBuilder::new(&META, message, cx.location_in(f.decl, span))
        .related(
            cx.location_in_contract(first.caller.contract, caller_var.file, caller_var.name_span),
            format!(
                "`{}` of `{caller_name}` ({})",
                caller_var.name,
                place(first.caller)
            ),
        )
        .related(
            cx.location_in(first.write.0, first.write.1),
            format!(
                "`{}` of `{callee_name}` ({}) written here",
                callee_var.name,
                place(first.callee)
            ),
        )
        .confidence(confidence)
        .build()
}
