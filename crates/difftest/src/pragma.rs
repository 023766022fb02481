//! Choosing a compiler for a file from its `pragma solidity` line.
//!
//! Only what is needed to pick one of the installed solc-js versions: the
//! npm-semver subset Solidity pragmas use (`^`, `~`, comparison operators,
//! bare and partial versions, `x`/`*` wildcards, hyphen ranges and `||`).

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
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

    /// Parse `0.8.20` (a trailing `-fixed`/`+commit` suffix is ignored).
    pub fn parse(text: &str) -> Option<Version> {
        let core = text.split(['-', '+']).next()?;
        let mut parts = core.split('.');
        let major = parts.next()?.parse().ok()?;
        let minor = parts.next()?.parse().ok()?;
        let patch = parts.next()?.parse().ok()?;
        parts
            .next()
            .is_none()
            .then_some(Version::new(major, minor, patch))
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

/// A version constraint: alternatives (`||`) of conjunctions of comparators.
/// Every npm operator reduces to half-open bounds `>= floor` and `< ceiling`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionReq {
    alternatives: Vec<Vec<Comparator>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Lt,
    Ge,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Comparator {
    op: Op,
    version: Version,
}

impl Comparator {
    fn matches(&self, v: Version) -> bool {
        match self.op {
            Op::Lt => v < self.version,
            Op::Ge => v >= self.version,
        }
    }
}

/// A version as written in a pragma: missing or wildcard parts are `None`.
#[derive(Debug, Clone, Copy)]
struct Partial {
    major: u32,
    minor: Option<u32>,
    patch: Option<u32>,
}

impl Partial {
    fn parse(text: &str) -> Result<Partial, String> {
        let text = text.trim_start_matches(['v', '=']);
        let mut parts = text.split('.');
        let number = |part: Option<&str>| -> Result<Option<u32>, String> {
            match part {
                None | Some("x") | Some("X") | Some("*") => Ok(None),
                Some(p) => p
                    .parse()
                    .map(Some)
                    .map_err(|_| format!("bad version component {p:?} in {text:?}")),
            }
        };
        let major = number(parts.next())?.unwrap_or(0);
        let minor = number(parts.next())?;
        let patch = if minor.is_some() {
            number(parts.next())?
        } else {
            None
        };
        Ok(Partial {
            major,
            minor,
            patch,
        })
    }

    fn floor(self) -> Version {
        Version::new(self.major, self.minor.unwrap_or(0), self.patch.unwrap_or(0))
    }

    /// The first version above everything this partial version covers.
    fn ceiling(self) -> Version {
        match (self.minor, self.patch) {
            (None, _) => Version::new(self.major + 1, 0, 0),
            (Some(minor), None) => Version::new(self.major, minor + 1, 0),
            (Some(minor), Some(patch)) => Version::new(self.major, minor, patch + 1),
        }
    }
}

impl VersionReq {
    /// Parse the text after `pragma solidity` (without the `;`).
    pub fn parse(text: &str) -> Result<VersionReq, String> {
        let mut alternatives = Vec::new();
        for alternative in text.split("||") {
            alternatives.push(parse_conjunction(alternative)?);
        }
        Ok(VersionReq { alternatives })
    }

    pub fn matches(&self, version: Version) -> bool {
        self.alternatives
            .iter()
            .any(|all| all.iter().all(|c| c.matches(version)))
    }
}

fn parse_conjunction(text: &str) -> Result<Vec<Comparator>, String> {
    let tokens = tokenize(text);
    let mut comparators = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        // Hyphen range `a - b`.
        if tokens.get(i + 1).map(String::as_str) == Some("-") && i + 2 < tokens.len() {
            let low = Partial::parse(&tokens[i])?;
            let high = Partial::parse(&tokens[i + 2])?;
            comparators.push(Comparator {
                op: Op::Ge,
                version: low.floor(),
            });
            comparators.push(Comparator {
                op: Op::Lt,
                version: high.ceiling(),
            });
            i += 3;
            continue;
        }
        comparators.extend(parse_comparator(&tokens[i])?);
        i += 1;
    }
    if comparators.is_empty() {
        // An empty alternative matches everything, as in npm.
        comparators.push(Comparator {
            op: Op::Ge,
            version: Version::new(0, 0, 0),
        });
    }
    Ok(comparators)
}

