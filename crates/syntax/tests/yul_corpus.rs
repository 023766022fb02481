//! Validation run (not a unit test): parses every `assembly { ... }` block
//! of the `.sol` files under the shared corpora and benchmarks and requires
//! zero diagnostics. Ignored by default because the data lives outside the
//! repository; run it with
//!
//! ```text
//! cargo test -p bulwark-syntax --release --test yul_corpus -- --ignored --nocapture
//! ```
//!
//! `BULWARK_SHARED` overrides the data root (default `/work/shared`).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use bulwark_syntax::yul::{parse_block, YulExpression, YulNode, YulStatement};
use bulwark_syntax::LineIndex;

/// Finds the offsets of the `{` opening each inline-assembly body, skipping
/// Solidity comments and strings, the optional dialect string
/// (`assembly "evmasm"`) and flags (`assembly ("memory-safe")`).
fn assembly_block_starts(source: &str) -> Vec<usize> {
    let bytes = source.as_bytes();
    let mut starts = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'/' if bytes.get(i + 1) == Some(&b'/') => i = skip_line_comment(bytes, i),
            b'/' if bytes.get(i + 1) == Some(&b'*') => i = skip_block_comment(bytes, i),
            b'"' | b'\'' => i = skip_string(bytes, i),
            b'a' if bytes[i..].starts_with(b"assembly")
                && (i == 0 || !is_word_byte(bytes[i - 1]))
                && !bytes.get(i + 8).copied().is_some_and(is_word_byte) =>
            {
                i += 8;
                match body_brace(bytes, i) {
                    Some(brace) => {
                        starts.push(brace);
                        // Resume after the block: the caller parses it and
                        // nested `assembly` words inside Yul are not keywords.
                        i = parse_block(source, brace).end;
                    }
                    None => continue,
                }
            }
            _ => i += 1,
        }
    }
    starts
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$'
}

fn skip_line_comment(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && bytes[i] != b'\n' {
        i += 1;
    }
    i
}

fn skip_block_comment(bytes: &[u8], i: usize) -> usize {
    match bytes[i + 2..].windows(2).position(|w| w == b"*/") {
        Some(p) => i + 2 + p + 2,
        None => bytes.len(),
    }
}

fn skip_string(bytes: &[u8], mut i: usize) -> usize {
    let quote = bytes[i];
    i += 1;
    while i < bytes.len() && bytes[i] != quote && bytes[i] != b'\n' {
        i += if bytes[i] == b'\\' { 2 } else { 1 };
    }
    i + 1
}

fn skip_trivia(bytes: &[u8], mut i: usize) -> usize {
    loop {
        match bytes.get(i) {
            Some(b) if b.is_ascii_whitespace() => i += 1,
            Some(b'/') if bytes.get(i + 1) == Some(&b'/') => i = skip_line_comment(bytes, i),
            Some(b'/') if bytes.get(i + 1) == Some(&b'*') => i = skip_block_comment(bytes, i),
            _ => return i,
        }
    }
}

/// The offset of the body's `{` after the `assembly` keyword ending at `i`.
fn body_brace(bytes: &[u8], mut i: usize) -> Option<usize> {
    i = skip_trivia(bytes, i);
    if matches!(bytes.get(i), Some(b'"' | b'\'')) {
        i = skip_trivia(bytes, skip_string(bytes, i));
    }
    if bytes.get(i) == Some(&b'(') {
        while i < bytes.len() && bytes[i] != b')' {
            i = if matches!(bytes[i], b'"' | b'\'') {
                skip_string(bytes, i)
            } else {
                i + 1
            };
        }
        i = skip_trivia(bytes, i + 1);
    }
    (bytes.get(i) == Some(&b'{')).then_some(i)
}

fn collect_sol_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect_sol_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "sol") {
            out.push(path);
        }
    }
}

