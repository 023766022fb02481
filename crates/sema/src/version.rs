//! Compiler versions: `pragma solidity` requirements and the effective
//! version a file is analysed under.
//!
//! The same text means different things under different compilers (checked
//! arithmetic, default visibility, `.call` return values, …), so every file
//! gets one effective [`Version`] and the semantic passes ask it through the
//! feature helpers below instead of comparing numbers themselves.
//!
//! Choice of the effective version: the *lowest* known release satisfying
//! the pragma. A pragma's lower bound is the version the author wrote
//! against (`^0.8.0` code may not use 0.8.4 custom errors), and picking it
//! keeps legacy behaviour where the range allows both (`>=0.4.22 <0.6.0`
//! analyses as 0.4.22: functions without visibility are public). A project
//! setting (foundry `solc_version`) or [`crate::LoadOptions::solc_version`]
//! overrides that choice when it satisfies the pragma. A file without pragma
//! gets the latest known release.

use std::fmt;

/// A Solidity compiler release, `major.minor.patch`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version {
    pub major: u16,
    pub minor: u16,
    pub patch: u16,
}

impl Version {
    pub const fn new(major: u16, minor: u16, patch: u16) -> Version {
        Version {
            major,
            minor,
            patch,
        }
    }

    /// The newest release this crate knows of.
    pub const LATEST: Version = Version::new(0, 8, 37);

    /// Parses `0.8.20` (also `0.8`, `v0.8.20`, and `0.8.20+commit…`).
    pub fn parse(text: &str) -> Option<Version> {
        let text = text.trim().trim_start_matches('v');
        let text = text.split(['+', '-']).next().unwrap_or("");
        let mut parts = text.split('.');
        let major = parts.next()?.trim().parse().ok()?;
        let minor = parts.next().map_or(Some(0), |p| p.trim().parse().ok())?;
        let patch = parts.next().map_or(Some(0), |p| p.trim().parse().ok())?;
        if parts.next().is_some() {
            return None;
        }
        Some(Version::new(major, minor, patch))
    }

    fn at_least(self, major: u16, minor: u16, patch: u16) -> bool {
        self >= Version::new(major, minor, patch)
    }

    // --- feature helpers -------------------------------------------------

    /// 0.8+: `+ - *` etc. revert on overflow outside `unchecked`.
    pub fn has_checked_arithmetic(self) -> bool {
        self.at_least(0, 8, 0)
    }

    /// Before 0.5 a function without visibility is public.
    pub fn default_function_visibility_public(self) -> bool {
        !self.at_least(0, 5, 0)
    }

    /// 0.5+: `addr.call(...)` returns `(bool, bytes memory)`, before only `bool`.
    pub fn call_returns_tuple(self) -> bool {
        self.at_least(0, 5, 0)
    }

    /// 0.5+: `address` and `address payable` are distinct types, and only
    /// the latter has `transfer`/`send`.
    pub fn has_address_payable(self) -> bool {
        self.at_least(0, 5, 0)
    }

    /// 0.5+: local variables are visible from their declaration to the end
    /// of their block; before, anywhere in the function (JavaScript-like).
    pub fn block_scoped_locals(self) -> bool {
        self.at_least(0, 5, 0)
    }

    /// 0.4.22+: the `constructor` keyword exists.
    pub fn has_constructor_keyword(self) -> bool {
        self.at_least(0, 4, 22)
    }

    /// 0.5+: a function named after its contract is no longer a constructor.
    pub fn has_legacy_constructors(self) -> bool {
        !self.at_least(0, 5, 0)
    }

    /// 0.6+: functions must be marked `virtual`/`override`; before, every
    /// function is implicitly virtual.
    pub fn has_explicit_virtual(self) -> bool {
        self.at_least(0, 6, 0)
    }

    /// 0.7+: `now` is gone (use `block.timestamp`).
    pub fn has_now(self) -> bool {
        !self.at_least(0, 7, 0)
    }

    /// Before 0.5: `sha3`, `suicide`, `msg.gas`, `block.blockhash`, `throw`,
    /// `callcode`, `years` exist.
    pub fn has_pre_050_builtins(self) -> bool {
        !self.at_least(0, 5, 0)
    }

    /// 0.5+: inline assembly is functional only (no labels, jumps, stack
    /// assignments or bare instructions), so a bare name it does not
    /// declare must be a Solidity variable.
    pub fn has_functional_only_assembly(self) -> bool {
        self.at_least(0, 5, 0)
    }