/// Split into comparator tokens, gluing an operator to the version that
/// follows it (`>= 0.4.0` is one token).
fn tokenize(text: &str) -> Vec<String> {
    let mut tokens: Vec<String> = Vec::new();
    let mut pending_operator = String::new();
    for word in text.split_whitespace() {
        if word
            .chars()
            .all(|c| matches!(c, '<' | '>' | '=' | '^' | '~'))
        {
            pending_operator.push_str(word);
            continue;
        }
        tokens.push(format!("{pending_operator}{word}"));
        pending_operator.clear();
    }
    tokens
}

fn parse_comparator(token: &str) -> Result<Vec<Comparator>, String> {
    let (op, rest) = split_operator(token);
    let partial = Partial::parse(rest)?;
    let ge = |version| Comparator {
        op: Op::Ge,
        version,
    };
    let lt = |version| Comparator {
        op: Op::Lt,
        version,
    };
    Ok(match op {
        "^" => {
            // Caret: allow changes that do not modify the leftmost non-zero
            // component (0.x treats the minor as breaking).
            let floor = partial.floor();
            let ceiling = if partial.major > 0 {
                Version::new(partial.major + 1, 0, 0)
            } else {
                match (partial.minor, partial.patch) {
                    (None, _) => Version::new(1, 0, 0),
                    (Some(0), Some(patch)) => Version::new(0, 0, patch + 1),
                    (Some(minor), _) => Version::new(0, minor + 1, 0),
                }
            };
            vec![ge(floor), lt(ceiling)]
        }
        "~" => {
            let ceiling = match partial.minor {
                None => Version::new(partial.major + 1, 0, 0),
                Some(minor) => Version::new(partial.major, minor + 1, 0),
            };
            vec![ge(partial.floor()), lt(ceiling)]
        }
        ">=" => vec![ge(partial.floor())],
        ">" => vec![ge(partial.ceiling())],
        "<" => vec![lt(partial.floor())],
        "<=" => vec![lt(partial.ceiling())],
        "" | "=" => vec![ge(partial.floor()), lt(partial.ceiling())],
        other => return Err(format!("unknown version operator {other:?}")),
    })
}

fn split_operator(token: &str) -> (&str, &str) {
    let split = token
        .find(|c: char| !matches!(c, '<' | '>' | '=' | '^' | '~'))
        .unwrap_or(token.len());
    (&token[..split], &token[split..])
}

/// The constraint texts of every `pragma solidity ...;` in `source`,
/// ignoring comments and string literals.
pub fn solidity_pragmas(source: &str) -> Vec<String> {
    let code = strip_comments_and_strings(source);
    let mut found = Vec::new();
    let mut rest = code.as_str();
    while let Some(index) = rest.find("pragma") {
        let after = &rest[index + "pragma".len()..];
        let word_start = index == 0
            || !rest[..index].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == '$');
        let body = after.trim_start();
        if word_start && body.starts_with("solidity") && after.starts_with(char::is_whitespace) {
            let constraint = &body["solidity".len()..];
            let end = constraint.find(';').unwrap_or(constraint.len());
            found.push(constraint[..end].trim().to_string());
        }
        rest = after;
    }
    found
}

/// Replace comments and the insides of string literals by spaces (keeping
/// the text length), so that searching for `pragma` does not hit them.
fn strip_comments_and_strings(source: &str) -> String {
    let bytes = source.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    out.push(b' ');
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                out.extend_from_slice(b"  ");
                i += 2;
                while i < bytes.len() && !(bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/')) {
                    out.push(if bytes[i] == b'\n' { b'\n' } else { b' ' });
                    i += 1;
                }
                let close = (bytes.len() - i).min(2);
                out.extend(std::iter::repeat_n(b' ', close));
                i += close;
            }
            quote @ (b'"' | b'\'') => {
                out.push(quote);
                i += 1;
                while i < bytes.len() && bytes[i] != quote && bytes[i] != b'\n' {
                    let skip = if bytes[i] == b'\\' { 2 } else { 1 };
                    out.extend(std::iter::repeat_n(b' ', skip.min(bytes.len() - i)));
                    i += skip;
                }
                if i < bytes.len() {
                    out.push(bytes[i]);
                    i += 1;
                }
            }
            other => {
                out.push(other);
                i += 1;
            }
        }
    }
    // Only ASCII bytes were replaced by ASCII spaces, and multi-byte UTF-8
    // sequences inside comments/strings were replaced byte by byte.
    String::from_utf8(out).expect("stripping keeps the text valid UTF-8")
}

