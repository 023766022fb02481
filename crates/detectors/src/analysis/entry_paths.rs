//! How an outsider reaches a statement: the externally callable function
//! they call and the statement *in that function* that leads there (the
//! statement itself, or the call of the internal helper that holds it).
//!
//! [`crate::analysis::access::Access::open_entry`] answers "is there such a
//! function"; detectors that report on the entry point need the step in
//! it too, so that the primary location is the line an auditor would
//! change (the unguarded call of `_setOwner`, not the assignment inside a
//! helper that guarded paths share). Which checks count as protection is
//! the caller's choice ([`Protection`]): detectors that report the root
//! cause of a broken authority elsewhere treat any sender check as
//! protection, so one bug is not reported twice.

use std::collections::HashSet;

use bulwark_ir::cfg::NodeIx;
use bulwark_ir::CallEdgeKind;
use bulwark_sema::DeclId;

use crate::analysis::access::Access;
use crate::detector::AnalysisContext;

/// What counts as protecting a statement from outsiders.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protection {
    /// A sender check on a sound authority (one outsiders cannot rewrite).
    Sound,
    /// Any sender check, sound or not.
    AnySenderCheck,
}

/// One way in: `entry` is externally callable and its node `entry_node`
/// reaches the statement without passing a protecting check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EntryPath {
    pub entry: DeclId,
    pub entry_node: NodeIx,
}

/// Finds an unprotected way from an entry point to `node` of `function`
/// (through internal calls and modifier applications), preferring the
/// shortest one found depth-first. `None` when every path is protected or
/// the statement only runs at construction.
pub fn open_path(
    cx: &AnalysisContext<'_>,
    access: &Access<'_, '_>,
    protection: Protection,
    function: DeclId,
    node: NodeIx,
) -> Option<EntryPath> {
    let mut seen = HashSet::new();
    search(cx, access, protection, function, node, &mut seen)
}

fn search(
    cx: &AnalysisContext<'_>,
    access: &Access<'_, '_>,
    protection: Protection,
    function: DeclId,
    node: NodeIx,
    seen: &mut HashSet<(DeclId, NodeIx)>,
) -> Option<EntryPath> {
    if !seen.insert((function, node)) || is_protected(cx, access, protection, function, node) {
        return None;
    }
    if access.is_entry_point(function) {
        return Some(EntryPath {
            entry: function,
            entry_node: node,
        });
    }
    let callers: Vec<(DeclId, NodeIx)> = cx
        .ir
        .call_graph()
        .edges_into(function)
        .filter(|e| {
            matches!(
                e.kind,
                CallEdgeKind::Internal
                    | CallEdgeKind::Super
                    | CallEdgeKind::Library
                    | CallEdgeKind::Modifier
            )
        })
        .filter_map(|e| Some((e.caller, e.node?)))
        .collect();
    callers
        .into_iter()
        .find_map(|(caller, at)| search(cx, access, protection, caller, at, seen))
}

fn is_protected(
    cx: &AnalysisContext<'_>,
    access: &Access<'_, '_>,
    protection: Protection,
    function: DeclId,
    node: NodeIx,
) -> bool {
    match protection {
        Protection::Sound => access.node_is_guarded(function, node),
        Protection::AnySenderCheck => cx.ir.guards().node_is_sender_guarded(cx.ir, function, node),
    }
}

/// Whether any externally callable function reaches `node` of `function`
/// unprotected.
pub fn is_open(
    cx: &AnalysisContext<'_>,
    access: &Access<'_, '_>,
    protection: Protection,
    function: DeclId,
    node: NodeIx,
) -> bool {
    open_path(cx, access, protection, function, node).is_some()
}
