//! Which local receives which component of a call returning a tuple:
//! `(uint80 id, int256 answer, , uint256 updatedAt, ) = feed.latestRoundData();`
//! or the same with an assignment to existing locals.

use bulwark_ir::cfg::{NodeIx, NodeKind};
use bulwark_ir::walk::unparen;
use bulwark_ir::FunctionIr;
use bulwark_sema::{DeclId, DeclKind};
use bulwark_syntax::ast::{ExprKind, NodeId};

use crate::analysis::expr::decl_of;
use crate::detector::AnalysisContext;

/// For the call expression `call` evaluated at `node`, the local bound to
/// each component of its result (`None` for skipped or non-local slots).
/// Empty when the result is not destructured there.
pub fn result_slots(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    call: NodeId,
) -> Vec<Option<DeclId>> {
    match f.cfg.node(node).kind {
        NodeKind::VarDecl(d) => {
            let is_init = d.init.as_ref().is_some_and(|init| unparen(init).id == call);
            if !is_init {
                return Vec::new();
            }
            d.decls
                .iter()
                .map(|slot| slot.as_ref().and_then(|l| cx.model.decl_at(f.file, l.id)))
                .collect()
        }
        NodeKind::Expr(e) => {
            let ExprKind::Assign { op: None, lhs, rhs } = &unparen(e).kind else {
                return Vec::new();
            };
            if unparen(rhs).id != call {
                return Vec::new();
            }
            match &unparen(lhs).kind {
                ExprKind::Tuple(items) => items
                    .iter()
                    .map(|item| {
                        let e = item.as_ref()?;
                        let d = decl_of(cx, f.file, unparen(e))?;
                        matches!(
                            cx.model.decl(d).kind,
                            DeclKind::LocalVar | DeclKind::ReturnParam
                        )
                        .then_some(d)
                    })
                    .collect(),
                _ => Vec::new(),
            }
        }
        _ => Vec::new(),
    }
}
