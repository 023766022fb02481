//! Semantic checks of request fields, collected so that one 422 response
//! lists every problem at once.

use crate::problem::{ApiError, FieldError};

#[derive(Default)]
pub struct Checks {
    errors: Vec<FieldError>,
}

impl Checks {
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.errors.push(FieldError {
            field: field.to_string(),
            message: message.into(),
        });
    }

    pub fn finish(self) -> Result<(), ApiError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::validation(self.errors))
        }
    }
}

/// Names of organisations, keys and projects: 1-100 printable characters.
pub fn check_name(checks: &mut Checks, field: &str, name: &str) {
    let trimmed = name.trim();
    if trimmed.is_empty() {
        checks.add(field, "must not be empty");
    } else if trimmed.chars().count() > 100 {
        checks.add(field, "must be at most 100 characters");
    } else if trimmed.chars().any(char::is_control) {
        checks.add(field, "must not contain control characters");
    }
}

/// A `fail_on` value: `none` or a severity.
pub fn check_fail_on(checks: &mut Checks, field: &str, value: &str) {
    if value.parse::<bulwark_report::FailOn>().is_err() {
        checks.add(
            field,
            "expected `none` or a severity: critical, high, medium, low, informational, optimization",
        );
    }
}

/// Detector ids: kebab-case, and known to the engine when it lists them.
pub fn check_detectors(checks: &mut Checks, field: &str, ids: &[String], known: Option<&[String]>) {
    for (i, id) in ids.iter().enumerate() {
        let kebab = !id.is_empty()
            && id.len() <= 100
            && id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !kebab {
            checks.add(
                &format!("{field}[{i}]"),
                "a detector id is kebab-case (`reentrancy-eth`)",
            );
        } else if known.is_some_and(|known| !known.iter().any(|k| k == id)) {
            checks.add(&format!("{field}[{i}]"), format!("unknown detector `{id}`"));
        }
    }
}