/// The highest of `installed` allowed by every pragma of `source`; with no
/// pragma, the highest installed version.
pub fn choose_version(source: &str, installed: &[Version]) -> Result<Version, String> {
    let mut requirements = Vec::new();
    for text in solidity_pragmas(source) {
        let req = VersionReq::parse(&text)
            .map_err(|e| format!("cannot read `pragma solidity {text}`: {e}"))?;
        requirements.push((text, req));
    }
    installed
        .iter()
        .copied()
        .filter(|v| requirements.iter().all(|(_, req)| req.matches(*v)))
        .max()
        .ok_or_else(|| {
            let texts: Vec<&str> = requirements.iter().map(|(t, _)| t.as_str()).collect();
            let versions: Vec<String> = installed.iter().map(Version::to_string).collect();
            format!(
                "no installed solc-js version satisfies `pragma solidity {}` (installed: {})",
                texts.join("; "),
                versions.join(", ")
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Version {
        Version::parse(text).unwrap()
    }

    fn ok(req: &str, version: &str) -> bool {
        VersionReq::parse(req).unwrap().matches(v(version))
    }

    #[test]
    fn caret_keeps_the_minor_for_zero_major() {
        assert!(ok("^0.4.24", "0.4.26"));
        assert!(!ok("^0.4.24", "0.4.23"));
        assert!(!ok("^0.4.24", "0.5.0"));
        assert!(ok("^0.8", "0.8.37"));
    }

    #[test]
    fn ranges_and_alternatives() {
        assert!(ok(">=0.6.0 <0.9.0", "0.8.37"));
        assert!(!ok(">=0.6.0 <0.9.0", "0.5.17"));
        assert!(ok(">= 0.4.22 < 0.6.0", "0.5.17"));
        assert!(ok(">0.4.99 <0.6.0", "0.5.0"));
        assert!(!ok(">0.4.99 <0.6.0", "0.4.26"));
        assert!(ok("0.4.24", "0.4.24"));
        assert!(!ok("=0.4.24", "0.4.26"));
        assert!(ok("0.4", "0.4.26"));
        assert!(ok("0.5.x", "0.5.17"));
        assert!(ok("~0.4.24", "0.4.26"));
        assert!(ok("^0.5.0 || ^0.8.0", "0.8.1"));
        assert!(!ok("^0.5.0 || ^0.8.0", "0.7.6"));
        assert!(ok("0.6.0 - 0.7", "0.7.6"));
        assert!(ok("<=0.7", "0.7.6"));
    }

    #[test]
    fn pragmas_outside_comments_are_found() {
        let src = "// pragma solidity ^0.3.0;\n/* pragma solidity 0.1.0; */\npragma solidity >=0.7.0 <0.9.0;\nstring constant S = \"pragma solidity 0.2.0;\";\n";
        assert_eq!(solidity_pragmas(src), vec![">=0.7.0 <0.9.0".to_string()]);
    }

    #[test]
    fn chooses_the_highest_matching_version() {
        let installed = [v("0.4.24"), v("0.4.26"), v("0.5.17"), v("0.8.37")];
        assert_eq!(
            choose_version("pragma solidity ^0.4.18;", &installed),
            Ok(v("0.4.26"))
        );
        assert_eq!(
            choose_version("pragma solidity 0.4.24;", &installed),
            Ok(v("0.4.24"))
        );
        assert_eq!(choose_version("contract A {}", &installed), Ok(v("0.8.37")));
        let err = choose_version("pragma solidity ^0.6.0;", &installed).unwrap_err();
        assert!(
            err.contains("no installed solc-js version satisfies"),
            "{err}"
        );
    }
}
