//! Making new sequences: fresh random calls, and mutations of sequences
//! from the corpus (argument changes guided by comparison operands, calls
//! added, removed, reordered, spliced).

use revm::primitives::U256;

use super::sequence::{Call, Sequence};
use crate::rng::Rng;
use crate::values::{generate, leaf_word, leaves_mut, mutate, with_word, ValueContext};
use crate::world::World;

const WARPS: [u64; 6] = [1, 60, 3_600, 86_400, 7 * 86_400, 30 * 86_400];

/// Generates calls for one world.
pub struct Generator<'w> {
    pub world: &'w World,
    /// (target, function) pairs, so each function is equally likely.
    functions: Vec<(usize, usize)>,
    pub max_len: usize,
}

impl<'w> Generator<'w> {
    pub fn new(world: &'w World, max_len: usize) -> Self {
        let functions = world
            .targets
            .iter()
            .enumerate()
            .flat_map(|(t, target)| (0..target.functions.len()).map(move |f| (t, f)))
            .collect();
        Generator {
            world,
            functions,
            max_len: max_len.max(1),
        }
    }

    pub fn random_call(&self, rng: &mut Rng, ctx: &ValueContext) -> Call {
        let (target, func) = *rng.pick(&self.functions).expect("world has functions");
        let f = &self.world.targets[target].functions[func];
        let args = f.types.iter().map(|t| generate(t, rng, ctx)).collect();
        let (warp, roll) = random_delay(rng);
        Call {
            sender: *rng.pick(&self.world.senders).expect("world has senders"),
            target,
            func,
            args,
            value: if f.payable {
                random_value(rng, ctx)
            } else {
                U256::ZERO
            },
            warp,
            roll,
        }
    }

    pub fn random_sequence(&self, rng: &mut Rng, ctx: &ValueContext) -> Sequence {
        let len = 1 + rng.below(self.max_len);
        let mut seq: Sequence = Vec::with_capacity(len);
        for _ in 0..len {
            let call = self.follow_up(seq.last(), rng, ctx);
            seq.push(call);
        }
        seq
    }

    /// A random call that often keeps the previous call's sender: many bugs
    /// need several calls from one account (deposit, then withdraw twice).
    fn follow_up(&self, previous: Option<&Call>, rng: &mut Rng, ctx: &ValueContext) -> Call {
        let mut call = self.random_call(rng, ctx);
        if let Some(prev) = previous {
            if rng.chance(1, 2) {
                call.sender = prev.sender;
            }
        }
        call
    }

    /// A mutated copy of `seq`. `cmps` are the comparison operands observed
    /// in its last call; `other` is another corpus sequence for splicing.
    pub fn mutate_sequence(
        &self,
        seq: &Sequence,
        cmps: &[(U256, U256)],
        other: Option<&Sequence>,
        rng: &mut Rng,
        ctx: &ValueContext,
    ) -> Sequence {
        let mut out = seq.clone();
        let rounds = 1 + rng.below(3);
        for _ in 0..rounds {
            match rng.below(100) {
                0..=24 if !cmps.is_empty() && !out.is_empty() => {
                    let last = out.len() - 1;
                    comparison_guided(&mut out[last], cmps, rng);
                }
                0..=44 if !out.is_empty() => {
                    // Change an argument, usually of one of the last calls.
                    let i = pick_index_biased_to_end(out.len(), rng);
                    self.mutate_args(&mut out[i], rng, ctx);
                }
                45..=64 => {
                    let n = 1 + rng.below(3);
                    for _ in 0..n {
                        let call = self.follow_up(out.last(), rng, ctx);
                        out.push(call);
                    }
                }
                65..=69 if !out.is_empty() => {
                    // Repeat the last call a few times.
                    let last = out[out.len() - 1].clone();
                    for _ in 0..1 + rng.below(3) {
                        out.push(last.clone());
                    }
                }
                70..=74 => {
                    let at = rng.below(out.len() + 1);
                    out.insert(at, self.random_call(rng, ctx));
                }
                75..=79 if out.len() > 1 => {
                    out.remove(rng.below(out.len()));
                }
                80..=83 if out.len() > 1 => {
                    let (a, b) = (rng.below(out.len()), rng.below(out.len()));
                    out.swap(a, b);
                }
                84..=87 if !out.is_empty() => {
                    let i = rng.below(out.len());
                    out.insert(i, out[i].clone());
                }
                88..=93 if !out.is_empty() => {
                    let i = pick_index_biased_to_end(out.len(), rng);
                    let c = &mut out[i];
                    match rng.below(3) {
                        0 => c.sender = *rng.pick(&self.world.senders).unwrap(),
                        1 => (c.warp, c.roll) = random_delay(rng),
                        _ => {
                            if self.world.targets[c.target].functions[c.func].payable {
                                c.value = random_value(rng, ctx);
                            }
                        }
                    }
                }
                _ => {
                    if let Some(other) = other.filter(|o| !o.is_empty()) {
                        let cut = rng.below(out.len() + 1);
                        let from = rng.below(other.len());
                        out.truncate(cut);
                        out.extend(other[from..].iter().cloned());
                    } else {
                        out.push(self.random_call(rng, ctx));
                    }
                }
            }
        }
        if out.is_empty() {
            out.push(self.random_call(rng, ctx));
        }
        out.truncate(self.max_len);
        out
    }

