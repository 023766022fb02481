//! Build settings of the project being fuzzed, read from `foundry.toml`
//! (`[profile.default]`) and `remappings.txt` when present. Projects without
//! either compile with solc's defaults (optimizer off).

use std::path::{Path, PathBuf};

use super::sources::Remapping;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProjectConfig {
    pub remappings: Vec<Remapping>,
    /// Directories searched for imports that are not under the root (Foundry's
    /// `libs`, default `lib`; plus `node_modules`).
    pub include_dirs: Vec<PathBuf>,
    pub optimizer: bool,
    pub optimizer_runs: u32,
    pub via_ir: bool,
    pub evm_version: Option<String>,
    /// A `solc_version`/`solc` pin from foundry.toml (a version number).
    pub solc_version: Option<String>,
}

impl ProjectConfig {
    /// Reads `root/foundry.toml` and `root/remappings.txt`. Errors name the
    /// file and what is wrong with it.
    pub fn load(root: &Path) -> Result<ProjectConfig, String> {
        let mut cfg = ProjectConfig {
            optimizer_runs: 200,
            ..ProjectConfig::default()
        };
        let mut libs = vec!["lib".to_string()];
        let toml_path = root.join("foundry.toml");
        if toml_path.is_file() {
            let text = std::fs::read_to_string(&toml_path)
                .map_err(|e| format!("{}: {e}", toml_path.display()))?;
            let doc: toml::Table = text
                .parse()
                .map_err(|e| format!("{}: not valid TOML: {e}", toml_path.display()))?;
            let profile = doc
                .get("profile")
                .and_then(|p| p.get("default"))
                .and_then(|p| p.as_table())
                .cloned()
                .unwrap_or_default();
            if let Some(list) = profile.get("remappings").and_then(|v| v.as_array()) {
                cfg.remappings.extend(
                    list.iter()
                        .filter_map(|v| v.as_str())
                        .filter_map(Remapping::parse),
                );
            }
            if let Some(list) = profile.get("libs").and_then(|v| v.as_array()) {
                libs = list
                    .iter()
                    .filter_map(|v| v.as_str().map(String::from))
                    .collect();
            }
            cfg.optimizer = profile
                .get("optimizer")
                .and_then(|v| v.as_bool())
                .unwrap_or(false);
            if let Some(runs) = profile.get("optimizer_runs").and_then(|v| v.as_integer()) {
                cfg.optimizer_runs = runs.clamp(0, u32::MAX as i64) as u32;
            }
            cfg.via_ir = profile
                .get("via_ir")
                .and_then(|v| v.as_bool())
                .unwrap_or(false);
            cfg.evm_version = profile
                .get("evm_version")
                .and_then(|v| v.as_str())
                .map(|s| s.to_ascii_lowercase());
            cfg.solc_version = profile
                .get("solc_version")
                .or_else(|| profile.get("solc"))
                .and_then(|v| v.as_str())
                .filter(|s| s.chars().next().is_some_and(|c| c.is_ascii_digit()))
                .map(String::from);
        }
        let remap_path = root.join("remappings.txt");
        if remap_path.is_file() {
            let text = std::fs::read_to_string(&remap_path)
                .map_err(|e| format!("{}: {e}", remap_path.display()))?;
            cfg.remappings
                .extend(text.lines().filter_map(Remapping::parse));
        }
        cfg.include_dirs = libs
            .iter()
            .map(|l| root.join(l))
            .chain(std::iter::once(root.join("node_modules")))
            .filter(|p| p.is_dir())
            .collect();
        Ok(cfg)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_foundry_profile_and_remappings_file() {
        let dir = std::env::temp_dir().join(format!("bulwark-fuzz-cfg-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("lib")).unwrap();
        std::fs::write(
            dir.join("foundry.toml"),
            "[profile.default]\noptimizer = true\noptimizer_runs = 999\nremappings = [\"a/=lib/a/\"]\nevm_version = \"Paris\"\n",
        )
        .unwrap();
        std::fs::write(dir.join("remappings.txt"), "b/=lib/b/\n\n").unwrap();
        let cfg = ProjectConfig::load(&dir).unwrap();
        assert!(cfg.optimizer);
        assert_eq!(cfg.optimizer_runs, 999);
        assert_eq!(cfg.evm_version.as_deref(), Some("paris"));
        let prefixes: Vec<_> = cfg.remappings.iter().map(|r| r.prefix.as_str()).collect();
        assert_eq!(prefixes, vec!["a/", "b/"]);
        assert_eq!(cfg.include_dirs, vec![dir.join("lib")]);

        std::fs::write(dir.join("foundry.toml"), "[profile.default\n").unwrap();
        let err = ProjectConfig::load(&dir).unwrap_err();
        assert!(err.contains("foundry.toml"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
