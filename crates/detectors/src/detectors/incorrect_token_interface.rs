//! `incorrect-token-interface`: a token implements a function of ERC20 or
//! ERC721 with the wrong return type, or declares the return and never
//! sets it.
//!
//! # Facts used
//! - Each non-abstract contract's callable functions (own and inherited,
//!   overrides resolved) with parameter and return types.
//! - Which standard the contract implements, from its functions: ERC721
//!   when it has `ownerOf(uint256)` next to `balanceOf(address)`, ERC20
//!   when it has `transfer(address,uint256)`, `transferFrom(address,address,
//!   uint256)` and `balanceOf(address)` (and no `ownerOf`); a public
//!   mapping counts as its getter (`mapping(address => uint256) public
//!   balanceOf`).
//! - The CFG of each standard function with a body: whether some path
//!   returns a value (a `return e`, an assignment of a named return
//!   variable, or assembly).

use std::collections::HashSet;

use bulwark_ir::cfg::NodeKind;
use bulwark_report::{Confidence, Finding, Severity};
use bulwark_sema::{DeclId, Type};
use bulwark_syntax::ast::ContractKind;

use crate::analysis::locations::header_span;
use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "incorrect-token-interface",
    title: "ERC20/ERC721 function with a wrong or missing return value",
    severity: Severity::Medium,
    confidence: Confidence::High,
    swc: &[],
    applies_to: "all versions (callers compiled with 0.4.22 or later check the returned data's size)",
    summary: "A token implements a function of the ERC20 or ERC721 standard with a return type \
other than the standard's, or never returns the declared value, so contracts that call it \
through the standard interface revert or read the wrong answer.",
    what: r#"For each contract that implements ERC20 (it has `transfer`, `transferFrom` and `balanceOf`
with the standard parameters) or ERC721 (it has `ownerOf(uint256)` and `balanceOf(address)`),
reports a standard function whose return list differs from the standard's:

- ERC20: `transfer`, `transferFrom`, `approve` must return `bool`; `balanceOf`,
  `allowance`, `totalSupply` must return `uint256`. `decimals` is not checked (`uint8` is the
  standard, wider integers decode fine).
- ERC721: `balanceOf` must return `uint256`, `ownerOf` and `getApproved` `address`,
  `isApprovedForAll` `bool`.

It also reports a function that declares the right `bool` but has no path that returns a
value: it always returns `false`. Interfaces and functions without a body are not reported
(declaring `transfer` without a return value in an *interface* is how callers talk to
USDT-like tokens); extra return values on ERC721's `transferFrom`/`approve` are harmless and
not reported."#,
    why: r#"Since Solidity 0.4.22 a caller checks that the returned data is at least as long as the
interface says. A `transfer` that returns nothing makes every `require(token.transfer(...))`
or SafeERC20-less caller revert, so the token cannot be used by exchanges, vaults or
wallets compiled against `IERC20` (hundreds of tokens were stuck this way in 2018). A
`transfer` that declares `bool` but never sets it returns `false`, which careful callers
treat as failure, and a `balanceOf` of another type is decoded as garbage."#,
    exploit: r#"```solidity
