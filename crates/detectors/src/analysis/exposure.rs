//! What an externally callable function exposes: the state it writes and
//! the dangerous operations it reaches (in the contract it belongs to,
//! through internal helpers and modifiers), and whether any check on the
//! caller stands on the way. Shared by the detectors that judge a
//! function's visibility.

use bulwark_ir::cfg::AsmCallKind;
use bulwark_ir::facts::CallSiteKind;
use bulwark_sema::DeclId;

use crate::analysis::entry_paths::checks_caller_identity;
use crate::detector::AnalysisContext;

/// What calling a function can do.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Exposure {
    /// State variables written (transitively), in declaration order.
    pub writes: Vec<DeclId>,
    /// Sends ether, self-destructs or delegatecalls.
    pub moves_funds_or_code: bool,
    /// Some function on the way compares `msg.sender` with an authority.
    pub checks_caller: bool,
}

impl Exposure {
    /// Whether the function changes anything an outsider should not.
    pub fn is_sensitive(&self) -> bool {
        !self.writes.is_empty() || self.moves_funds_or_code
    }
}

/// The exposure of `function` when called on its own contract.
pub fn exposure(cx: &AnalysisContext<'_>, function: DeclId) -> Exposure {
    let contract = cx.model.function(function).and_then(|f| f.contract);
    let writes = cx
        .ir
        .access()
        .transitive(cx.ir, contract, function)
        .writes
        .clone();
    let reach = cx.ir.call_graph().reachable_in(cx.ir, contract, function);
    let mut moves_funds_or_code = false;
    let mut checks_caller = false;
    for g in reach {
        let Some(f) = cx.ir.function_ir(g) else {
            continue;
        };
        if cx
            .ir
            .guards()
            .of(cx.ir, g)
            .sender_checks
            .iter()
            .any(|c| c.function == g)
            || f.cfg.nodes().any(|(n, _)| checks_caller_identity(cx, f, n))
        {
            checks_caller = true;
        }
        moves_funds_or_code |= f.calls().any(|(_, c)| {
            c.kind.sends_eth()
                || matches!(
                    c.kind,
                    CallSiteKind::SelfDestruct { .. }
                        | CallSiteKind::Assembly(
                            AsmCallKind::SelfDestruct
                                | AsmCallKind::DelegateCall
                                | AsmCallKind::CallCode
                        )
                        | CallSiteKind::LowLevel {
                            op: bulwark_ir::facts::LowLevelOp::DelegateCall
                                | bulwark_ir::facts::LowLevelOp::CallCode,
                            ..
                        }
                )
        });
    }
    // A modifier that runs the body only for an authorised caller, gate
    // included (`if (msg.sender == owner) _;`).
    checks_caller |= !cx
        .ir
        .guards()
        .of(cx.ir, function)
        .restricting_modifiers
        .is_empty();
    Exposure {
        writes,
        moves_funds_or_code,
        checks_caller,
    }
}

/// Up to `max` names of `vars`, back-quoted and comma-separated, with
/// "and N more" when cut.
pub fn name_list(cx: &AnalysisContext<'_>, vars: &[DeclId], max: usize) -> String {
    let mut names: Vec<String> = vars
        .iter()
        .take(max)
        .map(|&v| format!("`{}`", cx.model.decl(v).name))
        .collect();
    if vars.len() > max {
        names.push(format!("{} more", vars.len() - max));
    }
    names.join(", ")
}
