//! Byte-offset spans and on-demand line/column conversion.
//!
//! The AST stores only byte offsets (cheap, `Copy`, stable under re-parsing
//! of the same text). Line and column numbers are computed when a diagnostic
//! or a finding is rendered, through a [`LineIndex`] built once per file.

/// A half-open byte range `[start, end)` into one source file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub const DUMMY: Span = Span { start: 0, end: 0 };

    pub fn new(start: usize, end: usize) -> Span {
        debug_assert!(start <= end, "span start {start} after end {end}");
        Span {
            start: start as u32,
            end: end as u32,
        }
    }

    /// The smallest span covering both `self` and `other`.
    pub fn to(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    pub fn contains(self, offset: usize) -> bool {
        (self.start as usize) <= offset && offset < (self.end as usize)
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    /// The text this span covers, or `""` if it lies outside `source`.
    pub fn text(self, source: &str) -> &str {
        source.get(self.range()).unwrap_or("")
    }
}

/// A 1-based line and column. Columns count Unicode scalar values, which is
/// what editors and SARIF viewers expect for `startColumn`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

/// Maps byte offsets of one file to line/column positions.
#[derive(Clone, Debug)]
pub struct LineIndex {
    /// Byte offset of the first character of each line.
    line_starts: Vec<u32>,
    len: u32,
}

impl LineIndex {
    pub fn new(source: &str) -> LineIndex {
        let mut line_starts = Vec::with_capacity(source.len() / 32 + 1);
        line_starts.push(0u32);
        // `match_indices` of one ASCII character searches word-at-a-time
        // (memchr); a byte loop was ~5% of project loading.
        line_starts.extend(source.match_indices('\n').map(|(i, _)| i as u32 + 1));
        LineIndex {
            line_starts,
            len: source.len() as u32,
        }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// 0-based line number holding `offset` (offsets past the end clamp to the last line).
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = (offset as u32).min(self.len);
        match self.line_starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// 1-based line and column of `offset` in `source` (the same text the index was built from).
    pub fn line_col(&self, source: &str, offset: usize) -> LineCol {
        let line = self.line_of(offset);
        let start = self.line_starts[line] as usize;
        let offset = offset.min(source.len());
        let col = source
            .get(start..offset)
            .map(|s| s.chars().count())
            .unwrap_or(offset - start);
        LineCol {
            line: line as u32 + 1,
            col: col as u32 + 1,
        }
    }

    /// Byte range of the 0-based `line`, without its line terminator.
    pub fn line_span(&self, source: &str, line: usize) -> Span {
        let start = self.line_starts.get(line).copied().unwrap_or(self.len) as usize;
        let mut end = self
            .line_starts
            .get(line + 1)
            .map(|&s| s as usize)
            .unwrap_or(source.len());
        let bytes = source.as_bytes();
        while end > start && matches!(bytes.get(end - 1), Some(b'\n' | b'\r')) {
            end -= 1;
        }
        Span::new(start, end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_round_trip() {
        let src = "ab\ncd\r\n\nxé y";
        let idx = LineIndex::new(src);
        assert_eq!(idx.line_count(), 4);
        assert_eq!(idx.line_col(src, 0), LineCol { line: 1, col: 1 });
        assert_eq!(idx.line_col(src, 4), LineCol { line: 2, col: 2 });
        // Offset 7 is the empty third line; 8 is the 'x' starting the fourth.
        assert_eq!(idx.line_col(src, 7), LineCol { line: 3, col: 1 });
        assert_eq!(idx.line_col(src, 8), LineCol { line: 4, col: 1 });
        // 'y' follows a two-byte character: column counts characters.
        let y = src.find('y').unwrap();
        assert_eq!(idx.line_col(src, y), LineCol { line: 4, col: 4 });
        assert_eq!(idx.line_span(src, 1).text(src), "cd");
        assert_eq!(idx.line_col(src, 10_000).line, 4);
    }
}
