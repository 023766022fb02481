//! Runs a campaign: parallel workers share a corpus and a coverage map,
//! failures are shrunk as soon as they are found, and the campaign goes on
//! until every property has failed or the budget (time, runs) is spent.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use revm::primitives::{Address, U256};

use super::corpus::{self, Entry};
use super::mutate::Generator;
use super::runner::{CallResult, Runner, Watch};
use super::sequence::{FailureKey, Sequence};
use crate::evm::MAP_SIZE;
use crate::harness::Mode;
use crate::rng::Rng;
use crate::shrink::shrink;
use crate::values::ValueContext;
use crate::world::World;

/// Budget and knobs of a campaign.
#[derive(Debug, Clone)]
pub struct CampaignConfig {
    pub workers: usize,
    pub seed: u64,
    pub time_limit: Option<Duration>,
    /// Number of sequences to run (Foundry's `runs`).
    pub runs: Option<u64>,
    /// Maximum calls per sequence (Foundry's `depth`, Echidna's `seqLen`).
    pub seq_len: usize,
    pub corpus_dir: Option<PathBuf>,
    pub shrink_budget: usize,
    /// Time allowed for shrinking every failure, after the campaign.
    pub shrink_time: Duration,
}

impl Default for CampaignConfig {
    fn default() -> Self {
        CampaignConfig {
            workers: 1,
            seed: 0,
            time_limit: Some(Duration::from_secs(60)),
            runs: None,
            seq_len: 50,
            corpus_dir: None,
            shrink_budget: crate::shrink::DEFAULT_SHRINK_BUDGET,
            shrink_time: Duration::from_secs(30),
        }
    }
}

/// A broken property or failed assertion, with its shrunk sequence.
#[derive(Debug, Clone)]
pub struct FailureRecord {
    pub key: FailureKey,
    pub message: String,
    pub sequence: Sequence,
    /// Outcome of each call of `sequence` on replay.
    pub results: Vec<CallResult>,
    /// Length of the sequence before shrinking.
    pub original_len: usize,
    pub found_after: Duration,
    /// Index of the call (target, function) where an assertion failed.
    pub failing_call: Option<usize>,
    /// Code address and PC of the failing `assert` or assertion event.
    pub site: Option<(Address, usize)>,
}

/// Live figures, for the status line.
#[derive(Debug, Clone, Copy)]
pub struct Snapshot {
    pub elapsed: Duration,
    pub calls: u64,
    pub sequences: u64,
    pub edges: usize,
    pub corpus: usize,
    pub broken_properties: usize,
    pub failures: usize,
}

#[derive(Debug, Clone)]
pub struct CampaignResult {
    pub failures: Vec<FailureRecord>,
    pub calls: u64,
    pub sequences: u64,
    pub elapsed: Duration,
    pub edges: usize,
    pub corpus_size: usize,
}

struct Shared {
    corpus: RwLock<Vec<Arc<Entry>>>,
    seeds: Mutex<Vec<Sequence>>,
    virgin: Mutex<Vec<u8>>,
    edges: AtomicUsize,
    failures: Mutex<BTreeMap<FailureKey, Option<FailureRecord>>>,
    broken: Vec<AtomicBool>,
    calls: AtomicU64,
    sequences: AtomicU64,
    stop: AtomicBool,
    start: Instant,
}

impl Shared {
    fn snapshot(&self) -> Snapshot {
        Snapshot {
            elapsed: self.start.elapsed(),
            calls: self.calls.load(Ordering::Relaxed),
            sequences: self.sequences.load(Ordering::Relaxed),
            edges: self.edges.load(Ordering::Relaxed),
            corpus: self.corpus.read().map(|c| c.len()).unwrap_or(0),
            broken_properties: self
                .broken
                .iter()
                .filter(|b| b.load(Ordering::Relaxed))
                .count(),
            failures: self.failures.lock().map(|f| f.len()).unwrap_or(0),
        }
    }
}

/// Sequences kept in memory at most, and how many of the newest are never
/// evicted.
const MAX_CORPUS: usize = 8192;
const RECENT: usize = 256;

