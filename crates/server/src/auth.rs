//! API keys: format, hashing and scopes.
//!
//! A key reads `bwk_<id>_<secret>`. The id (16 hex digits) finds the stored
//! record; the secret (32 random bytes) is checked against its SHA-256. The
//! secret has 256 bits of entropy, so a fast hash is enough (a slow
//! password hash protects guessable secrets, which these are not), and it
//! keeps authentication cheap on every request.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use crate::util::{hex, random_bytes};

/// What a key may do. Scopes nest: `admin` implies `write`, which implies
/// `read`.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// List and read projects, audits, findings and reports.
    Read,
    /// Also upload, start and cancel audits, triage findings.
    Write,
    /// Also manage the organisation's API keys.
    Admin,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Read => "read",
            Scope::Write => "write",
            Scope::Admin => "admin",
        }
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Scope {
    type Err = String;
    fn from_str(s: &str) -> Result<Scope, String> {
        match s {
            "read" => Ok(Scope::Read),
            "write" => Ok(Scope::Write),
            "admin" => Ok(Scope::Admin),
            _ => Err(format!(
                "unknown scope `{s}`, expected read, write or admin"
            )),
        }
    }
}

/// Stored as a comma-separated list.
pub fn scopes_to_text(scopes: &[Scope]) -> String {
    scopes
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

pub fn scopes_from_text(text: &str) -> Vec<Scope> {
    text.split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect()
}

/// The caller of a request, once its key has been checked.
#[derive(Clone, Debug)]
pub struct Principal {
    pub key_id: String,
    pub key_name: String,
    pub org_id: String,
    pub operator: bool,
    pub scopes: Vec<Scope>,
}

impl Principal {
    /// True when any granted scope is `needed` or above it.
    pub fn allows(&self, needed: Scope) -> bool {
        self.scopes.iter().any(|&s| s >= needed)
    }

    /// How the caller appears in finding history.
    pub fn actor(&self) -> String {
        format!("{} ({})", self.key_name, self.key_id)
    }
}

/// A freshly generated key: the token is shown once, only its hash is kept.
pub struct NewKey {
    pub id: String,
    pub token: String,
    pub secret_hash: String,
}

pub fn generate_key() -> NewKey {
    let id_hex = hex(&random_bytes(8));
    let secret = hex(&random_bytes(32));
    NewKey {
        id: format!("key_{id_hex}"),
        token: format!("bwk_{id_hex}_{secret}"),
        secret_hash: hash_secret(&secret),
    }
}

pub fn hash_secret(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

/// Splits a presented token into the key id and the secret; `None` when it
/// does not have the key shape (so we skip the database entirely).
pub fn parse_token(token: &str) -> Option<(String, &str)> {
    let rest = token.strip_prefix("bwk_")?;
    let (id_hex, secret) = rest.split_once('_')?;
    let is_hex = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_hexdigit());
    (is_hex(id_hex, 16) && is_hex(secret, 64)).then(|| (format!("key_{id_hex}"), secret))
}

/// Compares two hashes in time independent of where they differ.
pub fn hashes_equal(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_token_parses_back_and_matches_its_hash() {
        let key = generate_key();
        let (id, secret) = parse_token(&key.token).expect("token shape");
        assert_eq!(id, key.id);
        assert!(hashes_equal(&hash_secret(secret), &key.secret_hash));
        assert!(!hashes_equal(&hash_secret("other"), &key.secret_hash));
    }

    #[test]
    fn malformed_tokens_are_rejected_without_lookup() {
        for bad in [
            "",
            "bwk_",
            "bwk_zz_yy",
            "Bearer x",
            "bwk_0123456789abcdef_short",
        ] {
            assert!(parse_token(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn scopes_nest() {
        let p = Principal {
            key_id: "k".into(),
            key_name: "n".into(),
            org_id: "o".into(),
            operator: false,
            scopes: vec![Scope::Write],
        };
        assert!(p.allows(Scope::Read) && p.allows(Scope::Write) && !p.allows(Scope::Admin));
        assert_eq!(
            scopes_from_text(&scopes_to_text(&[Scope::Read, Scope::Admin])),
            vec![Scope::Read, Scope::Admin]
        );
    }
}
