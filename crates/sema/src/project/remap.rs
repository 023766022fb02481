//! Import remappings, solc's `[context:]prefix=target`.
//!
//! solc's rule: among the remappings whose context is a prefix of the
//! importing file's name, the longest context wins, then the longest
//! prefix; the prefix is replaced by the target.

/// One parsed remapping.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Remapping {
    /// Only applies to files whose name starts with this (empty: all).
    pub context: String,
    pub prefix: String,
    pub target: String,
}

impl Remapping {
    /// Parses `[context:]prefix=target`; `None` when there is no `=` or
    /// the prefix is empty.
    pub fn parse(text: &str) -> Option<Remapping> {
        let text = text.trim();
        let (lhs, target) = text.split_once('=')?;
        let (context, prefix) = match lhs.split_once(':') {
            Some((ctx, prefix)) => (ctx, prefix),
            None => ("", lhs),
        };
        if prefix.is_empty() {
            return None;
        }
        Some(Remapping {
            context: context.to_string(),
            prefix: prefix.to_string(),
            target: target.to_string(),
        })
    }
}

/// Applies the best matching remapping of `remappings` to `import` written
/// in the file named `importer` (a source unit name). `None` when none applies.
pub fn apply(remappings: &[Remapping], importer: &str, import: &str) -> Option<String> {
    // The first of equally good remappings wins, so callers list the
    // higher-priority ones (command line, explicit configuration) first.
    let mut best: Option<&Remapping> = None;
    for r in remappings {
        if !(importer.starts_with(&r.context) && import.starts_with(&r.prefix)) {
            continue;
        }
        let better = best
            .is_none_or(|b| (r.context.len(), r.prefix.len()) > (b.context.len(), b.prefix.len()));
        if better {
            best = Some(r);
        }
    }
    let best = best?;
    Some(format!("{}{}", best.target, &import[best.prefix.len()..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn remaps(list: &[&str]) -> Vec<Remapping> {
        list.iter().filter_map(|r| Remapping::parse(r)).collect()
    }

    #[test]
    fn longest_prefix_wins() {
        let r = remaps(&["@oz/=lib/oz/", "@oz/contracts/=lib/oz-new/contracts/"]);
        assert_eq!(
            apply(&r, "src/A.sol", "@oz/contracts/token/ERC20.sol").as_deref(),
            Some("lib/oz-new/contracts/token/ERC20.sol")
        );
        assert_eq!(
            apply(&r, "src/A.sol", "@oz/utils/X.sol").as_deref(),
            Some("lib/oz/utils/X.sol")
        );
        assert_eq!(apply(&r, "src/A.sol", "./B.sol"), None);
    }

    #[test]
    fn context_restricts_and_takes_priority() {
        let r = remaps(&["dep=lib/dep-v2", "lib/old:dep=lib/dep-v1"]);
        assert_eq!(
            apply(&r, "lib/old/A.sol", "dep/X.sol").as_deref(),
            Some("lib/dep-v1/X.sol")
        );
        assert_eq!(
            apply(&r, "src/A.sol", "dep/X.sol").as_deref(),
            Some("lib/dep-v2/X.sol")
        );
        assert!(Remapping::parse("no-equals").is_none());
    }
}
