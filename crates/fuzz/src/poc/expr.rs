//! Solidity expressions for ABI argument values, so that a proof of concept
//! reads `vault.place(ComplexArgs.Order(maker, 5, tag, legs))` rather than a
//! raw calldata blob. Values that need more than one expression (dynamic and
//! fixed arrays, arrays nested in structs) are built in memory variables by
//! statements emitted first.
//!
//! Types come from the ABI's `type` (the encoding) and `internalType` (the
//! Solidity type: `struct C.S[]`, `enum C.E`, `contract IVault`, `address
//! payable`). A named type is only usable when its scope can be imported,
//! i.e. a contract, interface or library whose name is unique among the
//! compiled artifacts; anything else makes [`ExprBuilder::arg`] give up and
//! the PoC falls back to a raw call with the exact calldata.

use std::collections::{BTreeMap, BTreeSet};

use alloy_dyn_abi::DynSolValue;
use alloy_json_abi::Param;
use revm::primitives::U256;

use crate::render;
use crate::revert::hex;

/// Builds argument expressions for one call of a PoC.
pub struct ExprBuilder<'a> {
    /// Contract-like names that can be imported, with their source unit.
    importable: &'a BTreeMap<String, String>,
    /// `payable(...)` and `{value: ..}` exist (solc ≥ 0.6).
    modern: bool,
    /// Structs, nested arrays and string/bytes arrays can be passed to
    /// external functions without a pragma (ABI coder v2 is the default
    /// from 0.8 on).
    abi_v2: bool,
    /// Names the PoC must import for the expressions built so far.
    pub needed: BTreeSet<String>,
    /// Statements that must run before the call (memory variables).
    pub setup: Vec<String>,
}

/// A Solidity type as the ABI describes it.
#[derive(Clone, Copy)]
struct Ty<'p> {
    /// ABI encoding type (`uint8`, `tuple[]`, `address[2][]`).
    abi: &'p str,
    /// Solidity type (`struct C.S[]`, `address payable`); the ABI type
    /// when the compiler did not say.
    internal: &'p str,
    /// Struct fields, for `tuple` types (and arrays of them).
    components: &'p [Param],
}

impl<'a> ExprBuilder<'a> {
    pub fn new(importable: &'a BTreeMap<String, String>, modern: bool, abi_v2: bool) -> Self {
        ExprBuilder {
            importable,
            modern,
            abi_v2,
            needed: BTreeSet::new(),
            setup: Vec::new(),
        }
    }

    /// The expression for argument `param` with `value`; `var` names the
    /// memory variable(s) it may need. `None`: not expressible, use a raw call.
    pub fn arg(&mut self, param: &Param, value: &DynSolValue, var: &str) -> Option<String> {
        let internal = param.internal_type.as_ref().map(|t| t.to_string());
        let ty = Ty {
            abi: &param.ty,
            internal: internal.as_deref().unwrap_or(&param.ty),
            components: &param.components,
        };
        if !self.abi_v2 && needs_abi_v2(ty) {
            return None;
        }
        self.expr(ty, value, var)
    }

    fn expr(&mut self, ty: Ty, value: &DynSolValue, var: &str) -> Option<String> {
        if let Some((elem, dims)) = split_array(ty) {
            let elem_name = self.type_name(elem)?;
            return match (value, dims) {
                (DynSolValue::Array(items), "[]") => {
                    self.setup.push(format!(
                        "{elem_name}[] memory {var} = new {elem_name}[]({});",
                        items.len()
                    ));
                    self.fill(elem, items, var)
                }
                (DynSolValue::FixedArray(items), _) if is_inline_element(elem) => {
                    // `[uint16(1), uint16(2)]` is a `uint16[2] memory` literal.
                    // Each element is cast: a bare `1` would make the
                    // literal a `uint8[N]`.
                    let parts: Option<Vec<String>> = items
                        .iter()
                        .map(|v| {
                            let e = self.expr(elem, v, var)?;
                            Some(if e.starts_with(elem.abi) || elem.abi == "bool" {
                                e
                            } else {
                                format!("{}({e})", elem.abi)
                            })
                        })
                        .collect();
                    Some(format!("[{}]", parts?.join(", ")))
                }
                (DynSolValue::FixedArray(items), _) => {
                    self.setup.push(format!("{elem_name}{dims} memory {var};"));
                    self.fill(elem, items, var)
                }
                _ => None,
            };
        }
        if ty.abi == "tuple" {
            let DynSolValue::Tuple(fields) = value else {
                return None;
            };
            let name = self.type_name(ty)?;
            if fields.len() != ty.components.len() {
                return None;
            }
            let mut parts = Vec::with_capacity(fields.len());
            for (k, (param, field)) in ty.components.iter().zip(fields).enumerate() {
                let internal = param.internal_type.as_ref().map(|t| t.to_string());
                let field_ty = Ty {
                    abi: &param.ty,
                    internal: internal.as_deref().unwrap_or(&param.ty),
                    components: &param.components,
                };
                parts.push(self.expr(field_ty, field, &format!("{var}_{k}"))?);
            }
            return Some(format!("{name}({})", parts.join(", ")));
        }
        if let Some(scoped) = ty.internal.strip_prefix("enum ") {
            let DynSolValue::Uint(n, _) = value else {
                return None;
            };
            self.require_scope(scoped)?;
            return Some(format!("{scoped}({n})"));
        }
        if let Some(name) = ty.internal.strip_prefix("contract ") {
            let DynSolValue::Address(a) = value else {
                return None;
            };
            self.require_name(name)?;
            return Some(format!("{name}({})", address_literal(*a)));
        }
        let payable = ty.internal == "address payable";
        if payable && !self.modern {
            return None;
        }
        elementary(ty.abi, value, payable)
    }

