// Bulwark workspace: a small, dependency-free client of API v1.
// Data from the API is only ever inserted as text (never as HTML).
"use strict";

const SEVERITIES = ["critical", "high", "medium", "low", "informational", "optimization"];
const STATUSES = ["open", "confirmed", "false-positive", "acknowledged", "fixed"];
const $ = (id) => document.getElementById(id);
const state = { key: sessionStorage.getItem("bulwark-key") || "", project: null, audit: null, poll: null, refreshing: false };

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? "" : v);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function say(message, isError) {
  const status = $("status");
  status.textContent = message || "";
  status.classList.toggle("error", !!isError);
}

async function api(method, path, body, raw) {
  const headers = { Authorization: "Bearer " + state.key };
  let payload;
  if (raw !== undefined) {
    headers["Content-Type"] = "application/octet-stream";
    payload = raw;
  } else if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  }
  const response = await fetch(path, { method, headers, body: payload });
  const type = response.headers.get("content-type") || "";
  if (!response.ok) {
    let detail = response.status + " " + response.statusText;
    if (type.includes("json")) {
      const problem = await response.json();
      detail = problem.detail || detail;
    }
    const error = new Error(detail);
    error.status = response.status;
    throw error;
  }
  if (response.status === 204) return null;
  return type.includes("json") ? response.json() : response.text();
}

// ---- sign in ---------------------------------------------------------------

async function signIn(key) {
  state.key = key;
  try {
    const org = await api("GET", "/api/v1/org");
    sessionStorage.setItem("bulwark-key", key);
    $("whoami").textContent = "Organisation: " + org.name;
    $("signin").hidden = true;
    $("workspace").hidden = false;
    $("signout").hidden = false;
    say("Signed in.");
    await loadProjects();
  } catch (e) {
    state.key = "";
    sessionStorage.removeItem("bulwark-key");
    say("Sign-in failed: " + e.message, true);
  }
}

function signOut() {
  sessionStorage.removeItem("bulwark-key");
  location.reload();
}

// ---- projects and uploads ----------------------------------------------------

async function loadProjects(selectId) {
  const projects = await api("GET", "/api/v1/projects");
  const select = $("project-select");
  select.replaceChildren(...projects.map((p) => el("option", { value: p.id }, p.name)));
  if (!projects.length) select.append(el("option", { value: "" }, "(no project yet)"));
  if (selectId) select.value = selectId;
  state.project = select.value || null;
  await loadAudits();
}

async function createProject(event) {
  event.preventDefault();
  try {
    const project = await api("POST", "/api/v1/projects", { name: $("project-name").value });
    $("project-name").value = "";
    say("Project " + project.name + " created.");
    await loadProjects(project.id);
  } catch (e) {
    say("Cannot create the project: " + e.message, true);
  }
}

function auditOptions() {
  const detectors = $("detectors").value.split(",").map((s) => s.trim()).filter(Boolean);
  return { fail_on: $("fail-on").value, detectors };
}

async function uploadAndAudit(event) {
  event.preventDefault();
  if (!state.project) return say("Create a project first.", true);
  const file = $("archive").files[0];
  if (!file) return say("Choose an archive.", true);
  try {
    say("Uploading " + file.name + "…");
    const upload = await api("POST", "/api/v1/projects/" + state.project + "/uploads", undefined, file);
    let audit;
    if ($("as-retest").checked) {
      // A retest keeps the baseline's options and classifies each finding
      // as fixed, persisting or new.
      const audits = await api("GET", "/api/v1/projects/" + state.project + "/audits");
      const baseline = audits.filter((a) => a.status === "succeeded").pop();
      if (!baseline) return say("No succeeded audit to compare with yet: untick Retest.", true);
      audit = await api("POST", "/api/v1/audits/" + baseline.id + "/retest", { upload_id: upload.id });
    } else {
      audit = await api("POST", "/api/v1/projects/" + state.project + "/audits", { upload_id: upload.id, ...auditOptions() });
    }
    say("Uploaded " + upload.file_count + " files; audit queued.");
    await loadAudits();
    openAudit(audit.id);
  } catch (e) {
    say("Upload failed: " + e.message, true);
  }
}

// ---- audits --------------------------------------------------------------------

