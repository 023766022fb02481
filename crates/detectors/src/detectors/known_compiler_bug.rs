//! `known-compiler-bug`: the compiler releases a file may be built with
//! have a published bug, and the code contains the construct that
//! triggers it.
//!
//! # Facts used
//! - The releases the file's pragma admits, or the one the project's
//!   configuration pins ([`crate::analysis::pragma::admitted`]), and
//!   whether ABI coder v2 is on.
//! - [`COMPILER_BUGS`]: the Solidity team's bug list with the releases
//!   each bug affects and the construct that triggers it.
//! - For each recognisable trigger, the construct itself: Yul calls and
//!   function definitions of assembly blocks, state writes of the IR
//!   (`delete`, `push()`, whole-array assignment), call sites (ABI
//!   encoding, `ecrecover`, `delegatecall`), expression types (exponent
//!   width, storage and calldata arguments) and the contracts'
//!   linearizations (redeclared private functions).

use std::collections::{BTreeMap, HashSet};

use bulwark_ir::cfg::NodeKind;
use bulwark_ir::facts::{AccessHow, CallSiteKind, LowLevelOp, ResultUse};
use bulwark_ir::walk::{unparen, walk_expr};
use bulwark_ir::{CallEdgeKind, FunctionIr};
use bulwark_report::{Confidence, Finding, Severity};
use bulwark_sema::{
    Builtin, CallKind, DataLocation, DeclId, DeclKind, SourceFile, Type, VarMutability, Version,
};
use bulwark_syntax::ast::{BinaryOp, Expr, ExprKind, UnaryOp, Visibility};
use bulwark_syntax::yul::{YulBlock, YulNode, YulStatement};
use bulwark_syntax::Span;

use crate::analysis::compiler_bugs::{BugSeverity, CompilerBug, Trigger, COMPILER_BUGS};
use crate::analysis::constant::const_value;
use crate::analysis::expr::builtin_of;
use crate::analysis::pragma::{abi_coder_v2, admitted, solidity_pragma, Admitted};
use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "known-compiler-bug",
    title: "Construct affected by a known compiler bug",
    severity: Severity::Informational,
    confidence: Confidence::Medium,
    swc: &["SWC-102"],
    applies_to: "0.4.0–0.8.35, each bug in the releases the Solidity team lists",
    summary: "The file may be built by a compiler release with a published code-generation bug, \
and the code uses the construct that triggers it.",
    what: r#"Matches the releases a file's `pragma solidity` admits (or the compiler the project's
configuration pins) against the Solidity team's list of known compiler bugs, and reports a bug
where its triggering construct appears: `keccak256` in inline assembly (KeccakCaching, before
0.8.3), Yul functions that conditionally `return`/`stop` (StorageWriteRemovalBeforeConditionalTermination,
0.8.13–0.8.16), `delete` of a transient variable (TransientStorageClearingHelperCollision,
0.8.28–0.8.33), storage arrays or structs encoded directly with ABI coder v2
(ABIEncoderV2PackedStorage, ABIEncoderV2StorageArrayWithMultiSlotElement), a narrow `**`
exponent (ExpExponentCleanup, before 0.4.25), shrinking packed storage arrays
(DynamicArrayCleanup), `push()` on storage `bytes` (EmptyByteArrayCopy, DirtyBytesArrayToStorage),
`.selector` of an expression with side effects, redeclared private functions, mutual
recursion (UnsoundSpillInMutualRecursion, via-IR), `layout at` near the end of storage, and a
few more.

The finding sits on the construct and names the bug, the affected releases the pragma
admits and the compiler settings the bug also needs (the optimiser, via-IR), which Bulwark
cannot see. Confidence is medium when every admitted release is affected and low when the
range also admits fixed releases.

Bugs without a recognisable construct are reported once per file at the pragma, with low
confidence, and only when they are rated medium or high and every release the pragma admits
has them (a pinned old compiler); a range that also admits fixed releases is the
`floating-pragma` detector's business."#,
    why: r#"A compiler bug produces bytecode that does not do what the source says; no review of
the source finds it, and tests only find it when they happen to exercise the miscompiled
path. Knowing that a contract contains the triggering construct tells the team exactly which
compiler releases it must not be built with."#,
    exploit: r#"```solidity
