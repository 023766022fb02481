//! Output formats. Each renderer takes the same [`AuditReport`] and returns
//! the complete output as a string; none of them reads the clock or the
//! environment, so equal reports render to equal bytes.

pub mod html;
pub mod json;
pub mod markdown;
mod prose;
pub mod sarif;
mod snippet;
pub mod terminal;

use std::fmt;
use std::str::FromStr;

use crate::report::AuditReport;

/// The values of `--format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    Terminal,
    Json,
    Sarif,
    Markdown,
    Html,
}

impl OutputFormat {
    pub const ALL: [OutputFormat; 5] = [
        OutputFormat::Terminal,
        OutputFormat::Json,
        OutputFormat::Sarif,
        OutputFormat::Markdown,
        OutputFormat::Html,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OutputFormat::Terminal => "terminal",
            OutputFormat::Json => "json",
            OutputFormat::Sarif => "sarif",
            OutputFormat::Markdown => "markdown",
            OutputFormat::Html => "html",
        }
    }
}

impl fmt::Display for OutputFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for OutputFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<OutputFormat, String> {
        match s.to_ascii_lowercase().as_str() {
            "terminal" | "text" => Ok(OutputFormat::Terminal),
            "json" => Ok(OutputFormat::Json),
            "sarif" => Ok(OutputFormat::Sarif),
            "markdown" | "md" => Ok(OutputFormat::Markdown),
            "html" => Ok(OutputFormat::Html),
            _ => Err(format!(
                "unknown format `{s}`, expected one of: terminal, json, sarif, markdown, html"
            )),
        }
    }
}

/// Presentation choices that are not part of the report itself.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RenderOptions {
    /// ANSI colours in terminal output (the CLI sets this for a TTY).
    pub colour: bool,
}

/// Renders `report` in `format`.
pub fn render(report: &AuditReport, format: OutputFormat, options: RenderOptions) -> String {
    match format {
        OutputFormat::Terminal => terminal::render(report, options),
        OutputFormat::Json => json::render(report),
        OutputFormat::Sarif => sarif::render(report),
        OutputFormat::Markdown => markdown::render(report),
        OutputFormat::Html => html::render(report),
    }
}