contract Token {
    function transfer(address to, uint256 value) public {   // no `returns (bool)`
        balances[msg.sender] -= value;
        balances[to] += value;
    }
}
```
A vault compiled against `IERC20` calls `require(token.transfer(user, amount))`. The call
succeeds but returns no data; the vault's ABI decoder expects 32 bytes and reverts, so every
withdrawal of this token from the vault fails and the deposits are stuck."#,
    fix: r#"Follow the standard's signatures exactly and return the value on every path:
```solidity
function transfer(address to, uint256 value) public returns (bool) {
    _transfer(msg.sender, to, value);
    return true;
}
```
Inheriting a vetted implementation (OpenZeppelin's `ERC20`, `ERC721`) avoids the problem."#,
    references: &[
        "https://eips.ethereum.org/EIPS/eip-20",
        "https://eips.ethereum.org/EIPS/eip-721",
        "https://medium.com/coinmonks/missing-return-value-bug-at-least-130-tokens-affected-d67bf08521ca",
        "https://github.com/crytic/slither/wiki/Detector-Documentation#incorrect-erc20-interface",
    ],
};

pub struct IncorrectTokenInterface;

/// A parameter or return type class of the standards.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Address,
    Uint256,
    Bool,
}

impl Kind {
    fn matches(self, ty: &Type) -> bool {
        match self {
            Kind::Address => matches!(ty, Type::Address { .. } | Type::Contract(_)),
            Kind::Uint256 => *ty == Type::UINT256,
            Kind::Bool => *ty == Type::Bool,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Kind::Address => "address",
            Kind::Uint256 => "uint256",
            Kind::Bool => "bool",
        }
    }
}

/// One function of a standard: name, parameters, expected return.
struct Expected {
    name: &'static str,
    params: &'static [Kind],
    returns: Kind,
}

const ERC20: &[Expected] = &[
    Expected {
        name: "transfer",
        params: &[Kind::Address, Kind::Uint256],
        returns: Kind::Bool,
    },
    Expected {
        name: "transferFrom",
        params: &[Kind::Address, Kind::Address, Kind::Uint256],
        returns: Kind::Bool,
    },
    Expected {
        name: "approve",
        params: &[Kind::Address, Kind::Uint256],
        returns: Kind::Bool,
    },
    Expected {
        name: "balanceOf",
        params: &[Kind::Address],
        returns: Kind::Uint256,
    },
    Expected {
        name: "allowance",
        params: &[Kind::Address, Kind::Address],
        returns: Kind::Uint256,
    },
    Expected {
        name: "totalSupply",
        params: &[],
        returns: Kind::Uint256,
    },
];

const ERC721: &[Expected] = &[
    Expected {
        name: "balanceOf",
        params: &[Kind::Address],
        returns: Kind::Uint256,
    },
    Expected {
        name: "ownerOf",
        params: &[Kind::Uint256],
        returns: Kind::Address,
    },
    Expected {
        name: "getApproved",
        params: &[Kind::Uint256],
        returns: Kind::Address,
    },
    Expected {
        name: "isApprovedForAll",
        params: &[Kind::Address, Kind::Address],
        returns: Kind::Bool,
    },
];

impl Detector for IncorrectTokenInterface {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        let mut reported: HashSet<DeclId> = HashSet::new();
        for contract in cx.model.contracts() {
            if contract.kind != ContractKind::Contract {
                continue;
            }
            let find = |e: &Expected| -> Option<DeclId> {
                contract.functions.iter().copied().find(|&f| {
                    let Some(info) = cx.model.function(f) else {
                        return false;
                    };
                    cx.model.decl(f).name == e.name
                        && info.params.len() == e.params.len()
                        && info
                            .params
                            .iter()
                            .zip(e.params)
                            .all(|(&p, k)| k.matches(cx.model.decl_type(p)))
                })
            };
            // A public mapping is a getter of the standard's view
            // (`mapping(address => uint256) public balanceOf`).
            let getter = |e: &Expected| {
                contract.state_vars.iter().any(|&v| {
                    cx.model.decl(v).name == e.name
                        && cx.model.state_var(v).is_some_and(|info| {
                            info.visibility == bulwark_syntax::ast::Visibility::Public
                                && matches!(
                                    (&info.ty, e.params),
                                    (Type::Mapping { key, .. }, [k]) if k.matches(key)
                                )
                        })
                })
            };
            let has = |name: &str| {
                ERC20
                    .iter()
                    .chain(ERC721)
                    .any(|e| e.name == name && (find(e).is_some() || getter(e)))
            };
            let (standard, expected) = if has("ownerOf") && has("balanceOf") {
                ("ERC721", ERC721)
            } else if has("transfer") && has("transferFrom") && has("balanceOf") {
                ("ERC20", ERC20)
            } else {
                continue;
            };
            for e in expected {
                let Some(function) = find(e) else { continue };
                if reported.contains(&function) {
                    continue;
                }
                if let Some(problem) = problem(cx, function, e) {
                    reported.insert(function);
                    let message = format!(
                        "`{}` implements {standard}'s `{}` but {problem}: callers using the standard \
interface {}",
                        cx.qualified_name(function),
                        e.name,
                        if problem.starts_with("never") {
                            "always read `false`"
                        } else {
                            "revert or decode a wrong value"
                        }
                    );
                    out.push(
                        FindingBuilder::new(
                            &META,
                            message,
                            cx.location_in(function, header_span(cx, function)),
                        )
                        .build(),
                    );
                }
            }
        }
    }
}

/// What is wrong with `function` as the standard's `e`, if anything.
fn problem(cx: &AnalysisContext<'_>, function: DeclId, e: &Expected) -> Option<String> {
    let info = cx.model.function(function)?;
    if !info.has_body() {
        return None;
    }
    let returns: Vec<&Type> = info
        .returns
        .iter()
        .map(|&r| cx.model.decl_type(r))
        .collect();
    match returns.as_slice() {
        [] => return Some(format!("returns nothing instead of `{}`", e.returns.name())),
        [one] if e.returns.matches(one) => {}
        _ => {
            let types: Vec<String> = returns
                .iter()
                .map(|t| cx.model.type_string_short(t))
                .collect();
            return Some(format!(
                "returns `({})` instead of `{}`",
                types.join(", "),
                e.returns.name()
            ));
        }
    }
    if e.returns == Kind::Bool && !sets_result(cx, function) {
        return Some("never returns a value, so it always returns `false`".to_string());
    }
    None
}

/// Whether some path of `function` returns a value: a `return e`, a write
/// of a named return variable, or assembly (which may `return`).
fn sets_result(cx: &AnalysisContext<'_>, function: DeclId) -> bool {
    let (Some(f), Some(info)) = (cx.ir.function_ir(function), cx.model.function(function)) else {
        return true;
    };
    f.cfg.nodes().any(|(n, node)| {
        matches!(node.kind, NodeKind::Return(Some(_)) | NodeKind::Assembly(_))
            // The entry node defines every return variable as zero.
            || (n != f.cfg.entry && f.facts(n).defs.iter().any(|d| info.returns.contains(&d.var)))
    })
}