    /// 0.6+: a builtin must be called even inside an expression
    /// (`gas()`); 0.5 still accepted `call(gas, ...)` (checked with solc-js
    /// 0.5.17 and 0.6.12).
    pub fn has_called_builtins_only(self) -> bool {
        self.at_least(0, 6, 0)
    }

    /// 0.7+: assembly accesses storage locations as `x.slot`/`x.offset`;
    /// before 0.7 as `x_slot`/`x_offset`.
    pub fn has_dotted_assembly_suffixes(self) -> bool {
        self.at_least(0, 7, 0)
    }

    /// 0.8.18+: `block.prevrandao`; `block.difficulty` stays as an alias.
    pub fn has_prevrandao(self) -> bool {
        self.at_least(0, 8, 18)
    }

    /// 0.8.4+: custom errors and `revert E()`.
    pub fn has_custom_errors(self) -> bool {
        self.at_least(0, 8, 4)
    }

    /// 0.8.0+: `type(T).min/max` for integers, `block.chainid` (0.8.0),
    /// and explicit conversions are stricter.
    pub fn is_08(self) -> bool {
        self.at_least(0, 8, 0)
    }

    /// 0.6+: `type(C).name/creationCode/runtimeCode`, `try`/`catch`,
    /// `receive`/`fallback` keywords, `abstract`.
    pub fn is_06(self) -> bool {
        self.at_least(0, 6, 0)
    }

    /// 0.5+ (the big breaking release).
    pub fn is_05(self) -> bool {
        self.at_least(0, 5, 0)
    }

    /// 0.7+.
    pub fn is_07(self) -> bool {
        self.at_least(0, 7, 0)
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

/// Last patch release of each 0.x minor line we support, used to enumerate
/// [`known_releases`].
const LAST_PATCH: [(u16, u16); 5] = [(4, 26), (5, 17), (6, 12), (7, 6), (8, 37)];

/// Every solc release from 0.4.0 to [`Version::LATEST`], ascending.
pub fn known_releases() -> impl Iterator<Item = Version> {
    LAST_PATCH
        .iter()
        .flat_map(|&(minor, last)| (0..=last).map(move |patch| Version::new(0, minor, patch)))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Exact,
    Greater,
    GreaterEq,
    Less,
    LessEq,
    /// `^x.y.z`: same left-most non-zero component.
    Caret,
    /// `~x.y.z`: same minor.
    Tilde,
}

/// One `op version` term; `parts` is how many of the components were
/// written (`0.8` is 2), which matters for `^`, `~` and bare versions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Comparator {
    op: Op,
    version: Version,
    parts: u8,
}

impl Comparator {
    fn matches(&self, v: Version) -> bool {
        let w = self.version;
        match self.op {
            Op::Exact => match self.parts {
                1 => v.major == w.major,
                2 => (v.major, v.minor) == (w.major, w.minor),
                _ => v == w,
            },
            Op::Greater => v > w,
            Op::GreaterEq => v >= w,
            Op::Less => v < w,
            Op::LessEq => match self.parts {
                // `<=0.8` allows every 0.8.x.
                1 => v.major <= w.major,
                2 => (v.major, v.minor) <= (w.major, w.minor),
                _ => v <= w,
            },
            Op::Tilde => {
                v >= w
                    && match self.parts {
                        1 => v.major == w.major,
                        _ => (v.major, v.minor) == (w.major, w.minor),
                    }
            }
            Op::Caret => {
                v >= w
                    && if w.major > 0 || self.parts == 1 {
                        v.major == w.major
                    } else if w.minor > 0 || self.parts == 2 {
                        (v.major, v.minor) == (w.major, w.minor)
                    } else {
                        v == w
                    }
            }
        }
    }
}

/// A `pragma solidity` requirement: alternatives separated by `||`, each a
/// conjunction of comparators (`>=0.4.22 <0.6.0`), or a hyphen range
/// (`0.5.0 - 0.6.0`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VersionReq {
    alternatives: Vec<Vec<Comparator>>,
}

impl VersionReq {
    /// Parses the text after `pragma solidity`.
    pub fn parse(text: &str) -> Result<VersionReq, String> {
        let mut alternatives = Vec::new();
        for alt in text.split("||") {
            alternatives.push(parse_conjunction(alt)?);
        }
        Ok(VersionReq { alternatives })
    }

    pub fn matches(&self, v: Version) -> bool {
        self.alternatives
            .iter()
            .any(|conj| conj.iter().all(|c| c.matches(v)))
    }

    /// The lowest known release satisfying the requirement.
    pub fn lowest_known(&self) -> Option<Version> {
        known_releases().find(|&v| self.matches(v))
    }