#[test]
fn block_finder_skips_comments_strings_and_flags() {
    let src = r#"// assembly { x }
        string s = "assembly {";
        function f() { assembly ("memory-safe") { let a := 1 } assembly "evmasm" { pop(0) } assembly { } }"#;
    let starts = assembly_block_starts(src);
    let bodies: Vec<&str> = starts
        .iter()
        .map(|&s| &src[s..parse_block(src, s).end])
        .collect();
    assert_eq!(bodies, ["{ let a := 1 }", "{ pop(0) }", "{ }"]);
}

#[test]
#[ignore = "validation run over /work/shared; see the module docs"]
fn corpus_assembly_parses_without_diagnostics() {
    let root =
        PathBuf::from(std::env::var("BULWARK_SHARED").unwrap_or_else(|_| "/work/shared".into()));
    let mut files = Vec::new();
    for dir in ["corpora", "benchmarks"] {
        collect_sol_files(&root.join(dir), &mut files);
    }
    if files.is_empty() {
        eprintln!(
            "no .sol files under {}: nothing to validate",
            root.display()
        );
        return;
    }
    let sources: Vec<(PathBuf, String)> = files
        .into_iter()
        .filter_map(|path| {
            let bytes = std::fs::read(&path).ok()?;
            Some((path, String::from_utf8_lossy(&bytes).into_owned()))
        })
        .collect();

    let mut files_with_assembly = 0;
    let mut blocks = 0;
    let mut assembly_bytes = 0;
    let mut statements = 0;
    let mut parse_time = Duration::ZERO;
    let mut failures = Vec::new();
    // Old-style items are rare in real code; listing them shows whether a
    // modern construct was misread as one (which would not be a diagnostic).
    let mut old_style = Vec::new();
    for (path, source) in &sources {
        let starts = assembly_block_starts(source);
        if !starts.is_empty() {
            files_with_assembly += 1;
        }
        for start in starts {
            let clock = Instant::now();
            let parsed = parse_block(source, start);
            parse_time += clock.elapsed();
            blocks += 1;
            assembly_bytes += parsed.end - start;
            statements += parsed.block.statements.len();
            parsed.block.walk(|node| {
                if let YulNode::Statement(
                    statement @ (YulStatement::Label(_)
                    | YulStatement::StackAssignment(_)
                    | YulStatement::Instruction(_)
                    | YulStatement::Expression(
                        YulExpression::Literal(_) | YulExpression::Identifier(_),
                    )),
                ) = node
                {
                    let at =
                        LineIndex::new(source).line_col(source, statement.span().start as usize);
                    old_style.push(format!(
                        "{}:{}: {}",
                        path.display(),
                        at.line,
                        statement.span().text(source)
                    ));
                }
            });
            if !parsed.diagnostics.is_empty() {
                let index = LineIndex::new(source);
                for diagnostic in &parsed.diagnostics {
                    let at = index.line_col(source, diagnostic.span.start as usize);
                    failures.push(format!(
                        "{}:{}:{}: {}",
                        path.display(),
                        at.line,
                        at.col,
                        diagnostic.message
                    ));
                }
            }
        }
    }
    let mb_per_s = assembly_bytes as f64 / 1e6 / parse_time.as_secs_f64().max(1e-9);
    println!(
        "yul corpus: {} .sol files, {} with assembly, {} blocks, {} top-level statements, {} bytes of assembly, \
         {} old-style items, {} diagnostics, parse time {:.2} ms ({:.0} MB/s)",
        sources.len(),
        files_with_assembly,
        blocks,
        statements,
        assembly_bytes,
        old_style.len(),
        failures.len(),
        parse_time.as_secs_f64() * 1e3,
        mb_per_s
    );
    for item in &old_style {
        println!("  old-style: {item}");
    }
    for failure in &failures {
        println!("  {failure}");
    }
    assert!(
        failures.is_empty(),
        "{} diagnostics in corpus assembly",
        failures.len()
    );
}
