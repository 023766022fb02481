// Bulwark's bridge to solc-js: node bulwark-solc.js <solc package dir> [--version | --standard-json]
// Reads a standard-JSON input on stdin and writes solc's standard-JSON output
// on stdout. Also answers `--version` like native solc, so tools that expect a
// solc binary (forge's `solc` setting) can use solc-js through a tiny script.
'use strict';
const path = require('path');

const pkg = process.argv[2];
const args = process.argv.slice(3);
const solc = require(path.resolve(pkg));

if (args.includes('--version')) {
  process.stdout.write('solc, the solidity compiler commandline interface\nVersion: ' + solc.version() + '\n');
  process.exit(0);
}

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => { input += chunk; });
process.stdin.on('end', () => {
  // solc-js before 0.5 exposes standard JSON as compileStandardWrapper.
  const compile = typeof solc.compileStandardWrapper === 'function' && solc.version().startsWith('0.4.')
    ? solc.compileStandardWrapper
    : solc.compile;
  process.stdout.write(compile(input));
});
