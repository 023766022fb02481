//! Solidity versions and the semver-style constraints of `pragma solidity`.
//!
//! Only what pragmas use is supported: comparators (`=`, `<`, `<=`, `>`,
//! `>=`), caret and tilde ranges, partial versions (`0.8` means `0.8.x`),
//! hyphen ranges and `||` alternatives.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

/// A compiler version `major.minor.patch` (pre-release tags are dropped).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Version {
    pub major: u32,
    pub minor: u32,
    pub patch: u32,
}

impl Version {
    pub const fn new(major: u32, minor: u32, patch: u32) -> Self {
        Version {
            major,
            minor,
            patch,
        }
    }

    /// Extract the first `X.Y.Z` in a string such as `solc --version` output
    /// (`Version: 0.8.19+commit.7dd6d404.Linux.g++`) or a solc-js
    /// `version()` string.
    pub fn find_in(text: &str) -> Option<Version> {
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i].is_ascii_digit() && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric()) {
                let end = text[i..]
                    .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                    .map_or(text.len(), |n| i + n);
                if let Ok(v) = text[i..end].trim_end_matches('.').parse::<Version>() {
                    return Some(v);
                }
            }
            i += 1;
        }
        None
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

impl FromStr for Version {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let core = s.split(['+', '-']).next().unwrap_or(s);
        let parts: Vec<&str> = core.split('.').collect();
        if parts.len() != 3 {
            return Err(format!("`{s}` is not a version of the form X.Y.Z"));
        }
        let num = |p: &str| {
            p.parse::<u32>()
                .map_err(|_| format!("`{s}` is not a version"))
        };
        Ok(Version::new(num(parts[0])?, num(parts[1])?, num(parts[2])?))
    }
}

/// A version written in a pragma; missing parts are wildcards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Partial {
    major: u32,
    minor: Option<u32>,
    patch: Option<u32>,
}

impl Partial {
    fn parse(s: &str) -> Option<Partial> {
        let mut it = s.split('.');
        let major = it.next()?.parse().ok()?;
        let part = |p: Option<&str>| match p {
            None | Some("x") | Some("X") | Some("*") => Ok(None),
            Some(p) => p.parse().map(Some).map_err(|_| ()),
        };
        let minor = part(it.next()).ok()?;
        let patch = part(it.next()).ok()?;
        if it.next().is_some() {
            return None;
        }
        Some(Partial {
            major,
            minor,
            patch,
        })
    }

    fn floor(self) -> Version {
        Version::new(self.major, self.minor.unwrap_or(0), self.patch.unwrap_or(0))
    }

    /// The smallest version above every version this partial covers.
    fn ceiling(self) -> Version {
        match (self.minor, self.patch) {
            (None, _) => Version::new(self.major + 1, 0, 0),
            (Some(m), None) => Version::new(self.major, m + 1, 0),
            (Some(m), Some(p)) => Version::new(self.major, m, p + 1),
        }
    }
}

/// One `lower <= v < upper`-style interval; all intervals of a pragma must
/// hold at once (conjunction), alternatives are separate `Range`s.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Bound {
    op: Ordering,
    inclusive: bool,
    version: Version,
}

impl Bound {
    fn admits(&self, v: Version) -> bool {
        let ord = v.cmp(&self.version);
        ord == self.op || (self.inclusive && ord == Ordering::Equal)
    }
}

/// A parsed version constraint, e.g. `^0.8.0` or `>=0.6.0 <0.9.0 || 0.5.17`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionReq {
    alternatives: Vec<Vec<Bound>>,
    text: String,
}

impl VersionReq {
    /// A requirement every version satisfies.
    pub fn any() -> Self {
        VersionReq {
            alternatives: vec![vec![]],
            text: "*".into(),
        }
    }

    pub fn matches(&self, v: Version) -> bool {
        self.alternatives
            .iter()
            .any(|all| all.iter().all(|b| b.admits(v)))
    }

    pub fn parse(text: &str) -> Result<VersionReq, String> {
        let mut alternatives = Vec::new();
        for alt in text.split("||") {
            alternatives.push(parse_conjunction(alt.trim()).ok_or_else(|| {
                format!("cannot understand the version constraint `{}`", text.trim())
            })?);
        }
        Ok(VersionReq {
            alternatives,
            text: text.trim().to_string(),
        })
    }
}

