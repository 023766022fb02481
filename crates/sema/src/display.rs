//! solc-compatible type display (`typeDescriptions.typeString`).

use bulwark_syntax::ast::ContractKind;
use num_bigint::BigInt;

use crate::decl::{DeclId, DeclKind};
use crate::model::Model;
use crate::ty::{FunctionKind, FunctionType, Magic, Mutability, Type};

/// solc shortens long numbers: first 4 digits, count, last 4 digits.
fn readable(n: &BigInt) -> String {
    let s = n.to_string();
    let (sign, digits) = match s.strip_prefix('-') {
        Some(d) => ("-", d),
        None => ("", s.as_str()),
    };
    if digits.len() > 32 {
        format!(
            "{sign}{}...({} digits omitted)...{}",
            &digits[..4],
            digits.len() - 8,
            &digits[digits.len() - 4..]
        )
    } else {
        s
    }
}

impl Model<'_> {
    /// `ty` in solc's `typeString` notation (`uint256`, `struct C.S storage
    /// ref`, `function (uint256) view external returns (bool)`, …).
    pub fn type_string(&self, ty: &Type) -> String {
        let mut out = String::new();
        self.write_type(&mut out, ty, true);
        out
    }

    /// `ty` without data locations, as solc displays the type of a
    /// variable declaration (`uint256[]`, `struct S`, `string`).
    pub fn type_string_short(&self, ty: &Type) -> String {
        let mut out = String::new();
        self.write_type(&mut out, ty, false);
        out
    }

    /// `C.S` for a declaration inside contract `C`, `S` at file level.
    pub fn qualified_name(&self, d: DeclId) -> String {
        let decl = self.decl(d);
        match decl.container {
            Some(c) if self.decl(c).kind == DeclKind::Contract => {
                format!("{}.{}", self.decl(c).name, decl.name)
            }
            _ => decl.name.clone(),
        }
    }

    fn write_type(&self, out: &mut String, ty: &Type, with_loc: bool) {
        let loc = |out: &mut String, l: crate::ty::DataLocation| {
            if with_loc {
                out.push(' ');
                out.push_str(l.as_str());
            }
        };
        match ty {
            Type::Bool => out.push_str("bool"),
            Type::Address { payable } => out.push_str(if *payable {
                "address payable"
            } else {
                "address"
            }),
            Type::Int { signed, bits } => {
                out.push_str(if *signed { "int" } else { "uint" });
                out.push_str(&bits.to_string());
            }
            Type::FixedBytes(n) => {
                out.push_str("bytes");
                out.push_str(&n.to_string());
            }
            Type::Fixed {
                signed,
                bits,
                decimals,
            } => {
                out.push_str(&format!(
                    "{}fixed{bits}x{decimals}",
                    if *signed { "" } else { "u" }
                ));
            }
            Type::Rational(v) => {
                if v.is_integer() {
                    out.push_str("int_const ");
                    out.push_str(&readable(&v.to_integer()));
                } else {
                    out.push_str("rational_const ");
                    out.push_str(&readable(v.numer()));
                    out.push_str(" / ");
                    out.push_str(&readable(v.denom()));
                }
            }
            Type::StringLiteral(bytes) => match std::str::from_utf8(bytes) {
                Ok(s) => {
                    out.push_str("literal_string \"");
                    out.push_str(s);
                    out.push('"');
                }
                Err(_) => {
                    out.push_str("literal_string hex\"");
                    for b in bytes.iter() {
                        out.push_str(&format!("{b:02x}"));
                    }
                    out.push('"');
                }
            },
            Type::Bytes(l) => {
                out.push_str("bytes");
                loc(out, *l);
            }
            Type::String(l) => {
                out.push_str("string");
                loc(out, *l);
            }
            Type::Array { base, len, loc: l } => {
                self.write_type(out, base, with_loc);
                match len {
                    Some(n) => out.push_str(&format!("[{n}]")),
                    None => out.push_str("[]"),
                }
                loc(out, *l);
            }
            Type::ArraySlice(inner) => {
                self.write_type(out, inner, true);
                out.push_str(" slice");
            }
            Type::Mapping { key, value } => {
                out.push_str("mapping(");
                self.write_type(out, key, with_loc);
                out.push_str(" => ");
                self.write_type(out, value, with_loc);
                out.push(')');
            }
            Type::Struct { decl, loc: l } => {
                out.push_str("struct ");
                out.push_str(&self.qualified_name(*decl));
                loc(out, *l);
            }
            Type::Enum(d) => {
                out.push_str("enum ");
                out.push_str(&self.qualified_name(*d));
            }
            Type::Udvt(d) => out.push_str(&self.qualified_name(*d)),
            Type::Contract(d) => {
                let is_lib = self
                    .contract(*d)
                    .is_some_and(|c| c.kind == ContractKind::Library);
                out.push_str(if is_lib { "library " } else { "contract " });
                out.push_str(&self.decl(*d).name);
            }
            Type::Super(d) => {
                out.push_str("contract super ");
                out.push_str(&self.decl(*d).name);
            }
            Type::Function(f) => self.write_function(out, f, with_loc),
            Type::Tuple(items) => {
                out.push_str("tuple(");
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    if let Some(t) = item {
                        self.write_type(out, t, with_loc);
                    }
                }
                out.push(')');
            }
            Type::TypeType(inner) => {
                out.push_str("type(");
                self.write_type(out, inner, with_loc);
                out.push(')');
            }
            Type::Modifier(d) => {
                out.push_str("modifier (");
                let params = self
                    .function(*d)
                    .map(|f| f.params.clone())
                    .unwrap_or_default();
                for (i, p) in params.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    self.write_type(out, self.decl_type(*p), true);
                }
                out.push(')');
            }
            Type::Module(f) => {
                out.push_str("module \"");
                out.push_str(&self.file(*f).rel_path);
                out.push('"');
            }
            Type::Magic(m) => match m {
                Magic::Msg => out.push_str("msg"),
                Magic::Block => out.push_str("block"),
                Magic::Tx => out.push_str("tx"),
                Magic::Abi => out.push_str("abi"),
                Magic::Meta(t) => {
                    out.push_str("type(");
                    self.write_type(out, t, true);
                    out.push(')');
                }
            },
            Type::Error => out.push_str("error"),
            Type::Unknown => {}
        }
    }

    fn write_function(&self, out: &mut String, f: &FunctionType, with_loc: bool) {
        out.push_str("function ");
        if f.kind == FunctionKind::Declaration {
            if let Some(d) = f.decl {
                out.push_str(&self.qualified_name(d));
            }
        }
        out.push('(');
        for (i, p) in f.params.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            self.write_type(out, p, with_loc);
        }
        out.push(')');
        if f.mutability != Mutability::NonPayable {
            out.push(' ');
            out.push_str(f.mutability.as_str());
        }
        if f.kind == FunctionKind::External {
            out.push_str(" external");
        }
        if !f.returns.is_empty() {
            out.push_str(" returns (");
            for (i, r) in f.returns.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                self.write_type(out, r, with_loc);
            }
            out.push(')');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_numbers_are_shortened_like_solc() {
        let max: BigInt = (BigInt::from(1) << 256) - 1;
        assert_eq!(readable(&max), "1157...(70 digits omitted)...9935");
        assert_eq!(readable(&BigInt::from(42)), "42");
    }
}
