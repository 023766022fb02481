//! ABI-aware argument values: fresh generation, small mutations, and the
//! simpler candidates the shrinker tries.

use alloy_dyn_abi::{DynSolType, DynSolValue};
use revm::primitives::{Address, B256, I256, U256};

use super::dictionary::Dictionary;
use crate::rng::Rng;

/// What generation draws on besides randomness.
pub struct ValueContext<'a> {
    pub dict: &'a Dictionary,
    /// Senders and deployed contracts: the addresses worth passing around.
    pub addresses: &'a [Address],
}

fn mask(bits: usize) -> U256 {
    if bits >= 256 {
        U256::MAX
    } else {
        (U256::from(1) << bits) - U256::from(1)
    }
}

/// Sign-extends the low `bits` of `raw` into an I256.
fn to_int(raw: U256, bits: usize) -> I256 {
    if bits >= 256 {
        return I256::from_raw(raw);
    }
    let low = raw & mask(bits);
    let sign = U256::from(1) << (bits - 1);
    if low & sign != U256::ZERO {
        I256::from_raw(low | !mask(bits))
    } else {
        I256::from_raw(low)
    }
}

fn random_word(rng: &mut Rng) -> U256 {
    U256::from_limbs([
        rng.next_u64(),
        rng.next_u64(),
        rng.next_u64(),
        rng.next_u64(),
    ])
}

/// A number of at most `bits` bits, biased to small, edge and known values.
fn gen_uint(bits: usize, rng: &mut Rng, ctx: &ValueContext) -> U256 {
    let m = mask(bits);
    match rng.below(100) {
        0..=7 => U256::from(rng.below(4)),
        8..=24 => U256::from(rng.below(17)),
        25..=49 if !ctx.dict.is_empty() => {
            let v = ctx.dict.pick(rng).unwrap_or_default();
            match rng.below(4) {
                0 => v.wrapping_add(U256::from(1)) & m,
                1 => v.wrapping_sub(U256::from(1)) & m,
                _ => v & m,
            }
        }
        50..=61 => {
            let edges = [
                U256::ZERO,
                U256::from(1),
                m,
                m - U256::from(1),
                m >> 1,
                (m >> 1) + U256::from(1),
            ];
            *rng.pick(&edges).unwrap()
        }
        _ => {
            let width = 1 + rng.below(bits);
            random_word(rng) & mask(width)
        }
    }
}

pub fn generate(ty: &DynSolType, rng: &mut Rng, ctx: &ValueContext) -> DynSolValue {
    match ty {
        DynSolType::Bool => DynSolValue::Bool(rng.chance(1, 2)),
        DynSolType::Uint(bits) => DynSolValue::Uint(gen_uint(*bits, rng, ctx), *bits),
        DynSolType::Int(bits) => {
            let raw = gen_uint(*bits, rng, ctx);
            let v = to_int(raw, *bits);
            // Small negatives are as interesting as small positives.
            let v = if rng.chance(1, 4) && raw < U256::from(17) {
                -v
            } else {
                v
            };
            DynSolValue::Int(v, *bits)
        }
        DynSolType::Address => DynSolValue::Address(gen_address(rng, ctx)),
        DynSolType::FixedBytes(n) => {
            let word = match rng.below(3) {
                0 if !ctx.dict.is_empty() => {
                    let v = ctx.dict.pick(rng).unwrap_or_default();
                    // Left-align the value's significant bytes.
                    B256::from(v << (8 * (32 - n)))
                }
                1 => B256::ZERO,
                _ => B256::from(random_word(rng)),
            };
            DynSolValue::FixedBytes(keep_prefix(word, *n), *n)
        }
        DynSolType::Bytes => {
            let len = if rng.chance(1, 8) {
                rng.below(200)
            } else {
                rng.below(40)
            };
            let mut b = vec![0u8; len];
            rng.fill(&mut b);
            DynSolValue::Bytes(b)
        }
        DynSolType::String => DynSolValue::String(gen_string(rng)),
        DynSolType::Array(inner) => {
            let len = if rng.chance(1, 10) {
                rng.below(33)
            } else {
                rng.below(5)
            };
            DynSolValue::Array((0..len).map(|_| generate(inner, rng, ctx)).collect())
        }
        DynSolType::FixedArray(inner, n) => {
            DynSolValue::FixedArray((0..*n).map(|_| generate(inner, rng, ctx)).collect())
        }
        DynSolType::Tuple(items) => {
            DynSolValue::Tuple(items.iter().map(|t| generate(t, rng, ctx)).collect())
        }
        // Function pointers and EIP-712 structs do not occur in external
        // harness ABIs in practice; a zero value keeps the call encodable.
        _ => ty
            .abi_decode(&[0u8; 32])
            .unwrap_or(DynSolValue::Bool(false)),
    }
}

