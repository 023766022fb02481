//! The fuzzer's revm inspector: records branch coverage, comparison operands
//! (fed back to the input generator), stored values, contracts created, and
//! the facts needed to recognise assertion failures.

use revm::bytecode::opcode;
use revm::interpreter::interpreter::EthInterpreter;
use revm::interpreter::interpreter_types::{InputsTr, Jumps, LegacyBytecode, MemoryTr};
use revm::interpreter::{CreateInputs, CreateOutcome, Interpreter};
use revm::primitives::{Address, Log, B256, U256};
use revm::Inspector;

/// Size of the coverage map (hit counters indexed by a hash of the edge).
pub const MAP_SIZE: usize = 1 << 16;
/// Comparison operand pairs kept per transaction.
const MAX_CMPS: usize = 256;
/// Stored values kept per transaction.
const MAX_STORES: usize = 64;

/// The ABI-encoded `Panic(uint256)` selector.
pub const PANIC_SELECTOR: [u8; 4] = [0x4e, 0x48, 0x7b, 0x71];

/// What the inspector saw during one transaction.
pub struct Observations {
    /// Hit counters per edge for this transaction.
    pub hits: Box<[u8; MAP_SIZE]>,
    /// Indices of `hits` that are non-zero (to reset and scan sparsely).
    pub touched: Vec<u32>,
    /// Operands of EQ/LT/GT/SLT/SGT.
    pub cmps: Vec<(U256, U256)>,
    /// Values written by SSTORE.
    pub stores: Vec<U256>,
    /// Contracts created (address), in creation order.
    pub created: Vec<Address>,
    /// Logs whose first topic is one of the assertion-event topics, even
    /// when the transaction later reverted.
    pub assertion_logs: Vec<Log>,
    /// Where the first `Panic(0x01)` revert (or INVALID opcode) came from:
    /// code address and the PC of the last jump before it (the jump into
    /// the panic helper, made at the `assert`), or of the INVALID opcode.
    pub panic_site: Option<(Address, usize)>,
    /// Code address and PC of the first assertion-event LOG.
    pub assertion_log_site: Option<(Address, usize)>,
}

impl Observations {
    fn new() -> Self {
        Observations {
            hits: Box::new([0; MAP_SIZE]),
            touched: Vec::with_capacity(256),
            cmps: Vec::with_capacity(MAX_CMPS),
            stores: Vec::new(),
            created: Vec::new(),
            assertion_logs: Vec::new(),
            panic_site: None,
            assertion_log_site: None,
        }
    }

    /// Clears everything for the next transaction.
    pub fn reset(&mut self) {
        for &i in &self.touched {
            self.hits[i as usize] = 0;
        }
        self.touched.clear();
        self.cmps.clear();
        self.stores.clear();
        self.created.clear();
        self.assertion_logs.clear();
        self.panic_site = None;
        self.assertion_log_site = None;
    }
}

pub struct FuzzInspector {
    pub obs: Observations,
    /// First topics that mark an assertion failure (`AssertionFailed(..)`).
    pub assertion_topics: Vec<B256>,
    /// Code address and PC of the last JUMP/JUMPI: at a `Panic(0x01)`
    /// revert, the jump into the panic helper, made at the `assert`.
    last_jump: (Address, usize),
}

impl FuzzInspector {
    pub fn new(assertion_topics: Vec<B256>) -> Self {
        FuzzInspector {
            obs: Observations::new(),
            assertion_topics,
            last_jump: (Address::ZERO, 0),
        }
    }

    #[inline]
    fn hit(&mut self, key: u64) {
        // Mix so that nearby PCs of different contracts spread over the map.
        let h = key.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let idx = (h >> 48) as usize & (MAP_SIZE - 1);
        let slot = &mut self.obs.hits[idx];
        if *slot == 0 {
            self.obs.touched.push(idx as u32);
        }
        *slot = slot.saturating_add(1);
    }
}

/// Whether the result of the instruction at `pc` goes straight into a
/// conditional jump (`op [ISZERO] PUSHn dest JUMPI`), i.e. it is a test.
#[inline]
fn feeds_jumpi(code: &[u8], pc: usize) -> bool {
    let mut at = pc + 1;
    if code.get(at) == Some(&opcode::ISZERO) {
        at += 1;
    }
    match code.get(at) {
        Some(&push) if (opcode::PUSH1..=opcode::PUSH4).contains(&push) => {
            let width = (push - opcode::PUSH1 + 1) as usize;
            code.get(at + 1 + width) == Some(&opcode::JUMPI)
        }
        _ => false,
    }
}

/// The address whose code runs (differs from the target under DELEGATECALL).
#[inline]
fn code_address(interp: &Interpreter<EthInterpreter>) -> Address {
    let target = interp.input.target_address();
    interp.input.bytecode_address().copied().unwrap_or(target)
}

/// Folds an address into 64 bits for edge hashing.
#[inline]
fn addr_key(a: &Address) -> u64 {
    let b = a.0 .0;
    u64::from_be_bytes([b[12], b[13], b[14], b[15], b[16], b[17], b[18], b[19]])
        ^ u64::from_be_bytes([b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11]])
}