    fn mutate_args(&self, call: &mut Call, rng: &mut Rng, ctx: &ValueContext) {
        let f = &self.world.targets[call.target].functions[call.func];
        if call.args.is_empty() || rng.chance(1, 10) {
            *call = self.random_call(rng, ctx);
            return;
        }
        let n = if rng.chance(1, 4) { call.args.len() } else { 1 };
        for _ in 0..n {
            let i = rng.below(call.args.len());
            if rng.chance(1, 4) {
                call.args[i] = generate(&f.types[i], rng, ctx);
            } else {
                mutate(&mut call.args[i], &f.types[i], rng, ctx);
            }
        }
    }
}

/// Input-to-state substitution: when an argument equals one side of a
/// comparison the call made, set it to the other side (or next to it).
fn comparison_guided(call: &mut Call, cmps: &[(U256, U256)], rng: &mut Rng) {
    let mut leaves: Vec<&mut alloy_dyn_abi::DynSolValue> =
        call.args.iter_mut().flat_map(leaves_mut).collect();
    if leaves.is_empty() {
        return;
    }
    let mut matches: Vec<(usize, U256)> = Vec::new();
    for (li, leaf) in leaves.iter().enumerate() {
        let Some(w) = leaf_word(leaf) else { continue };
        for &(a, b) in cmps {
            if a == w {
                matches.push((li, b));
            } else if b == w {
                matches.push((li, a));
            }
        }
    }
    let (li, target) = match rng.pick(&matches) {
        Some(m) => *m,
        // No argument flows into a comparison as is: try an operand anyway.
        None => {
            let (a, b) = *rng.pick(cmps).unwrap();
            (
                rng.below(leaves.len()),
                if rng.chance(1, 2) { a } else { b },
            )
        }
    };
    let target = match rng.below(4) {
        0 => target.wrapping_add(U256::from(1)),
        1 => target.wrapping_sub(U256::from(1)),
        _ => target,
    };
    if let Some(v) = with_word(leaves[li], target) {
        *leaves[li] = v;
    }
}

fn pick_index_biased_to_end(len: usize, rng: &mut Rng) -> usize {
    if rng.chance(1, 2) {
        len - 1
    } else {
        rng.below(len)
    }
}

fn random_delay(rng: &mut Rng) -> (u64, u64) {
    if rng.chance(3, 4) {
        return (0, 0);
    }
    let warp = if rng.chance(1, 2) {
        *rng.pick(&WARPS).unwrap()
    } else {
        1 + rng.below(30 * 86_400) as u64
    };
    (warp, (warp / 12).max(1))
}

fn random_value(rng: &mut Rng, ctx: &ValueContext) -> U256 {
    let ether = U256::from(1_000_000_000_000_000_000u128);
    match rng.below(10) {
        0..=5 => U256::ZERO,
        6 => U256::from(1 + rng.below(1000)),
        7 => ether * U256::from(1 + rng.below(100)),
        8 => ctx
            .dict
            .pick(rng)
            .map(|v| v % (ether * U256::from(1_000_000u64)))
            .unwrap_or(ether),
        _ => U256::from(rng.next_u64()),
    }
}
