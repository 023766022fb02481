//! Shrinking a failing sequence: fewest calls first, then the simplest
//! senders, values, delays and arguments that still break the same thing.

use alloy_dyn_abi::DynSolValue;
use revm::primitives::{Address, U256};

use crate::campaign::{Call, FailureKey, Runner, Sequence, Watch};
use crate::values::leaves_mut;

/// Replays allowed per shrink; each is one sequence execution.
pub const DEFAULT_SHRINK_BUDGET: usize = 4000;

struct Shrinker<'r> {
    runner: &'r mut Runner,
    key: FailureKey,
    watched: Vec<bool>,
    budget: usize,
    deadline: std::time::Instant,
}

impl Shrinker<'_> {
    /// Length of the shortest prefix of `seq` that still fails, if it does.
    fn fails(&mut self, seq: &[Call]) -> Option<usize> {
        if self.budget == 0 {
            return None;
        }
        self.budget -= 1;
        if std::time::Instant::now() >= self.deadline {
            // Out of time: make every remaining step a no-op.
            self.budget = 0;
            return None;
        }
        let watch = Watch {
            properties: &self.watched,
            stop_at_first: false,
        };
        let (hits, _) = self.runner.run(seq, &watch, |_, _, _| {}).ok()?;
        hits.iter()
            .find(|h| h.key == self.key)
            .map(|h| h.at.map_or(0, |i| i + 1))
    }

    /// Like `attempt`, but when the candidate no longer fails, tries to
    /// repair its last call with the comparisons that call made: removing
    /// `deposit(1247)` breaks a later `withdraw(1247)`, whose `balance >=
    /// amount` check names the amount that works now.
    fn attempt_with_repair(&mut self, best: &mut Sequence, candidate: Sequence) -> bool {
        if self.attempt(best, candidate.clone()) {
            return true;
        }
        let Some(last) = candidate.len().checked_sub(1) else {
            return false;
        };
        if candidate[last].args.is_empty() || self.budget == 0 {
            return false;
        }
        self.budget -= 1;
        let mut cmps: Vec<(U256, U256)> = Vec::new();
        let watch = Watch {
            properties: &self.watched,
            stop_at_first: false,
        };
        let ran = self.runner.run(&candidate, &watch, |i, obs, _| {
            if i == last {
                cmps.extend(obs.cmps.iter().take(64).copied());
            }
        });
        if ran.is_err() {
            return false;
        }
        let mut tries = 0;
        for a in 0..candidate[last].args.len() {
            let Some(word) = crate::values::leaf_word(&candidate[last].args[a]) else {
                continue;
            };
            let partners: Vec<U256> = cmps
                .iter()
                .filter_map(|&(x, y)| {
                    if x == word {
                        Some(y)
                    } else if y == word {
                        Some(x)
                    } else {
                        None
                    }
                })
                .collect();
            for p in partners {
                for v in [
                    p,
                    p.wrapping_add(U256::from(1)),
                    p.wrapping_sub(U256::from(1)),
                ] {
                    let Some(replacement) = crate::values::with_word(&candidate[last].args[a], v)
                    else {
                        continue;
                    };
                    let mut repaired = candidate.clone();
                    repaired[last].args[a] = replacement;
                    if self.attempt(best, repaired) {
                        return true;
                    }
                    tries += 1;
                    if tries >= 4 {
                        return false;
                    }
                }
            }
        }
        false
    }

    /// Tries `candidate`; keeps it (cut to its failing prefix) if it fails
    /// and is simpler than the current best (which makes shrinking
    /// terminate even when a repair moves a value back up).
    fn attempt(&mut self, best: &mut Sequence, candidate: Sequence) -> bool {
        let first = self.runner.world.senders[0];
        if complexity(&candidate, first) >= complexity(best, first) {
            return false;
        }
        match self.fails(&candidate) {
            Some(len) => {
                let mut c = candidate;
                c.truncate(len);
                *best = c;
                true
            }
            None => false,
        }
    }

    fn remove_calls(&mut self, best: &mut Sequence) -> bool {
        let mut progress = false;
        let mut chunk = (best.len() / 2).max(1);
        loop {
            let mut start = 0;
            while start < best.len() && self.budget > 0 {
                let mut candidate = best.clone();
                let end = (start + chunk).min(candidate.len());
                // The removed calls' delays move to the next call, so the
                // time that passed stays the same.
                let (warp, roll) = candidate[start..end]
                    .iter()
                    .fold((0u64, 0u64), |(w, r), c| {
                        (w.saturating_add(c.warp), r.saturating_add(c.roll))
                    });
                candidate.drain(start..end);
                if let Some(next) = candidate.get_mut(start) {
                    next.warp = next.warp.saturating_add(warp);
                    next.roll = next.roll.saturating_add(roll);
                }
                if self.attempt_with_repair(best, candidate) {
                    progress = true;
                } else {
                    start += chunk;
                }
            }
            if chunk == 1 || self.budget == 0 {
                return progress;
            }
            chunk /= 2;
        }
    }

    fn simplify_calls(&mut self, best: &mut Sequence) -> bool {
        let first_sender = self.runner.world.senders[0];
        let mut progress = false;
        for i in 0..best.len() {
            if i >= best.len() || self.budget == 0 {
                break;
            }
            // Whole-call simplifications, each applied to the current best.
            type Edit = fn(&Call, Address) -> Option<Call>;
            let edits: [Edit; 6] = [
                |c, first| {
                    (c.sender != first).then(|| Call {
                        sender: first,
                        ..c.clone()
                    })
                },
                |c, _| {
                    (!c.value.is_zero()).then(|| Call {
                        value: U256::ZERO,
                        ..c.clone()
                    })
                },
                |c, _| {
                    (c.value > U256::from(1)).then(|| Call {
                        value: U256::from(1),
                        ..c.clone()
                    })
                },
                |c, _| {
                    (c.value > U256::from(1)).then(|| Call {
                        value: c.value >> 1,
                        ..c.clone()
                    })
                },
                |c, _| {
                    (c.warp > 0 || c.roll > 0).then(|| Call {
                        warp: 0,
                        roll: 0,
                        ..c.clone()
                    })
                },
                |c, _| {
                    (c.warp > 1 || c.roll > 1).then(|| Call {
                        warp: c.warp / 2,
                        roll: c.roll / 2,
                        ..c.clone()
                    })
                },
            ];
            for edit in edits {
                let Some(edited) = best.get(i).and_then(|c| edit(c, first_sender)) else {
                    continue;
                };
                let mut candidate = best.clone();
                candidate[i] = edited;
                progress |= self.attempt_with_repair(best, candidate);
            }
            // Argument simplifications, repeated while one works.
            let mut a = 0;
            while i < best.len() && a < best[i].args.len() && self.budget > 0 {
                let options = crate::values::simpler(&best[i].args[a], first_sender);
                let mut improved = false;
                for option in options {
                    let mut candidate = best.clone();
                    candidate[i].args[a] = option;
                    if self.attempt_with_repair(best, candidate) {
                        improved = true;
                        progress = true;
                        break;
                    }
                }
                if !improved {
                    a += 1;
                }
            }
        }
        progress
    }

    /// Moves numeric arguments and delays toward zero by binary search
    /// between a failing value and a passing smaller one (`simpler` and the
    /// call edits only try a few fixed candidates).
    fn minimise_numbers(&mut self, best: &mut Sequence) -> bool {
        let mut progress = false;
        let mut i = 0;
        while i < best.len() && self.budget > 0 {
            let slots = numeric_slots(&best[i]);
            for a in 0..slots {
                // The last slot is the call's time delay.
                let Some(current) = best.get(i).and_then(|c| numeric_slot(c, a)) else {
                    continue;
                };
                let (mut lo, mut hi) = (U256::ZERO, current);
                while hi > lo + U256::from(1) && self.budget > 0 {
                    let mid = lo + ((hi - lo) >> 1);
                    let Some(candidate_call) =
                        best.get(i).and_then(|c| with_numeric_slot(c, a, mid))
                    else {
                        break;
                    };
                    let mut candidate = best.clone();
                    candidate[i] = candidate_call;
                    if self.attempt(best, candidate) {
                        hi = mid;
                        progress = true;
                    } else {
                        lo = mid;
                    }
                }
            }
            i += 1;
        }
        progress
    }
}