    /// The highest known release satisfying the requirement.
    pub fn highest_known(&self) -> Option<Version> {
        known_releases().filter(|&v| self.matches(v)).last()
    }
}

fn parse_conjunction(text: &str) -> Result<Vec<Comparator>, String> {
    let tokens: Vec<&str> = text.split_whitespace().collect();
    if let [low, "-", high] = tokens[..] {
        let (low, _) = parse_version_parts(low)?;
        let (high, parts) = parse_version_parts(high)?;
        return Ok(vec![
            Comparator {
                op: Op::GreaterEq,
                version: low,
                parts: 3,
            },
            Comparator {
                op: Op::LessEq,
                version: high,
                parts,
            },
        ]);
    }
    let mut out = Vec::new();
    let mut pending_op: Option<&str> = None;
    for token in tokens {
        // An operator may be separated from its version by a space: `>= 0.4.0`.
        let (op_text, rest) = split_operator(token);
        let (op_text, rest) = match pending_op.take() {
            Some(op) if op_text.is_empty() => (op, rest),
            Some(op) => return Err(format!("operator `{op}` without a version")),
            None => (op_text, rest),
        };
        if rest.is_empty() {
            pending_op = Some(op_text);
            continue;
        }
        let op = match op_text {
            "" | "=" => Op::Exact,
            ">" => Op::Greater,
            ">=" => Op::GreaterEq,
            "<" => Op::Less,
            "<=" => Op::LessEq,
            "^" => Op::Caret,
            "~" => Op::Tilde,
            other => return Err(format!("unknown version operator `{other}`")),
        };
        let (version, parts) = parse_version_parts(rest)?;
        out.push(Comparator { op, version, parts });
    }
    if let Some(op) = pending_op {
        return Err(format!("operator `{op}` without a version"));
    }
    if out.is_empty() {
        return Err("empty version requirement".into());
    }
    Ok(out)
}

fn split_operator(token: &str) -> (&str, &str) {
    let end = token
        .find(|c: char| !matches!(c, '<' | '>' | '=' | '^' | '~'))
        .unwrap_or(token.len());
    token.split_at(end)
}

fn parse_version_parts(text: &str) -> Result<(Version, u8), String> {
    let text = text.trim_matches('"');
    let mut values = [0u16; 3];
    let mut parts = 0u8;
    for (i, part) in text.split('.').enumerate() {
        if i >= 3 {
            return Err(format!("bad version `{text}`"));
        }
        if matches!(part, "x" | "X" | "*") {
            break;
        }
        values[i] = part.parse().map_err(|_| format!("bad version `{text}`"))?;
        parts += 1;
    }
    if parts == 0 {
        return Err(format!("bad version `{text}`"));
    }
    Ok((Version::new(values[0], values[1], values[2]), parts))
}

/// Where a file's effective version came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VersionSource {
    /// The lowest known release satisfying the file's pragma.
    Pragma,
    /// A configured compiler version ([`crate::LoadOptions::solc_version`],
    /// foundry `solc`/`solc_version`) that satisfies the pragma.
    Configured,
    /// No (usable) pragma: the configured version or [`Version::LATEST`].
    Default,
}

/// A file's version requirement and the version it is analysed under.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VersionInfo {
    /// The pragma text(s) as written, e.g. `^0.8.0`; several pragmas are
    /// joined with a space (they all apply).
    pub pragma: Option<String>,
    /// The parsed requirement; `None` without pragma or when unparsable.
    pub requirement: Option<VersionReq>,
    pub effective: Version,
    pub source: VersionSource,
}

impl VersionInfo {
    /// Decides the effective version of a file from its pragma texts and an
    /// optional configured version.
    pub fn decide(pragmas: &[&str], configured: Option<Version>) -> VersionInfo {
        let pragma = (!pragmas.is_empty()).then(|| pragmas.join(" "));
        let requirement = pragma.as_deref().and_then(|p| VersionReq::parse(p).ok());
        let (effective, source) = match &requirement {
            Some(req) => match configured.filter(|&v| req.matches(v)) {
                Some(v) => (v, VersionSource::Configured),
                None => match req.lowest_known() {
                    Some(v) => (v, VersionSource::Pragma),
                    None => (
                        configured.unwrap_or(Version::LATEST),
                        VersionSource::Default,
                    ),
                },
            },
            None => (
                configured.unwrap_or(Version::LATEST),
                VersionSource::Default,
            ),
        };
        VersionInfo {
            pragma,
            requirement,
            effective,
            source,
        }
    }

