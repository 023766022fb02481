//! In-process EVM execution (revm) with the fuzzer's inspector.

mod executor;
mod inspector;

pub use executor::{
    fund, initial_balance, BaseDb, Executor, TxOutcome, TxRequest, TxStatus, CALL_GAS, CHAIN_ID,
    DEPLOYER, SETUP_GAS,
};
pub use inspector::{FuzzInspector, Observations, MAP_SIZE, PANIC_SELECTOR};
