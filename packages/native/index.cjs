'use strict';
// Loads the prebuilt addon for this platform: kompakt.<platform>-<arch>[-<abi>].node, built by
// `npm run build` (napi build --release --platform) from the Rust crate in ../../native.
// Never throws: when the file is missing or fails to load, `binding` is null and `loadError`
// says why, so @kompakt/core can fall back to its WebAssembly backends.

const { join } = require('node:path');
const { readFileSync } = require('node:fs');

function isMusl() {
  try {
    return readFileSync('/usr/bin/ldd', 'utf8').includes('musl');
  } catch {
    // no ldd: ask the process report (glibcVersionRuntime is set only under glibc)
  }
  try {
    const report = process.report;
    if (report && typeof report.getReport === 'function') {
      const exclude = report.excludeNetwork;
      report.excludeNetwork = true;
      try {
        const header = report.getReport().header;
        return !(header && header.glibcVersionRuntime);
      } finally {
        report.excludeNetwork = exclude;
      }
    }
  } catch {
    // fall through
  }
  return false;
}

function triples() {
  const { platform, arch } = process;
  switch (platform) {
    case 'linux': {
      const musl = isMusl();
      if (arch === 'arm') return [musl ? 'linux-arm-musleabihf' : 'linux-arm-gnueabihf'];
      return [`linux-${arch}-${musl ? 'musl' : 'gnu'}`];
    }
    case 'win32':
      return [`win32-${arch}-msvc`, `win32-${arch}-gnu`];
    case 'darwin':
      return [`darwin-${arch}`, 'darwin-universal'];
    default:
      return [`${platform}-${arch}`];
  }
}

let binding = null;
let loadError = null;
const tried = [];
for (const triple of triples()) {
  const file = join(__dirname, `kompakt.${triple}.node`);
  try {
    binding = require(file);
    loadError = null;
    break;
  } catch (error) {
    tried.push(file);
    if (!loadError || (error && error.code !== 'MODULE_NOT_FOUND')) loadError = error;
  }
}
if (!binding && loadError && loadError.code === 'MODULE_NOT_FOUND') {
  loadError = new Error(
    `@kompakt/native: no prebuilt addon for ${process.platform}-${process.arch} (looked for ${tried.join(', ')}); ` +
      'build it with `npm run build -w @kompakt/native` (needs a Rust toolchain)',
    { cause: loadError },
  );
}

exports.binding = binding;
exports.loadError = loadError;