/// How complicated a sequence is to read: fewer calls first, then smaller
/// numbers (by bit length), shorter data, the first sender, no ETH and no
/// delays; ties broken by the sum of the numbers themselves, so that the
/// binary search can still go from 6 to 5.
fn complexity(seq: &[Call], first_sender: Address) -> (usize, u64, U256) {
    let bits = |v: U256| 256 - v.leading_zeros() as u64;
    fn value_cost(v: &DynSolValue, first: Address) -> u64 {
        let bits = |v: U256| 256 - v.leading_zeros() as u64;
        match v {
            DynSolValue::Bool(b) => *b as u64,
            DynSolValue::Uint(n, _) => bits(*n),
            DynSolValue::Int(n, _) => bits(n.unsigned_abs()) + n.is_negative() as u64,
            DynSolValue::Address(a) if a.is_zero() => 0,
            DynSolValue::Address(a) if *a == first => 1,
            DynSolValue::Address(a) => 2 + bits(U256::from_be_slice(a.as_slice())) / 32,
            DynSolValue::FixedBytes(w, _) => bits(U256::from_be_bytes(w.0)),
            DynSolValue::Bytes(b) => {
                8 * b.len() as u64 + b.iter().filter(|x| **x != 0).count() as u64
            }
            DynSolValue::String(t) => 8 * t.len() as u64,
            DynSolValue::Array(items) => {
                items.len() as u64 * 8 + items.iter().map(|i| value_cost(i, first)).sum::<u64>()
            }
            DynSolValue::FixedArray(items) | DynSolValue::Tuple(items) => {
                items.iter().map(|i| value_cost(i, first)).sum()
            }
            _ => 0,
        }
    }
    let cost = seq
        .iter()
        .map(|c| {
            c.args
                .iter()
                .map(|a| value_cost(a, first_sender))
                .sum::<u64>()
                + bits(c.value)
                + bits(U256::from(c.warp))
                + bits(U256::from(c.roll))
                + (c.sender != first_sender) as u64
        })
        .sum();
    let magnitude = seq.iter().fold(U256::ZERO, |acc, c| {
        let mut args = c.args.clone();
        args.iter_mut()
            .flat_map(leaves_mut)
            .filter_map(|v| match v {
                DynSolValue::Uint(n, _) => Some(*n),
                _ => None,
            })
            .chain([c.value, U256::from(c.warp)])
            .fold(acc, |a, n| a.saturating_add(n))
    });
    (seq.len(), cost, magnitude)
}

