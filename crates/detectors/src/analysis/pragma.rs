//! What a file's pragmas say about the compiler that will build it: the
//! releases its `pragma solidity` admits (or the one the project's
//! configuration pins), and whether ABI coder v2 is on.
//!
//! Shared by the code-quality detectors (floating and outdated pragmas,
//! known compiler bugs, `immutable` suggestions), so that they agree on
//! which compiler a file is built with.

use bulwark_sema::version::known_releases;
use bulwark_sema::{SourceFile, Version, VersionSource};
use bulwark_syntax::ast::{PragmaDirective, PragmaKind};

/// The compiler releases a file may be built with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Admitted {
    pub lowest: Version,
    pub highest: Version,
    /// The project's configuration (`foundry.toml`, `--solc`) pins the
    /// compiler: `lowest == highest` and the pragma's range does not
    /// matter for the build.
    pub configured: bool,
}

impl Admitted {
    /// One release only.
    pub fn is_pinned(&self) -> bool {
        self.lowest == self.highest
    }

    /// `lowest`–`highest`, or the one release.
    pub fn describe(&self) -> String {
        if self.is_pinned() {
            self.lowest.to_string()
        } else {
            format!("{}–{}", self.lowest, self.highest)
        }
    }

    /// Every known release in the range (for matching bug ranges).
    pub fn releases(&self) -> impl Iterator<Item = Version> + '_ {
        known_releases().filter(move |v| *v >= self.lowest && *v <= self.highest)
    }
}

/// The releases `file` may be built with: the configured compiler when
/// the project pins one, else the known releases its pragma admits.
/// `None` without a parsable pragma that some known release satisfies.
pub fn admitted(file: &SourceFile) -> Option<Admitted> {
    if file.version.source == VersionSource::Configured {
        let v = file.version.effective;
        return Some(Admitted {
            lowest: v,
            highest: v,
            configured: true,
        });
    }
    let req = file.version.requirement.as_ref()?;
    let all: Vec<Version> = known_releases().filter(|&v| req.matches(v)).collect();
    Some(Admitted {
        lowest: *all.first()?,
        highest: *all.last()?,
        configured: false,
    })
}

/// The file's first `pragma solidity` directive (where findings about the
/// compiler version point).
pub fn solidity_pragma(file: &SourceFile) -> Option<&PragmaDirective> {
    file.parsed
        .unit
        .pragmas()
        .find(|p| p.kind == PragmaKind::Solidity)
}

/// Whether the file is compiled with ABI coder v2 under `version`: the
/// default from 0.8.0 unless `pragma abicoder v1`, and before that only
/// with `pragma experimental ABIEncoderV2` or `pragma abicoder v2`.
pub fn abi_coder_v2(file: &SourceFile, version: Version) -> bool {
    let mut explicit = None;
    for p in file.parsed.unit.pragmas() {
        match p.kind {
            PragmaKind::Abicoder => explicit = Some(p.value.trim() == "v2"),
            PragmaKind::Experimental if p.value.trim().trim_matches('"') == "ABIEncoderV2" => {
                explicit = Some(true)
            }
            _ => {}
        }
    }
    explicit.unwrap_or(version >= Version::new(0, 8, 0))
}