fn gen_address(rng: &mut Rng, ctx: &ValueContext) -> Address {
    match rng.below(10) {
        0 => Address::ZERO,
        1 if !ctx.dict.is_empty() => {
            let v = ctx.dict.pick(rng).unwrap_or_default();
            Address::from_word(B256::from(v))
        }
        _ => rng.pick(ctx.addresses).copied().unwrap_or(Address::ZERO),
    }
}

fn gen_string(rng: &mut Rng) -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _-";
    let len = rng.below(12);
    (0..len)
        .map(|_| ALPHABET[rng.below(ALPHABET.len())] as char)
        .collect()
}

fn keep_prefix(word: B256, n: usize) -> B256 {
    let mut out = B256::ZERO;
    out.0[..n].copy_from_slice(&word.0[..n]);
    out
}

/// Changes `value` a little (or sometimes a lot), in place.
pub fn mutate(value: &mut DynSolValue, ty: &DynSolType, rng: &mut Rng, ctx: &ValueContext) {
    match (value, ty) {
        (DynSolValue::Uint(v, bits), _) => {
            let m = mask(*bits);
            *v = match rng.below(8) {
                0 => v.wrapping_add(U256::from(1 + rng.below(16))) & m,
                1 => v.wrapping_sub(U256::from(1 + rng.below(16))) & m,
                2 => *v ^ (U256::from(1) << rng.below(*bits)),
                3 => (*v << 1) & m,
                4 => *v >> 1,
                _ => gen_uint(*bits, rng, ctx),
            };
        }
        (DynSolValue::Int(v, bits), _) => {
            let bits = *bits;
            let raw = v.into_raw();
            let next = match rng.below(6) {
                0 => raw.wrapping_add(U256::from(1 + rng.below(16))),
                1 => raw.wrapping_sub(U256::from(1 + rng.below(16))),
                2 => (-*v).into_raw(),
                _ => gen_uint(bits, rng, ctx),
            };
            *v = to_int(next, bits);
        }
        (DynSolValue::Bool(b), _) => *b = !*b,
        (DynSolValue::Address(a), _) => *a = gen_address(rng, ctx),
        (DynSolValue::FixedBytes(w, n), _) => {
            if rng.chance(1, 2) {
                let i = rng.below(*n);
                w.0[i] ^= 1 << rng.below(8);
            } else if let DynSolValue::FixedBytes(fresh, _) = generate(ty, rng, ctx) {
                *w = fresh;
            }
        }
        (DynSolValue::Bytes(b), _) => mutate_bytes(b, rng),
        (DynSolValue::String(s), _) => {
            let mut bytes = s.clone().into_bytes();
            mutate_bytes(&mut bytes, rng);
            *s = bytes.into_iter().map(|b| (b'a' + b % 26) as char).collect();
        }
        (DynSolValue::Array(items), DynSolType::Array(inner)) => match rng.below(4) {
            0 if items.len() < 32 => items.push(generate(inner, rng, ctx)),
            1 if !items.is_empty() => {
                let i = rng.below(items.len());
                items.remove(i);
            }
            _ if !items.is_empty() => {
                let i = rng.below(items.len());
                mutate(&mut items[i], inner, rng, ctx);
            }
            _ => items.push(generate(inner, rng, ctx)),
        },
        (DynSolValue::FixedArray(items), DynSolType::FixedArray(inner, _)) if !items.is_empty() => {
            let i = rng.below(items.len());
            mutate(&mut items[i], inner, rng, ctx);
        }
        (DynSolValue::Tuple(items), DynSolType::Tuple(types)) if !items.is_empty() => {
            let i = rng.below(items.len());
            mutate(&mut items[i], &types[i], rng, ctx);
        }
        (v, t) => *v = generate(t, rng, ctx),
    }
}

