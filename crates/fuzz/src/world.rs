//! The state every sequence starts from: the harness deployed (and, in
//! invariant mode, its `setUp()` run), the contracts to call and the
//! properties to check.

use std::sync::Arc;

use alloy_dyn_abi::{DynSolType, DynSolValue, Specifier};
use alloy_json_abi::{Function, StateMutability};
use revm::primitives::{address, Address, Bytes, B256, U256};

use crate::compiler::Artifact;
use crate::evm::{
    fund, initial_balance, BaseDb, Executor, TxRequest, TxStatus, DEPLOYER, SETUP_GAS,
};
use crate::harness::{is_machinery, HarnessSpec, Mode};
use crate::revert::describe;
use crate::values::Dictionary;

/// Echidna's default senders.
pub const DEFAULT_SENDERS: [Address; 3] = [
    address!("0000000000000000000000000000000000010000"),
    address!("0000000000000000000000000000000000020000"),
    address!("0000000000000000000000000000000000030000"),
];

/// Balance Foundry gives its test contract (2^96 - 1).
fn deployer_balance() -> U256 {
    (U256::from(1) << 96) - U256::from(1)
}

/// A function the fuzzer calls.
#[derive(Debug, Clone)]
pub struct TargetFn {
    pub function: Function,
    pub types: Vec<DynSolType>,
    pub payable: bool,
}

impl TargetFn {
    fn new(function: &Function) -> Option<TargetFn> {
        let types = function
            .inputs
            .iter()
            .map(|p| p.resolve().ok())
            .collect::<Option<Vec<_>>>()?;
        Some(TargetFn {
            payable: function.state_mutability == StateMutability::Payable,
            function: function.clone(),
            types,
        })
    }

    pub fn calldata(&self, args: &[DynSolValue]) -> Bytes {
        let mut data = self.function.selector().to_vec();
        data.extend(DynSolValue::Tuple(args.to_vec()).abi_encode_params());
        data.into()
    }
}

/// A deployed contract the fuzzer calls.
#[derive(Debug, Clone)]
pub struct Target {
    pub address: Address,
    /// Index into the artifacts.
    pub artifact: usize,
    pub name: String,
    pub functions: Vec<TargetFn>,
}

/// A property (or invariant) function of the harness.
#[derive(Debug, Clone)]
pub struct Property {
    pub name: String,
    pub function: Function,
    pub returns_bool: bool,
}

impl Property {
    pub fn calldata(&self) -> Bytes {
        self.function.selector().to_vec().into()
    }
}

/// Everything workers share (read-only).
pub struct World {
    pub base: Arc<BaseDb>,
    pub artifacts: Vec<Artifact>,
    pub harness: Address,
    pub harness_artifact: usize,
    pub mode: Mode,
    pub properties: Vec<Property>,
    pub targets: Vec<Target>,
    pub senders: Vec<Address>,
    pub assertion_topics: Vec<B256>,
    /// Constants from the bytecode of the harness and targets.
    pub constants: Dictionary,
    /// Addresses worth passing as arguments: senders, harness, targets.
    pub addresses: Vec<Address>,
}