    /// The newest known release of the effective version's series
    /// (`0.x`) that the pragma allows; the effective version itself when a
    /// compiler was configured. Code written for `^0.8.0` may use what a
    /// later 0.8 release added (it then only compiles there), so additions
    /// within a series are judged by this version, while the semantics
    /// that change between series follow the effective one.
    pub fn newest_compatible(&self) -> Version {
        let e = self.effective;
        if self.source == VersionSource::Configured {
            return e;
        }
        known_releases()
            .filter(|v| v.major == e.major && v.minor == e.minor && *v >= e)
            .filter(|&v| self.requirement.as_ref().is_none_or(|r| r.matches(v)))
            .last()
            .unwrap_or(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lowest(req: &str) -> Option<String> {
        VersionReq::parse(req)
            .ok()?
            .lowest_known()
            .map(|v| v.to_string())
    }

    #[test]
    fn lowest_release_of_common_pragmas() {
        assert_eq!(lowest("^0.8.0").as_deref(), Some("0.8.0"));
        assert_eq!(lowest("^0.4.24").as_deref(), Some("0.4.24"));
        assert_eq!(lowest(">=0.4.22 <0.6.0").as_deref(), Some("0.4.22"));
        assert_eq!(lowest(">= 0.6.2 < 0.8.0").as_deref(), Some("0.6.2"));
        assert_eq!(lowest("0.7.6").as_deref(), Some("0.7.6"));
        assert_eq!(lowest("~0.5.1").as_deref(), Some("0.5.1"));
        assert_eq!(lowest(">0.8.4").as_deref(), Some("0.8.5"));
        assert_eq!(lowest("^0.5.0 || ^0.6.0").as_deref(), Some("0.5.0"));
        assert_eq!(lowest("0.5.0 - 0.6.0").as_deref(), Some("0.5.0"));
        assert_eq!(lowest("0.8").as_deref(), Some("0.8.0"));
        assert_eq!(lowest(">=0.9.0"), None);
    }

    #[test]
    fn caret_and_tilde_bounds() {
        let req = VersionReq::parse("^0.4.24").unwrap();
        assert!(req.matches(Version::new(0, 4, 26)));
        assert!(!req.matches(Version::new(0, 5, 0)));
        assert!(!req.matches(Version::new(0, 4, 23)));
        let req = VersionReq::parse("<=0.8").unwrap();
        assert!(req.matches(Version::new(0, 8, 20)));
        assert!(!req.matches(Version::new(0, 9, 0)));
        assert!(VersionReq::parse(">=").is_err());
        assert!(VersionReq::parse("abc").is_err());
    }

    #[test]
    fn configured_version_wins_only_when_allowed() {
        let info = VersionInfo::decide(&["^0.8.0"], Some(Version::new(0, 8, 20)));
        assert_eq!(info.effective, Version::new(0, 8, 20));
        assert_eq!(info.source, VersionSource::Configured);
        let info = VersionInfo::decide(&["^0.7.0"], Some(Version::new(0, 8, 20)));
        assert_eq!(info.effective, Version::new(0, 7, 0));
        let info = VersionInfo::decide(&[], None);
        assert_eq!(info.effective, Version::LATEST);
        assert_eq!(info.source, VersionSource::Default);
    }

    #[test]
    fn newest_compatible_release_stays_in_the_series() {
        let info = VersionInfo::decide(&["^0.6.0"], None);
        assert_eq!(info.newest_compatible(), Version::new(0, 6, 12));
        let info = VersionInfo::decide(&[">=0.5.0 <0.8.4"], None);
        assert_eq!(info.effective, Version::new(0, 5, 0));
        assert_eq!(info.newest_compatible(), Version::new(0, 5, 17));
        let info = VersionInfo::decide(&[">=0.8.0 <0.8.4"], None);
        assert_eq!(info.newest_compatible(), Version::new(0, 8, 3));
        let info = VersionInfo::decide(&["^0.8.0"], Some(Version::new(0, 8, 10)));
        assert_eq!(info.newest_compatible(), Version::new(0, 8, 10));
    }

    #[test]
    fn feature_helpers_follow_release_history() {
        let v04 = Version::new(0, 4, 24);
        let v08 = Version::new(0, 8, 0);
        assert!(v04.default_function_visibility_public());
        assert!(!v04.call_returns_tuple() && v08.call_returns_tuple());
        assert!(!v04.has_checked_arithmetic() && v08.has_checked_arithmetic());
        assert!(v04.has_now() && !v08.has_now());
    }
}
