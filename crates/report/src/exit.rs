//! The CI contract of `bulwark audit`: which exit code a run ends with.

use crate::config::FailOn;
use crate::model::Finding;

/// No finding at or above the `fail-on` threshold.
pub const EXIT_CLEAN: i32 = 0;
/// At least one finding at or above the threshold.
pub const EXIT_FINDINGS: i32 = 1;
/// Usage or input errors (decided by the CLI, not by this module).
pub const EXIT_ERROR: i32 = 2;

/// [`EXIT_FINDINGS`] when a finding is at least as severe as `fail_on`,
/// else [`EXIT_CLEAN`]. Pass the findings that are actually reported (after
/// suppressions, path filtering and severity overrides).
pub fn exit_code(findings: &[Finding], fail_on: FailOn) -> i32 {
    let fails = match fail_on {
        FailOn::Never => false,
        FailOn::AtLeast(threshold) => findings.iter().any(|f| f.severity.is_at_least(threshold)),
    };
    if fails {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Confidence, Location, Severity};

    fn finding(severity: Severity) -> Finding {
        Finding {
            detector: "d".into(),
            title: "t".into(),
            severity,
            confidence: Confidence::High,
            swc: vec![],
            categories: vec![],
            message: "m".into(),
            locations: vec![Location::new("a.sol", 1, 1, 1, 2)],
            fingerprint: String::new(),
        }
    }

    #[test]
    fn fails_only_at_or_above_the_threshold() {
        let medium = [finding(Severity::Low), finding(Severity::Medium)];
        assert_eq!(
            exit_code(&medium, FailOn::AtLeast(Severity::High)),
            EXIT_CLEAN
        );
        assert_eq!(
            exit_code(&medium, FailOn::AtLeast(Severity::Medium)),
            EXIT_FINDINGS
        );
        assert_eq!(
            exit_code(&[finding(Severity::Critical)], FailOn::default()),
            EXIT_FINDINGS
        );
    }

    #[test]
    fn never_and_no_findings_are_clean() {
        assert_eq!(
            exit_code(&[finding(Severity::Critical)], FailOn::Never),
            EXIT_CLEAN
        );
        assert_eq!(
            exit_code(&[], FailOn::AtLeast(Severity::Optimization)),
            EXIT_CLEAN
        );
    }
}