/// AFL-style hit-count buckets: one bit per order of magnitude.
fn bucket(count: u8) -> u8 {
    match count {
        0 => 0,
        1 => 1,
        2 => 2,
        3 => 4,
        4..=7 => 8,
        8..=15 => 16,
        16..=31 => 32,
        32..=127 => 64,
        _ => 128,
    }
}

/// Shrinks every failure (in parallel, one runner per thread) and replays
/// the result to record each call's outcome for the PoC writer.
fn shrink_all(
    world: &Arc<World>,
    found: Vec<FailureRecord>,
    cfg: &CampaignConfig,
) -> Result<Vec<FailureRecord>, String> {
    // The shrink phase as a whole takes at most `shrink_time`; each failure
    // gets its share. The execution budget (`shrink_budget`) usually ends a
    // shrink first; the time share only matters on a slow or loaded machine,
    // where a hidden fixed cap used to leave sequences unshrunk when the
    // caller had allowed more time.
    let workers = cfg.workers.max(1);
    // Failures are shrunk `workers` at a time: ceil(n / workers) rounds.
    let rounds = found.len().div_ceil(workers).max(1);
    let per_failure = cfg.shrink_time / rounds as u32;
    let queue = Mutex::new(found.into_iter().enumerate().collect::<Vec<_>>());
    let done: Mutex<Vec<(usize, FailureRecord)>> = Mutex::new(Vec::new());
    let errors: Mutex<Vec<String>> = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                let mut runner = Runner::new(world.clone());
                loop {
                    let Some((i, mut record)) = queue.lock().unwrap().pop() else {
                        return;
                    };
                    match shrink_one(&mut runner, &mut record, cfg, per_failure) {
                        Ok(()) => done.lock().unwrap().push((i, record)),
                        Err(e) => errors.lock().unwrap().push(e),
                    }
                }
            });
        }
    });
    if let Some(e) = errors.into_inner().unwrap().into_iter().next() {
        return Err(e);
    }
    let mut done = done.into_inner().unwrap();
    done.sort_by_key(|(i, _)| *i);
    Ok(done.into_iter().map(|(_, r)| r).collect())
}

fn shrink_one(
    runner: &mut Runner,
    record: &mut FailureRecord,
    cfg: &CampaignConfig,
    time: Duration,
) -> Result<(), String> {
    let deadline = Instant::now() + time;
    record.sequence = shrink(
        runner,
        &record.sequence,
        &record.key,
        cfg.shrink_budget,
        deadline,
    );
    let all = vec![true; runner.world.properties.len()];
    let (hits, results) = runner.run(
        &record.sequence,
        &Watch {
            properties: &all,
            stop_at_first: false,
        },
        |_, _, _| {},
    )?;
    if let Some(same) = hits.iter().find(|h| h.key == record.key) {
        record.message = same.message.clone();
        record.failing_call = same.at;
        record.site = same.site.or(record.site);
    }
    record.results = results;
    Ok(())
}

