//! Replays a sequence from the post-deployment state and reports which
//! failures it triggers. Each sequence runs in a fresh overlay over the
//! shared base state, so resetting costs nothing.

use std::sync::Arc;

use alloy_dyn_abi::DynSolValue;
use revm::database::CacheDB;
use revm::primitives::{Address, Bytes, U256};

use super::sequence::{Call, FailureKey};
use crate::evm::{
    BaseDb, Executor, Observations, TxOutcome, TxRequest, TxStatus, CALL_GAS, DEPLOYER,
};
use crate::revert::{describe, is_assert_panic};
use crate::world::World;

pub type OverlayDb = CacheDB<Arc<BaseDb>>;

/// A failure seen while running a sequence.
#[derive(Debug, Clone)]
pub struct Hit {
    pub key: FailureKey,
    /// Index of the call after which it was seen (`None`: before any call).
    pub at: Option<usize>,
    pub message: String,
    /// Code address and PC of the failing `assert` or assertion event.
    pub site: Option<(Address, usize)>,
}

/// Outcome of each call of a replayed sequence.
#[derive(Debug, Clone)]
pub struct CallResult {
    pub status: TxStatus,
    pub output: Bytes,
}

pub struct Runner {
    exec: Executor<OverlayDb>,
    pub world: Arc<World>,
}

/// Which failures to look for.
pub struct Watch<'a> {
    /// Properties to check after each state-changing call.
    pub properties: &'a [bool],
    /// Stop at the first hit (used when shrinking).
    pub stop_at_first: bool,
}

impl Runner {
    pub fn new(world: Arc<World>) -> Self {
        let db = CacheDB::new(world.base.clone());
        Runner {
            exec: Executor::new(db, world.assertion_topics.clone()),
            world,
        }
    }

    fn reset(&mut self) {
        // Drop the overlay's accounts; contract code is immutable and can
        // stay cached.
        let db = self.exec.db_mut();
        db.cache.accounts.clear();
        db.cache.logs.clear();
        self.exec.set_block(1, 1);
    }

    /// Checks the watched properties against the current state.
    pub fn check_properties(
        &mut self,
        watched: &[bool],
        at: Option<usize>,
        hits: &mut Vec<Hit>,
    ) -> Result<(), String> {
        for (i, prop) in self.world.properties.iter().enumerate() {
            if !watched.get(i).copied().unwrap_or(false) {
                continue;
            }
            let out = self.exec.run(
                &TxRequest {
                    caller: DEPLOYER,
                    to: Some(self.world.harness),
                    data: prop.calldata(),
                    value: U256::ZERO,
                    gas: CALL_GAS,
                },
                false,
                false,
            )?;
            let broken = match out.status {
                TxStatus::Success => prop.returns_bool && is_false(&out.output),
                _ => true,
            };
            if broken {
                let message = if out.status == TxStatus::Success {
                    format!("{}() returned false", prop.name)
                } else {
                    format!("{}() {}", prop.name, describe(&out.output))
                };
                hits.push(Hit {
                    key: FailureKey::Property(i),
                    at,
                    message,
                    site: None,
                });
            }
        }
        Ok(())
    }

    /// Runs `seq`; `observe` sees each call's observations (coverage,
    /// comparisons) right after it executes.
    pub fn run(
        &mut self,
        seq: &[Call],
        watch: &Watch,
        mut observe: impl FnMut(usize, &Observations, &TxOutcome),
    ) -> Result<(Vec<Hit>, Vec<CallResult>), String> {
        self.reset();
        let mut hits = Vec::new();
        let mut results = Vec::with_capacity(seq.len());
        let mut watched: Vec<bool> = watch.properties.to_vec();
        for (i, call) in seq.iter().enumerate() {
            let (number, time) = self.exec.block();
            if call.warp > 0 || call.roll > 0 {
                self.exec.set_block(
                    number.saturating_add(call.roll),
                    time.saturating_add(call.warp),
                );
            }
            let target = &self.world.targets[call.target];
            let f = &target.functions[call.func];
            let req = TxRequest {
                caller: call.sender,
                to: Some(target.address),
                data: f.calldata(&call.args),
                value: if f.payable { call.value } else { U256::ZERO },
                gas: CALL_GAS,
            };
            let out = self.exec.run(&req, true, true)?;
            observe(i, self.exec.observations(), &out);
            if let Some((key, site)) = assertion_site(self.exec.observations(), &out) {
                let message = format!("assertion failed in {}.{}", target.name, f.function.name);
                hits.push(Hit {
                    key,
                    at: Some(i),
                    message,
                    site,
                });
            }
            let changed = out.status == TxStatus::Success || call.warp > 0 || call.roll > 0;
            results.push(CallResult {
                status: out.status,
                output: out.output,
            });
            if changed && watched.iter().any(|w| *w) {
                let before = hits.len();
                self.check_properties(&watched, Some(i), &mut hits)?;
                for h in &hits[before..] {
                    if let FailureKey::Property(p) = h.key {
                        watched[p] = false;
                    }
                }
            }
            if watch.stop_at_first && !hits.is_empty() {
                break;
            }
        }
        Ok((hits, results))
    }

    /// Checks properties in the deployed state, before any call.
    pub fn initial_hits(&mut self) -> Result<Vec<Hit>, String> {
        self.reset();
        let all = vec![true; self.world.properties.len()];
        let mut hits = Vec::new();
        self.check_properties(&all, None, &mut hits)?;
        Ok(hits)
    }
}

fn is_false(output: &[u8]) -> bool {
    output.len() >= 32 && output[..32].iter().all(|b| *b == 0)
}

/// Recognises an assertion failure in a call's outcome.
fn assertion_site(
    obs: &Observations,
    out: &TxOutcome,
) -> Option<(FailureKey, Option<(Address, usize)>)> {
    if let Some(log) = obs.assertion_logs.first() {
        let label = match alloy_dyn_abi::DynSolType::String.abi_decode(&log.data.data) {
            Ok(DynSolValue::String(s)) => s,
            _ => format!("0x{}", crate::revert::hex(&log.data.data)),
        };
        return Some((
            FailureKey::Assertion(format!("AssertionFailed({label})")),
            obs.assertion_log_site,
        ));
    }
    let failed = match out.status {
        TxStatus::Revert => is_assert_panic(&out.output),
        // Before 0.8 an `assert` hits the INVALID opcode.
        TxStatus::Halt => obs.panic_site.is_some(),
        TxStatus::Success => false,
    };
    if !failed {
        return None;
    }
    let (addr, pc) = obs.panic_site.unwrap_or((Address::ZERO, 0));
    Some((
        FailureKey::Assertion(format!("assert at {addr}:{pc:#x}")),
        obs.panic_site,
    ))
}
