//! `bulwark parse`: parse Solidity files and report syntax diagnostics.
//!
//! Files are parsed in parallel (one worker per core, pulling files from a
//! shared counter); output is printed afterwards in path order so it is
//! deterministic.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use bulwark_syntax::{Diagnostic, DiagnosticSeverity, LineIndex};
use clap::Args;

#[derive(Args)]
#[command(
    about = "Parse Solidity files and report syntax diagnostics",
    long_about = "Parses every given .sol file, and every .sol file under the given \
                  directories (recursively, skipping hidden directories), prints each \
                  diagnostic as `path:line:col: error: message` with the source line, then \
                  a one-line summary.\n\nExit status: 0 when no syntax error was found, 1 \
                  when at least one file has a syntax error, 2 when a path is missing or \
                  unreadable.\n\nExample: bulwark parse contracts/ test/Token.t.sol"
)]
pub struct ParseArgs {
    /// Files or directories to parse.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

/// What parsing one file produced, ready to print.
struct FileReport {
    lines: usize,
    errors: usize,
    /// Rendered diagnostics (empty when the file is clean).
    rendered: String,
}

pub fn run(args: ParseArgs) -> i32 {
    let started = Instant::now();
    let files = match collect_files(&args.paths) {
        Ok(files) => files,
        Err(message) => {
            eprintln!("error: {message}");
            return 2;
        }
    };
    let reports = match parse_all(&files) {
        Ok(reports) => reports,
        Err(message) => {
            eprintln!("error: {message}");
            return 2;
        }
    };
    let mut out = String::new();
    let (mut lines, mut errors) = (0usize, 0usize);
    for report in &reports {
        out.push_str(&report.rendered);
        lines += report.lines;
        errors += report.errors;
    }
    let elapsed = started.elapsed();
    let _ = writeln!(
        out,
        "parsed {} {}, {} lines, {} {} in {} ms",
        files.len(),
        plural(files.len(), "file", "files"),
        lines,
        errors,
        plural(errors, "error", "errors"),
        elapsed.as_millis()
    );
    print!("{out}");
    if errors > 0 {
        1
    } else {
        0
    }
}

/// Expands the arguments into a sorted list of `.sol` files. A missing path
/// is an error; a directory without Solidity files is not.
fn collect_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path)
            .map_err(|e| format!("cannot read '{}': {}", path.display(), e))?;
        if meta.is_dir() {
            collect_dir(path, &mut files)?;
        } else {
            // An explicitly named file is parsed whatever its extension.
            files.push(path.clone());
        }
    }
    files.sort();
    files.dedup();
    Ok(files)
}

fn collect_dir(dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read '{}': {}", dir.display(), e))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("cannot read '{}': {}", dir.display(), e))?;
        let path = entry.path();
        // file_type() does not follow symlinks, so directory cycles through
        // links cannot trap the walk.
        let Ok(file_type) = entry.file_type() else {
            continue;
        };
        if file_type.is_dir() {
            let hidden = entry.file_name().to_string_lossy().starts_with('.');
            if !hidden {
                collect_dir(&path, files)?;
            }
        } else if path.extension().is_some_and(|ext| ext == "sol") {
            files.push(path);
        }
    }
    Ok(())
}

/// Parses every file on all cores; reports come back in `files` order.
fn parse_all(files: &[PathBuf]) -> Result<Vec<FileReport>, String> {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(files.len().max(1));
    let next = AtomicUsize::new(0);
    let mut slots: Vec<Option<Result<FileReport, String>>> = Vec::new();
    slots.resize_with(files.len(), || None);
    let results = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                std::thread::Builder::new()
                    // Generous stack: parsing is recursive (bounded depth).
                    .stack_size(16 << 20)
                    .spawn_scoped(scope, || {
                        let mut done = Vec::new();
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            let Some(path) = files.get(i) else {
                                return done;
                            };
                            done.push((i, parse_file(path)));
                        }
                    })
                    .expect("spawning a parser thread")
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect::<Vec<_>>()
    });
    for (i, result) in results {
        slots[i] = Some(result);
    }
    slots
        .into_iter()
        .enumerate()
        .map(|(i, slot)| {
            slot.unwrap_or_else(|| Err(format!("internal error parsing '{}'", files[i].display())))
        })
        .collect()
}

fn parse_file(path: &Path) -> Result<FileReport, String> {
    let bytes =
        std::fs::read(path).map_err(|e| format!("cannot read '{}': {}", path.display(), e))?;
    // Invalid UTF-8 is replaced rather than rejected: the parser reports
    // the odd characters where they matter, and the rest is still analysed.
    let source = String::from_utf8_lossy(&bytes);
    let parsed = bulwark_syntax::parse(&source);
    let lines = count_lines(&source);
    let mut rendered = String::new();
    let mut errors = 0;
    if !parsed.diagnostics.is_empty() {
        let index = LineIndex::new(&source);
        for diagnostic in &parsed.diagnostics {
            if diagnostic.is_error() {
                errors += 1;
            }
            render(&mut rendered, path, &source, &index, diagnostic);
        }
    }
    Ok(FileReport {
        lines,
        errors,
        rendered,
    })
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}

fn count_lines(source: &str) -> usize {
    let newlines = source.bytes().filter(|&b| b == b'\n').count();
    newlines + usize::from(!source.is_empty() && !source.ends_with('\n'))
}

/// `path:line:col: error: message`, the source line, and a caret under the
/// offending column.
fn render(out: &mut String, path: &Path, source: &str, index: &LineIndex, d: &Diagnostic) {
    let start = d.span.start as usize;
    let pos = index.line_col(source, start);
    let severity = match d.severity {
        DiagnosticSeverity::Error => "error",
        DiagnosticSeverity::Warning => "warning",
    };
    let _ = writeln!(
        out,
        "{}:{}:{}: {}: {}",
        path.display(),
        pos.line,
        pos.col,
        severity,
        d.message
    );
    let line = index.line_span(source, pos.line as usize - 1).text(source);
    // Tabs are kept in the caret line's padding so the caret lines up.
    let pad: String = line
        .chars()
        .take(pos.col as usize - 1)
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    let _ = writeln!(out, "    {line}\n    {pad}^");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_location_source_line_and_caret() {
        let source = "contract C {\n\tfunction f() public { x = 1 }\n}\n";
        let parsed = bulwark_syntax::parse(source);
        assert_eq!(parsed.diagnostics.len(), 1);
        let mut out = String::new();
        let index = LineIndex::new(source);
        render(
            &mut out,
            Path::new("a.sol"),
            source,
            &index,
            &parsed.diagnostics[0],
        );
        assert_eq!(
            out,
            "a.sol:2:30: error: expected ';' after expression, found '}'\n    \tfunction f() public { x = 1 }\n    \t                            ^\n"
        );
    }

    #[test]
    fn line_counting() {
        assert_eq!(count_lines(""), 0);
        assert_eq!(count_lines("a"), 1);
        assert_eq!(count_lines("a\n"), 1);
        assert_eq!(count_lines("a\nb"), 2);
    }

    #[test]
    fn missing_path_is_an_error() {
        let err = collect_files(&[PathBuf::from("/definitely/not/here.sol")]).unwrap_err();
        assert!(err.contains("cannot read '/definitely/not/here.sol'"));
    }
}
