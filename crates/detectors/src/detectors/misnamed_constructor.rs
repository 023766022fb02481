//! `misnamed-constructor`: a function meant as the constructor is an
//! ordinary public function (before 0.5.0).
//!
//! # Facts used
//! - The effective compiler version (old-style constructors exist before
//!   0.5.0; the `constructor` keyword from 0.4.22).
//! - Per contract: its name, whether it declares a constructor (keyword or
//!   exact-name function), and its functions with visibility.
//! - Candidates: a public/external function named `constructor` (declared
//!   with the `function` keyword, 0.4.22+), or whose name equals the
//!   contract's name ignoring case but not exactly; with lower confidence,
//!   a CapWords-named public function in a contract without a constructor
//!   that nothing calls internally.
//! - What the candidate writes: state variables that access checks read
//!   (`require(msg.sender == owner)` elsewhere) assigned from `msg.sender`
//!   or arguments — this is what makes the heuristic candidate a
//!   constructor in disguise rather than a CapWords business function.

use std::collections::HashSet;

use bulwark_ir::taint::Source;
use bulwark_report::{Confidence, Finding, Severity};
use bulwark_sema::{Builtin, ContractInfo, DeclId};
use bulwark_syntax::ast::{BinaryOp, ContractKind, ExprKind, FunctionKind};

use crate::analysis::conditions::{atoms, tested};
use crate::analysis::expr::{mentions_builtin, root_state_var};

use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "misnamed-constructor",
    title: "Misnamed constructor",
    severity: Severity::High,
    confidence: Confidence::High,
    swc: &["SWC-118"],
    applies_to: "before 0.5.0 (old-style constructors); `function constructor()` from 0.4.22",
    summary: "A function intended to run once at deployment is an ordinary public function, \
because its name does not exactly match the contract's, so anyone can call it later and \
re-initialise the contract, usually making themselves its owner.",
    what: r#"Before 0.4.22 a constructor is the function named exactly like its contract; until 0.5.0
that form is still accepted. This detector reports, in contracts without a real constructor:
- a function whose name equals the contract's name except for letter case
  (`function charityWallet()` in `contract CharityWallet`);
- `function constructor()` written with the `function` keyword (0.4.22 to 0.4.26), which
  declares a public function called "constructor";
- with medium confidence, a public function with a CapWords name, not called from the
  contract, that initialises the state access checks rely on (it assigns `msg.sender` to the
  owner variable) — the trace a contract renamed after its constructor leaves behind.

Not reported: exact-name legacy constructors, `constructor(...)` declarations, contracts
that already declare a constructor, and CapWords functions that initialise no
access-control state."#,
    why: r#"A misnamed constructor is never executed at deployment, so the owner stays unset, and it
remains callable by anyone afterwards. The first caller becomes the owner and can use every
owner-only function: withdraw the funds, change fees, self-destruct. The Rubixi pyramid
scheme was renamed from `DynamicPyramid` without renaming its constructor, and anyone could
call `DynamicPyramid()` to become the creator and collect the fees."#,
    exploit: r#"```solidity
