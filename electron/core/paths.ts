/**
 * Where Hearth keeps its data. HEARTH_HOME wins everywhere (app, headless host, CLI, tests);
 * otherwise the same folder Electron's `app.getPath('userData')` gives an app named "Hearth",
 * so the headless host and the CLI see the desktop app's models.
 */
import { mkdir } from 'node:fs/promises';
import { homedir as osHomedir } from 'node:os';
import path from 'node:path';

export const APP_NAME = 'Hearth';
export const HOME_ENV = 'HEARTH_HOME';

export interface DataDirInputs {
  env?: Readonly<Record<string, string | undefined>>;
  platform?: NodeJS.Platform;
  homedir?: string;
}

/** Electron's `appData` for a platform, then the app's own folder inside it. */
export function resolveDataDir({
  env = process.env,
  platform = process.platform,
  homedir = osHomedir(),
}: DataDirInputs = {}): string {
  const paths = platform === 'win32' ? path.win32 : path.posix;
  const override = env[HOME_ENV]?.trim();
  if (override) return paths.resolve(override);

  let appData: string;
  if (platform === 'win32') {
    appData = env.APPDATA?.trim() || paths.join(homedir, 'AppData', 'Roaming');
  } else if (platform === 'darwin') {
    appData = paths.join(homedir, 'Library', 'Application Support');
  } else {
    appData = env.XDG_CONFIG_HOME?.trim() || paths.join(homedir, '.config');
  }
  return paths.join(appData, APP_NAME);
}

export function modelsDirOf(dataDir: string): string {
  return path.join(dataDir, 'models');
}

/** The models folder, created (with the data folder) if it is not there yet. */
export async function ensureModelsDir(dataDir: string): Promise<string> {
  const dir = modelsDirOf(dataDir);
  await mkdir(dir, { recursive: true });
  return dir;
}