pragma solidity ^0.8.0;   // admits 0.8.0, 0.8.1 and 0.8.2: KeccakCaching
function commit(bytes memory data) internal pure returns (bytes32 a, bytes32 b) {
    assembly {
        a := keccak256(add(data, 32), 32)
        b := keccak256(add(data, 32), 31)  // same memory, different length
    }
}
```
1. The project is built with 0.8.2 and the optimiser.
2. The optimiser considers both hashes equal (the lengths round up to the same word count)
   and reuses `a` for `b`.
3. A check comparing `b` with a value computed off-chain fails for honest users, or passes
   for a forged input."#,
    fix: r#"Require a release where the bug is fixed, and pin it:
```solidity
pragma solidity 0.8.24;
```
When that is impossible, avoid the construct or the compiler setting the bug needs."#,
    references: &[
        "https://docs.soliditylang.org/en/latest/bugs.html",
        "https://github.com/ethereum/solidity/blob/develop/docs/bugs.json",
        "https://swcregistry.io/docs/SWC-102",
    ],
};

pub struct KnownCompilerBug;

impl Detector for KnownCompilerBug {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        for file in &cx.project.files {
            let Some(range) = admitted(file) else {
                continue;
            };
            let applicable: Vec<Applicable> = COMPILER_BUGS
                .iter()
                .filter_map(|bug| Applicable::new(bug, file, &range))
                .collect();
            if applicable.is_empty() {
                continue;
            }
            report_constructs(cx, file, &range, &applicable, out);
            report_at_pragma(cx, file, &range, &applicable, out);
        }
    }
}

/// A bug some admitted release of a file has.
struct Applicable {
    bug: &'static CompilerBug,
    /// The admitted releases it affects (ABI coder v2 taken into account).
    affected: Vec<Version>,
    /// Every admitted release is affected: the file cannot avoid it.
    forced: bool,
}

impl Applicable {
    fn new(bug: &'static CompilerBug, file: &SourceFile, range: &Admitted) -> Option<Applicable> {
        let admitted: Vec<Version> = range.releases().collect();
        let affected: Vec<Version> = admitted
            .iter()
            .copied()
            .filter(|&v| bug.affects(v) && (!bug.abi_coder_v2 || abi_coder_v2(file, v)))
            .collect();
        if affected.is_empty() {
            return None;
        }
        let forced = affected.len() == admitted.len();
        Some(Applicable {
            bug,
            affected,
            forced,
        })
    }

    /// `KeccakCaching (medium; 0.8.0–0.8.2, with the optimiser)`.
    fn describe(&self) -> String {
        let first = self.affected[0];
        let last = self.affected[self.affected.len() - 1];
        let releases = if first == last {
            first.to_string()
        } else {
            format!("{first}–{last}")
        };
        let needs = if self.bug.needs.is_empty() {
            String::new()
        } else {
            format!(", with {}", self.bug.needs)
        };
        format!(
            "{} ({}; {releases}{needs})",
            self.bug.name,
            self.bug.severity.as_str()
        )
    }
}

/// Where a triggering construct appears.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Site {
    span: Span,
    owner: Owner,
    /// What the construct is, for the message.
    what: String,
}

/// The declaration holding a construct.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Owner {
    /// A function or modifier.
    Function(DeclId),
    /// A contract's header (`layout at`).
    Contract(DeclId),
}

impl Site {
    fn new(function: DeclId, span: Span, what: impl Into<String>) -> Site {
        Site {
            span,
            owner: Owner::Function(function),
            what: what.into(),
        }
    }
}

fn report_constructs(
    cx: &AnalysisContext<'_>,
    file: &SourceFile,
    range: &Admitted,
    applicable: &[Applicable],
    out: &mut Vec<Finding>,
) {
    // Every site with the bugs it triggers, so that two bugs sharing a
    // construct make one finding.
    let mut by_site: BTreeMap<Site, Vec<&Applicable>> = BTreeMap::new();
    let triggers: Vec<Trigger> = applicable
        .iter()
        .map(|a| a.bug.trigger)
        .filter(|t| *t != Trigger::Unrecognised)
        .collect();
    if triggers.is_empty() {
        return;
    }
    for f in cx.ir.functions().filter(|f| f.file == file.id) {
        for trigger in dedup(&triggers) {
            for site in find_sites(cx, f, trigger) {
                let bugs = by_site.entry(site).or_default();
                bugs.extend(applicable.iter().filter(|a| a.bug.trigger == trigger));
            }
        }
    }
    for trigger in dedup(&triggers) {
        let sites = match trigger {
            Trigger::PrivateFunctionRedeclared => redeclared_private_functions(cx, file),
            Trigger::StorageLayoutSpecifier => layout_specifiers(cx, file),
            _ => continue,
        };
        for site in sites {
            let bugs = by_site.entry(site).or_default();
            bugs.extend(applicable.iter().filter(|a| a.bug.trigger == trigger));
        }
    }
    for (site, bugs) in by_site {
        let forced = bugs.iter().all(|a| a.forced);
        let list: Vec<String> = bugs.iter().map(|a| a.describe()).collect();
        let summaries: Vec<&str> = bugs.iter().map(|a| a.bug.summary).collect();
        let (owner, location) = match site.owner {
            Owner::Function(f) => (cx.qualified_name(f), cx.location_in(f, site.span)),
            Owner::Contract(c) => (
                cx.model.decl(c).name.clone(),
                cx.location_in_contract(c, file.id, site.span),
            ),
        };
        let compilers = if range.configured {
            format!("the configured compiler {}", range.lowest)
        } else {
            format!("the releases the pragma admits ({})", range.describe())
        };
        let message = format!(
            "{} in `{owner}`: {compilers} have {}: {}",
            site.what,
            list.join(", "),
            summaries.join("; ")
        );
        let mut finding = FindingBuilder::new(&META, message, location);
        if !forced {
            finding = finding.confidence(Confidence::Low);
        }
        out.push(finding.build());
    }
}

/// One finding at the pragma for the bugs no construct check covers,
/// when the file cannot be built without them.
fn report_at_pragma(
    cx: &AnalysisContext<'_>,
    file: &SourceFile,
    range: &Admitted,
    applicable: &[Applicable],
    out: &mut Vec<Finding>,
) {
    let unavoidable: Vec<&Applicable> = applicable
        .iter()
        .filter(|a| {
            a.forced
                && a.bug.trigger == Trigger::Unrecognised
                && a.bug.severity >= BugSeverity::Medium
        })
        .collect();
    if unavoidable.is_empty() {
        return;
    }
    let Some(pragma) = solidity_pragma(file) else {
        return;
    };
    let how = if range.configured {
        format!("the configured compiler {}", range.lowest)
    } else {
        format!("`pragma solidity {}` ({})", pragma.value, range.describe())
    };
    let list: Vec<String> = unavoidable.iter().map(|a| a.describe()).collect();
    let message = format!(
        "{how} only admits releases with known compiler bugs that Bulwark cannot match to a \
construct: {}; check that the code avoids them, or require a fixed release",
        list.join(", ")
    );
    out.push(
        FindingBuilder::new(&META, message, cx.location(file.id, pragma.span))
            .confidence(Confidence::Low)
            .build(),
    );
}

fn dedup(triggers: &[Trigger]) -> Vec<Trigger> {
    let mut out: Vec<Trigger> = Vec::new();
    for t in triggers {
        if !out.contains(t) {
            out.push(*t);
        }
    }
    out
}

/// The constructs of `trigger` in the body of `f`.
fn find_sites(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, trigger: Trigger) -> Vec<Site> {
    let mut sites = Vec::new();
    match trigger {
        Trigger::AssemblyKeccak
        | Trigger::YulConditionalTermination
        | Trigger::AssemblyUnreadMemoryWrite
        | Trigger::AssemblyLoopBreakContinue => {
            for (_, n) in f.cfg.nodes() {
                let NodeKind::Assembly(stmt) = n.kind else {
                    continue;
                };
                let refers_to_locals = n.stmt.is_some_and(|stmt| {
                    cx.model
                        .assembly_refs(f.file, stmt)
                        .iter()
                        .any(|r| cx.model.decl(r.decl).kind != DeclKind::StateVar)
                });
                if let Some((span, what)) = assembly_site(&stmt.block, trigger, refers_to_locals) {
                    sites.push(Site::new(f.decl, span, what));
                }
            }
        }
        Trigger::TransientDelete
        | Trigger::PackedStorageArrayAssigned
        | Trigger::StorageBytesPushWithoutValue
        | Trigger::SignedArrayStorageCopy => {
            for (_, w) in f.state_writes() {
                let Some(var) = cx.model.state_var(w.var) else {
                    continue;
                };
                let name = &cx.model.decl(w.var).name;
                let hit = match trigger {
                    Trigger::TransientDelete => {
                        w.how == AccessHow::Delete && var.mutability == VarMutability::Transient
                    }
                    Trigger::PackedStorageArrayAssigned => {
                        w.how == AccessHow::Direct
                            && w.value.is_some()
                            && is_packed_dynamic_array(&var.ty)
                    }
                    Trigger::SignedArrayStorageCopy => {
                        w.how == AccessHow::Direct
                            && w.value.is_some_and(|v| {
                                converts_signed_array(&var.ty, cx.model.type_of(f.file, v))
                            })
                    }
                    _ => {
                        w.how == AccessHow::Push
                            && w.value.is_none()
                            && matches!(var.ty, Type::Bytes(_))
                    }
                };
                if hit {
                    let what = match trigger {
                        Trigger::TransientDelete => format!("`delete` of transient `{name}`"),
                        Trigger::PackedStorageArrayAssigned => {
                            format!("assignment of packed storage array `{name}`")
                        }
                        Trigger::SignedArrayStorageCopy => {
                            format!("copy of another array type into signed storage array `{name}`")
                        }
                        _ => format!("`{name}.push()` on storage bytes"),
                    };
                    sites.push(Site::new(f.decl, w.span, what));
                }
            }
        }
        Trigger::Ecrecover | Trigger::DelegatecallResultUsed => {
            for (_, call) in f.calls() {
                let hit = match (&call.kind, trigger) {
                    (CallSiteKind::Builtin(Builtin::Ecrecover), Trigger::Ecrecover) => true,
                    (
                        CallSiteKind::LowLevel {
                            op: LowLevelOp::DelegateCall,
                            ..
                        },
                        Trigger::DelegatecallResultUsed,
                    ) => call.result != ResultUse::Ignored,
                    _ => false,
                };
                if hit {
                    let what = if trigger == Trigger::Ecrecover {
                        "`ecrecover` call"
                    } else {
                        "use of a `delegatecall` result"
                    };
                    sites.push(Site::new(f.decl, call.span, what));
                }
            }
        }
        Trigger::StorageValueEncoded | Trigger::StaticCalldataArrayReencoded => {
            for (_, call) in f.calls() {
                let encodes = matches!(
                    call.kind,
                    CallSiteKind::External { .. }
                        | CallSiteKind::Event(_)
                        | CallSiteKind::Builtin(
                            Builtin::AbiEncode
                                | Builtin::AbiEncodeWithSelector
                                | Builtin::AbiEncodeWithSignature
                                | Builtin::AbiEncodeCall
                        )
                );
                if !encodes {
                    continue;
                }
                let arg_type = |id| cx.model.type_of(f.file, id);
                let hit = if trigger == Trigger::StorageValueEncoded {
                    call.args
                        .iter()
                        .find(|&&a| arg_type(a).is_some_and(is_storage_reference))
                } else {
                    call.args
                        .last()
                        .filter(|&&a| arg_type(a).is_some_and(is_static_word_calldata_array))
                };
                if let Some(&arg) = hit {
                    let text = cx.model.node_span(f.file, arg).map_or(String::new(), |s| {
                        format!(" `{}`", cx.snippet(f.file, s, 40))
                    });
                    let what = if trigger == Trigger::StorageValueEncoded {
                        format!("storage value{text} ABI-encoded directly")
                    } else {
                        format!("calldata array{text} re-encoded as the last component")
                    };
                    sites.push(Site::new(f.decl, call.span, what));
                }
            }
        }
        Trigger::SelectorOfSideEffects | Trigger::NarrowExponent => {
            for (_, n) in f.cfg.nodes() {
                for root in n.exprs() {
                    walk_expr(root, &mut |e| {
                        let hit = match trigger {
                            Trigger::SelectorOfSideEffects => selector_of_side_effects(cx, f, e),
                            _ => narrow_exponent(cx, f, e),
                        };
                        if let Some(what) = hit {
                            sites.push(Site::new(f.decl, e.span, what));
                        }
                    });
                }
            }
        }
        Trigger::NestedFixedArrayReturned => {
            for (_, call) in f.calls() {
                let callee = match call.kind {
                    CallSiteKind::Internal { function, .. }
                    | CallSiteKind::External {
                        function: Some(function),
                        ..
                    } => function,
                    _ => continue,
                };
                let nested = cx.model.function(callee).is_some_and(|info| {
                    info.returns
                        .iter()
                        .any(|r| is_nested_fixed_array(cx.model.decl_type(*r)))
                });
                if nested {
                    let what = format!(
                        "call of `{}`, which returns a multi-dimensional fixed-size array",
                        cx.qualified_name(callee)
                    );
                    sites.push(Site::new(f.decl, call.span, what));
                }
            }
        }
        Trigger::MutualRecursion => {
            if let Some((span, callee)) = mutually_recursive_call(cx, f) {
                let what = format!(
                    "call of `{}`, which calls back into it",
                    cx.qualified_name(callee)
                );
                sites.push(Site::new(f.decl, span, what));
            }
        }
        Trigger::PrivateFunctionRedeclared
        | Trigger::StorageLayoutSpecifier
        | Trigger::Unrecognised => {}
    }
    sites
}

/// The first construct of `trigger` in an assembly block.
fn assembly_site(
    block: &YulBlock,
    trigger: Trigger,
    refers_to_locals: bool,
) -> Option<(Span, String)> {
    match trigger {
        Trigger::AssemblyKeccak => block
            .function_calls()
            .into_iter()
            .find(|c| c.name.name == "keccak256")
            .map(|c| (c.span, "`keccak256` in inline assembly".to_string())),
        Trigger::YulConditionalTermination => {
            let mut found = None;
            block.walk(|node| {
                if let YulNode::Statement(YulStatement::FunctionDefinition(def)) = node {
                    if found.is_none() && terminates_conditionally(&def.body) {
                        found = Some((
                            def.name.span,
                            format!(
                                "Yul function `{}` that conditionally ends the call",
                                def.name.name
                            ),
                        ));
                    }
                }
            });
            found
        }
        Trigger::AssemblyUnreadMemoryWrite => {
            if refers_to_locals {
                return None;
            }
            let calls = block.function_calls();
            let reads_memory = calls
                .iter()
                .any(|c| MEMORY_READERS.contains(&c.name.name.as_str()));
            let write = calls
                .iter()
                .find(|c| MEMORY_WRITERS.contains(&c.name.name.as_str()))?;
            (!reads_memory).then(|| {
                (
                    write.span,
                    format!(
                        "memory write `{}` in an assembly block that never reads memory",
                        write.name.name
                    ),
                )
            })
        }
        Trigger::AssemblyLoopBreakContinue => {
            let mut found = None;
            block.walk(|node| {
                if let YulNode::Statement(YulStatement::For(lp)) = node {
                    let mut jumps = false;
                    lp.body.walk(|inner| {
                        if let YulNode::Statement(
                            YulStatement::Break(_) | YulStatement::Continue(_),
                        ) = inner
                        {
                            jumps = true;
                        }
                    });
                    if jumps && found.is_none() {
                        found = Some((
                            lp.span,
                            "assembly `for` loop with `break`/`continue`".into(),
                        ));
                    }
                }
            });
            found
        }
        _ => None,
    }
}

/// Yul built-ins that write memory.
const MEMORY_WRITERS: &[&str] = &[
    "mstore",
    "mstore8",
    "calldatacopy",
    "codecopy",
    "extcodecopy",
    "returndatacopy",
    "mcopy",
];

/// Yul built-ins that read memory (a write they may read is live).
const MEMORY_READERS: &[&str] = &[
    "mload",
    "keccak256",
    "return",
    "revert",
    "log0",
    "log1",
    "log2",
    "log3",
    "log4",
    "call",
    "callcode",
    "delegatecall",
    "staticcall",
    "create",
    "create2",
    "mcopy",
];

/// A body with an `if`/`switch` branch that calls `return` or `stop`.
fn terminates_conditionally(body: &YulBlock) -> bool {
    let mut found = false;
    body.walk(|node| {
        let branches: Vec<&YulBlock> = match node {
            YulNode::Statement(YulStatement::If(i)) => vec![&i.body],
            YulNode::Statement(YulStatement::Switch(s)) => {
                s.cases.iter().map(|c| &c.body).collect()
            }
            _ => return,
        };
        for b in branches {
            if b.function_calls()
                .iter()
                .any(|c| matches!(c.name.name.as_str(), "return" | "stop"))
            {
                found = true;
            }
        }
    });
    found
}

/// `T[]` in storage whose elements pack several to a slot (at most 16
/// bytes each).
fn is_packed_dynamic_array(ty: &Type) -> bool {
    let Type::Array {
        base, len: None, ..
    } = ty
    else {
        return false;
    };
    match base.as_ref() {
        Type::Bool | Type::Enum(_) => true,
        Type::Int { bits, .. } => *bits <= 128,
        Type::FixedBytes(n) => *n <= 16,
        _ => false,
    }
}

/// A storage array or struct (not a mapping, not bytes/string).
fn is_storage_reference(ty: &Type) -> bool {
    matches!(
        ty,
        Type::Array {
            loc: DataLocation::StorageRef | DataLocation::StoragePointer,
            ..
        } | Type::Struct {
            loc: DataLocation::StorageRef | DataLocation::StoragePointer,
            ..
        }
    )
}

/// `uint256[n] calldata` / `bytes32[n] calldata`.
fn is_static_word_calldata_array(ty: &Type) -> bool {
    let Type::Array {
        base,
        len: Some(_),
        loc: DataLocation::Calldata,
    } = ty
    else {
        return false;
    };
    matches!(
        base.as_ref(),
        Type::Int { bits: 256, .. } | Type::FixedBytes(32)
    )
}

/// `e.selector` where `e` calls a function, assigns or branches.
fn selector_of_side_effects(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    e: &Expr,
) -> Option<String> {
    let ExprKind::Member { base, member } = &e.kind else {
        return None;
    };
    if member.name != "selector" || builtin_of(cx, f.file, e) != Some(Builtin::Selector) {
        return None;
    }
    let mut effect = false;
    walk_expr(base, &mut |sub| match &sub.kind {
        ExprKind::Assign { .. } | ExprKind::Conditional { .. } => effect = true,
        ExprKind::Unary {
            op:
                UnaryOp::PreInc
                | UnaryOp::PreDec
                | UnaryOp::PostInc
                | UnaryOp::PostDec
                | UnaryOp::Delete,
            ..
        } => effect = true,
        ExprKind::Call { .. }
            if !matches!(
                cx.model.call_kind(f.file, sub.id),
                Some(CallKind::Conversion(_))
            ) =>
        {
            effect = true
        }
        _ => {}
    });
    effect.then(|| format!("`{}`", cx.snippet(f.file, e.span, 60)))
}

/// `a ** b` with `b` narrower than 256 bits and not narrower than `a`.
fn narrow_exponent(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, e: &Expr) -> Option<String> {
    let ExprKind::Binary {
        op: BinaryOp::Pow,
        lhs,
        rhs,
    } = &e.kind
    else {
        return None;
    };
    let bits = |x: &Expr| match cx.model.type_of(f.file, unparen(x).id) {
        Some(Type::Int { bits, .. }) => Some(*bits),
        // A literal base takes the smallest type that holds it.
        Some(Type::Rational(_)) => Some(8),
        _ => None,
    };
    if matches!(unparen(rhs).kind, ExprKind::Literal(_)) {
        return None;
    }
    let exp_bits = match cx.model.type_of(f.file, unparen(rhs).id) {
        Some(Type::Int { bits, .. }) => *bits,
        _ => return None,
    };
    let base_bits = bits(lhs)?;
    (exp_bits < 256 && exp_bits >= base_bits).then(|| {
        format!(
            "`{}` with an exponent of type uint{exp_bits}",
            cx.snippet(f.file, e.span, 60)
        )
    })
}

/// Functions of a file's contracts that redeclare (same name and parameter
/// types) a private function of one of their bases.
fn redeclared_private_functions(cx: &AnalysisContext<'_>, file: &SourceFile) -> Vec<Site> {
    let mut sites = Vec::new();
    let params = |f: DeclId| -> Option<Vec<Type>> {
        let info = cx.model.function(f)?;
        Some(
            info.params
                .iter()
                .map(|p| cx.model.decl_type(*p).clone())
                .collect(),
        )
    };
    for contract in cx.model.contracts().iter().filter(|c| c.file == file.id) {
        for &own in &contract.own.functions {
            let name = &cx.model.decl(own).name;
            if name.is_empty() {
                continue;
            }
            let own_params = params(own);
            let base_private = contract.linearization.iter().skip(1).find_map(|&base| {
                let info = cx.model.contract(base)?;
                info.own.functions.iter().copied().find(|&bf| {
                    cx.model.decl(bf).name == *name
                        && cx
                            .model
                            .function(bf)
                            .is_some_and(|i| i.visibility == Visibility::Private)
                        && params(bf) == own_params
                })
            });
            if let Some(base_fn) = base_private {
                let what = format!("redeclaration of private `{}`", cx.qualified_name(base_fn));
                sites.push(Site::new(own, cx.model.decl(own).name_span, what));
            }
        }
    }
    sites
}

/// The first internal call of `f` to another function that leads back to
/// `f` through internal calls.
fn mutually_recursive_call(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>) -> Option<(Span, DeclId)> {
    let graph = cx.ir.call_graph();
    let internal = |k: CallEdgeKind| matches!(k, CallEdgeKind::Internal | CallEdgeKind::Super);
    for edge in graph.edges_from(f.decl) {
        let Some(callee) = edge.callee.filter(|&c| c != f.decl) else {
            continue;
        };
        if !internal(edge.kind) {
            continue;
        }
        let mut seen = HashSet::new();
        let mut work = vec![callee];
        let mut back = false;
        while let Some(g) = work.pop() {
            if !seen.insert(g) {
                continue;
            }
            for e in graph.edges_from(g).iter().filter(|e| internal(e.kind)) {
                match e.callee {
                    Some(h) if h == f.decl => back = true,
                    Some(h) => work.push(h),
                    None => {}
                }
            }
            if back {
                break;
            }
        }
        if back {
            let span = edge
                .expr
                .and_then(|id| cx.model.node_span(f.file, id))
                .unwrap_or(f.ast.span);
            return Some((span, callee));
        }
    }
    None
}

/// `layout at <expr>` specifiers of the file's contracts that may put
/// storage near its end: both bugs need variables within about 2**64
/// slots of the last one. A base below 2**255 is far from it (the value is
/// an `f64`, too coarse to tell 2**256 - 2**64 from 2**256, but not to
/// tell either from 2**255); a base Bulwark cannot evaluate is kept.
fn layout_specifiers(cx: &AnalysisContext<'_>, file: &SourceFile) -> Vec<Site> {
    cx.model
        .contracts()
        .iter()
        .filter(|c| c.file == file.id)
        .filter_map(|c| {
            let layout = c.ast.layout.as_ref()?;
            if const_value(cx, file.id, layout).is_some_and(|v| v < 2f64.powi(255)) {
                return None;
            }
            Some(Site {
                span: layout.span,
                owner: Owner::Contract(c.decl),
                what: format!(
                    "storage placed with `layout at {}`",
                    cx.snippet(file.id, layout.span, 40)
                ),
            })
        })
        .collect()
}

/// `int8[] storage` receiving an array whose elements have another type
/// (`int256[] memory`, a literal `[-1, 2]`).
fn converts_signed_array(target: &Type, value: Option<&Type>) -> bool {
    let Type::Array { base: to, .. } = target else {
        return false;
    };
    if !matches!(to.as_ref(), Type::Int { signed: true, .. }) {
        return false;
    }
    match value {
        Some(Type::Array { base: from, .. }) => from != to,
        _ => false,
    }
}

/// `T[n][m]`.
fn is_nested_fixed_array(ty: &Type) -> bool {
    matches!(ty, Type::Array { len: Some(_), base, .. }
        if matches!(base.as_ref(), Type::Array { len: Some(_), .. }))
}
