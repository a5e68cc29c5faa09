/**
 * Launching the built Electron app in tests, where Electron's binary exists. The binary is found the
 * way `require('electron')` finds it (path.txt, then dist/) without requiring the package: when the
 * binary is missing, requiring it starts a download.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { _electron as electron, type ElectronApplication } from '@playwright/test';
import { repoRoot } from './serve.js';
import { markSetupDone } from '../../test/support/index.js';

export const ELECTRON_SKIP_MESSAGE =
  'Electron binary not installed (ELECTRON_SKIP_BINARY_DOWNLOAD); run npm install without it to run this test';

export function findElectronBinary(): string | null {
  const packageDir = join(repoRoot, 'node_modules', 'electron');
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const executable = readFileSync(pathFile, 'utf8').trim();
  const distDir = process.env['ELECTRON_OVERRIDE_DIST_PATH'] || join(packageDir, 'dist');
  const binary = join(distDir, executable);
  return existsSync(binary) ? binary : null;
}

/** Starts the built app (`out/main/index.js`) on the data folder `home`. */
export async function launchHearth(binary: string, home: string): Promise<ElectronApplication> {
  if (!existsSync(join(repoRoot, 'out', 'main', 'index.js'))) {
    throw new Error('The app is not built: run `npm run build` before the Electron e2e tests.');
  }
  // The welcome is its own spec (packaged.spec.ts); these start in the chat.
  await markSetupDone(home);
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && key !== 'ELECTRON_RUN_AS_NODE') env[key] = value;
  }
  return electron.launch({
    executablePath: binary,
    args: [repoRoot],
    cwd: repoRoot,
    env: { ...env, HEARTH_HOME: home },
  });
}
