//! Call sequences: what the fuzzer generates, mutates, shrinks and replays.

use alloy_dyn_abi::DynSolValue;
use revm::primitives::{Address, U256};

/// One transaction of a sequence.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub sender: Address,
    /// Index into `World::targets`.
    pub target: usize,
    /// Index into that target's functions.
    pub func: usize,
    pub args: Vec<DynSolValue>,
    pub value: U256,
    /// Seconds added to the block timestamp before this call.
    pub warp: u64,
    /// Blocks added to the block number before this call.
    pub roll: u64,
}

pub type Sequence = Vec<Call>;

/// What broke, independent of the sequence that broke it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FailureKey {
    /// Property or invariant (index into `World::properties`).
    Property(usize),
    /// A failing assertion, identified by its site: the `AssertionFailed`
    /// event data when there is one, else the contract and the PC of the
    /// conditional jump before the panic.
    Assertion(String),
}
