//! Finds a compiler that satisfies a project's pragmas: a native `solc` on
//! PATH when its version fits, else a solc-js package already on disk, else
//! solc-js installed from the npm registry (the only download source) into
//! the cache, `<cache>/solc/<version>/node_modules/solc`.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::driver::{native_version, Solc};
use super::version::{Version, VersionReq};

/// Where compilers are looked for and installed.
#[derive(Debug, Clone)]
pub struct CompilerManager {
    /// Root of Bulwark's cache (`~/.cache/bulwark` by default).
    pub cache_dir: PathBuf,
    /// Extra directories holding solc-js packages, either as
    /// `node_modules/solc-<version>` (npm aliases) or `node_modules/solc`.
    pub solcjs_dirs: Vec<PathBuf>,
    /// Consider a native `solc` executable.
    pub use_native: bool,
    /// The native `solc` to consider (`BULWARK_SOLC`); `None` searches PATH.
    pub native_solc: Option<PathBuf>,
    /// Print progress (installation) on stderr.
    pub verbose: bool,
}

impl CompilerManager {
    /// The default manager: cache from `BULWARK_CACHE_DIR`, else
    /// `$XDG_CACHE_HOME/bulwark`, else `~/.cache/bulwark`; extra solc-js
    /// directories from `BULWARK_SOLCJS_DIRS` (a PATH-style list).
    pub fn from_env() -> Self {
        let cache_dir = std::env::var_os("BULWARK_CACHE_DIR")
            .map(PathBuf::from)
            .or_else(|| {
                std::env::var_os("XDG_CACHE_HOME").map(|d| PathBuf::from(d).join("bulwark"))
            })
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/bulwark")))
            .unwrap_or_else(|| std::env::temp_dir().join("bulwark-cache"));
        let solcjs_dirs = std::env::var_os("BULWARK_SOLCJS_DIRS")
            .map(|v| std::env::split_paths(&v).collect())
            .unwrap_or_default();
        CompilerManager {
            cache_dir,
            solcjs_dirs,
            use_native: true,
            native_solc: std::env::var_os("BULWARK_SOLC").map(PathBuf::from),
            verbose: true,
        }
    }

    fn solc_cache(&self) -> PathBuf {
        self.cache_dir.join("solc")
    }

    /// Scratch directory for the solc-js wrapper script.
    pub fn scratch_dir(&self) -> PathBuf {
        self.solc_cache()
    }

    /// Every compiler available without a download, newest first; a native
    /// solc comes before a solc-js of the same version.
    pub fn installed(&self) -> Vec<Solc> {
        let mut found = Vec::new();
        if self.use_native {
            if let Some(path) = self.native_solc.clone().or_else(|| find_on_path("solc")) {
                if let Some(version) = native_version(&path) {
                    found.push(Solc::Native { path, version });
                }
            }
        }
        if let Ok(entries) = std::fs::read_dir(self.solc_cache()) {
            for e in entries.flatten() {
                let pkg = e.path().join("node_modules/solc");
                if let Some(version) = package_version(&pkg) {
                    found.push(Solc::SolcJs {
                        package_dir: pkg,
                        version,
                    });
                }
            }
        }
        for dir in &self.solcjs_dirs {
            for modules in [dir.join("node_modules"), dir.clone()] {
                let Ok(entries) = std::fs::read_dir(&modules) else {
                    continue;
                };
                for e in entries.flatten() {
                    let name = e.file_name().to_string_lossy().to_string();
                    if name != "solc" && !name.starts_with("solc-") {
                        continue;
                    }
                    if let Some(version) = package_version(&e.path()) {
                        found.push(Solc::SolcJs {
                            package_dir: e.path(),
                            version,
                        });
                    }
                }
            }
        }
        found.sort_by(|a, b| {
            b.version().cmp(&a.version()).then_with(|| {
                matches!(b, Solc::Native { .. }).cmp(&matches!(a, Solc::Native { .. }))
            })
        });
        found.dedup_by(|a, b| a == b);
        found
    }

