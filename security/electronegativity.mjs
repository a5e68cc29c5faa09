#!/usr/bin/env node
// `npm run security:electron`: Doyensec's Electronegativity over the Electron shell's source
// (electron/), offline. Fails when a finding above informational is not justified, by check and
// file, in security/electronegativity.md; prints every finding either way.
import './offlineGuard.mjs';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const run = createRequire(import.meta.url)('@doyensec/electronegativity/dist/runner.js');

/** Checks that need the network (Electron's release feed): nothing may leave the machine. */
const OFFLINE_EXCLUDED = ['AvailableSecurityFixesGlobalCheck'];

function justifications() {
  const text = readFileSync(join(here, 'electronegativity.md'), 'utf8');
  const accepted = new Set();
  for (const match of text.matchAll(/^\|\s*`?([A-Z_]+)`?\s*\|\s*`?([^|`]+?)`?\s*\|/gm)) {
    accepted.add(`${match[1]} ${match[2].trim()}`);
  }
  return accepted;
}

async function main() {
  const electronVersion = JSON.parse(
    readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8'),
  ).version;
  const input = join(root, 'electron');
  const result = await run({
    input,
    isRelative: true,
    electronVersionOverride: electronVersion,
    excludeFromScan: OFFLINE_EXCLUDED,
  });
  const broken = result.errors.filter((error) => !error.tolerable);
  for (const error of broken) console.error(`could not parse ${error.file}: ${error.message}`);

  const accepted = justifications();
  const unjustified = [];
  for (const issue of result.issues) {
    const file = issue.file === 'N/A' ? 'N/A' : `electron/${issue.file}`;
    const key = `${issue.id} ${file}`;
    const informational = issue.severity.name === 'INFORMATIONAL';
    const verdict = informational ? 'informational' : accepted.has(key) ? 'justified' : 'UNJUSTIFIED';
    console.log(
      `${verdict.padEnd(13)} ${issue.severity.name.padEnd(8)} ${issue.id} ${file}:${issue.location.line}`,
    );
    if (verdict === 'UNJUSTIFIED') unjustified.push(key);
  }
  console.log(
    `electronegativity ${electronVersion ? `(Electron ${electronVersion})` : ''}: ` +
      `${result.globalChecks + result.atomicChecks} checks, ${result.issues.length} findings, ` +
      `${unjustified.length} unjustified, ${broken.length} files not parsed`,
  );
  if (unjustified.length || broken.length) {
    console.error('Fix each finding or justify it (check and file) in security/electronegativity.md.');
    process.exit(1);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
