// Browser end-to-end test of the web workspace, in headless Debian Chromium.
// Started by crates/server/tests/browser.rs, which runs a real server and
// passes: BULWARK_E2E_URL, BULWARK_E2E_KEY, BULWARK_E2E_ARCHIVE (a .tar.gz
// with planted findings), BULWARK_E2E_RETEST_ARCHIVE (the same project after
// a fix) and BULWARK_E2E_OUT (where the screenshot and the downloaded report
// are kept).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { chromium } from "playwright-core";

const { BULWARK_E2E_URL: base, BULWARK_E2E_KEY: key, BULWARK_E2E_ARCHIVE: archive, BULWARK_E2E_OUT: out } = process.env;

const CHROMIUM_FLAGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run",
];

test("sign in, upload, wait for the audit, triage a finding, download the report, retest", { timeout: 90_000 }, async () => {
  assert.ok(base && key && archive && out, "run through `cargo test -p bulwark-server --test browser`");
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", args: CHROMIUM_FLAGS });
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 }, acceptDownloads: true });
  const consoleErrors = [];
  try {
    page.on("console", (m) => { if (m.type() === "error") consoleErrors.push(m.text()); });
    page.on("pageerror", (e) => consoleErrors.push(String(e)));

    await page.goto(base + "/");
    await page.getByLabel("API key").fill(key);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.locator("#whoami").filter({ hasText: "Organisation:" }).waitFor();

    await page.getByLabel("New project").fill("e2e-vault");
    await page.getByRole("button", { name: "Create" }).click();
    await page.locator("#project-select option", { hasText: "e2e-vault" }).waitFor({ state: "attached" });

    await page.getByLabel("Sources (.tar.gz or .zip)").setInputFiles(archive);
    await page.getByLabel("Fail on").selectOption("medium");
    await page.getByRole("button", { name: "Upload and audit" }).click();
    await page.locator("#audit-state").filter({ hasText: "succeeded" }).waitFor({ timeout: 60_000 });

    // Findings are grouped by severity, most severe first.
    const groups = page.locator("details.group > summary");
    await groups.first().waitFor();
    assert.match(await groups.first().textContent(), /^High \(1\)/);
    const first = page.locator("article.finding").first();
    await first.getByRole("button", { name: "Code, explanation and history" }).click();
    await first.locator("pre.snippet .hl").waitFor();
    assert.match(await first.locator("pre.snippet").textContent(), /msg\.sender\.call/);

    // Triage it.
    const findingId = await first.getAttribute("data-finding");
    await first.getByLabel(/^Status of/).selectOption("confirmed");
    await first.getByLabel(/^Assignee of/).fill("alice");
    await first.getByLabel(/^Comment on/).fill("confirmed in review");
    await first.getByRole("button", { name: "Save triage" }).click();
    await page.locator("#status").filter({ hasText: "is confirmed" }).waitFor();
    await first.locator(".history li", { hasText: "status open → confirmed" }).waitFor();
    const stored = await (await fetch(`${base}/api/v1/findings/${findingId}`, { headers: { Authorization: "Bearer " + key } })).json();
    assert.equal(stored.status, "confirmed");
    assert.equal(stored.assignee, "alice");

    // Charts are drawn.
    assert.ok(await page.locator("#by-severity svg rect").count() >= 1);
    assert.ok(await page.locator("#by-detector svg rect").count() >= 1);

    // Download the HTML report.
    await page.getByLabel("Report").selectOption("html");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download report" }).click(),
    ]);
    const reportPath = path.join(out, download.suggestedFilename());
    await download.saveAs(reportPath);
    const report = await readFile(reportPath, "utf8");
    assert.match(report, /<html/i);
    assert.match(report, /reentrancy-eth/);

    // Retest after a fix: the comparison shows fixed, persisting and new.
    await page.getByLabel("Sources (.tar.gz or .zip)").setInputFiles(process.env.BULWARK_E2E_RETEST_ARCHIVE);
    await page.getByLabel("Retest: compare with the latest succeeded audit").check();
    await page.getByRole("button", { name: "Upload and audit" }).click();
    await page.locator("#cmp-counts").filter({ hasText: "1 fixed, 2 persisting, 1 new" }).waitFor({ timeout: 60_000 });
    assert.match(await page.locator("#cmp-fixed").textContent(), /reentrancy-eth/);
    assert.match(await page.locator("#cmp-new").textContent(), /tx-origin/);

    await page.screenshot({ path: path.join(out, "workspace.png"), fullPage: true });

    // The API documentation page renders the OpenAPI document and its
    // "Try it" sends a real request.
    await page.goto(base + "/docs");
    await page.getByLabel("API key for “Try it”").fill(key);
    const org = page.locator("section", { has: page.locator("h3", { hasText: "GET /api/v1/org" }) });
    await org.getByRole("button", { name: "Try it" }).click();
    await org.locator("pre.snippet").filter({ hasText: "200 OK" }).waitFor();
    assert.match(await org.locator("pre.snippet").textContent(), /"name": "e2e"/);
    assert.ok(await page.locator("section.panel h3").count() >= 25, "every operation is listed");
    assert.deepEqual(consoleErrors, []);
  } catch (error) {
    // Keep what the page showed and said, to debug a failure.
    await page.screenshot({ path: path.join(out, "failure.png"), fullPage: true }).catch(() => {});
    error.message += "\nbrowser console: " + JSON.stringify(consoleErrors);
    throw error;
  } finally {
    await browser.close();
  }
});