impl fmt::Display for VersionReq {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

fn ge(v: Version) -> Bound {
    Bound {
        op: Ordering::Greater,
        inclusive: true,
        version: v,
    }
}

fn lt(v: Version) -> Bound {
    Bound {
        op: Ordering::Less,
        inclusive: false,
        version: v,
    }
}

fn parse_conjunction(text: &str) -> Option<Vec<Bound>> {
    // Glue operators to their versions: ">= 0.8.0" -> ">=0.8.0".
    let mut tokens: Vec<String> = Vec::new();
    for tok in text.split_whitespace() {
        match tokens.last_mut() {
            Some(last) if last.chars().all(|c| "<>=^~".contains(c)) && !last.is_empty() => {
                last.push_str(tok)
            }
            _ => tokens.push(tok.to_string()),
        }
    }
    let mut bounds = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        // Hyphen range: `A - B`.
        if i + 2 < tokens.len() && tokens[i + 1] == "-" {
            let lo = Partial::parse(&tokens[i])?;
            let hi = Partial::parse(&tokens[i + 2])?;
            bounds.push(ge(lo.floor()));
            bounds.push(lt(hi.ceiling()));
            i += 3;
            continue;
        }
        bounds.extend(parse_comparator(&tokens[i])?);
        i += 1;
    }
    Some(bounds)
}

fn parse_comparator(tok: &str) -> Option<Vec<Bound>> {
    let split = tok.find(|c: char| c.is_ascii_digit()).unwrap_or(tok.len());
    let (op, ver) = tok.split_at(split);
    let p = Partial::parse(ver)?;
    let bounds = match op {
        "" | "=" => vec![ge(p.floor()), lt(p.ceiling())],
        ">=" => vec![ge(p.floor())],
        ">" => vec![ge(p.ceiling())],
        "<" => vec![lt(p.floor())],
        "<=" => vec![lt(p.ceiling())],
        "~" => {
            let upper = match p.minor {
                Some(m) => Version::new(p.major, m + 1, 0),
                None => Version::new(p.major + 1, 0, 0),
            };
            vec![ge(p.floor()), lt(upper)]
        }
        "^" => {
            // The left-most non-zero part is locked.
            let upper = if p.major > 0 {
                Version::new(p.major + 1, 0, 0)
            } else {
                match (p.minor, p.patch) {
                    (None, _) => Version::new(1, 0, 0),
                    (Some(0), Some(pt)) => Version::new(0, 0, pt + 1),
                    (Some(m), _) => Version::new(0, m + 1, 0),
                }
            };
            vec![ge(p.floor()), lt(upper)]
        }
        _ => return None,
    };
    Some(bounds)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        s.parse().unwrap()
    }

    #[test]
    fn caret_locks_the_minor_for_zero_major() {
        let r = VersionReq::parse("^0.8.19").unwrap();
        assert!(r.matches(v("0.8.19")));
        assert!(r.matches(v("0.8.37")));
        assert!(!r.matches(v("0.8.18")));
        assert!(!r.matches(v("0.9.0")));
    }

    #[test]
    fn ranges_and_alternatives() {
        let r = VersionReq::parse(">=0.6.0 <0.8.0").unwrap();
        assert!(r.matches(v("0.7.6")));
        assert!(!r.matches(v("0.8.0")));
        let r = VersionReq::parse(">= 0.4.22 < 0.6.0 || 0.8.1").unwrap();
        assert!(r.matches(v("0.5.17")));
        assert!(r.matches(v("0.8.1")));
        assert!(!r.matches(v("0.8.2")));
        let r = VersionReq::parse("0.4.24").unwrap();
        assert!(r.matches(v("0.4.24")) && !r.matches(v("0.4.25")));
        let r = VersionReq::parse("~0.5").unwrap();
        assert!(r.matches(v("0.5.17")) && !r.matches(v("0.6.0")));
        let r = VersionReq::parse("0.8.0 - 0.8.5").unwrap();
        assert!(r.matches(v("0.8.5")) && !r.matches(v("0.8.6")));
        let r = VersionReq::parse(">0.8.3").unwrap();
        assert!(!r.matches(v("0.8.3")) && r.matches(v("0.8.4")));
    }

    #[test]
    fn finds_versions_in_tool_output() {
        let out = "solc, the solidity compiler commandline interface\nVersion: 0.8.19+commit.7dd6d404.Linux.g++";
        assert_eq!(Version::find_in(out), Some(v("0.8.19")));
        assert_eq!(
            Version::find_in("0.4.24+commit.e67f0147.Emscripten.clang"),
            Some(v("0.4.24"))
        );
        assert!(VersionReq::parse("banana").is_err());
    }
}
