//! Line-precise spans for declarations, so that findings on a function or
//! contract point at its header line rather than at the whole body.

use bulwark_sema::DeclId;
use bulwark_syntax::Span;

use crate::detector::AnalysisContext;

/// The name of a named declaration; for unnamed ones (constructors,
/// fallback and receive functions) the first line of the declaration.
pub fn header_span(cx: &AnalysisContext<'_>, decl: DeclId) -> Span {
    let d = cx.model.decl(decl);
    if !d.name.is_empty() {
        return d.name_span;
    }
    let source = &cx.project.file(d.file).source;
    let start = d.span.start as usize;
    let end = d.span.end as usize;
    let line_end = source[start..end]
        .find('\n')
        .map_or(end, |i| start + i)
        .max(start);
    Span::new(start, line_end.min(end))
}
