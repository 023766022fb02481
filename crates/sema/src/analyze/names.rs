//! Name tables: what each name denotes in a scope (a file, a contract's
//! members). Keys are borrowed from the ASTs, so building a table
//! allocates no strings, and they are hashed with a cheap seeded hash
//! (identifiers are short; SipHash dominated lookups).

use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};

use crate::decl::DeclId;

/// Names visible in one scope; several declarations for overloaded
/// functions (most derived / first found first).
pub(crate) type NameTable<'p> = HashMap<&'p str, Ids, NameHash>;

/// The declarations a name denotes: nearly always one, so that case
/// needs no allocation.
#[derive(Clone, Debug)]
pub(crate) enum Ids {
    One(DeclId),
    Many(Vec<DeclId>),
}

impl Ids {
    pub(crate) fn as_slice(&self) -> &[DeclId] {
        match self {
            Ids::One(d) => std::slice::from_ref(d),
            Ids::Many(v) => v,
        }
    }

    /// Appends `id` unless present; whether it was added.
    fn add(&mut self, id: DeclId) -> bool {
        match self {
            Ids::One(d) if *d == id => false,
            Ids::One(d) => {
                *self = Ids::Many(vec![*d, id]);
                true
            }
            Ids::Many(v) if v.contains(&id) => false,
            Ids::Many(v) => {
                v.push(id);
                true
            }
        }
    }
}

/// Adds `ids` under `name` (nothing for the empty name of unnamed
/// declarations); whether the table changed.
pub(crate) fn insert<'p>(table: &mut NameTable<'p>, name: &'p str, ids: &[DeclId]) -> bool {
    let Some((&first, rest)) = ids.split_first() else {
        return false;
    };
    if name.is_empty() {
        return false;
    }
    let mut changed = false;
    let entry = table.entry(name).or_insert_with(|| {
        changed = true;
        Ids::One(first)
    });
    if !changed {
        changed |= entry.add(first);
    }
    for &id in rest {
        changed |= entry.add(id);
    }
    changed
}

/// Builds [`NameHasher`]s sharing one random seed per table family, so
/// that colliding keys cannot be prepared in advance (uploaded projects are
/// untrusted input). Also used for the loader's path caches.
#[derive(Clone, Debug)]
pub(crate) struct NameHash {
    seed: u64,
}

impl NameHash {
    pub(crate) fn new() -> NameHash {
        let seed = std::collections::hash_map::RandomState::new()
            .build_hasher()
            .finish();
        NameHash { seed }
    }

    pub(crate) fn table<'p>(&self) -> NameTable<'p> {
        HashMap::with_hasher(self.clone())
    }
}

impl Default for NameHash {
    fn default() -> NameHash {
        NameHash::new()
    }
}

impl BuildHasher for NameHash {
    type Hasher = NameHasher;

    fn build_hasher(&self) -> NameHasher {
        NameHasher { state: self.seed }
    }
}

/// Multiply-rotate hashing a word (8 bytes) at a time.
pub(crate) struct NameHasher {
    state: u64,
}

/// An odd constant with well-spread bits (from the golden ratio).
const MULTIPLIER: u64 = 0x9e37_79b9_7f4a_7c15;

impl NameHasher {
    fn mix(&mut self, word: u64) {
        self.state = (self.state.rotate_left(5) ^ word).wrapping_mul(MULTIPLIER);
    }
}

impl Hasher for NameHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.mix(u64::from_le_bytes(word));
        }
        let tail = chunks.remainder();
        if !tail.is_empty() {
            let mut word = [0u8; 8];
            word[..tail.len()].copy_from_slice(tail);
            // The length keeps "a" and "a\0" apart.
            self.mix(u64::from_le_bytes(word) ^ ((tail.len() as u64) << 59));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.mix(u64::from(i));
    }

    fn write_u32(&mut self, i: u32) {
        self.mix(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        self.mix(i);
    }

    fn write_usize(&mut self, i: usize) {
        self.mix(i as u64);
    }

    fn finish(&self) -> u64 {
        // hashbrown takes the bucket from the low bits and a tag from the
        // top 7; the multiply leaves the low bits weakest, so fold down.
        self.state ^ (self.state >> 29)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_keep_overloads_in_order_without_duplicates() {
        let hash = NameHash::new();
        let mut t = hash.table();
        assert!(insert(&mut t, "f", &[DeclId(1)]));
        assert!(!insert(&mut t, "f", &[DeclId(1)]));
        assert!(insert(&mut t, "f", &[DeclId(1), DeclId(2)]));
        assert!(!insert(&mut t, "", &[DeclId(3)]));
        assert!(!insert(&mut t, "g", &[]));
        assert_eq!(t["f"].as_slice(), &[DeclId(1), DeclId(2)]);
        assert_eq!(t.len(), 1);
    }

    #[test]
    fn distinct_names_hash_apart() {
        let hash = NameHash::new();
        let names = ["a", "a\0", "ab", "transfer", "transferFrom", "_transfer"];
        let mut seen = std::collections::HashSet::new();
        for n in names {
            assert!(seen.insert(hash.hash_one(n)), "collision on {n:?}");
        }
    }
}