impl<CTX> Inspector<CTX, EthInterpreter> for FuzzInspector {
    #[inline]
    fn step(&mut self, interp: &mut Interpreter<EthInterpreter>, _ctx: &mut CTX) {
        let op = interp.bytecode.opcode();
        match op {
            opcode::JUMPI => {
                let data = interp.stack.data();
                let n = data.len();
                if n < 2 {
                    return;
                }
                let taken = !data[n - 2].is_zero();
                let pc = interp.bytecode.pc();
                let addr = interp.input.target_address();
                self.last_jump = (code_address(interp), pc);
                self.hit(addr_key(&addr) ^ ((pc as u64) << 1 | taken as u64));
            }
            opcode::JUMP => {
                let data = interp.stack.data();
                let Some(dest) = data.last() else { return };
                let pc = interp.bytecode.pc() as u64;
                let dest: u64 = dest.as_limbs()[0];
                let addr = interp.input.target_address();
                self.last_jump = (code_address(interp), pc as usize);
                self.hit(addr_key(&addr) ^ (pc << 20 ^ dest).rotate_left(17));
            }
            opcode::EQ | opcode::LT | opcode::GT | opcode::SLT | opcode::SGT => {
                if self.obs.cmps.len() >= MAX_CMPS {
                    return;
                }
                let data = interp.stack.data();
                let n = data.len();
                if n >= 2 && data[n - 1] != data[n - 2] {
                    self.obs.cmps.push((data[n - 1], data[n - 2]));
                }
            }
            // solc's peephole optimiser turns `if (a == b)` into `SUB` (or
            // `XOR`) feeding a JUMPI: those operands are comparisons too.
            opcode::SUB | opcode::XOR if self.obs.cmps.len() < MAX_CMPS => {
                let data = interp.stack.data();
                let n = data.len();
                if n >= 2
                    && data[n - 1] != data[n - 2]
                    && feeds_jumpi(interp.bytecode.bytecode_slice(), interp.bytecode.pc())
                {
                    self.obs.cmps.push((data[n - 1], data[n - 2]));
                }
            }
            opcode::SSTORE if self.obs.stores.len() < MAX_STORES => {
                let data = interp.stack.data();
                if data.len() >= 2 {
                    self.obs.stores.push(data[data.len() - 2]);
                }
            }
            // Before 0.8, `assert` compiled to the INVALID opcode.
            opcode::INVALID if self.obs.panic_site.is_none() => {
                self.obs.panic_site = Some((code_address(interp), interp.bytecode.pc()));
            }
            opcode::LOG1..=opcode::LOG4 if self.obs.assertion_log_site.is_none() => {
                let data = interp.stack.data();
                let n = data.len();
                if n >= 3 && self.assertion_topics.contains(&B256::from(data[n - 3])) {
                    self.obs.assertion_log_site =
                        Some((code_address(interp), interp.bytecode.pc()));
                }
            }
            opcode::REVERT if self.obs.panic_site.is_none() => {
                let data = interp.stack.data();
                let n = data.len();
                if n < 2 {
                    return;
                }
                let (off, len) = (data[n - 1], data[n - 2]);
                if len != U256::from(36) || off > U256::from(u32::MAX) {
                    return;
                }
                let off = off.as_limbs()[0] as usize;
                if off + 36 > interp.memory.size() {
                    return;
                }
                let bytes = interp.memory.slice(off..off + 36);
                if bytes[..4] == PANIC_SELECTOR
                    && bytes[35] == 1
                    && bytes[4..35].iter().all(|b| *b == 0)
                {
                    self.obs.panic_site = Some(self.last_jump);
                }
            }
            _ => {}
        }
    }

    fn log(&mut self, _ctx: &mut CTX, log: Log) {
        if let Some(topic) = log.topics().first() {
            if self.assertion_topics.contains(topic) {
                self.obs.assertion_logs.push(log);
            }
        }
    }

    fn create_end(&mut self, _ctx: &mut CTX, _inputs: &CreateInputs, outcome: &mut CreateOutcome) {
        if outcome.result.is_ok() {
            if let Some(addr) = outcome.address {
                self.obs.created.push(addr);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_tests_feeding_a_conditional_jump() {
        // SUB PUSH2 0x0123 JUMPI
        let code = [opcode::SUB, opcode::PUSH2, 0x01, 0x23, opcode::JUMPI];
        assert!(feeds_jumpi(&code, 0));
        // SUB ISZERO PUSH1 0x10 JUMPI
        let code = [
            opcode::SUB,
            opcode::ISZERO,
            opcode::PUSH1,
            0x10,
            opcode::JUMPI,
        ];
        assert!(feeds_jumpi(&code, 0));
        // SUB DUP1 ...: arithmetic, not a test.
        let code = [
            opcode::SUB,
            opcode::DUP1,
            opcode::PUSH1,
            0x10,
            opcode::JUMPI,
        ];
        assert!(!feeds_jumpi(&code, 0));
        // Runs off the end of the code.
        assert!(!feeds_jumpi(&[opcode::SUB, opcode::PUSH2, 0x01], 0));
    }
}