async function loadAudits() {
  const body = $("audits").querySelector("tbody");
  body.replaceChildren();
  $("trend").querySelector(".svg").replaceChildren();
  if (!state.project) return;
  const audits = await api("GET", "/api/v1/projects/" + state.project + "/audits");
  for (const a of audits.slice().reverse()) {
    const total = a.summary ? a.summary.total_findings : "–";
    const gate = a.summary ? (a.summary.gate_passed ? "passed" : "failed") : "–";
    const actions = el("td", {},
      el("button", { type: "button", class: "secondary", onclick: () => openAudit(a.id) }, "Open"),
      a.status === "succeeded" ? el("button", { type: "button", class: "secondary", onclick: () => retest(a.id) }, "Retest latest upload") : null);
    body.append(el("tr", {},
      el("td", {}, a.id, a.baseline_audit_id ? el("span", { class: "badge" }, "retest") : null),
      el("td", {}, new Date(a.created_at).toLocaleString()),
      el("td", {}, a.status),
      el("td", {}, total),
      el("td", {}, gate),
      actions));
  }
  drawTrend(audits.filter((a) => a.summary));
}

async function retest(baselineId) {
  try {
    const uploads = await api("GET", "/api/v1/projects/" + state.project + "/uploads");
    const latest = uploads[uploads.length - 1];
    const audit = await api("POST", "/api/v1/audits/" + baselineId + "/retest", { upload_id: latest.id });
    say("Retest queued.");
    await loadAudits();
    openAudit(audit.id);
  } catch (e) {
    say("Cannot retest: " + e.message, true);
  }
}

function openAudit(id) {
  state.audit = id;
  $("audit").hidden = false;
  $("audit-h").textContent = "Audit " + id;
  $("audit-body").hidden = true;
  clearInterval(state.poll);
  refreshAudit();
  state.poll = setInterval(refreshAudit, 700);
}

async function refreshAudit() {
  // One refresh at a time: on a slow server a GET can outlast the 700 ms
  // interval, and two refreshes that both see the audit finished would
  // render the results twice, replacing a triage form being filled in.
  if (state.refreshing) return;
  state.refreshing = true;
  try {
    await refreshAuditOnce();
  } finally {
    state.refreshing = false;
  }
}

async function refreshAuditOnce() {
  let audit;
  try {
    audit = await api("GET", "/api/v1/audits/" + state.audit);
  } catch (e) {
    clearInterval(state.poll);
    return say("Cannot load the audit: " + e.message, true);
  }
  $("progress").value = audit.progress;
  $("progress").textContent = Math.round(audit.progress * 100) + "%";
  let text = audit.status + " (" + Math.round(audit.progress * 100) + "%)";
  if (audit.error) text += ": " + audit.error;
  $("audit-state").textContent = text;
  $("cancel").hidden = !["queued", "running"].includes(audit.status);
  if (["succeeded", "failed", "cancelled"].includes(audit.status)) {
    clearInterval(state.poll);
    await loadAudits();
    if (audit.status === "succeeded") await showResults(audit);
  }
}

async function cancelAudit() {
  try {
    await api("POST", "/api/v1/audits/" + state.audit + "/cancel");
    say("Cancellation requested.");
  } catch (e) {
    say("Cannot cancel: " + e.message, true);
  }
}

async function showResults(audit) {
  $("audit-body").hidden = false;
  const s = audit.summary;
  drawBars($("by-severity"), SEVERITIES.map((k) => [k, s.by_severity[k] || 0]), (k) => "sev-" + k);
  drawBars($("by-detector"), Object.entries(s.by_detector).sort((a, b) => b[1] - a[1]).slice(0, 12), () => "bar-detector");
  const errors = s.errors.map((e) => e.message).join("; ");
  say(s.total_findings + " findings in " + s.files_analysed + " files" + (errors ? ". Input problems: " + errors : "."));
  $("comparison").hidden = !audit.baseline_audit_id;
  if (audit.baseline_audit_id) await showComparison();
  await loadFindings();
}

async function showComparison() {
  const c = await api("GET", "/api/v1/audits/" + state.audit + "/comparison");
  $("cmp-counts").textContent = c.counts.fixed + " fixed, " + c.counts.persisting + " persisting, " + c.counts.new + " new (baseline " + c.baseline_audit_id + ").";
  for (const kind of ["fixed", "persisting", "new"]) {
    $("cmp-" + kind).replaceChildren(...c[kind].map((f) =>
      el("li", {}, el("span", { class: "sev-" + f.severity }, f.severity), " ", f.title, " — ", where(f))));
  }
}