    /// Versions of solc-js published on the npm registry (asks `npm view`).
    pub fn published_versions(&self) -> Result<Vec<Version>, String> {
        let out = Command::new("npm")
            .args(["view", "solc", "versions", "--json"])
            .output()
            .map_err(|e| format!("cannot run npm to list solc versions: {e} (install Node.js/npm, or put a solc binary on PATH)"))?;
        if !out.status.success() {
            return Err(format!(
                "`npm view solc versions` failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        let list: Vec<String> = serde_json::from_slice(&out.stdout)
            .map_err(|e| format!("unexpected output from `npm view solc versions`: {e}"))?;
        let mut versions: Vec<Version> = list
            .iter()
            .filter(|s| !s.contains('-'))
            .filter_map(|s| s.parse().ok())
            .collect();
        versions.sort();
        Ok(versions)
    }

    /// Installs solc-js `version` from the npm registry into the cache.
    pub fn install(&self, version: Version) -> Result<Solc, String> {
        let prefix = self.solc_cache().join(version.to_string());
        let pkg = prefix.join("node_modules/solc");
        if package_version(&pkg) == Some(version) {
            return Ok(Solc::SolcJs {
                package_dir: pkg,
                version,
            });
        }
        std::fs::create_dir_all(&prefix).map_err(|e| format!("{}: {e}", prefix.display()))?;
        if self.verbose {
            eprintln!(
                "bulwark: installing solc-js {version} from the npm registry into {} ...",
                prefix.display()
            );
        }
        let child = Command::new("npm")
            .arg("install")
            .arg("--prefix")
            .arg(&prefix)
            .args(["--no-audit", "--no-fund", "--no-save", "--loglevel=error"])
            .arg(format!("solc@{version}"))
            .spawn()
            .map_err(|e| {
                format!("cannot run npm: {e} (install Node.js/npm to let bulwark fetch solc-js)")
            })?;
        let status = wait_with_progress(child, self.verbose, &format!("solc-js {version}"))
            .map_err(|e| format!("npm install solc@{version}: {e}"))?;
        if !status.success() {
            return Err(format!("`npm install solc@{version}` failed ({status})"));
        }
        match package_version(&pkg) {
            Some(v) if v == version => {
                if self.verbose {
                    eprintln!("bulwark: solc-js {version} installed");
                }
                Ok(Solc::SolcJs {
                    package_dir: pkg,
                    version,
                })
            }
            _ => Err(format!(
                "npm did not install solc {version} into {}",
                prefix.display()
            )),
        }
    }

    /// The compiler to use for sources with these requirements; installs
    /// from npm only when nothing on disk fits.
    pub fn select(&self, reqs: &[VersionReq], pinned: Option<Version>) -> Result<Solc, String> {
        let fits = |v: Version| reqs.iter().all(|r| r.matches(v)) && pinned.is_none_or(|p| p == v);
        let installed = self.installed();
        // A native solc that fits wins over any solc-js, even a newer one:
        // it is the user's own compiler and several times faster.
        let native = installed
            .iter()
            .find(|s| matches!(s, Solc::Native { .. }) && fits(s.version()));
        if let Some(solc) = native.or_else(|| installed.iter().find(|s| fits(s.version()))) {
            return Ok(solc.clone());
        }
        let published = self.published_versions()?;
        let best = published
            .into_iter()
            .rev()
            .find(|v| fits(*v))
            .ok_or_else(|| {
                let wanted: Vec<String> = reqs.iter().map(|r| r.to_string()).collect();
                format!(
                    "no published solc version satisfies every pragma ({})",
                    wanted.join(", ")
                )
            })?;
        self.install(best)
    }
}

/// The `version` field of an npm package directory.
fn package_version(dir: &Path) -> Option<Version> {
    let text = std::fs::read_to_string(dir.join("package.json")).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    json.get("version")?.as_str()?.parse().ok()
}

fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    /// A fake native solc reporting `version`, and a cache holding a newer
    /// solc-js package (only its package.json: selection never runs it).
    fn setup(dir: &Path, native: &str) -> CompilerManager {
        use std::os::unix::fs::PermissionsExt;
        let solc = dir.join("bin/solc");
        std::fs::create_dir_all(solc.parent().unwrap()).unwrap();
        std::fs::write(
            &solc,
            format!("#!/bin/sh\necho 'solc, the solidity compiler commandline interface'\necho 'Version: {native}+commit.deadbeef.Linux.g++'\n"),
        )
        .unwrap();
        std::fs::set_permissions(&solc, std::fs::Permissions::from_mode(0o755)).unwrap();
        let pkg = dir.join("cache/solc/0.8.30/node_modules/solc");
        std::fs::create_dir_all(&pkg).unwrap();
        std::fs::write(pkg.join("package.json"), r#"{"version":"0.8.30"}"#).unwrap();
        CompilerManager {
            cache_dir: dir.join("cache"),
            solcjs_dirs: vec![],
            use_native: true,
            native_solc: Some(solc),
            verbose: false,
        }
    }

    #[test]
    fn native_solc_wins_when_it_fits_the_pragmas() {
        let dir = std::env::temp_dir().join(format!("bulwark-solc-select-{}", std::process::id()));
        let manager = setup(&dir, "0.8.21");
        let req = |s: &str| VersionReq::parse(s).unwrap();
        let picked = manager.select(&[req("^0.8.0")], None).unwrap();
        assert!(
            matches!(&picked, Solc::Native { version, .. } if *version == Version::new(0, 8, 21)),
            "{picked:?}"
        );
        // The native version does not fit: the cached solc-js does.
        let picked = manager.select(&[req(">=0.8.25")], None).unwrap();
        assert!(
            matches!(&picked, Solc::SolcJs { version, .. } if *version == Version::new(0, 8, 30)),
            "{picked:?}"
        );
        // A foundry.toml pin is obeyed even when the native one would fit.
        let picked = manager
            .select(&[req("^0.8.0")], Some(Version::new(0, 8, 30)))
            .unwrap();
        assert_eq!(picked.version(), Version::new(0, 8, 30));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

/// Waits for `child`; on a terminal, shows how long the download has been
/// running (npm's own progress is silenced with its warnings), so a slow
/// registry does not look like a hang.
fn wait_with_progress(
    mut child: std::process::Child,
    verbose: bool,
    what: &str,
) -> std::io::Result<std::process::ExitStatus> {
    use std::io::IsTerminal;
    let live = verbose && std::io::stderr().is_terminal();
    let started = std::time::Instant::now();
    loop {
        if let Some(status) = child.try_wait()? {
            if live {
                eprint!("\r\x1b[2K");
            }
            return Ok(status);
        }
        if live {
            eprint!(
                "\r\x1b[2Kbulwark: downloading {what} from the npm registry … {} s",
                started.elapsed().as_secs()
            );
        }
        std::thread::sleep(std::time::Duration::from_millis(250));
    }
}