    /// Assigns each element of an array variable.
    fn fill(&mut self, elem: Ty, items: &[DynSolValue], var: &str) -> Option<String> {
        for (i, item) in items.iter().enumerate() {
            let e = self.expr(elem, item, &format!("{var}_{i}"))?;
            self.setup.push(format!("{var}[{i}] = {e};"));
        }
        Some(var.to_string())
    }

    /// The Solidity name of a type, for declarations (`C.S[]`,
    /// `address payable`, `IVault`).
    fn type_name(&mut self, ty: Ty) -> Option<String> {
        if let Some((elem, dims)) = split_array(ty) {
            return Some(format!("{}{dims}", self.type_name(elem)?));
        }
        for kind in ["struct ", "enum "] {
            if let Some(scoped) = ty.internal.strip_prefix(kind) {
                self.require_scope(scoped)?;
                return Some(scoped.to_string());
            }
        }
        if let Some(name) = ty.internal.strip_prefix("contract ") {
            self.require_name(name)?;
            return Some(name.to_string());
        }
        if ty.abi == "tuple" {
            return None;
        }
        if ty.internal == "address payable" {
            return self.modern.then(|| "address payable".to_string());
        }
        Some(ty.abi.to_string())
    }

    /// `C.S`: `C` must be importable (file-level types are not reachable).
    fn require_scope(&mut self, scoped: &str) -> Option<()> {
        let (scope, _) = scoped.split_once('.')?;
        self.require_name(scope)
    }

    fn require_name(&mut self, name: &str) -> Option<()> {
        if !self.importable.contains_key(name) {
            return None;
        }
        self.needed.insert(name.to_string());
        Some(())
    }
}

/// Splits the outermost array dimension off: `(C.S[2], "[]")` for
/// `C.S[2][]`. Solidity writes dimensions innermost first, so the last
/// bracket pair is the outer one.
fn split_array<'p>(ty: Ty<'p>) -> Option<(Ty<'p>, &'p str)> {
    if !ty.abi.ends_with(']') {
        return None;
    }
    let open = ty.abi.rfind('[')?;
    let dims = &ty.abi[open..];
    let elem_abi = &ty.abi[..open];
    let elem_internal = ty.internal.strip_suffix(dims).unwrap_or(elem_abi);
    Some((
        Ty {
            abi: elem_abi,
            internal: elem_internal,
            components: ty.components,
        },
        dims,
    ))
}

/// Element types whose values can sit in an inline array literal once
/// cast: numbers, fixed bytes, bools and plain addresses (`string`/`bytes`
/// literals of different lengths would not share a type).
fn is_inline_element(elem: Ty) -> bool {
    !elem.abi.ends_with(']')
        && elem.abi != "tuple"
        && elem.abi != "string"
        && elem.abi != "bytes"
        && elem.internal == elem.abi
}

/// Whether passing this type to an external function needs ABI coder v2.
fn needs_abi_v2(ty: Ty) -> bool {
    match split_array(ty) {
        Some((elem, "[]")) if elem.abi == "string" || elem.abi == "bytes" => true,
        Some((elem, _)) => needs_abi_v2(elem) || elem.abi.ends_with(']'),
        None => ty.abi == "tuple",
    }
}

