//! Storage layout of a contract, following solc's packing rules.
//!
//! State variables are laid out in linearization order from the most basic
//! contract, each in source order; constants and immutables take no
//! storage; `transient` variables get their own slot space. A value type
//! goes into the current slot when it fits in the bytes left, otherwise it
//! starts the next one; structs, arrays, mappings, `bytes` and `string`
//! always start a new slot and the variable after them does too.

use crate::decl::{DeclAst, DeclId};
use crate::model::{Model, VarMutability};
use crate::ty::{FunctionKind, Type};

/// Where one state variable lives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StorageEntry {
    pub var: DeclId,
    /// The contract declaring the variable (a base, maybe).
    pub contract: DeclId,
    pub slot: u128,
    /// Byte offset inside the slot (from the low-order end, like solc).
    pub offset: u8,
    /// Bytes occupied (a multiple of 32 for types spanning slots).
    pub size: u128,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StorageLayout {
    pub storage: Vec<StorageEntry>,
    /// `transient` variables (0.8.27+), in their own slot space.
    pub transient: Vec<StorageEntry>,
}

/// Bytes of storage a type takes and whether it is packed with its
/// neighbours (value types) or occupies whole slots (everything else).
struct Footprint {
    bytes: u128,
    whole_slots: bool,
}

/// Lays variables out one after the other.
#[derive(Default)]
struct Cursor {
    slot: u128,
    offset: u128,
}

impl Cursor {
    /// Places an item and returns its (slot, offset).
    fn place(&mut self, fp: &Footprint) -> (u128, u8) {
        if fp.whole_slots {
            if self.offset > 0 {
                self.slot += 1;
                self.offset = 0;
            }
            let at = (self.slot, 0);
            self.slot = self.slot.saturating_add(fp.bytes.div_ceil(32).max(1));
            at
        } else {
            if self.offset + fp.bytes > 32 {
                self.slot += 1;
                self.offset = 0;
            }
            let at = (self.slot, self.offset as u8);
            self.offset += fp.bytes;
            at
        }
    }

    /// Slots used so far (a partly used slot counts).
    fn slots_used(&self) -> u128 {
        self.slot + u128::from(self.offset > 0)
    }
}

impl Model<'_> {
    /// The storage layout of `contract` (empty for unknown ids).
    pub fn storage_layout(&self, contract: DeclId) -> StorageLayout {
        let mut layout = StorageLayout::default();
        let Some(c) = self.contract(contract) else {
            return layout;
        };
        let mut storage = Cursor::default();
        let mut transient = Cursor::default();
        for &var in &c.state_vars {
            let Some(info) = self.state_var(var) else {
                continue;
            };
            let (cursor, out) = match info.mutability {
                VarMutability::Constant | VarMutability::Immutable => continue,
                VarMutability::Transient => (&mut transient, &mut layout.transient),
                VarMutability::Mutable => (&mut storage, &mut layout.storage),
            };
            let fp = self.footprint(&info.ty, 0);
            let (slot, offset) = cursor.place(&fp);
            out.push(StorageEntry {
                var,
                contract: info.contract.unwrap_or(contract),
                slot,
                offset,
                size: fp.bytes,
            });
        }
        layout
    }

    fn footprint(&self, ty: &Type, depth: u32) -> Footprint {
        let value = |bytes| Footprint {
            bytes,
            whole_slots: false,
        };
        let slots = |n: u128| Footprint {
            bytes: n.saturating_mul(32),
            whole_slots: true,
        };
        if depth > 32 {
            return slots(1);
        }
        match ty {
            Type::Bool => value(1),
            Type::Address { .. } | Type::Contract(_) => value(20),
            Type::Int { bits, .. } | Type::Fixed { bits, .. } => value(u128::from(*bits / 8)),
            Type::FixedBytes(n) => value(u128::from(*n)),
            Type::Enum(d) => {
                let variants = match self.decl(*d).ast {
                    DeclAst::Enum(e) => e.variants.len(),
                    _ => 1,
                };
                value(if variants > 256 { 2 } else { 1 })
            }
            Type::Udvt(d) => match self.decl_type(*d) {
                Type::TypeType(_) => {
                    let under = match self.decl(*d).ast {
                        DeclAst::Udvt(u) => match &u.underlying.kind {
                            bulwark_syntax::ast::TypeNameKind::Elementary(e) => {
                                crate::analyze::typename::elementary(
                                    *e,
                                    crate::ty::DataLocation::Memory,
                                )
                            }
                            _ => Type::UINT256,
                        },
                        _ => Type::UINT256,
                    };
                    self.footprint(&under, depth + 1)
                }
                _ => value(32),
            },
            Type::Function(f) => value(if f.kind == FunctionKind::External {
                24
            } else {
                8
            }),
            Type::Array {
                base, len: Some(n), ..
            } => {
                let elem = self.footprint(base, depth + 1);
                let n = u128::from(*n);
                if elem.whole_slots || elem.bytes > 16 {
                    slots(elem.bytes.div_ceil(32).max(1).saturating_mul(n))
                } else {
                    let per_slot = (32 / elem.bytes.max(1)).max(1);
                    slots(n.div_ceil(per_slot))
                }
            }
            Type::Struct { decl, .. } => {
                let DeclAst::Struct(def) = self.decl(*decl).ast else {
                    return slots(1);
                };
                let file = self.decl(*decl).file;
                let mut inner = Cursor::default();
                for field in &def.fields {
                    let Some(f) = self.decl_at(file, field.id) else {
                        continue;
                    };
                    let fp = self.footprint(self.decl_type(f), depth + 1);
                    inner.place(&fp);
                }
                slots(inner.slots_used().max(1))
            }
            // Mappings, dynamic arrays, bytes and string: one slot.
            _ => slots(1),
        }
    }
}