/// Deploys the harness and works out targets and properties.
pub fn build_world(
    artifacts: Vec<Artifact>,
    spec: &HarnessSpec,
    senders: &[Address],
    prefix: &str,
) -> Result<World, String> {
    let art = &artifacts[spec.artifact];
    if art
        .abi
        .constructor
        .as_ref()
        .is_some_and(|c| !c.inputs.is_empty())
    {
        return Err(format!(
            "the harness `{}` has constructor parameters; a harness must be deployable without arguments",
            art.name
        ));
    }
    let assertion_topics = assertion_topics(&artifacts);
    let mut db = BaseDb::default();
    // Nonce 1 like a contract: the harness lands where Foundry's test
    // contract puts its first `new`.
    fund(&mut db, DEPLOYER, deployer_balance(), 1);
    for s in senders {
        fund(&mut db, *s, initial_balance(), 0);
    }
    let mut exec = Executor::new(db, assertion_topics.clone());
    let deployed = exec.run(
        &TxRequest {
            caller: DEPLOYER,
            to: None,
            data: art.creation_code.clone().unwrap_or_default().into(),
            value: U256::ZERO,
            gas: SETUP_GAS,
        },
        true,
        true,
    )?;
    let harness = match (deployed.status, deployed.created) {
        (TxStatus::Success, Some(addr)) => addr,
        _ => {
            return Err(format!(
                "deploying `{}` failed: {}",
                art.name,
                deployed
                    .halt
                    .as_ref()
                    .map_or_else(|| describe(&deployed.output), |h| format!("halted ({h})"))
            ))
        }
    };
    // Contracts the harness's constructor deployed (a token, a vault...)
    // are worth passing as address arguments even when they are not called.
    let mut deployed_by_harness: Vec<Address> = exec
        .observations()
        .created
        .iter()
        .copied()
        .filter(|a| *a != harness)
        .collect();
    let mut created: Vec<Address> = Vec::new();
    let has_setup = art
        .abi
        .functions()
        .any(|f| f.name == "setUp" && f.inputs.is_empty());
    if spec.mode == Mode::Invariant && has_setup {
        let out = exec.run(&call_to(harness, selector_of("setUp()")), true, true)?;
        if out.status != TxStatus::Success {
            return Err(format!(
                "`{}.setUp()` failed: {}",
                art.name,
                out.halt
                    .as_ref()
                    .map_or_else(|| describe(&out.output), |h| format!("halted ({h})"))
            ));
        }
        created.extend(exec.observations().created.iter().copied());
        deployed_by_harness.extend(created.iter().copied());
    }

    let find_artifact = |exec: &mut Executor<BaseDb>, addr: Address| -> Option<usize> {
        let code = exec
            .db_mut()
            .cache
            .accounts
            .get(&addr)
            .and_then(|a| a.info.code.as_ref().map(|c| c.original_bytes()))?;
        artifacts.iter().position(|a| a.matches_runtime(&code))
    };

    let mut targets: Vec<Target> = Vec::new();
    let mut senders: Vec<Address> = senders.to_vec();
    match spec.mode {
        Mode::Property | Mode::Assertion => {
            let include_views = spec.mode == Mode::Assertion;
            let functions = art
                .abi
                .functions()
                .filter(|f| !is_machinery(&f.name, prefix) || spec.mode == Mode::Assertion)
                .filter(|f| include_views || !is_view(f))
                .filter_map(TargetFn::new)
                .collect();
            targets.push(Target {
                address: harness,
                artifact: spec.artifact,
                name: art.name.clone(),
                functions,
            });
        }
        Mode::Invariant => {
            let declared = |exec: &mut Executor<BaseDb>,
                            name: &str,
                            ty: &str|
             -> Result<Option<DynSolValue>, String> {
                if !art
                    .abi
                    .functions()
                    .any(|f| f.name == name && f.inputs.is_empty())
                {
                    return Ok(None);
                }
                let out = exec.run(
                    &call_to(harness, selector_of(&format!("{name}()"))),
                    false,
                    false,
                )?;
                if out.status != TxStatus::Success {
                    return Err(format!(
                        "`{}.{name}()` failed: {}",
                        art.name,
                        describe(&out.output)
                    ));
                }
                let ty: DynSolType = ty.parse().map_err(|e| format!("{e}"))?;
                ty.abi_decode(&out.output)
                    .map(Some)
                    .map_err(|e| format!("`{}.{name}()` returned unexpected data: {e}", art.name))
            };
            let addresses = |v: Option<DynSolValue>| -> Vec<Address> {
                match v {
                    Some(DynSolValue::Array(items)) => {
                        items.iter().filter_map(|i| i.as_address()).collect()
                    }
                    _ => vec![],
                }
            };
            let explicit = addresses(declared(&mut exec, "targetContracts", "address[]")?);
            let excluded = addresses(declared(&mut exec, "excludeContracts", "address[]")?);
            let target_senders = addresses(declared(&mut exec, "targetSenders", "address[]")?);
            let excluded_senders = addresses(declared(&mut exec, "excludeSenders", "address[]")?);
            let selectors = declared(&mut exec, "targetSelectors", "(address,bytes4[])[]")?;
            let excluded_selectors =
                declared(&mut exec, "excludeSelectors", "(address,bytes4[])[]")?;

            let mut chosen: Vec<Address> = if explicit.is_empty() {
                created.clone()
            } else {
                explicit
            };
            let selector_map = selector_lists(selectors);
            let excluded_map = selector_lists(excluded_selectors);
            for (addr, _) in &selector_map {
                if !chosen.contains(addr) {
                    chosen.push(*addr);
                }
            }
            // Declared lists may repeat an address (not only adjacently).
            let mut seen = std::collections::HashSet::new();
            chosen.retain(|a| seen.insert(*a));
            for addr in chosen {
                if excluded.contains(&addr) {
                    continue;
                }
                let Some(idx) = find_artifact(&mut exec, addr) else {
                    continue;
                };
                let a = &artifacts[idx];
                let only: Option<&Vec<[u8; 4]>> = selector_map
                    .iter()
                    .find(|(x, _)| *x == addr)
                    .map(|(_, s)| s);
                let skip: Option<&Vec<[u8; 4]>> = excluded_map
                    .iter()
                    .find(|(x, _)| *x == addr)
                    .map(|(_, s)| s);
                let functions: Vec<TargetFn> = a
                    .abi
                    .functions()
                    .filter(|f| match only {
                        Some(list) => list.contains(&f.selector().0),
                        None => !(is_view(f) || addr == harness && is_machinery(&f.name, prefix)),
                    })
                    .filter(|f| skip.is_none_or(|list| !list.contains(&f.selector().0)))
                    .filter_map(TargetFn::new)
                    .collect();
                if !functions.is_empty() {
                    targets.push(Target {
                        address: addr,
                        artifact: idx,
                        name: a.name.clone(),
                        functions,
                    });
                }
            }
            if !target_senders.is_empty() {
                senders = target_senders;
                for s in &senders {
                    let db = exec.db_mut();
                    if !db.cache.accounts.contains_key(s) {
                        fund(db, *s, initial_balance(), 0);
                    }
                }
            }
            senders.retain(|s| !excluded_senders.contains(s));
        }
    }
    targets.retain(|t| !t.functions.is_empty());
    if targets.is_empty() {
        return Err(match spec.mode {
            Mode::Invariant => format!(
                "`{}`: no contract to call: setUp() deployed no contract with state-changing functions and no targetContracts()/targetSelectors() is declared",
                art.name
            ),
            _ => format!("`{}` has no functions for the fuzzer to call", art.name),
        });
    }
    if senders.is_empty() {
        return Err("no sender accounts left after excludeSenders()".to_string());
    }
    let properties = spec
        .properties
        .iter()
        .map(|f| Property {
            name: f.name.clone(),
            function: f.clone(),
            returns_bool: f.outputs.len() == 1 && f.outputs[0].ty == "bool",
        })
        .collect();
    let constants = Dictionary::from_bytecode(
        std::iter::once(spec.artifact)
            .chain(targets.iter().map(|t| t.artifact))
            .map(|i| artifacts[i].runtime_code.as_slice()),
    );
    let mut addresses = senders.clone();
    addresses.push(harness);
    addresses.extend(targets.iter().map(|t| t.address));
    addresses.extend(deployed_by_harness);
    addresses.sort();
    addresses.dedup();
    let db = exec.into_db();
    Ok(World {
        base: Arc::new(db),
        harness,
        harness_artifact: spec.artifact,
        mode: spec.mode,
        properties,
        targets,
        senders,
        assertion_topics,
        constants,
        addresses,
        artifacts,
    })
}

