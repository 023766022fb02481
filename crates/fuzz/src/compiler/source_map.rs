//! solc source maps: from a program counter in deployed code to the source
//! range of the statement that compiled to it (used to point assertion
//! failures at the `assert` or `emit` line).

/// One instruction's source range: byte offset, length, source file id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SourceRange {
    pub offset: usize,
    pub length: usize,
    pub file: i64,
}

/// The range of the instruction at `pc` in `code`, decoded from the
/// compressed `s:l:f:j:m;...` map (empty fields repeat the previous entry).
pub fn range_at(code: &[u8], map: &str, pc: usize) -> Option<SourceRange> {
    let index = instruction_index(code, pc)?;
    let mut current = SourceRange {
        offset: 0,
        length: 0,
        file: -1,
    };
    for (i, entry) in map.split(';').enumerate() {
        let mut fields = entry.split(':');
        if let Some(s) = fields.next().filter(|f| !f.is_empty()) {
            current.offset = s.parse().ok()?;
        }
        if let Some(l) = fields.next().filter(|f| !f.is_empty()) {
            current.length = l.parse().ok()?;
        }
        if let Some(f) = fields.next().filter(|f| !f.is_empty()) {
            current.file = f.parse().ok()?;
        }
        if i == index {
            return (current.file >= 0).then_some(current);
        }
    }
    None
}

/// Which instruction (counting PUSH data as part of its PUSH) starts at
/// `pc`; `None` when `pc` is inside push data or past the end.
fn instruction_index(code: &[u8], pc: usize) -> Option<usize> {
    let mut at = 0;
    let mut index = 0;
    while at < code.len() {
        if at == pc {
            return Some(index);
        }
        if at > pc {
            return None;
        }
        let op = code[at];
        at += 1 + if (0x60..=0x7f).contains(&op) {
            (op - 0x5f) as usize
        } else {
            0
        };
        index += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_compressed_entries_by_instruction() {
        // PUSH1 0x80, PUSH1 0x40, MSTORE, JUMP
        let code = [0x60, 0x80, 0x60, 0x40, 0x52, 0x56];
        let map = "10:5:0:-:0;;20:3;:::i";
        assert_eq!(
            range_at(&code, map, 0),
            Some(SourceRange {
                offset: 10,
                length: 5,
                file: 0
            })
        );
        assert_eq!(
            range_at(&code, map, 2),
            Some(SourceRange {
                offset: 10,
                length: 5,
                file: 0
            })
        );
        assert_eq!(
            range_at(&code, map, 4),
            Some(SourceRange {
                offset: 20,
                length: 3,
                file: 0
            })
        );
        assert_eq!(
            range_at(&code, map, 5),
            Some(SourceRange {
                offset: 20,
                length: 3,
                file: 0
            })
        );
        assert_eq!(range_at(&code, map, 1), None, "inside push data");
        assert_eq!(
            range_at(&code, "1:1:-1", 0),
            None,
            "compiler-generated code"
        );
    }
}