fn mutate_bytes(b: &mut Vec<u8>, rng: &mut Rng) {
    match rng.below(3) {
        0 if !b.is_empty() => {
            let i = rng.below(b.len());
            b[i] ^= 1 << rng.below(8);
        }
        1 if !b.is_empty() => {
            b.truncate(rng.below(b.len()));
        }
        _ => b.push(rng.next_u64() as u8),
    }
}

/// Candidate replacements for `value` that are simpler (closer to zero,
/// shorter), simplest first. Empty when the value is already minimal.
pub fn simpler(value: &DynSolValue, first_address: Address) -> Vec<DynSolValue> {
    match value {
        DynSolValue::Uint(v, bits) => {
            let mut out: Vec<U256> = vec![
                U256::ZERO,
                U256::from(1),
                *v >> 1,
                v.saturating_sub(U256::from(1)),
            ];
            out.retain(|c| c < v);
            out.dedup();
            out.into_iter()
                .map(|c| DynSolValue::Uint(c, *bits))
                .collect()
        }
        DynSolValue::Int(v, bits) => {
            if v.is_zero() {
                return vec![];
            }
            let abs = v.unsigned_abs();
            let half = I256::from_raw(abs >> 1);
            let mut out = vec![I256::ZERO, if v.is_negative() { -half } else { half }];
            // A positive number is simpler than its negation.
            if v.is_negative() && abs <= I256::MAX.into_raw() {
                out.push(I256::from_raw(abs));
            }
            out.retain(|c| c != v);
            out.dedup();
            out.into_iter()
                .map(|c| DynSolValue::Int(c, *bits))
                .collect()
        }
        DynSolValue::Bool(true) => vec![DynSolValue::Bool(false)],
        DynSolValue::Address(a) if *a != first_address && *a != Address::ZERO => {
            vec![
                DynSolValue::Address(Address::ZERO),
                DynSolValue::Address(first_address),
            ]
        }
        DynSolValue::FixedBytes(w, n) if !w.is_zero() => {
            vec![DynSolValue::FixedBytes(B256::ZERO, *n)]
        }
        DynSolValue::Bytes(b) if !b.is_empty() => {
            let mut out = vec![DynSolValue::Bytes(vec![])];
            if b.len() > 1 {
                out.push(DynSolValue::Bytes(b[..b.len() / 2].to_vec()));
                out.push(DynSolValue::Bytes(b[..b.len() - 1].to_vec()));
            }
            if b.iter().any(|x| *x != 0) {
                out.push(DynSolValue::Bytes(vec![0; b.len()]));
            }
            out
        }
        DynSolValue::String(s) if !s.is_empty() => {
            let mut out = vec![DynSolValue::String(String::new())];
            if s.len() > 1 {
                out.push(DynSolValue::String(s[..s.len() - 1].to_string()));
            }
            out
        }
        DynSolValue::Array(items) if !items.is_empty() => {
            let mut out = vec![DynSolValue::Array(vec![])];
            for i in 0..items.len() {
                let mut fewer = items.clone();
                fewer.remove(i);
                out.push(DynSolValue::Array(fewer));
            }
            out.extend(
                element_simplifications(items, first_address)
                    .into_iter()
                    .map(DynSolValue::Array),
            );
            out
        }
        DynSolValue::FixedArray(items) => element_simplifications(items, first_address)
            .into_iter()
            .map(DynSolValue::FixedArray)
            .collect(),
        DynSolValue::Tuple(items) => element_simplifications(items, first_address)
            .into_iter()
            .map(DynSolValue::Tuple)
            .collect(),
        _ => vec![],
    }
}

/// Each element replaced by each of its simpler candidates (one element at
/// a time, so the count grows with the size of the value, not its depth).
fn element_simplifications(items: &[DynSolValue], first_address: Address) -> Vec<Vec<DynSolValue>> {
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        for s in simpler(item, first_address) {
            let mut copy = items.to_vec();
            copy[i] = s;
            out.push(copy);
        }
    }
    out
}

