//! `bulwark compilers`: the solc versions `bulwark fuzz` can use.

use bulwark_fuzz::compiler::{CompilerManager, Version};
use clap::{Args, Subcommand};

#[derive(Args)]
#[command(
    about = "Manage the solc compilers used by `bulwark fuzz`",
    long_about = "`bulwark fuzz` uses a native solc on PATH when its version satisfies the \
                  pragmas, else solc-js from the cache (~/.cache/bulwark/solc, or \
                  $BULWARK_CACHE_DIR/solc), installing the newest fitting version from the npm \
                  registry when none is there. BULWARK_SOLC names a native solc to use instead of \
                  searching PATH. Extra solc-js package directories can be listed \
                  in $BULWARK_SOLCJS_DIRS.\n\nExamples:\n  bulwark compilers list\n  bulwark \
                  compilers list --remote\n  bulwark compilers install 0.8.26"
)]
pub struct CompilersArgs {
    #[command(subcommand)]
    pub action: CompilersAction,
}

#[derive(Subcommand)]
pub enum CompilersAction {
    /// List the compilers available without a download.
    List {
        /// Also list the solc-js versions published on npm.
        #[arg(long)]
        remote: bool,
    },
    /// Install solc-js VERSION from the npm registry into the cache.
    Install {
        #[arg(value_name = "VERSION")]
        version: String,
    },
}

pub fn run(args: CompilersArgs) -> i32 {
    let manager = CompilerManager::from_env();
    match args.action {
        CompilersAction::List { remote } => {
            let installed = manager.installed();
            if installed.is_empty() {
                println!("no compiler installed (bulwark fuzz installs one from npm when needed)");
            }
            for solc in installed {
                println!("{}", solc.describe());
            }
            if remote {
                match manager.published_versions() {
                    Ok(versions) => {
                        let list: Vec<String> =
                            versions.iter().rev().map(Version::to_string).collect();
                        println!("published on npm: {}", list.join(" "));
                    }
                    Err(e) => {
                        eprintln!("error: {e}");
                        return 2;
                    }
                }
            }
            0
        }
        CompilersAction::Install { version } => {
            let version: Version = match version.trim_start_matches('v').parse() {
                Ok(v) => v,
                Err(e) => {
                    eprintln!("error: {e}");
                    return 2;
                }
            };
            match manager.install(version) {
                Ok(solc) => {
                    println!("{}", solc.describe());
                    0
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    2
                }
            }
        }
    }
}
