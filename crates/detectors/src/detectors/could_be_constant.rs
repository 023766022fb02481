//! `could-be-constant`: a state variable initialised with a compile-time
//! value and never written.
//!
//! # Facts used
//! - Every state write of the project's function bodies
//!   ([`crate::analysis::state_writers`]), assembly and storage pointers
//!   included: there must be none.
//! - The initialiser: a compile-time constant (literals, units, constant
//!   arithmetic, other constants, `keccak256` of a string literal).
//! - Whether unseen code could write the variable: only `private`
//!   variables, and variables of deployable contracts nothing inherits
//!   from, are judged.

use bulwark_report::{Confidence, Finding, Severity};
use bulwark_sema::{Builtin, CallKind, FileId, Type, VarMutability};
use bulwark_syntax::ast::{Expr, ExprKind};

use crate::analysis::constant::is_constant;
use crate::analysis::state_writers::{state_writers, writers_all_known};
use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "could-be-constant",
    title: "State variable could be constant",
    severity: Severity::Optimization,
    confidence: Confidence::High,
    swc: &[],
    applies_to: "all versions",
    summary: "A state variable is initialised with a compile-time value and never written, so \
it occupies a storage slot and costs an SLOAD on every read for a value that never changes.",
    what: r#"Reports a mutable state variable of value type, `string` or `bytes` whose initialiser
is a compile-time constant (a literal, `1 days`, constant arithmetic, another constant,
`keccak256("ROLE")`) and that no function of the project writes — by assignment, `delete`,
`++`, a storage pointer or inline assembly.

Only variables whose writers are all known are judged: `private` variables, and variables of
deployable contracts that no contract inherits from (a derived contract Bulwark does not see
could write an `internal` variable of a base)."#,
    why: r#"A `constant` is inlined into the bytecode: reading it costs 3 gas instead of 2,100
for a cold `SLOAD`, and it takes no storage slot. Declaring it `constant` also tells readers and
the compiler that nothing may change it."#,
    exploit: r#"```solidity
uint256 public feeBps = 30;          // never written
function fee(uint256 amount) external view returns (uint256) {
    return amount * feeBps / 10_000; // an SLOAD on every call
}
```"#,
    fix: r#"```solidity
uint256 public constant FEE_BPS = 30;
```"#,
    references: &[
        "https://docs.soliditylang.org/en/latest/contracts.html#constant-and-immutable-state-variables",
    ],
};

pub struct CouldBeConstant;

impl Detector for CouldBeConstant {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        let writers = state_writers(cx);
        for var in cx.model.state_vars() {
            let Some(contract) = var.contract else {
                continue;
            };
            if var.mutability != VarMutability::Mutable || writers.contains_key(&var.decl) {
                continue;
            }
            let Some(init) = &var.ast.initializer else {
                continue;
            };
            if !constant_type(&var.ty) || !compile_time(cx, var.file, init) {
                continue;
            }
            if !writers_all_known(cx, var.decl) {
                continue;
            }
            let name = &cx.model.decl(var.decl).name;
            let message = format!(
                "`{}.{name}` is initialised with `{}` and never written: declare it `constant` \
to save its storage slot and an SLOAD on every read",
                cx.model.decl(contract).name,
                cx.snippet(var.file, init.span, 40)
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

/// Types a `constant` may have.
fn constant_type(ty: &Type) -> bool {
    matches!(
        ty,
        Type::Bool
            | Type::Address { .. }
            | Type::Int { .. }
            | Type::FixedBytes(_)
            | Type::Enum(_)
            | Type::Udvt(_)
            | Type::String(_)
            | Type::Bytes(_)
    )
}

/// An expression solc evaluates at compile time.
fn compile_time(cx: &AnalysisContext<'_>, file: FileId, e: &Expr) -> bool {
    if is_constant(cx, file, e) {
        return true;
    }
    match &e.kind {
        ExprKind::Literal(_) => true,
        // `keccak256("MINTER_ROLE")`, `bytes32(...)`, `address(0)`.
        ExprKind::Call { callee, args } => {
            let hashing = matches!(
                cx.model
                    .resolution(file, callee.id)
                    .and_then(|r| r.builtin()),
                Some(Builtin::Keccak256)
            );
            let conversion = matches!(
                cx.model.call_kind(file, e.id),
                Some(CallKind::Conversion(_))
            );
            (hashing || conversion)
                && bulwark_ir::walk::call_args(args)
                    .iter()
                    .all(|a| compile_time(cx, file, a))
        }
        ExprKind::Tuple(items) if items.len() == 1 => {
            items[0].as_ref().is_some_and(|i| compile_time(cx, file, i))
        }
        _ => false,
    }
}
