//! `short-address`: a pre-0.5 token transfer function that credits an
//! address argument with an amount argument, with no check of the calldata
//! length.
//!
//! # Facts used
//! - The file's effective compiler version: solc only reverts on calldata
//!   shorter than the ABI encoding needs from 0.5.0 on.
//! - The parameter list: an `address` parameter followed by an integer
//!   parameter (the bytes a short address drops are taken from the next
//!   argument, the amount).
//! - The body: a state mapping entry keyed by that address parameter is
//!   increased (`balances[to] += amount`) by a value computed from the
//!   integer parameter — the transfer whose amount a short address
//!   multiplies.
//! - Guards on `msg.data` in the function or its modifiers (an
//!   `onlyPayloadSize`-style check) suppress the finding.

use bulwark_ir::walk::{unparen, walk_expr};
use bulwark_report::{Confidence, Finding, Severity};
use bulwark_sema::{Builtin, ModifierTarget, Type, Version};
use bulwark_syntax::ast::{BinaryOp, ExprKind};

use crate::analysis::conditions::tested;
use crate::analysis::expr::{decl_of, mentions_builtin, root_state_var};
use crate::analysis::values::depends_on;
use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "short-address",
    title: "Transfer function open to the short address attack",
    severity: Severity::Low,
    confidence: Confidence::Medium,
    swc: &[],
    applies_to: "compilers before 0.5.0",
    summary: "Compiled before Solidity 0.5.0, this function accepts calldata shorter than its \
parameters need; an address missing its last byte shifts the amount that follows it, \
multiplying it by 256.",
    what: r#"Reports, in files compiled with solc before 0.5.0, a public or external function with
an `address` parameter followed by an integer parameter that credits a mapping entry keyed by
the address with a value computed from the integer (`balances[to] += amount`): an ERC20
`transfer`-style function.

Not reported: files compiled with 0.5.0 or later (the ABI decoder reverts on short calldata);
functions that check `msg.data.length` themselves or through a modifier (`onlyPayloadSize`);
functions whose address parameter comes last."#,
    why: r#"Before 0.5.0 the ABI decoder read missing calldata bytes as zeros. If a client (an
exchange's withdrawal form, a script) encodes an address whose last byte is zero and drops that
byte, every following argument shifts left by one byte: `transfer(0x...ab00, 100)` arrives as
`transfer(0x...ab, 25600)`. Attackers generated addresses ending in zero bytes and asked
exchanges to withdraw to them, receiving 256 times what they were owed. The root cause is the
client's missing validation, but contracts compiled before 0.5.0 cannot refuse such calldata
unless they check its length."#,
    exploit: r#"```solidity
pragma solidity ^0.4.11;
function transfer(address to, uint amount) returns (bool) {
    balances[msg.sender] -= amount;
    balances[to] += amount;
}
```
1. The attacker owns `0x1234...5600` and deposits 1 token at an exchange.
2. They request a withdrawal of 1 token to `0x1234...56` (the trailing zero byte left out).
3. The exchange encodes the short address; the token decodes `amount` as 256 tokens and the
   exchange's hot wallet pays them."#,
    fix: r#"Compile with Solidity 0.5.0 or later, which rejects short calldata. For deployed
legacy tokens, clients must validate addresses; a contract-side check is possible:
```solidity
modifier onlyPayloadSize(uint size) { require(msg.data.length >= size + 4); _; }
function transfer(address to, uint amount) onlyPayloadSize(2 * 32) public returns (bool) { ... }
```"#,
    references: &[
        "https://ericrafaloff.com/analyzing-the-erc20-short-address-attack/",
        "https://docs.soliditylang.org/en/v0.5.0/050-breaking-changes.html",
    ],
};

pub struct ShortAddress;

impl Detector for ShortAddress {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        for f in cx.ir.functions() {
            let Some(info) = cx.model.function(f.decl) else {
                continue;
            };
            if cx.project.file(f.file).version.effective >= Version::new(0, 5, 0)
                || !info.is_externally_callable()
                || info.is_modifier()
            {
                continue;
            }
            // (address parameter, integer parameter after it)
            let params = &info.params;
            let pairs: Vec<(usize, usize)> = params
                .iter()
                .enumerate()
                .filter(|(_, &p)| matches!(cx.model.decl_type(p), Type::Address { .. }))
                .flat_map(|(i, _)| {
                    params
                        .iter()
                        .enumerate()
                        .skip(i + 1)
                        .filter(|(_, &q)| matches!(cx.model.decl_type(q), Type::Int { .. }))
                        .map(move |(j, _)| (i, j))
                })
                .collect();
            if pairs.is_empty() || checks_calldata_length(cx, f) {
                continue;
            }
            let credit = f.cfg.nodes().find_map(|(node, n)| {
                let mut hit = None;
                for root in n.exprs() {
                    walk_expr(root, &mut |e| {
                        let ExprKind::Assign { op, lhs, rhs } = &e.kind else {
                            return;
                        };
                        let ExprKind::Index {
                            base,
                            index: Some(key),
                        } = &unparen(lhs).kind
                        else {
                            return;
                        };
                        if root_state_var(cx, f.file, base).is_none() {
                            return;
                        }
                        let key_param = decl_of(cx, f.file, unparen(key))
                            .and_then(|d| params.iter().position(|&p| p == d));
                        for &(a, amount) in &pairs {
                            let credited = match op {
                                Some(BinaryOp::Add) => depends_on(cx, f, node, rhs, params[amount]),
                                None => {
                                    matches!(
                                        &unparen(rhs).kind,
                                        ExprKind::Binary {
                                            op: BinaryOp::Add,
                                            ..
                                        }
                                    ) && depends_on(cx, f, node, rhs, params[amount])
                                }
                                _ => false,
                            };
                            if key_param == Some(a) && credited && hit.is_none() {
                                hit = Some((a, amount));
                            }
                        }
                    });
                }
                hit
            });
            let Some((a, amount)) = credit else {
                continue;
            };
            let version = cx.project.file(f.file).version.effective;
            let message = format!(
                "`{}` credits `{}` with `{}` and is compiled with Solidity {version}, which accepts \
short calldata: an address missing its trailing zero byte shifts `{}` left by 8 bits; check \
`msg.data.length` or compile with 0.5.0 or later",
                cx.qualified_name(f.decl),
                cx.model.decl(params[a]).name,
                cx.model.decl(params[amount]).name,
                cx.model.decl(params[amount]).name,
            );
            out.push(
                FindingBuilder::new(
                    &META,
                    message,
                    cx.location_in(f.decl, cx.model.decl(f.decl).name_span),
                )
                .category("short_addresses")
                .build(),
            );
        }
    }
}

/// Whether the function or one of its modifiers tests `msg.data`.
fn checks_calldata_length(cx: &AnalysisContext<'_>, f: &bulwark_ir::FunctionIr<'_>) -> bool {
    let tests = |g: &bulwark_ir::FunctionIr<'_>| {
        g.cfg.nodes().any(|(node, _)| {
            tested(g, node)
                .into_iter()
                .any(|c| mentions_builtin(cx, g.file, c, &[Builtin::MsgData]))
        })
    };
    if tests(f) {
        return true;
    }
    cx.model.function(f.decl).is_some_and(|info| {
        info.modifiers.iter().any(|m| match m.target {
            ModifierTarget::Modifier(m) => cx.ir.function_ir(m).is_some_and(tests),
            _ => false,
        })
    })
}
