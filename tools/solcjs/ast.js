#!/usr/bin/env node
// Compile Solidity sources with one pinned solc-js version and print solc's
// compact AST ("ast" in standard-JSON output) plus the compiler's errors.
//
// One node process serves one compiler version and any number of
// compilation units: loading a soljson build costs far more than compiling a
// small file, so callers batch all the files of a version into one request.
//
// Usage:
//   node ast.js --versions                 installed versions, as JSON
//   node ast.js <version> <file.sol>...    each file is its own unit (paths
//                                          relative to the current directory)
//   node ast.js --stdin < request.json     full request, see below
//
// Request (stdin):
//   { "version": "0.8.37",
//     "root": "/abs/dir",            // source unit names are relative to it
//     "include_paths": ["/abs/node_modules"], // extra lookup roots for imports
//     "remappings": ["@oz/=lib/oz/"],
//     "units": [["a.sol", "b.sol"], ["c.sol"]],
//     "split_on_error": true }       // a failing multi-file unit is retried
//                                    // file by file so one bad file does not
//                                    // hide the ASTs of the others
// Response (stdout), one JSON object:
//   { "version": "0.8.37", "long_version": "0.8.37+commit...",
//     "units": [ { "files": [...], "ok": true|false,
//                  "errors": [ { "severity", "type", "message", "file",
//                                "start", "end", "formatted" } ],
//                  "sources": { "a.sol": { "id": 0, "ast": {...} } } } ] }
// `ok` is false when solc reported an error (warnings do not count) or when
// the compiler crashed; `sources` then holds whatever solc still produced.
'use strict';

const fs = require('fs');
const path = require('path');

function installedVersions () {
  const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, 'package.json'), 'utf8'));
  return Object.keys(manifest.dependencies)
    .filter((name) => name.startsWith('solc-'))
    .map((name) => name.slice('solc-'.length));
}

function loadCompiler (version) {
  const dir = path.join(__dirname, 'node_modules', 'solc-' + version);
  if (!fs.existsSync(dir)) {
    const known = installedVersions().join(', ');
    throw new Error(`solc ${version} is not installed in ${path.join(__dirname, 'node_modules')} ` +
      `(installed per package.json: ${known}); run \`npm ci --prefix tools/solcjs\``);
  }
  return require(dir);
}

// solc-js changed its entry point twice: 0.4.x exposes compileStandardWrapper
// with a bare read callback, 0.5.x `compile` with a bare callback, and 0.6+
// `compile` with an object of callbacks.
function standardJsonCompiler (solc, version) {
  const [major, minor] = version.split('.').map(Number);
  if (major === 0 && minor <= 4) {
    return (input, read) => solc.compileStandardWrapper(input, read);
  }
  if (major === 0 && minor === 5) {
    return (input, read) => solc.compile(input, read);
  }
  return (input, read) => solc.compile(input, { import: read });
}

// Resolve an import (a source unit name, remappings already applied by solc)
// against the root and then each include path.
function makeReader (roots) {
  return (unitName) => {
    for (const root of roots) {
      const candidate = path.resolve(root, unitName);
      try {
        return { contents: fs.readFileSync(candidate, 'utf8') };
      } catch (e) {
        // try the next root
      }
    }
    return { error: `File not found: ${unitName} (looked in ${roots.join(', ')})` };
  };
}

function simplifyError (err) {
  const loc = err.sourceLocation || {};
  return {
    severity: err.severity,
    type: err.type,
    message: err.message,
    file: loc.file === undefined ? null : loc.file,
    start: loc.start === undefined ? null : loc.start,
    end: loc.end === undefined ? null : loc.end,
    formatted: err.formattedMessage || err.message
  };
}

function compileUnit (compile, request, files) {
  const roots = [request.root].concat(request.include_paths || []);
  const read = makeReader(roots);
  const sources = {};
  const readErrors = [];
  for (const file of files) {
    const got = read(file);
    if (got.error) {
      readErrors.push({ severity: 'error', type: 'IOError', message: got.error, file, start: null, end: null, formatted: got.error });
    } else {
      sources[file] = { content: got.contents };
    }
  }
  if (readErrors.length > 0) {
    return { files, ok: false, errors: readErrors, sources: {} };
  }
  const input = {
    language: 'Solidity',
    sources,
    settings: {
      remappings: request.remappings || [],
      // Only the AST: no bytecode, so newer compilers skip code generation.
      outputSelection: { '*': { '': ['ast'] } }
    }
  };
  let output;
  try {
    output = JSON.parse(compile(JSON.stringify(input), read));
  } catch (e) {
    const message = `solc ${request.version} crashed: ${e && e.message ? e.message : e}`;
    return { files, ok: false, errors: [{ severity: 'error', type: 'CompilerCrash', message, file: null, start: null, end: null, formatted: message }], sources: {} };
  }
  const errors = (output.errors || []).map(simplifyError);
  const result = {};
  for (const [name, source] of Object.entries(output.sources || {})) {
    if (source.ast) result[name] = { id: source.id, ast: source.ast };
  }
  const ok = !errors.some((e) => e.severity === 'error');
  return { files, ok, errors, sources: result };
}

function run (request) {
  const solc = loadCompiler(request.version);
  const compile = standardJsonCompiler(solc, request.version);
  const units = [];
  for (const files of request.units) {
    const unit = compileUnit(compile, request, files);
    if (!unit.ok && request.split_on_error && files.length > 1) {
      for (const file of files) units.push(compileUnit(compile, request, [file]));
    } else {
      units.push(unit);
    }
  }
  return { version: request.version, long_version: solc.version(), units };
}

function readStdin () {
  return fs.readFileSync(0, 'utf8');
}

function main (argv) {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h') {
    process.stderr.write('usage: node ast.js --versions | <version> <file.sol>... | --stdin < request.json\n');
    return argv.length === 0 ? 2 : 0;
  }
  if (argv[0] === '--versions') {
    process.stdout.write(JSON.stringify(installedVersions()) + '\n');
    return 0;
  }
  let request;
  if (argv[0] === '--stdin') {
    request = JSON.parse(readStdin());
  } else {
    request = { version: argv[0], root: process.cwd(), units: argv.slice(1).map((f) => [f]) };
  }
  request.root = path.resolve(request.root || process.cwd());
  const response = run(request);
  process.stdout.write(JSON.stringify(response) + '\n');
  return response.units.every((u) => u.ok) ? 0 : 1;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  process.stderr.write(`ast.js: ${e && e.message ? e.message : e}\n`);
  process.exitCode = 2;
}