function where(f) {
  const l = f.locations[0];
  return l ? l.file + ":" + l.start_line : "";
}

// ---- findings ------------------------------------------------------------------

async function loadFindings(event) {
  if (event) event.preventDefault();
  const params = new URLSearchParams({ limit: "500" });
  if ($("f-severity").value) params.set("severity", $("f-severity").value);
  if ($("f-status").value) params.set("status", $("f-status").value);
  if ($("f-detector").value.trim()) params.set("detector", $("f-detector").value.trim());
  const items = [];
  let cursor = null;
  do {
    if (cursor) params.set("cursor", cursor);
    const page = await api("GET", "/api/v1/audits/" + state.audit + "/findings?" + params);
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor && items.length < 5000);
  const container = $("findings");
  container.replaceChildren();
  for (const severity of SEVERITIES) {
    const group = items.filter((f) => f.severity === severity);
    if (!group.length) continue;
    container.append(el("details", { class: "group", open: true },
      el("summary", { class: "sev-" + severity }, severity[0].toUpperCase() + severity.slice(1) + " (" + group.length + ")"),
      ...group.map(findingCard)));
  }
  if (!items.length) container.append(el("p", {}, "No finding matches."));
}

function findingCard(f) {
  const status = el("select", { "aria-label": "Status of " + f.title }, ...STATUSES.map((s) => el("option", { value: s, selected: s === f.status }, s)));
  const assignee = el("input", { "aria-label": "Assignee of " + f.title, placeholder: "assignee", value: f.assignee || "", maxlength: "100" });
  const comment = el("textarea", { "aria-label": "Comment on " + f.title, placeholder: "comment (optional)" });
  const details = el("div", { class: "details" });
  const badge = el("span", { class: "badge" }, f.status);
  const save = async () => {
    const change = {};
    if (status.value !== f.status) change.status = status.value;
    const who = assignee.value.trim();
    if (who !== (f.assignee || "")) change.assignee = who || null;
    if (comment.value.trim()) change.comment = comment.value.trim();
    if (!Object.keys(change).length) return say("Nothing changed.");
    try {
      const updated = await api("PATCH", "/api/v1/findings/" + f.id, change);
      Object.assign(f, updated);
      badge.textContent = updated.status;
      comment.value = "";
      say("Saved: " + f.title + " is " + updated.status + ".");
      if (details.childElementCount) await showDetails(f, details);
    } catch (e) {
      say("Cannot save: " + e.message, true);
    }
  };
  const article = el("article", { class: "finding sev-" + f.severity, "data-finding": f.id },
    el("h4", {}, f.title, badge, f.retest_class ? el("span", { class: "badge" }, f.retest_class) : null),
    el("p", {}, f.message),
    el("p", { class: "meta" }, where(f) + " · " + f.detector + " · confidence " + f.confidence + (f.swc.length ? " · " + f.swc.join(", ") : "")),
    el("div", { class: "triage" },
      status, assignee,
      el("button", { type: "button", onclick: save }, "Save triage"),
      el("button", { type: "button", class: "secondary", onclick: () => showDetails(f, details) }, "Code, explanation and history"),
      comment),
    details);
  return article;
}

async function showDetails(f, container) {
  const [detail, history] = await Promise.all([
    api("GET", "/api/v1/findings/" + f.id),
    api("GET", "/api/v1/findings/" + f.id + "/history"),
  ]);
  const code = el("pre", { class: "snippet", "aria-label": "Code snippet" },
    ...detail.snippet.map((l) => el("span", { class: l.highlight ? "hl" : "" }, String(l.line).padStart(5) + "  " + l.text + "\n")));
  const docs = detail.rule ? el("dl", { class: "docs" },
    el("dt", {}, "What"), el("dd", {}, detail.rule.what || detail.rule.summary),
    el("dt", {}, "Why it matters"), el("dd", {}, detail.rule.why),
    el("dt", {}, "Exploit scenario"), el("dd", {}, detail.rule.exploit),
    el("dt", {}, "Recommended fix"), el("dd", {}, detail.rule.fix)) : null;
  const events = el("ul", { class: "history", "aria-label": "History" },
    ...history.map((e) => el("li", {}, new Date(e.at).toLocaleString() + " — " + e.actor + ": " +
      (e.kind === "comment" ? "commented “" + e.body + "”" : e.kind + " " + (e.old_value || "∅") + " → " + (e.new_value || "∅")))));
  if (!history.length) events.append(el("li", {}, "No triage yet."));
  container.replaceChildren(code, docs, el("h5", {}, "History"), events);
}