/// The 256-bit words of a value's leaves (for comparison-guided mutation).
pub fn leaf_word(value: &DynSolValue) -> Option<U256> {
    match value {
        DynSolValue::Uint(v, _) => Some(*v),
        DynSolValue::Int(v, _) => Some(v.into_raw()),
        DynSolValue::Address(a) => Some(U256::from_be_slice(a.as_slice())),
        DynSolValue::FixedBytes(w, _) => Some(U256::from_be_bytes(w.0)),
        DynSolValue::Bool(b) => Some(U256::from(*b as u8)),
        _ => None,
    }
}

/// Replaces a leaf's value by the word `to`, adapted to its type.
pub fn with_word(value: &DynSolValue, to: U256) -> Option<DynSolValue> {
    Some(match value {
        DynSolValue::Uint(_, bits) => DynSolValue::Uint(to & mask(*bits), *bits),
        DynSolValue::Int(_, bits) => DynSolValue::Int(to_int(to, *bits), *bits),
        DynSolValue::Address(_) => DynSolValue::Address(Address::from_word(B256::from(to))),
        DynSolValue::FixedBytes(_, n) => {
            DynSolValue::FixedBytes(keep_prefix(B256::from(to), *n), *n)
        }
        DynSolValue::Bool(_) => DynSolValue::Bool(!to.is_zero()),
        _ => return None,
    })
}

/// Mutable references to every leaf of a value (depth first).
pub fn leaves_mut(value: &mut DynSolValue) -> Vec<&mut DynSolValue> {
    match value {
        DynSolValue::Array(items) | DynSolValue::FixedArray(items) | DynSolValue::Tuple(items) => {
            items.iter_mut().flat_map(leaves_mut).collect()
        }
        v => vec![v],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx_with(dict: &Dictionary) -> ValueContext<'_> {
        ValueContext {
            dict,
            addresses: &[],
        }
    }

    #[test]
    fn generated_values_fit_their_types() {
        let dict = Dictionary::from_bytecode([&[0x7f_u8; 33][..]]);
        let ctx = ctx_with(&dict);
        let mut rng = Rng::new(3);
        let ty: DynSolType = "(uint8,int16,bytes3,uint256[],bool[2])".parse().unwrap();
        for _ in 0..300 {
            let v = generate(&ty, &mut rng, &ctx);
            // Encoding then decoding round-trips only for well-formed values.
            let enc = v.abi_encode_params();
            assert_eq!(ty.abi_decode_params(&enc).unwrap(), v);
            let mut m = v.clone();
            mutate(&mut m, &ty, &mut rng, &ctx);
            let enc = m.abi_encode_params();
            assert_eq!(ty.abi_decode_params(&enc).unwrap(), m);
        }
    }

    #[test]
    fn simplifications_get_strictly_simpler() {
        let v = DynSolValue::Uint(U256::from(1000), 256);
        let s = simpler(&v, Address::ZERO);
        assert_eq!(s[0], DynSolValue::Uint(U256::ZERO, 256));
        assert!(simpler(&DynSolValue::Uint(U256::ZERO, 8), Address::ZERO).is_empty());
        let n = DynSolValue::Int(I256::try_from(-8).unwrap(), 64);
        let s = simpler(&n, Address::ZERO);
        assert!(s.contains(&DynSolValue::Int(I256::try_from(8).unwrap(), 64)));
        assert!(s.contains(&DynSolValue::Int(I256::try_from(-4).unwrap(), 64)));
    }

    #[test]
    fn words_adapt_to_leaf_types() {
        let v = DynSolValue::Int(I256::ZERO, 8);
        assert_eq!(
            with_word(&v, U256::from(0xff)),
            Some(DynSolValue::Int(I256::try_from(-1).unwrap(), 8))
        );
        let v = DynSolValue::Uint(U256::ZERO, 16);
        assert_eq!(
            with_word(&v, U256::from(0x12345)),
            Some(DynSolValue::Uint(U256::from(0x2345), 16))
        );
    }
}