/// A literal of an elementary type, converted so that its type is exactly
/// `ty` (inside inline arrays and struct constructors too).
pub fn elementary(ty: &str, value: &DynSolValue, payable: bool) -> Option<String> {
    Some(match value {
        DynSolValue::Bool(b) => b.to_string(),
        // A bare literal reads best and is a uint256 wherever it matters.
        DynSolValue::Uint(n, 256) => n.to_string(),
        DynSolValue::Uint(n, _) => format!("{ty}({n})"),
        DynSolValue::Int(n, bits) => {
            // int256's minimum has no literal: its magnitude does not fit.
            if *bits == 256 && n.is_negative() && n.unsigned_abs() == U256::from(1) << 255 {
                "type(int256).min".to_string()
            } else {
                format!("{ty}({n})")
            }
        }
        DynSolValue::Address(a) => {
            let lit = address_literal(*a);
            if payable {
                format!("payable({lit})")
            } else {
                lit
            }
        }
        DynSolValue::FixedBytes(w, size) => format!("{ty}(0x{})", hex(&w[..*size])),
        DynSolValue::Bytes(b) => format!("hex\"{}\"", hex(b)),
        DynSolValue::String(st) => render::string_literal(st),
        _ => return None,
    })
}

fn address_literal(a: revm::primitives::Address) -> String {
    format!("address({})", a.to_checksum(None))
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_json_abi::Function;

    fn importable() -> BTreeMap<String, String> {
        [("Pool", "src/Pool.sol"), ("IVault", "src/IVault.sol")]
            .into_iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    fn param(sig: &str) -> Param {
        // Parse a one-parameter human-readable signature into its ABI.
        let f = Function::parse(sig).unwrap();
        f.inputs[0].clone()
    }

    #[test]
    fn literals_carry_their_types() {
        assert_eq!(
            elementary("uint8", &DynSolValue::Uint(U256::from(7), 8), false).unwrap(),
            "uint8(7)"
        );
        let a: revm::primitives::Address = "0x0000000000000000000000000000000000010000"
            .parse()
            .unwrap();
        assert_eq!(
            elementary("address", &DynSolValue::Address(a), true).unwrap(),
            "payable(address(0x0000000000000000000000000000000000010000))"
        );
    }

    #[test]
    fn nested_arrays_become_memory_variables() {
        let imports = importable();
        let mut b = ExprBuilder::new(&imports, true, true);
        let p = param("function f(uint256[][] grid)");
        let v = DynSolValue::Array(vec![DynSolValue::Array(vec![DynSolValue::Uint(
            U256::from(3),
            256,
        )])]);
        assert_eq!(b.arg(&p, &v, "a").as_deref(), Some("a"));
        assert_eq!(
            b.setup,
            vec![
                "uint256[][] memory a = new uint256[][](1);",
                "uint256[] memory a_0 = new uint256[](1);",
                "a_0[0] = 3;",
                "a[0] = a_0;",
            ]
        );
        // Before 0.8 nested arrays need ABI coder v2: raw call instead.
        let mut old = ExprBuilder::new(&imports, true, false);
        assert_eq!(old.arg(&p, &v, "a"), None);
    }

    #[test]
    fn structs_enums_and_contracts_need_an_importable_scope() {
        let imports = importable();
        let mut b = ExprBuilder::new(&imports, true, true);
        let mut p = param("function f((address,uint8[]) o)");
        p.internal_type = alloy_json_abi::InternalType::parse("struct Pool.Order");
        let a = revm::primitives::Address::ZERO;
        let v = DynSolValue::Tuple(vec![
            DynSolValue::Address(a),
            DynSolValue::Array(vec![DynSolValue::Uint(U256::from(1), 8)]),
        ]);
        let e = b.arg(&p, &v, "x").unwrap();
        assert_eq!(
            e,
            "Pool.Order(address(0x0000000000000000000000000000000000000000), x_1)"
        );
        assert!(b.needed.contains("Pool"));

        let mut p = param("function f(address v)");
        p.internal_type = alloy_json_abi::InternalType::parse("contract IVault");
        assert_eq!(
            b.arg(&p, &DynSolValue::Address(a), "y").unwrap(),
            "IVault(address(0x0000000000000000000000000000000000000000))"
        );
        p.internal_type = alloy_json_abi::InternalType::parse("contract Hidden");
        assert_eq!(b.arg(&p, &DynSolValue::Address(a), "y"), None);
        let mut p = param("function f(uint8 s)");
        p.internal_type = alloy_json_abi::InternalType::parse("enum Elsewhere.Side");
        assert_eq!(b.arg(&p, &DynSolValue::Uint(U256::from(1), 8), "z"), None);
    }

    #[test]
    fn payable_arrays_keep_their_payable_type() {
        let imports = importable();
        let mut b = ExprBuilder::new(&imports, true, true);
        let mut p = param("function f(address[] to)");
        p.internal_type = alloy_json_abi::InternalType::parse("address payable[]");
        let v = DynSolValue::Array(vec![DynSolValue::Address(revm::primitives::Address::ZERO)]);
        assert_eq!(b.arg(&p, &v, "p").as_deref(), Some("p"));
        assert_eq!(
            b.setup[0],
            "address payable[] memory p = new address payable[](1);"
        );
        assert!(b.setup[1].starts_with("p[0] = payable(address(0x"));
    }
}