/// Runs the campaign. `status` is called about once a second.
pub fn run_campaign(
    world: Arc<World>,
    cfg: &CampaignConfig,
    status: Option<&(dyn Fn(&Snapshot) + Sync)>,
) -> Result<CampaignResult, String> {
    let seeds = cfg
        .corpus_dir
        .as_deref()
        .map(|d| corpus::load_dir(&world, d))
        .unwrap_or_default();
    let shared = Shared {
        corpus: RwLock::new(Vec::new()),
        seeds: Mutex::new(seeds),
        virgin: Mutex::new(vec![0; MAP_SIZE]),
        edges: AtomicUsize::new(0),
        failures: Mutex::new(BTreeMap::new()),
        broken: world
            .properties
            .iter()
            .map(|_| AtomicBool::new(false))
            .collect(),
        calls: AtomicU64::new(0),
        sequences: AtomicU64::new(0),
        stop: AtomicBool::new(false),
        start: Instant::now(),
    };
    // Properties that already fail right after deployment.
    let mut runner = Runner::new(world.clone());
    for hit in runner.initial_hits()? {
        if let FailureKey::Property(p) = hit.key {
            shared.broken[p].store(true, Ordering::Relaxed);
        }
        shared.failures.lock().unwrap().insert(
            hit.key.clone(),
            Some(FailureRecord {
                key: hit.key,
                message: hit.message,
                sequence: vec![],
                results: vec![],
                original_len: 0,
                found_after: Duration::ZERO,
                failing_call: None,
                site: None,
            }),
        );
    }
    drop(runner);

    let workers = cfg.workers.max(1);
    let errors: Mutex<Vec<String>> = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        let mut handles = Vec::new();
        for id in 0..workers {
            let world = world.clone();
            let shared = &shared;
            let errors = &errors;
            handles.push(scope.spawn(move || {
                if let Err(e) = worker(id, world, shared, cfg) {
                    errors.lock().unwrap().push(e);
                    shared.stop.store(true, Ordering::Relaxed);
                }
            }));
        }
        let mut last_status = Instant::now();
        while handles.iter().any(|h| !h.is_finished()) {
            std::thread::sleep(Duration::from_millis(50));
            if cfg.time_limit.is_some_and(|t| shared.start.elapsed() >= t) {
                shared.stop.store(true, Ordering::Relaxed);
            }
            if let Some(cb) = status {
                if last_status.elapsed() >= Duration::from_secs(1) {
                    last_status = Instant::now();
                    cb(&shared.snapshot());
                }
            }
        }
    });
    if let Some(e) = errors.into_inner().unwrap().into_iter().next() {
        return Err(e);
    }
    let snap = shared.snapshot();
    let found: Vec<FailureRecord> = shared
        .failures
        .into_inner()
        .unwrap()
        .into_values()
        .flatten()
        .collect();
    let failures = shrink_all(&world, found, cfg)?;
    Ok(CampaignResult {
        failures,
        calls: snap.calls,
        sequences: snap.sequences,
        elapsed: snap.elapsed,
        edges: snap.edges,
        corpus_size: snap.corpus,
    })
}

