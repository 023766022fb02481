//! A thin layer over revm: one EVM per worker, transactions with or without
//! coverage inspection, block number/time control, state committed to the
//! worker's database.

use revm::context::result::{ExecutionResult, Output};
use revm::context::{BlockEnv, CfgEnv, TxEnv};
use revm::database::{CacheDB, EmptyDB};
use revm::handler::{MainBuilder, MainContext, MainnetEvm};
use revm::primitives::{address, Address, Bytes, Log, TxKind, B256, U256};
use revm::state::AccountInfo;
use revm::{
    Context, Database, DatabaseCommit, ExecuteCommitEvm, ExecuteEvm, InspectCommitEvm, InspectEvm,
    Journal,
};

use super::inspector::{FuzzInspector, Observations};

/// The address Foundry gives the test contract. The harness is deployed from
/// it with nonce 1, so every address in a campaign equals the address the
/// same deployment gets inside a generated `forge test` proof of concept.
pub const DEPLOYER: Address = address!("7FA9385bE102ac3EAc297483Dd6233D62b3e1496");
/// Foundry's chain id, again so that replays in forge behave the same.
pub const CHAIN_ID: u64 = 31337;
/// Balance of every sender account at the start.
pub fn initial_balance() -> U256 {
    U256::from(1u128 << 96)
}
/// Gas for one fuzzed call (bounded so that unbounded loops end quickly).
pub const CALL_GAS: u64 = 50_000_000;
/// Gas for deployment and `setUp()`.
pub const SETUP_GAS: u64 = 10_000_000_000;

pub type BaseDb = CacheDB<EmptyDB>;
type Ctx<DB> = Context<BlockEnv, TxEnv, CfgEnv, DB, Journal<DB>, ()>;

/// Outcome class of a transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TxStatus {
    Success,
    Revert,
    /// Out of gas, invalid opcode, stack errors...
    Halt,
}

/// The part of a transaction's outcome the fuzzer looks at.
#[derive(Debug, Clone)]
pub struct TxOutcome {
    pub status: TxStatus,
    pub output: Bytes,
    pub logs: Vec<Log>,
    pub created: Option<Address>,
    /// Why execution halted (out of gas, invalid opcode...), for messages.
    pub halt: Option<String>,
}

/// A transaction to run.
#[derive(Debug, Clone)]
pub struct TxRequest {
    pub caller: Address,
    /// `None` deploys `data` as creation code.
    pub to: Option<Address>,
    pub data: Bytes,
    pub value: U256,
    pub gas: u64,
}

pub struct Executor<DB: Database + DatabaseCommit> {
    evm: MainnetEvm<Ctx<DB>, FuzzInspector>,
}

impl<DB> Executor<DB>
where
    DB: Database + DatabaseCommit,
    DB::Error: std::fmt::Debug,
{
    pub fn new(db: DB, assertion_topics: Vec<B256>) -> Self {
        let ctx = Context::mainnet()
            .with_db(db)
            .modify_cfg_chained(|c| {
                c.chain_id = CHAIN_ID;
                // No EIP-7825 cap: setUp of a large system may need more.
                c.tx_gas_limit_cap = Some(u64::MAX);
                // Senders are plain accounts we control; nonces only matter
                // for CREATE addresses, which use the account's nonce anyway.
                c.disable_nonce_check = true;
                // Harnesses and test systems may exceed EIP-170's 24 KiB
                // (Echidna and Foundry lift the limit too).
                c.limit_contract_code_size = Some(usize::MAX);
                c.limit_contract_initcode_size = Some(usize::MAX);
            })
            .modify_block_chained(|b| {
                b.number = U256::from(1);
                b.timestamp = U256::from(1);
                b.gas_limit = u64::MAX;
                b.basefee = 0;
            });
        Executor {
            evm: ctx.build_mainnet_with_inspector(FuzzInspector::new(assertion_topics)),
        }
    }

    pub fn into_db(self) -> DB {
        self.evm.ctx.journaled_state.database
    }

    pub fn db_mut(&mut self) -> &mut DB {
        &mut self.evm.ctx.journaled_state.database
    }

    pub fn set_block(&mut self, number: u64, timestamp: u64) {
        self.evm.ctx.block.number = U256::from(number);
        self.evm.ctx.block.timestamp = U256::from(timestamp);
    }

    pub fn block(&self) -> (u64, u64) {
        (
            self.evm.ctx.block.number.saturating_to(),
            self.evm.ctx.block.timestamp.saturating_to(),
        )
    }

    /// What the inspector saw during the last inspected transaction.
    pub fn observations(&self) -> &Observations {
        &self.evm.inspector.obs
    }

    /// Runs a transaction. `commit` keeps its state changes; `inspect`
    /// records coverage and comparisons (slower).
    pub fn run(
        &mut self,
        req: &TxRequest,
        commit: bool,
        inspect: bool,
    ) -> Result<TxOutcome, String> {
        let tx = TxEnv {
            caller: req.caller,
            gas_limit: req.gas,
            gas_price: 0,
            kind: match req.to {
                Some(to) => TxKind::Call(to),
                None => TxKind::Create,
            },
            value: req.value,
            data: req.data.clone(),
            chain_id: Some(CHAIN_ID),
            ..TxEnv::default()
        };
        let result = if inspect {
            self.evm.inspector.obs.reset();
            if commit {
                self.evm.inspect_tx_commit(tx)
            } else {
                self.evm.inspect_tx(tx).map(|r| r.result)
            }
        } else if commit {
            self.evm.transact_commit(tx)
        } else {
            self.evm.transact(tx).map(|r| r.result)
        }
        .map_err(|e| format!("transaction rejected: {e:?}"))?;
        Ok(outcome(result))
    }
}

fn outcome(result: ExecutionResult) -> TxOutcome {
    match result {
        ExecutionResult::Success { logs, output, .. } => {
            let (output, created) = match output {
                Output::Call(b) => (b, None),
                Output::Create(b, addr) => (b, addr),
            };
            TxOutcome {
                status: TxStatus::Success,
                output,
                logs,
                created,
                halt: None,
            }
        }
        ExecutionResult::Revert { output, logs, .. } => TxOutcome {
            status: TxStatus::Revert,
            output,
            logs,
            created: None,
            halt: None,
        },
        ExecutionResult::Halt { logs, reason, .. } => TxOutcome {
            status: TxStatus::Halt,
            output: Bytes::new(),
            logs,
            created: None,
            halt: Some(format!("{reason:?}")),
        },
    }
}

/// Gives `addr` a balance (and a nonce) in a database being prepared.
pub fn fund(db: &mut BaseDb, addr: Address, balance: U256, nonce: u64) {
    db.insert_account_info(
        addr,
        AccountInfo {
            balance,
            nonce,
            ..AccountInfo::default()
        },
    );
}
