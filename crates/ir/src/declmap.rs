//! A dense map keyed by [`DeclId`]: declarations are numbered from 0 by
//! the model's arena, so a `Vec` beats hashing in the hot loops of the
//! project-wide analyses.

use bulwark_sema::DeclId;

#[derive(Clone, Debug)]
pub(crate) struct DeclMap<T> {
    slots: Vec<T>,
}

impl<T: Default> Default for DeclMap<T> {
    fn default() -> Self {
        DeclMap { slots: Vec::new() }
    }
}

impl<T: Default> DeclMap<T> {
    /// A map with room for declarations `0..len` (it grows on demand).
    pub fn with_len(len: usize) -> Self {
        let mut slots = Vec::with_capacity(len);
        slots.resize_with(len, T::default);
        DeclMap { slots }
    }

    pub fn get(&self, d: DeclId) -> Option<&T> {
        self.slots.get(d.index())
    }

    pub fn get_mut(&mut self, d: DeclId) -> &mut T {
        if d.index() >= self.slots.len() {
            self.slots.resize_with(d.index() + 1, T::default);
        }
        &mut self.slots[d.index()]
    }
}
