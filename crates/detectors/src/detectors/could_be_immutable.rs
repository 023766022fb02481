//! `could-be-immutable`: a state variable only assigned while the
//! contract is constructed.
//!
//! # Facts used
//! - Every state write of the project's function bodies
//!   ([`crate::analysis::state_writers`]): all of them must be in the
//!   constructor of the contract declaring the variable (derived
//!   constructors and helpers the constructor calls cannot assign an
//!   immutable), or there is none and the initialiser is not a
//!   compile-time constant (`owner = msg.sender`).
//! - The file's compiler: `immutable` exists from 0.6.5; before 0.8.21
//!   an immutable is assigned exactly once, outside loops and branches,
//!   and cannot be read in the constructor.
//! - Whether unseen code could write the variable: only `private`
//!   variables, and variables of deployable contracts nothing inherits
//!   from, are judged.

use bulwark_report::{Confidence, Finding, Severity};
use bulwark_sema::{Type, VarMutability, Version};
use bulwark_syntax::ast::FunctionKind;

use crate::analysis::constant::is_constant;
use crate::analysis::pragma::admitted;
use crate::analysis::state_writers::{state_writers, writers_all_known, StateWrite};
use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "could-be-immutable",
    title: "State variable could be immutable",
    severity: Severity::Optimization,
    confidence: Confidence::High,
    swc: &[],
    applies_to: "0.6.5 and later (`immutable`)",
    summary: "A state variable is only assigned while the contract is constructed, so it could \
be `immutable`: stored in the code instead of a storage slot.",
    what: r#"Reports a mutable value-type state variable that is assigned only in the constructor of
its own contract, or only by a non-constant initialiser (`address owner = msg.sender`), when
the file's compiler supports `immutable` (0.6.5 and later; a pragma that also admits older
releases is mentioned in the message).

Before 0.8.21 an immutable must be assigned exactly once, outside loops and branches, and
cannot be read in the constructor; variables that break those rules are only reported when the
pragma admits 0.8.21 or later. Only variables whose writers are all known are judged: `private`
variables, and variables of deployable contracts that no contract inherits from."#,
    why: r#"An immutable is written into the deployed bytecode: reading it costs 3 gas instead of
2,100 for a cold `SLOAD`, and it takes no storage slot. It also documents, and lets the
compiler enforce, that the value never changes after deployment."#,
    exploit: r#"```solidity
address public token;            // set once
constructor(address _token) { token = _token; }
function deposit(uint256 amount) external {
    IERC20(token).transferFrom(msg.sender, address(this), amount);  // SLOAD each call
}
```"#,
    fix: r#"```solidity
address public immutable token;
```"#,
    references: &["https://docs.soliditylang.org/en/latest/contracts.html#immutable"],
};

pub struct CouldBeImmutable;

impl Detector for CouldBeImmutable {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        let writers = state_writers(cx);
        for var in cx.model.state_vars() {
            let Some(contract) = var.contract else {
                continue;
            };
            if var.mutability != VarMutability::Mutable || !value_type(&var.ty) {
                continue;
            }
            let Some(range) = admitted(cx.project.file(var.file)) else {
                continue;
            };
            if range.highest < FIRST_IMMUTABLE {
                continue;
            }
            let writes: &[StateWrite] = writers.get(&var.decl).map_or(&[], Vec::as_slice);
            let initialised = var.ast.initializer.as_ref();
            let own_constructor = cx.model.contract(contract).and_then(|c| c.constructor);
            let only_in_constructor = writes.iter().all(|w| Some(w.function) == own_constructor);
            if !only_in_constructor {
                continue;
            }
            let where_set = match (writes.is_empty(), initialised) {
                // Never assigned: the uninitialised-state detectors' business.
                (true, None) => continue,
                // A constant initialiser: `could-be-constant` says more.
                (true, Some(init)) if is_constant(cx, var.file, init) => continue,
                (true, Some(init)) => {
                    format!("initialised with `{}`", cx.snippet(var.file, init.span, 40))
                }
                // Initialised and reassigned: never allowed for an immutable.
                (false, Some(_)) => continue,
                (false, None) => "only assigned in the constructor".to_string(),
            };
            if range.highest < RELAXED_IMMUTABLE && !legacy_rules_hold(cx, var.decl, writes) {
                continue;
            }
            if !writers_all_known(cx, var.decl) {
                continue;
            }
            let pragma_note = if range.lowest < FIRST_IMMUTABLE {
                format!(
                    " (raise the pragma to 0.6.5 or later, it admits {})",
                    range.lowest
                )
            } else {
                String::new()
            };
            let name = &cx.model.decl(var.decl).name;
            let message = format!(
                "`{}.{name}` is {where_set} and never written afterwards: declare it \
`immutable`{pragma_note} to save its storage slot and an SLOAD on every read",
                cx.model.decl(contract).name
            );
            out.push(
                FindingBuilder::new(
                    &META,
                    message,
                    cx.location_in_contract(contract, var.file, var.ast.span),
                )
                .build(),
            );
        }
    }
}

/// The first release with `immutable`.
const FIRST_IMMUTABLE: Version = Version::new(0, 6, 5);
/// From this release immutables may be assigned in branches and loops and
/// read in the constructor.
const RELAXED_IMMUTABLE: Version = Version::new(0, 8, 21);

/// Types an immutable may have.
fn value_type(ty: &Type) -> bool {
    matches!(
        ty,
        Type::Bool
            | Type::Address { .. }
            | Type::Int { .. }
            | Type::FixedBytes(_)
            | Type::Enum(_)
            | Type::Udvt(_)
            | Type::Contract(_)
    )
}

/// Before 0.8.21: one assignment, on every path of the constructor and
/// outside loops, and no read of the variable in the constructor.
fn legacy_rules_hold(
    cx: &AnalysisContext<'_>,
    var: bulwark_sema::DeclId,
    writes: &[StateWrite],
) -> bool {
    match writes {
        [] => true,
        [w] => cx.ir.function_ir(w.function).is_some_and(|f| {
            let node = f.cfg.node(w.node);
            node.loop_depth == 0
                && f.cfg.dominates(w.node, f.cfg.exit)
                && !f.state_reads().any(|(_, r)| r.var == var)
                && cx
                    .model
                    .function(w.function)
                    .is_some_and(|i| i.kind == FunctionKind::Constructor)
        }),
        _ => false,
    }
}
