#!/usr/bin/env node
// `npm test`: type-check, lint, build, unit and integration tests (Vitest), end-to-end tests (Playwright).
// Every step runs even when an earlier one fails, so one run shows everything; the last line is the totals.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const results = 'test-results';
mkdirSync(results, { recursive: true });
for (const file of ['vitest.json', 'playwright.json']) rmSync(`${results}/${file}`, { force: true });

const steps = [
  ['type-check', 'npm run typecheck'],
  ['lint', 'npm run lint'],
  // Issue 7: Electron security checklist scan (Electronegativity, offline).
  ['security scan', 'npm run security:electron'],
  ['build', 'npm run build'],
  [
    'unit and integration',
    `npx vitest run --reporter=default --reporter=json --outputFile.json=${results}/vitest.json`,
  ],
  ['end to end', 'npx playwright test'],
];

const failedSteps = [];
for (const [name, command] of steps) {
  console.log(`\n=== ${name}: ${command}`);
  const { status } = spawnSync(command, { stdio: 'inherit', shell: true });
  if (status !== 0) failedSteps.push(name);
}

function readJson(path) {
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : undefined;
}
const vitest = readJson(`${results}/vitest.json`);
const playwright = readJson(`${results}/playwright.json`);
// A failed check step (type-check, lint, build) counts as one failure, so the totals never hide it.
const checkSteps = new Set(['type-check', 'lint', 'security scan', 'build']);
const totals = { passed: 0, failed: failedSteps.filter((name) => checkSteps.has(name)).length, skipped: 0 };
if (vitest) {
  totals.passed += vitest.numPassedTests;
  totals.failed += vitest.numFailedTests;
  totals.skipped += vitest.numPendingTests + vitest.numTodoTests;
}
if (playwright) {
  totals.passed += playwright.stats.expected + playwright.stats.flaky;
  totals.failed += playwright.stats.unexpected;
  totals.skipped += playwright.stats.skipped;
}

console.log('\n=== summary');
console.log(
  `unit and integration: ${vitest ? `${vitest.numPassedTests} passed, ${vitest.numFailedTests} failed` : 'no results'}`,
);
console.log(
  `end to end: ${playwright ? `${playwright.stats.expected} passed, ${playwright.stats.unexpected} failed, ${playwright.stats.skipped} skipped` : 'no results'}`,
);
if (failedSteps.length) console.log(`failed steps: ${failedSteps.join(', ')}`);
console.log(`Totals: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failedSteps.length || totals.failed ? 1 : 0);