/// The value of a call's numeric slot: the `a`-th unsigned number among
/// the leaves of its arguments (struct fields and array elements
/// included), or the delay when `a` is one past the last of them.
fn numeric_slot(c: &Call, a: usize) -> Option<U256> {
    let mut args = c.args.clone();
    let leaves: Vec<&mut DynSolValue> = args.iter_mut().flat_map(leaves_mut).collect();
    match leaves.get(a) {
        Some(DynSolValue::Uint(v, _)) => Some(*v),
        Some(_) => None,
        None if a == leaves.len() && c.warp > 0 => Some(U256::from(c.warp)),
        None => None,
    }
}

/// Number of numeric slots of a call (leaves, plus the delay).
fn numeric_slots(c: &Call) -> usize {
    let mut args = c.args.clone();
    args.iter_mut().map(|a| leaves_mut(a).len()).sum::<usize>() + 1
}

fn with_numeric_slot(c: &Call, a: usize, v: U256) -> Option<Call> {
    let mut out = c.clone();
    let mut leaves: Vec<&mut DynSolValue> = out.args.iter_mut().flat_map(leaves_mut).collect();
    let count = leaves.len();
    match leaves.get_mut(a) {
        Some(DynSolValue::Uint(slot, _)) => *slot = v,
        Some(_) => return None,
        None if a == count => {
            let warp: u64 = v.saturating_to();
            // Blocks advance with time (12 s per block), as when fuzzing.
            out.roll = if c.warp > 0 {
                (c.roll as u128 * warp as u128 / c.warp as u128) as u64
            } else {
                c.roll
            };
            out.warp = warp;
        }
        None => return None,
    }
    Some(out)
}

/// Shrinks `seq`, which must trigger `key`; returns the smallest failing
/// sequence found within `budget` replays.
pub fn shrink(
    runner: &mut Runner,
    seq: &[Call],
    key: &FailureKey,
    budget: usize,
    deadline: std::time::Instant,
) -> Sequence {
    let watched = (0..runner.world.properties.len())
        .map(|i| *key == FailureKey::Property(i))
        .collect();
    let mut s = Shrinker {
        runner,
        key: key.clone(),
        watched,
        budget,
        deadline,
    };
    let mut best: Sequence = seq.to_vec();
    match s.fails(&best) {
        Some(len) => best.truncate(len),
        None => return best,
    }
    loop {
        let mut progress = s.remove_calls(&mut best);
        progress |= s.simplify_calls(&mut best);
        progress |= s.minimise_numbers(&mut best);
        if !progress || s.budget == 0 {
            break;
        }
    }
    best
}
