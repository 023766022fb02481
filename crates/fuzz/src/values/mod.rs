//! Argument values: the dictionary of interesting words and ABI-aware
//! generation, mutation and simplification.

mod dictionary;
mod generate;

pub use dictionary::{push_immediates, Dictionary};
pub use generate::{generate, leaf_word, leaves_mut, mutate, simpler, with_word, ValueContext};
