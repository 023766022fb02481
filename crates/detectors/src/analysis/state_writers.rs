//! Who writes each state variable, and whether code outside the project
//! could write it too: what the `constant`/`immutable` suggestions rest
//! on.

use std::collections::HashMap;

use bulwark_ir::cfg::NodeIx;
use bulwark_sema::DeclId;
use bulwark_syntax::ast::{ContractKind, Visibility};

use crate::detector::AnalysisContext;

/// One statement writing a state variable (any way: assignment, `delete`,
/// `++`, assembly, through a storage pointer).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StateWrite {
    pub function: DeclId,
    pub node: NodeIx,
}

/// Every write of every state variable in the project's function bodies,
/// by variable. Initialisers at the declaration are not writes here.
pub fn state_writers(cx: &AnalysisContext<'_>) -> HashMap<DeclId, Vec<StateWrite>> {
    let mut writers: HashMap<DeclId, Vec<StateWrite>> = HashMap::new();
    for f in cx.ir.functions() {
        for (node, w) in f.state_writes() {
            writers.entry(w.var).or_default().push(StateWrite {
                function: f.decl,
                node,
            });
        }
    }
    writers
}

/// Whether every function that may write `var` is in the project: the
/// variable is `private`, or its contract is deployable and no contract
/// inherits from it (an `internal` or `public` variable of a base may be
/// written by derived contracts Bulwark does not see).
pub fn writers_all_known(cx: &AnalysisContext<'_>, var: DeclId) -> bool {
    let Some(info) = cx.model.state_var(var) else {
        return false;
    };
    if info.visibility == Visibility::Private {
        return true;
    }
    let Some(contract) = info.contract.and_then(|c| cx.model.contract(c)) else {
        return false;
    };
    contract.kind == ContractKind::Contract
        && !contract.is_abstract
        && !cx
            .model
            .contracts()
            .iter()
            .any(|c| c.linearization.iter().skip(1).any(|&b| b == contract.decl))
}
