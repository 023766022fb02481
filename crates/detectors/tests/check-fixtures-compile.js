#!/usr/bin/env node
// Checks that every detector fixture is valid Solidity for the compiler its
// pragma names, using the pinned solc-js builds in tools/solcjs.
//
// Fixtures are the specification of each detector, so a fixture that solc
// rejects would pin behaviour on code no user can deploy. This is a manual
// check (it needs `npm ci --prefix tools/solcjs`), not part of `cargo test`.
//
// Usage (from the repository root):
//   node crates/detectors/tests/check-fixtures-compile.js [fixture-dir-or-file...]
// Exit status: 0 when every file compiles (warnings allowed), 1 otherwise.
'use strict';

const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const astScript = path.join(repoRoot, 'tools', 'solcjs', 'ast.js');
const fixturesRoot = path.join(__dirname, 'fixtures');

function listSolidityFiles (target) {
  const stat = fs.statSync(target);
  if (stat.isFile()) return target.endsWith('.sol') ? [target] : [];
  return fs.readdirSync(target).sort()
    .flatMap((name) => listSolidityFiles(path.join(target, name)));
}

// Picks the pinned compiler for a file: the exact version when the pragma
// pins one (`pragma solidity 0.4.24;`), otherwise the newest installed build
// of the same 0.x minor line (`^0.4.18` -> 0.4.26).
function compilerFor (source, installed) {
  const pragma = /pragma\s+solidity\s+([^;]+);/.exec(source);
  if (!pragma) return { error: 'no `pragma solidity` line' };
  const spec = pragma[1].trim();
  const first = /(\d+)\.(\d+)\.(\d+)/.exec(spec);
  if (!first) return { error: `cannot read a version from pragma \`${spec}\`` };
  const exact = /^=?\s*\d/.test(spec);
  if (exact) {
    return installed.includes(first[0])
      ? { version: first[0] }
      : { error: `pragma pins ${first[0]}, which tools/solcjs does not install` };
  }
  const sameLine = installed
    .filter((v) => v.startsWith(`${first[1]}.${first[2]}.`))
    .sort((a, b) => Number(b.split('.')[2]) - Number(a.split('.')[2]));
  return sameLine.length > 0
    ? { version: sameLine[0] }
    : { error: `no installed compiler for pragma \`${spec}\`` };
}

function main (args) {
  const installed = JSON.parse(execFileSync('node', [astScript, '--versions'], { encoding: 'utf8' }));
  const targets = args.length > 0 ? args.map((a) => path.resolve(a)) : [fixturesRoot];
  const files = targets.flatMap(listSolidityFiles);
  const byVersion = new Map();
  let failures = 0;
  for (const file of files) {
    const choice = compilerFor(fs.readFileSync(file, 'utf8'), installed);
    if (choice.error) {
      console.log(`FAIL ${path.relative(repoRoot, file)}: ${choice.error}`);
      failures += 1;
      continue;
    }
    if (!byVersion.has(choice.version)) byVersion.set(choice.version, []);
    byVersion.get(choice.version).push(path.relative(repoRoot, file));
  }
  for (const [version, unitFiles] of byVersion) {
    const request = { version, root: repoRoot, units: unitFiles.map((f) => [f]) };
    let stdout;
    try {
      stdout = execFileSync('node', [astScript, '--stdin'], {
        input: JSON.stringify(request), encoding: 'utf8', maxBuffer: 1 << 30
      });
    } catch (e) {
      // ast.js exits 1 when a unit fails but still prints the response.
      stdout = e.stdout;
    }
    const response = JSON.parse(stdout);
    for (const unit of response.units) {
      const errors = unit.errors.filter((e) => e.severity === 'error');
      if (unit.ok) {
        console.log(`ok   ${unit.files[0]} (solc ${version})`);
      } else {
        failures += 1;
        console.log(`FAIL ${unit.files[0]} (solc ${version})`);
        for (const e of errors) console.log(e.formatted.trimEnd().replace(/^/gm, '     '));
      }
    }
  }
  console.log(`${files.length - failures}/${files.length} fixtures compile`);
  return failures === 0 ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
