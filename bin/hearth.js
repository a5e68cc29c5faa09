#!/usr/bin/env node
// The `hearth` command. The CLI is built with the app (`npm run build`) into out/cli.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../out/cli/index.js', import.meta.url));
if (!existsSync(entry)) {
  console.error('hearth: the app is not built yet. Run `npm run build` in the Hearth folder first.');
  process.exit(2);
}
await import(entry);
