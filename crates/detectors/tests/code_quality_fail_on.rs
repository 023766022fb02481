//! Code-quality findings (issue 4: informational and optimization
//! severities) never fail a run unless the user asks for it with
//! `--fail-on informational` or `--fail-on optimization`.
//!
//! The exit code is decided by `bulwark_report::exit_code` from each
//! finding's severity, so the guarantee rests on two facts checked here:
//! every code-quality detector is registered below `low`, and findings at
//! those severities leave the default threshold and `low` clean.

use bulwark_detectors::{audit_project, registry, Selection};
use bulwark_report::{exit_code, FailOn, Severity, EXIT_CLEAN, EXIT_FINDINGS};
use bulwark_sema::{LoadOptions, Project};

/// The code-quality detectors of issue 4.
const CODE_QUALITY: &[&str] = &[
    "costly-loop",
    "could-be-constant",
    "could-be-immutable",
    "dead-code",
    "floating-pragma",
    "missing-event",
    "inline-assembly",
    "known-compiler-bug",
    "outdated-compiler",
    "shadowing-builtin",
];

/// A contract that trips every code-quality detector at least once.
const SLOPPY: &str = r#"pragma solidity ^0.6.0;

contract Sloppy {
    uint256 public now;
    address public owner;
    uint256 public fee = 30;
    address public treasury = msg.sender;
    uint256 public total;
    uint256 public rate;

    function setOwner(address next) public {
        assembly { sstore(1, next) }
    }

    function setRate(uint256 next) public {
        require(msg.sender == owner);
        rate = next;
    }

    function grow(uint8 base, uint8 e) public pure returns (uint8) {
        return base ** e;
        base = 1;
    }

    uint8[] public levels;

    function setLevels(uint8[] memory next) public {
        levels = next;
    }

    function add(uint256[] memory amounts) public {
        for (uint256 i = 0; i < amounts.length; i++) {
            total += amounts[i] * fee;
        }
    }

    function _unused() private {}
}
"#;

#[test]
fn code_quality_detectors_are_registered_below_low() {
    for id in CODE_QUALITY {
        let meta = registry::find(id).unwrap_or_else(|| panic!("{id} is not registered"));
        assert!(
            matches!(
                meta.severity,
                Severity::Informational | Severity::Optimization
            ),
            "{id} is {:?}: code-quality detectors must stay below `low`",
            meta.severity
        );
    }
}

#[test]
fn code_quality_findings_do_not_fail_a_run_by_default() {
    let project = Project::from_sources(&[("sloppy.sol", SLOPPY)], &LoadOptions::default());
    let findings: Vec<_> = audit_project(&project, &Selection::only(CODE_QUALITY.iter().copied()));
    for id in CODE_QUALITY {
        assert!(
            findings.iter().any(|f| f.detector == *id),
            "the sample should trip {id}; findings: {:?}",
            findings.iter().map(|f| &f.detector).collect::<Vec<_>>()
        );
    }
    assert_eq!(exit_code(&findings, FailOn::default()), EXIT_CLEAN);
    assert_eq!(
        exit_code(&findings, FailOn::AtLeast(Severity::Low)),
        EXIT_CLEAN
    );
    // Asked for explicitly, they do fail it.
    assert_eq!(
        exit_code(&findings, FailOn::AtLeast(Severity::Informational)),
        EXIT_FINDINGS
    );
}