contract CharityWallet {
    address public owner;
    function charityWallet() public { owner = msg.sender; }   // not the constructor
    function withdraw() public { require(msg.sender == owner); owner.transfer(this.balance); }
}
```
1. The wallet is deployed; `owner` stays zero because `charityWallet` never ran.
2. Donations accumulate.
3. The attacker calls `charityWallet()`, becomes the owner, and calls `withdraw()`."#,
    fix: r#"Use the `constructor` keyword (available from 0.4.22) and, better, a compiler of 0.5.0
or later, which rejects the old form:
```solidity
constructor() public { owner = msg.sender; }
```"#,
    references: &[
        "https://swcregistry.io/docs/SWC-118",
        "https://github.com/ethereum/solidity/releases/tag/v0.4.22",
        "https://docs.soliditylang.org/en/latest/050-breaking-changes.html",
    ],
};

pub struct MisnamedConstructor;

impl Detector for MisnamedConstructor {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        for contract in cx.model.contracts() {
            let version = cx.project.file(contract.file).version.effective;
            if contract.kind != ContractKind::Contract
                || !version.has_legacy_constructors()
                || contract.constructor.is_some()
            {
                continue;
            }
            let contract_name = &cx.model.decl(contract.decl).name;
            let authorities = authority_vars(cx, contract);
            for &d in &contract.own.functions {
                let Some(info) = cx.model.function(d) else {
                    continue;
                };
                if info.kind != FunctionKind::Function
                    || !info.is_externally_callable()
                    || !info.has_body()
                {
                    continue;
                }
                let name = &cx.model.decl(d).name;
                let (message, confidence) = if name == "constructor"
                    && version.has_constructor_keyword()
                {
                    (
                        format!(
                            "`function constructor()` in `{contract_name}` is an ordinary public function \
named \"constructor\", not the constructor: anyone can call it at any time to re-run the initialisation"
                        ),
                        Confidence::High,
                    )
                } else if name != contract_name && name.eq_ignore_ascii_case(contract_name) {
                    (
                        format!(
                            "`{name}` differs from the contract name `{contract_name}` only in letter case, \
so it is not the constructor but a public function anyone can call to re-run the initialisation"
                        ),
                        Confidence::High,
                    )
                } else if looks_like_lost_constructor(cx, d, name, &authorities) {
                    (
                        format!(
                            "`{contract_name}` has no constructor, and the public function `{name}` looks like \
one (named like a contract, never called, sets the caller as an authority that access checks trust): \
if it was meant to run at deployment, anyone can call it and take over"
                        ),
                        Confidence::Medium,
                    )
                } else {
                    continue;
                };
                let decl = cx.model.decl(d);
                out.push(
                    FindingBuilder::new(&META, message, cx.location_in(d, decl.name_span))
                        .confidence(confidence)
                        .build(),
                );
            }
        }
    }
}

/// State variables some function or modifier of `contract` compares
/// `msg.sender` with: in the IR's sender checks, and in any condition
/// testing `msg.sender == v` (a modifier that wraps `_` in
/// `if (msg.sender == creator)` restricts without reverting).
fn authority_vars(cx: &AnalysisContext<'_>, contract: &ContractInfo<'_>) -> HashSet<DeclId> {
    let mut out: HashSet<DeclId> = contract
        .functions
        .iter()
        .flat_map(|&f| cx.ir.guards().of(cx.ir, f).sender_checks)
        .flat_map(|c| c.state_vars)
        .collect();
    for &d in contract.functions.iter().chain(&contract.modifiers) {
        let Some(f) = cx.ir.function_ir(d) else {
            continue;
        };
        for (node, _) in f.cfg.nodes() {
            for cond in tested(f, node) {
                let mut atoms_found = Vec::new();
                atoms(cond, &mut atoms_found);
                for atom in atoms_found {
                    let ExprKind::Binary {
                        op: BinaryOp::Eq | BinaryOp::Ne,
                        lhs,
                        rhs,
                    } = &atom.kind
                    else {
                        continue;
                    };
                    for (a, b) in [(lhs, rhs), (rhs, lhs)] {
                        if mentions_builtin(cx, f.file, a, &[Builtin::MsgSender]) {
                            if let Some(v) = root_state_var(cx, f.file, b) {
                                out.insert(v);
                            }
                        }
                    }
                }
            }
        }
    }
    out
}

/// A CapWords public function that nothing calls and that stores the
/// caller (or an argument) into a variable access checks read: the shape
/// of a constructor left behind by a renamed contract.
fn looks_like_lost_constructor(
    cx: &AnalysisContext<'_>,
    function: DeclId,
    name: &str,
    authorities: &HashSet<DeclId>,
) -> bool {
    if !name.starts_with(|c: char| c.is_ascii_uppercase()) {
        return false;
    }
    if cx.ir.call_graph().edges_into(function).next().is_some() {
        return false;
    }
    let taint = cx.ir.taint();
    authorities.iter().any(|&var| {
        taint.writes_of(var).iter().any(|w| {
            w.function == function && (w.taint.has(Source::MsgSender) || w.taint.has(Source::Param))
        })
    })
}
