//! Detector fixtures: every annotated `// expect:` finding must be reported
//! on its line, and nothing else (by the detectors in the file's scope).
//!
//! `fixtures_match_annotations` is the end-to-end check: it analyses every
//! fixture with every implemented detector. The structural checks keep
//! fixtures from drifting from the registry or losing their annotations to
//! a typo.

mod harness;

use std::collections::{BTreeMap, BTreeSet};

use bulwark_detectors::registry;
use harness::analysis::analyse_fixture;
use harness::annotations::{self, Annotations};
use harness::compare::{compare, scope};
use harness::fixture_files::{self, FixtureFile};

/// The minimum number of positives and of near misses per detector.
const MIN_PER_DETECTOR: usize = 3;

fn read(file: &FixtureFile) -> String {
    std::fs::read_to_string(&file.path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display))
}

/// Parses every fixture, panicking with every annotation error found.
fn parse_all() -> Vec<(FixtureFile, Annotations)> {
    let mut parsed = Vec::new();
    let mut errors = Vec::new();
    for file in fixture_files::all() {
        match annotations::parse(&read(&file)) {
            Ok(a) => parsed.push((file, a)),
            Err(errs) => errors.extend(errs.iter().map(|e| format!("{}: {e}", file.display))),
        }
    }
    assert!(
        errors.is_empty(),
        "malformed annotations:\n{}",
        errors.join("\n")
    );
    parsed
}

#[test]
fn every_fixture_folder_is_a_registered_detector_and_vice_versa() {
    let folders: BTreeSet<String> = fixture_files::folders().into_iter().collect();
    let ids: BTreeSet<String> = registry::ids().into_iter().map(String::from).collect();
    let unregistered: Vec<_> = folders.difference(&ids).collect();
    let without_fixtures: Vec<_> = ids.difference(&folders).collect();
    assert!(
        unregistered.is_empty() && without_fixtures.is_empty(),
        "fixture folders naming no detector: {unregistered:?}; detectors without fixtures: {without_fixtures:?}"
    );
}

#[test]
fn annotations_are_well_formed_and_name_registered_detectors() {
    let mut unknown = Vec::new();
    for (file, parsed) in parse_all() {
        for e in &parsed.expectations {
            if registry::find(&e.detector).is_none() {
                unknown.push(format!(
                    "{}:{}: `{}` is not registered",
                    file.display, e.line, e.detector
                ));
            }
        }
    }
    assert!(unknown.is_empty(), "{}", unknown.join("\n"));
}

#[test]
fn every_detector_has_enough_positives_and_near_misses() {
    let mut positives: BTreeMap<String, usize> = BTreeMap::new();
    let mut near_misses: BTreeMap<String, usize> = BTreeMap::new();
    for (file, parsed) in parse_all() {
        let own = &file.folder_detector;
        *positives.entry(own.clone()).or_default() += parsed
            .expectations
            .iter()
            .filter(|e| &e.detector == own)
            .count();
        *near_misses.entry(own.clone()).or_default() += parsed.near_misses.len();
    }
    let mut short = Vec::new();
    for id in registry::ids() {
        let p = positives.get(id).copied().unwrap_or(0);
        let n = near_misses.get(id).copied().unwrap_or(0);
        if p < MIN_PER_DETECTOR || n < MIN_PER_DETECTOR {
            short.push(format!("{id}: {p} positives, {n} near misses"));
        }
    }
    assert!(
        short.is_empty(),
        "each detector needs at least {MIN_PER_DETECTOR} of each:\n{}",
        short.join("\n")
    );
}

#[test]
fn fixtures_match_annotations() {
    let mut failures = Vec::new();
    for (file, parsed) in parse_all() {
        let source = read(&file);
        match analyse_fixture(&file.path, &source) {
            Ok(reported) => {
                let in_scope = scope(&file.folder_detector, &parsed.expectations);
                let mismatch = compare(&parsed.expectations, &reported, &in_scope);
                if !mismatch.is_empty() {
                    failures.push(mismatch.describe(&file.display));
                }
            }
            Err(message) => failures.push(format!("{}: {message}", file.display)),
        }
    }
    assert!(
        failures.is_empty(),
        "fixture findings differ from the annotations:\n{}",
        failures.join("\n")
    );
}
