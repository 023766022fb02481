//! Snapshots of every output format for one hand-built report. Review a
//! changed snapshot like code: it is what users and their tools see.

mod common;

use bulwark_report::render::{html, json, markdown, sarif, terminal};
use bulwark_report::{render, AuditReport, OutputFormat, RenderOptions};

#[test]
fn terminal_plain() {
    let out = terminal::render(&common::sample_report(), RenderOptions { colour: false });
    assert!(
        !out.contains('\x1b'),
        "plain output must not contain escape codes"
    );
    insta::assert_snapshot!(out);
}

#[test]
fn terminal_colour() {
    let out = terminal::render(&common::sample_report(), RenderOptions { colour: true });
    assert!(out.contains("\x1b[1;31mhigh[reentrancy-eth]\x1b[0m"));
    insta::assert_snapshot!(out);
}

#[test]
fn json_report() {
    insta::assert_snapshot!(json::render(&common::sample_report()));
}

#[test]
fn sarif_log() {
    insta::assert_snapshot!(sarif::render(&common::sample_report()));
}

#[test]
fn markdown_report() {
    insta::assert_snapshot!(markdown::render(&common::sample_report()));
}

#[test]
fn html_report() {
    insta::assert_snapshot!(html::render(&common::sample_report()));
}

#[test]
fn empty_report_terminal_and_markdown() {
    let report = AuditReport {
        tool: bulwark_report::ToolInfo::bulwark("0.0.0-test"),
        root: ".".to_string(),
        ..AuditReport::default()
    };
    let terminal = render(&report, OutputFormat::Terminal, RenderOptions::default());
    assert_eq!(terminal, "summary: no findings in 0 files\n");
    insta::assert_snapshot!(render(
        &report,
        OutputFormat::Markdown,
        RenderOptions::default()
    ));
}

#[test]
fn output_is_independent_of_finding_order() {
    let report = common::sample_report();
    let mut reversed = report.clone();
    reversed.findings.reverse();
    for format in OutputFormat::ALL {
        assert_eq!(
            render(&report, format, RenderOptions::default()),
            render(&reversed, format, RenderOptions::default()),
            "{format} output depends on the input order"
        );
    }
}