fn worker(
    id: usize,
    world: Arc<World>,
    shared: &Shared,
    cfg: &CampaignConfig,
) -> Result<(), String> {
    let mut rng = Rng::new(
        cfg.seed
            .wrapping_add((id as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)),
    );
    let mut runner = Runner::new(world.clone());
    let mut dict = world.constants.clone();
    let gen = Generator::new(&world, cfg.seq_len);
    let mut local_virgin = vec![0u8; MAP_SIZE];
    // Hit counts summed over the calls of the current sequence: a sequence
    // that runs the same branch more often than any before is kept, which
    // rewards repeating calls (withdraw twice, deposit three times).
    let mut seq_hits = vec![0u8; MAP_SIZE];
    let mut seq_touched: Vec<u32> = Vec::with_capacity(1024);
    let mut pending: Vec<U256> = Vec::with_capacity(64);
    let mut iteration: u64 = 0;
    let every_property_can_break = world.mode != Mode::Assertion;
    loop {
        if shared.stop.load(Ordering::Relaxed) {
            return Ok(());
        }
        if let Some(limit) = cfg.runs {
            if shared.sequences.fetch_add(1, Ordering::Relaxed) >= limit {
                shared.sequences.fetch_sub(1, Ordering::Relaxed);
                return Ok(());
            }
        } else {
            shared.sequences.fetch_add(1, Ordering::Relaxed);
        }
        iteration += 1;
        if iteration.is_multiple_of(512) {
            // Learn what the other workers covered.
            let global = shared.virgin.lock().unwrap();
            for (l, g) in local_virgin.iter_mut().zip(global.iter()) {
                *l |= *g;
            }
        }

        let seed = shared.seeds.lock().unwrap().pop();
        let seq = match seed {
            Some(s) => s,
            None => {
                let ctx = ValueContext {
                    dict: &dict,
                    addresses: &world.addresses,
                };
                let corpus = shared.corpus.read().unwrap();
                if corpus.is_empty() || rng.chance(1, 10) {
                    drop(corpus);
                    gen.random_sequence(&mut rng, &ctx)
                } else {
                    let n = corpus.len();
                    let i = if rng.chance(1, 2) {
                        n - 1 - rng.below(n.min(32))
                    } else {
                        rng.below(n)
                    };
                    let entry = corpus[i].clone();
                    let other = corpus[rng.below(n)].clone();
                    drop(corpus);
                    gen.mutate_sequence(&entry.seq, &entry.cmps, Some(&other.seq), &mut rng, &ctx)
                }
            }
        };

        let watched: Vec<bool> = shared
            .broken
            .iter()
            .map(|b| !b.load(Ordering::Relaxed))
            .collect();
        let mut new_at: Option<usize> = None;
        let mut frontier: Vec<(U256, U256)> = Vec::new();
        let watch = Watch {
            properties: &watched,
            stop_at_first: false,
        };
        for &idx in &seq_touched {
            seq_hits[idx as usize] = 0;
        }
        seq_touched.clear();
        let (hits, _) = runner.run(&seq, &watch, |i, obs, out| {
            let mut new = false;
            for &idx in &obs.touched {
                let total = &mut seq_hits[idx as usize];
                if *total == 0 {
                    seq_touched.push(idx);
                }
                *total = total.saturating_add(obs.hits[idx as usize]);
                let b = bucket(*total);
                let seen = &mut local_virgin[idx as usize];
                if *seen & b != b {
                    *seen |= b;
                    new = true;
                }
            }
            if new {
                new_at = Some(i);
                frontier.clear();
                frontier.extend(obs.cmps.iter().take(48).copied());
            }
            for &(a, b) in obs.cmps.iter().take(8) {
                pending.push(a);
                pending.push(b);
            }
            pending.extend(obs.stores.iter().take(4).copied());
            for word in out.output.chunks(32).take(2) {
                if word.len() == 32 {
                    pending.push(U256::from_be_slice(word));
                }
            }
        })?;
        shared.calls.fetch_add(seq.len() as u64, Ordering::Relaxed);
        for v in pending.drain(..) {
            dict.observe(v, &mut rng);
        }

        if let Some(at) = new_at {
            {
                let mut global = shared.virgin.lock().unwrap();
                let mut added = 0;
                for (g, l) in global.iter_mut().zip(local_virgin.iter()) {
                    if *g == 0 && *l != 0 {
                        added += 1;
                    }
                    *g |= *l;
                }
                shared.edges.fetch_add(added, Ordering::Relaxed);
            }
            let kept: Sequence = seq[..=at].to_vec();
            if let Some(dir) = &cfg.corpus_dir {
                let _ = corpus::save(&world, dir, &kept);
            }
            let entry = Arc::new(Entry {
                seq: kept,
                cmps: frontier,
            });
            let mut corpus = shared.corpus.write().unwrap();
            if corpus.len() < MAX_CORPUS {
                corpus.push(entry);
            } else {
                // Memory stays flat on long runs: a full corpus replaces an
                // older entry (coverage already learnt stays in the map).
                let victim = rng.below(MAX_CORPUS - RECENT);
                corpus.remove(victim);
                corpus.push(entry);
            }
        }

        for hit in hits {
            let mut failures = shared.failures.lock().unwrap();
            if failures.contains_key(&hit.key) {
                continue;
            }
            if let FailureKey::Property(p) = hit.key {
                shared.broken[p].store(true, Ordering::Relaxed);
            }
            // Shrinking waits for the end of the campaign: finding the next
            // failure matters more than polishing this one now.
            let end = hit.at.map_or(0, |i| i + 1);
            failures.insert(
                hit.key.clone(),
                Some(FailureRecord {
                    key: hit.key.clone(),
                    message: hit.message,
                    failing_call: hit.at,
                    site: hit.site,
                    sequence: seq[..end].to_vec(),
                    results: vec![],
                    original_len: end,
                    found_after: shared.start.elapsed(),
                }),
            );
        }
        if every_property_can_break
            && !shared.broken.is_empty()
            && shared.broken.iter().all(|b| b.load(Ordering::Relaxed))
        {
            shared.stop.store(true, Ordering::Relaxed);
        }
    }
}