// ---- report download ----------------------------------------------------------------

async function downloadReport() {
  const format = $("report-format").value;
  try {
    const response = await fetch("/api/v1/audits/" + state.audit + "/report?format=" + format, { headers: { Authorization: "Bearer " + state.key } });
    if (!response.ok) throw new Error(response.status + " " + response.statusText);
    const blob = await response.blob();
    const ext = { html: "html", markdown: "md", json: "json", sarif: "sarif" }[format];
    const link = el("a", { href: URL.createObjectURL(blob), download: "bulwark-" + state.audit + "." + ext });
    document.body.append(link);
    link.click();
    link.remove();
    say("Report downloaded (" + format + ").");
  } catch (e) {
    say("Cannot download the report: " + e.message, true);
  }
}

// ---- charts (inline SVG) ----------------------------------------------------------------

const SVG = "http://www.w3.org/2000/svg";
function svgEl(tag, attrs, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Horizontal bars, one per [label, value]. */
function drawBars(figure, rows, classOf) {
  const width = 460, rowH = 22, left = 150;
  const max = Math.max(1, ...rows.map((r) => r[1]));
  const svg = svgEl("svg", { viewBox: "0 0 " + width + " " + (rows.length * rowH + 6), role: "img" });
  svg.append(svgEl("title", {}, figure.querySelector("figcaption").textContent + ": " + rows.map((r) => r[0] + " " + r[1]).join(", ")));
  rows.forEach(([label, value], i) => {
    const y = i * rowH + 3;
    svg.append(svgEl("text", { x: 0, y: y + 14 }, label.length > 24 ? label.slice(0, 23) + "…" : label));
    svg.append(svgEl("rect", { x: left, y, width: Math.max(value ? 2 : 0, (width - left - 40) * value / max), height: rowH - 6, class: classOf(label) }));
    svg.append(svgEl("text", { x: left + (width - left - 40) * value / max + 4, y: y + 14 }, String(value)));
  });
  if (!rows.length) svg.append(svgEl("text", { x: 0, y: 16 }, "No finding."));
  figure.querySelector(".svg").replaceChildren(svg);
}

/** Stacked columns per audit, by severity. */
function drawTrend(audits) {
  const figure = $("trend");
  if (!audits.length) return;
  const width = 640, height = 160, bottom = 20;
  const colW = Math.min(60, (width - 20) / audits.length);
  const max = Math.max(1, ...audits.map((a) => a.summary.total_findings));
  const svg = svgEl("svg", { viewBox: "0 0 " + width + " " + height, role: "img" });
  svg.append(svgEl("title", {}, "Findings per audit: " + audits.map((a) => a.summary.total_findings).join(", ")));
  audits.forEach((a, i) => {
    let y = height - bottom;
    for (const sev of SEVERITIES) {
      const n = a.summary.by_severity[sev] || 0;
      if (!n) continue;
      const h = (height - bottom - 10) * n / max;
      y -= h;
      svg.append(svgEl("rect", { x: 10 + i * colW, y, width: colW - 8, height: h, class: "sev-" + sev }));
    }
    svg.append(svgEl("text", { x: 10 + i * colW, y: height - 6 }, "#" + (i + 1) + " (" + a.summary.total_findings + ")"));
  });
  figure.querySelector(".svg").replaceChildren(svg);
}

// ---- wiring ---------------------------------------------------------------------------------

document.addEventListener("DOMContentLoaded", () => {
  $("signin-form").addEventListener("submit", (e) => { e.preventDefault(); signIn($("key").value.trim()); });
  $("signout").addEventListener("click", signOut);
  $("new-project").addEventListener("submit", createProject);
  $("project-select").addEventListener("change", () => { state.project = $("project-select").value; $("audit").hidden = true; loadAudits(); });
  $("upload-form").addEventListener("submit", uploadAndAudit);
  $("cancel").addEventListener("click", cancelAudit);
  $("download").addEventListener("click", downloadReport);
  $("filters").addEventListener("submit", loadFindings);
  if (state.key) signIn(state.key);
});
