// Interactive API documentation rendered from /openapi.json (served by the
// binary itself, so it works offline). Data is inserted as text only.
"use strict";

const $ = (id) => document.getElementById(id);
let spec = null;

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

function resolve(schema) {
  if (schema && schema.$ref) return spec.components.schemas[schema.$ref.split("/").pop()];
  return schema || {};
}

/** A JSON example built from a schema (first enum value, types' zero values). */
function example(schema, depth) {
  schema = resolve(schema);
  if ((depth || 0) > 5) return null;
  if (schema.allOf) return Object.assign({}, ...schema.allOf.map((s) => example(s, depth + 1)));
  if (schema.oneOf) return example(schema.oneOf[0], depth + 1);
  if (schema.enum) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  if (type === "object" || schema.properties) {
    const out = {};
    for (const [k, v] of Object.entries(schema.properties || {})) out[k] = example(v, (depth || 0) + 1);
    return out;
  }
  if (type === "array") return [example(schema.items, (depth || 0) + 1)];
  if (type === "integer" || type === "number") return 0;
  if (type === "boolean") return false;
  if (type === "string") return "";
  return null;
}

function schemaName(schema) {
  if (!schema) return "";
  if (schema.$ref) return schema.$ref.split("/").pop();
  if (schema.type === "array" && schema.items) return schemaName(schema.items) + "[]";
  return Array.isArray(schema.type) ? schema.type.join(" | ") : schema.type || "";
}

function operation(path, method, op) {
  const id = (method + path).replace(/[^a-z0-9]+/gi, "-");
  const params = (op.parameters || []).map((p) => ({
    ...p,
    input: el("input", { id: id + "-" + p.name, placeholder: p.schema ? schemaName(p.schema) : "" }),
  }));
  const content = op.requestBody && op.requestBody.content;
  const bodyType = content ? Object.keys(content)[0] : null;
  const body = bodyType === "application/json"
    ? el("textarea", { id: id + "-body", rows: 6, "aria-label": "Request body" })
    : bodyType ? el("input", { id: id + "-file", type: "file", "aria-label": "Request body file" }) : null;
  if (bodyType === "application/json") body.value = JSON.stringify(example(content[bodyType].schema), null, 2);
  const output = el("pre", { class: "snippet", "aria-live": "polite" });
  const send = async () => {
    let url = path;
    const query = new URLSearchParams();
    for (const p of params) {
      if (!p.input.value) continue;
      if (p.in === "path") url = url.replace("{" + p.name + "}", encodeURIComponent(p.input.value));
      else if (p.in === "query") query.set(p.name, p.input.value);
    }
    if ([...query].length) url += "?" + query;
    const headers = {};
    if ($("key").value) headers.Authorization = "Bearer " + $("key").value;
    let payload;
    if (bodyType === "application/json") { headers["Content-Type"] = bodyType; payload = body.value; }
    else if (bodyType && body.files[0]) { headers["Content-Type"] = bodyType; payload = body.files[0]; }
    const started = performance.now();
    try {
      const response = await fetch(url, { method: method.toUpperCase(), headers, body: payload });
      const text = await response.text();
      let shown = text;
      try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch (_) { /* not JSON */ }
      output.textContent = response.status + " " + response.statusText + " (" + Math.round(performance.now() - started) + " ms)\n" + shown.slice(0, 20000);
    } catch (e) {
      output.textContent = "request failed: " + e.message;
    }
  };
  const responses = el("ul", {}, ...Object.entries(op.responses || {}).map(([code, r]) => {
    const c = r.content ? Object.entries(r.content)[0] : null;
    return el("li", {}, el("code", {}, code), " ", r.description || "", c ? " — " + c[0] + " " + schemaName(c[1].schema) : "");
  }));
  return el("section", { class: "panel", id, "aria-labelledby": id + "-h" },
    el("h3", { id: id + "-h" }, el("code", {}, method.toUpperCase() + " " + path)),
    el("p", {}, op.summary || ""), op.description && op.description !== op.summary ? el("p", { class: "hint" }, op.description) : null,
    op.security && op.security.length ? el("p", { class: "meta" }, "Needs an API key.") : el("p", { class: "meta" }, "No key needed."),
    params.length ? el("div", {}, el("h4", {}, "Parameters"), ...params.map((p) =>
      el("div", { class: "row" }, el("label", { for: p.input.id }, p.name + " (" + p.in + (p.required ? ", required" : "") + ")"), p.input, el("span", { class: "hint" }, p.description || "")))) : null,
    body ? el("div", {}, el("h4", {}, "Body (" + bodyType + ")"), body) : null,
    el("h4", {}, "Responses"), responses,
    el("button", { type: "button", onclick: send }, "Try it"), output);
}

async function main() {
  spec = await (await fetch("/openapi.json")).json();
  $("intro").textContent = spec.info.title + " " + spec.info.version + " (OpenAPI " + spec.openapi + "). " + (spec.info.description || "");
  const byTag = new Map();
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const tag = (op.tags && op.tags[0]) || "other";
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag).push([path, method, op]);
    }
  }
  const toc = $("toc");
  toc.append(el("h2", {}, "Operations"));
  for (const [tag, ops] of byTag) {
    const tagInfo = (spec.tags || []).find((t) => t.name === tag);
    $("ops").append(el("h2", {}, tag), tagInfo ? el("p", { class: "hint" }, tagInfo.description) : null, ...ops.map((o) => operation(...o)));
    toc.append(el("p", {}, el("strong", {}, tag + ": "), ...ops.flatMap(([path, method]) => [el("a", { href: "#" + (method + path).replace(/[^a-z0-9]+/gi, "-") }, method.toUpperCase() + " " + path), " "])));
  }
}

main();
