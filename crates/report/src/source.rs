//! Line/column arithmetic over one source text.
//!
//! The report crate cannot use the syntax crate's `LineIndex` (it must not
//! depend on analysis crates), so it keeps this small equivalent with the
//! same conventions: 1-based lines and columns, columns in Unicode scalar
//! values.

/// One file's text with the byte offset of every line start.
#[derive(Clone, Debug)]
pub struct SourceText<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> SourceText<'a> {
    pub fn new(text: &'a str) -> SourceText<'a> {
        let mut line_starts = vec![0];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        SourceText { text, line_starts }
    }

    pub fn text(&self) -> &'a str {
        self.text
    }

    /// Number of lines (a trailing newline does not open a counted line).
    pub fn line_count(&self) -> usize {
        if self.text.ends_with('\n') {
            self.line_starts.len() - 1
        } else {
            self.line_starts.len()
        }
    }

    /// The 1-based `line` without its terminator (`\n` or `\r\n`), or `None`
    /// past the end.
    pub fn line(&self, line: u32) -> Option<&'a str> {
        let index = (line as usize).checked_sub(1)?;
        if index >= self.line_count() {
            return None;
        }
        let start = self.line_starts[index];
        let end = self
            .line_starts
            .get(index + 1)
            .map(|&next| next - 1)
            .unwrap_or(self.text.len());
        let line = &self.text[start..end];
        Some(line.strip_suffix('\r').unwrap_or(line))
    }

    /// Clamps a byte range to the text and to character boundaries.
    pub fn clamp_range(&self, range: std::ops::Range<usize>) -> (usize, usize) {
        let start = self.floor_char_boundary(range.start.min(self.text.len()));
        let end = self.floor_char_boundary(range.end.min(self.text.len()));
        (start, end.max(start))
    }

    fn floor_char_boundary(&self, mut offset: usize) -> usize {
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }

    /// 1-based (line, column) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (u32, u32) {
        let offset = self.floor_char_boundary(offset.min(self.text.len()));
        let line = match self.line_starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        };
        let column = self.text[self.line_starts[line]..offset].chars().count();
        (line as u32 + 1, column as u32 + 1)
    }

    /// 1-based (line, exclusive column) of the end of `start..end`. An end
    /// that falls at the start of a line (the range swallowed a newline) is
    /// reported at the end of the previous line instead.
    pub fn end_line_col(&self, start: usize, end: usize) -> (u32, u32) {
        let (line, column) = self.line_col(end);
        if column == 1 && end > start && line > 1 {
            let previous = self.line(line - 1).unwrap_or("");
            (line - 1, previous.chars().count() as u32 + 1)
        } else {
            (line, column)
        }
    }

    /// Byte offset of a 1-based (line, column), clamped to the line's end.
    /// `None` when the line does not exist.
    pub fn offset(&self, line: u32, column: u32) -> Option<usize> {
        let index = (line as usize).checked_sub(1)?;
        let start = *self.line_starts.get(index)?;
        let text = self.line(line)?;
        let skip = (column.max(1) - 1) as usize;
        let within = text
            .char_indices()
            .nth(skip)
            .map(|(byte, _)| byte)
            .unwrap_or(text.len());
        Some(start + within)
    }

    /// The text between two 1-based positions (end column exclusive), or
    /// `None` when the start line does not exist.
    pub fn slice(
        &self,
        start_line: u32,
        start_column: u32,
        end_line: u32,
        end_column: u32,
    ) -> Option<&'a str> {
        let start = self.offset(start_line, start_column)?;
        let end = self
            .offset(end_line, end_column)
            .unwrap_or(self.text.len())
            .max(start);
        Some(&self.text[start..end])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_one_based_and_strip_crlf() {
        let src = SourceText::new("a\r\nbc\n");
        assert_eq!(src.line_count(), 2);
        assert_eq!(src.line(1), Some("a"));
        assert_eq!(src.line(2), Some("bc"));
        assert_eq!(src.line(3), None);
        assert_eq!(src.line(0), None);
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let src = SourceText::new("s = \"é\"; x;");
        let x = src.text().find('x').unwrap();
        assert_eq!(src.line_col(x), (1, 10));
        assert_eq!(src.offset(1, 10), Some(x));
    }

    #[test]
    fn slice_returns_text_between_positions() {
        let src = SourceText::new("one\ntwo three\nfour");
        assert_eq!(src.slice(2, 5, 3, 3), Some("three\nfo"));
        assert_eq!(src.slice(9, 1, 9, 2), None);
    }
}