fn is_view(f: &Function) -> bool {
    matches!(
        f.state_mutability,
        StateMutability::View | StateMutability::Pure
    )
}

fn selector_of(signature: &str) -> [u8; 4] {
    let hash = revm::primitives::keccak256(signature.as_bytes());
    [hash[0], hash[1], hash[2], hash[3]]
}

fn call_to(to: Address, selector: [u8; 4]) -> TxRequest {
    TxRequest {
        caller: DEPLOYER,
        to: Some(to),
        data: selector.to_vec().into(),
        value: U256::ZERO,
        gas: SETUP_GAS,
    }
}

/// `(address, bytes4[])[]` as pairs.
fn selector_lists(v: Option<DynSolValue>) -> Vec<(Address, Vec<[u8; 4]>)> {
    let Some(DynSolValue::Array(items)) = v else {
        return vec![];
    };
    items
        .iter()
        .filter_map(|item| {
            let DynSolValue::Tuple(parts) = item else {
                return None;
            };
            let addr = parts.first()?.as_address()?;
            let DynSolValue::Array(sels) = parts.get(1)? else {
                return None;
            };
            let sels = sels
                .iter()
                .filter_map(|s| match s {
                    DynSolValue::FixedBytes(w, 4) => Some([w[0], w[1], w[2], w[3]]),
                    _ => None,
                })
                .collect();
            Some((addr, sels))
        })
        .collect()
}

/// Topics of every `AssertionFailed(..)` event declared in the artifacts.
fn assertion_topics(artifacts: &[Artifact]) -> Vec<B256> {
    let mut topics: Vec<B256> = artifacts
        .iter()
        .flat_map(|a| a.abi.events())
        .filter(|e| e.name == "AssertionFailed")
        .map(|e| e.selector())
        .collect();
    topics.sort();
    topics.dedup();
    topics
}
