/** Seeded data folders skip the first-run welcome, as a user who already set Hearth up would. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SETUP_FILE } from '../../electron/core/setup/SetupStore.js';

export async function markSetupDone(home: string): Promise<void> {
  await mkdir(home, { recursive: true });
  await writeFile(
    join(home, SETUP_FILE),
    `${JSON.stringify({ done: true, completedAt: new Date(0).toISOString() })}\n`,
  );
}
