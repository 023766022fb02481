//! Interesting 256-bit words for argument generation: constants mined from
//! the bytecode (PUSH immediates) plus values observed at run time
//! (comparison operands, stored values, return values).

use std::collections::HashSet;

use revm::primitives::U256;

use crate::rng::Rng;

/// Observed values kept at once; older ones are overwritten at random.
const DYNAMIC_CAPACITY: usize = 2048;

#[derive(Debug, Clone, Default)]
pub struct Dictionary {
    constants: Vec<U256>,
    observed: Vec<U256>,
    seen: HashSet<U256>,
}

impl Dictionary {
    /// Seeds the dictionary with the PUSH immediates of `codes`.
    pub fn from_bytecode<'a>(codes: impl IntoIterator<Item = &'a [u8]>) -> Self {
        let mut d = Dictionary::default();
        for code in codes {
            for word in push_immediates(code) {
                if d.seen.insert(word) {
                    d.constants.push(word);
                }
            }
        }
        d
    }

    pub fn is_empty(&self) -> bool {
        self.constants.is_empty() && self.observed.is_empty()
    }

    pub fn len(&self) -> usize {
        self.constants.len() + self.observed.len()
    }

    /// Adds a value seen at run time (ignores ones already known).
    pub fn observe(&mut self, value: U256, rng: &mut Rng) {
        if self.seen.contains(&value) {
            return;
        }
        if self.observed.len() < DYNAMIC_CAPACITY {
            self.observed.push(value);
        } else {
            let i = rng.below(self.observed.len());
            self.seen.remove(&self.observed[i]);
            self.observed[i] = value;
        }
        self.seen.insert(value);
    }

    pub fn pick(&self, rng: &mut Rng) -> Option<U256> {
        let from_observed =
            !self.observed.is_empty() && (self.constants.is_empty() || rng.chance(1, 2));
        if from_observed {
            rng.pick(&self.observed).copied()
        } else {
            rng.pick(&self.constants).copied()
        }
    }
}

/// Immediates of PUSH1..PUSH32 in `code` (the trailing CBOR metadata is
/// scanned too; the few junk words it yields are harmless).
pub fn push_immediates(code: &[u8]) -> Vec<U256> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < code.len() {
        let op = code[i];
        if (0x60..=0x7f).contains(&op) {
            let n = (op - 0x5f) as usize;
            let end = (i + 1 + n).min(code.len());
            let imm = &code[i + 1..end];
            // Skip the selector-dispatch noise of tiny values and 4-byte
            // jump targets; keep everything that can matter in a comparison.
            if !(n <= 2 && imm.iter().all(|b| *b == 0)) {
                out.push(U256::from_be_slice(imm));
            }
            i = end;
        } else {
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mines_push_immediates_and_skips_their_bytes() {
        // PUSH2 0x1337, PUSH1 0x00, PUSH4 0xdeadbeef, STOP, and a PUSH1
        // whose immediate is 0x61 (must not be read as PUSH2).
        let code = [
            0x61, 0x13, 0x37, 0x60, 0x00, 0x63, 0xde, 0xad, 0xbe, 0xef, 0x00, 0x60, 0x61,
        ];
        let words = push_immediates(&code);
        assert_eq!(
            words,
            vec![
                U256::from(0x1337),
                U256::from(0xdeadbeefu64),
                U256::from(0x61)
            ]
        );
        let mut d = Dictionary::from_bytecode([&code[..]]);
        let mut rng = Rng::new(1);
        d.observe(U256::from(5), &mut rng);
        d.observe(U256::from(5), &mut rng);
        assert_eq!(d.len(), 4);
    }
}
