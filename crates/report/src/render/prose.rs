//! Prose written by detectors (messages, rule documentation) for the
//! Markdown and HTML reports.
//!
//! Detector documentation is light Markdown: paragraphs, `-` and `1.`
//! lists with indented continuation lines, backtick code spans and fenced
//! code blocks. The HTML report needs it converted without pulling in a
//! Markdown engine, and the Markdown report needs it passed through with
//! HTML neutralised. Both are done here, by a deliberately small reader
//! that never fails: anything it does not recognise is escaped text.

use std::fmt::Write;

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(ch),
        }
    }
    out
}

/// Escaped inline HTML where paired backticks become `<code>` elements and
/// `**bold**` becomes `<strong>`.
pub fn inline_html(text: &str) -> String {
    let pieces: Vec<&str> = text.split('`').collect();
    // An odd number of backticks leaves the last one unpaired: keep it literal.
    let paired = pieces.len() % 2 == 1;
    let mut out = String::with_capacity(text.len());
    for (index, piece) in pieces.iter().enumerate() {
        let is_code = index % 2 == 1;
        let is_last = index + 1 == pieces.len();
        if is_code && (paired || !is_last) {
            let _ = write!(out, "<code>{}</code>", escape_html(piece));
        } else {
            if is_code {
                out.push('`');
            }
            out.push_str(&bold_html(&escape_html(piece)));
        }
    }
    out
}

/// `**x**` → `<strong>x</strong>` on already-escaped text (pairs only).
fn bold_html(escaped: &str) -> String {
    let pieces: Vec<&str> = escaped.split("**").collect();
    if pieces.len() < 3 {
        return escaped.to_string();
    }
    let mut out = String::with_capacity(escaped.len());
    let paired = pieces.len() % 2 == 1;
    for (index, piece) in pieces.iter().enumerate() {
        let is_bold = index % 2 == 1;
        let is_last = index + 1 == pieces.len();
        if is_bold && (paired || !is_last) {
            let _ = write!(out, "<strong>{piece}</strong>");
        } else {
            if is_bold {
                out.push_str("**");
            }
            out.push_str(piece);
        }
    }
    out
}

/// One block of light Markdown.
#[derive(Debug, PartialEq, Eq)]
enum Block {
    Paragraph(Vec<String>),
    List { ordered: bool, items: Vec<String> },
    Code { language: String, text: String },
}

/// `- x`, `* x` → (false, "x"); `12. x` → (true, "x").
fn list_item(line: &str) -> Option<(bool, &str)> {
    let trimmed = line.trim_start();
    if let Some(rest) = trimmed
        .strip_prefix("- ")
        .or_else(|| trimmed.strip_prefix("* "))
    {
        return Some((false, rest));
    }
    let digits = trimmed.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 {
        if let Some(rest) = trimmed[digits..].strip_prefix(". ") {
            return Some((true, rest));
        }
    }
    None
}

fn blocks(text: &str) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::new();
    let mut lines = text.lines();
    // Whether the previous line can take a continuation (no blank line since).
    let mut open = false;
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        if let Some(language) = trimmed.strip_prefix("```") {
            let mut code = String::new();
            for body in lines.by_ref() {
                if body.trim_start().starts_with("```") {
                    break;
                }
                code.push_str(body);
                code.push('\n');
            }
            blocks.push(Block::Code {
                language: language.trim().to_string(),
                text: code,
            });
            open = false;
            continue;
        }
        if trimmed.is_empty() {
            open = false;
            continue;
        }
        if let Some((ordered, item)) = list_item(line) {
            match blocks.last_mut() {
                Some(Block::List {
                    ordered: same,
                    items,
                }) if *same == ordered => items.push(item.to_string()),
                _ => blocks.push(Block::List {
                    ordered,
                    items: vec![item.to_string()],
                }),
            }
            open = true;
            continue;
        }
        let indented = line.starts_with([' ', '\t']);
        match blocks.last_mut() {
            Some(Block::List { items, .. }) if open && indented => {
                let last = items.last_mut().expect("a list has an item");
                last.push(' ');
                last.push_str(trimmed);
            }
            Some(Block::Paragraph(lines)) if open => lines.push(trimmed.to_string()),
            _ => blocks.push(Block::Paragraph(vec![trimmed.to_string()])),
        }
        open = true;
    }
    blocks
}

/// Converts light Markdown to HTML blocks.
pub fn markdown_to_html(text: &str) -> String {
    let mut out = String::new();
    for block in blocks(text) {
        match block {
            Block::Paragraph(lines) => {
                let _ = writeln!(out, "<p>{}</p>", inline_html(&lines.join(" ")));
            }
            Block::List { ordered, items } => {
                let tag = if ordered { "ol" } else { "ul" };
                let _ = writeln!(out, "<{tag}>");
                for item in items {
                    let _ = writeln!(out, "<li>{}</li>", inline_html(&item));
                }
                let _ = writeln!(out, "</{tag}>");
            }
            Block::Code { language, text } => {
                let class = if language.is_empty() {
                    String::new()
                } else {
                    format!(" class=\"language-{}\"", escape_html(&language))
                };
                let _ = writeln!(
                    out,
                    "<pre class=\"doc\"><code{class}>{}</code></pre>",
                    escape_html(&text)
                );
            }
        }
    }
    out
}

/// Light Markdown passed through to a Markdown document, with raw HTML
/// neutralised outside code (inside code Markdown shows it literally).
pub fn markdown_passthrough(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_fence = false;
    for (index, line) in text.split('\n').enumerate() {
        if index > 0 {
            out.push('\n');
        }
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
            out.push_str(line);
        } else if in_fence {
            out.push_str(line);
        } else {
            out.push_str(&escape_outside_code_spans(line));
        }
    }
    out
}

fn escape_outside_code_spans(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut in_code = false;
    for ch in line.chars() {
        match ch {
            '`' => {
                in_code = !in_code;
                out.push(ch);
            }
            '<' if !in_code => out.push_str("&lt;"),
            '>' if !in_code => out.push_str("&gt;"),
            '&' if !in_code => out.push_str("&amp;"),
            _ => out.push(ch),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_covers_markup_and_quotes() {
        assert_eq!(
            escape_html("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn inline_turns_backtick_pairs_into_code_and_keeps_stray_ones() {
        assert_eq!(
            inline_html("call `f<T>()` **now**"),
            "call <code>f&lt;T&gt;()</code> <strong>now</strong>"
        );
        assert_eq!(inline_html("a `b` c `d"), "a <code>b</code> c `d");
    }

    #[test]
    fn documentation_blocks_convert_to_html() {
        let doc = "Intro line\ncontinues.\n```solidity\nif (a < b) {}\n```\n1. first\n   more\n2. second\n\n- x";
        assert_eq!(
            markdown_to_html(doc),
            "<p>Intro line continues.</p>\n\
             <pre class=\"doc\"><code class=\"language-solidity\">if (a &lt; b) {}\n</code></pre>\n\
             <ol>\n<li>first more</li>\n<li>second</li>\n</ol>\n\
             <ul>\n<li>x</li>\n</ul>\n"
        );
    }

    #[test]
    fn passthrough_escapes_html_outside_code_only() {
        assert_eq!(
            markdown_passthrough("a<b> `x<y` &\n```\n<raw>\n```"),
            "a&lt;b&gt; `x<y` &amp;\n```\n<raw>\n```"
        );
    }
}
