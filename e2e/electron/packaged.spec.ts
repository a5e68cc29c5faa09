/**
 * The installed app's first start: the unpacked build of `npm run dist -- --dir` (made with
 * HEARTH_E2E_BUILD=1, whose fuses let Playwright attach) is launched on an empty data folder and
 * must reach the first-run welcome. Skips, saying why, where no packaged app was built: building
 * one needs Electron's binary, which this CI machine does not download.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, expect, test } from '@playwright/test';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dist = join(repoRoot, 'dist');

/** Where electron-builder's `--dir` target puts the executable on this OS. */
function packagedExecutable(): string | null {
  const candidates =
    process.platform === 'darwin'
      ? [
          join(dist, 'mac-arm64', 'Hearth.app', 'Contents', 'MacOS', 'Hearth'),
          join(dist, 'mac', 'Hearth.app', 'Contents', 'MacOS', 'Hearth'),
        ]
      : process.platform === 'win32'
        ? [join(dist, 'win-unpacked', 'Hearth.exe'), join(dist, 'win-arm64-unpacked', 'Hearth.exe')]
        : [join(dist, 'linux-unpacked', 'hearth'), join(dist, 'linux-arm64-unpacked', 'hearth')];
  return candidates.find((path) => existsSync(path)) ?? null;
}

const executable = packagedExecutable();
const SKIP_MESSAGE =
  'No packaged app in dist/: run `HEARTH_E2E_BUILD=1 npm run dist -- --dir` (needs Electron’s binary) to run this test';
if (executable === null) console.log(`[electron] skipped: ${SKIP_MESSAGE}`);

test.describe('the packaged app', () => {
  test.skip(executable === null, SKIP_MESSAGE);

  test('starts from its asar and shows the first-run welcome on an empty data folder', async () => {
    const home = await mkdtemp(join(tmpdir(), 'hearth-e2e-packaged-'));
    const app = await electron.launch({
      executablePath: executable ?? undefined,
      env: { ...process.env, HEARTH_HOME: home } as Record<string, string>,
    });
    try {
      const page = await app.firstWindow();
      expect(page.url()).toBe('app://hearth/index.html');
      await expect(page.getByRole('heading', { name: 'Welcome to Hearth' })).toBeVisible({ timeout: 30_000 });
      await expect(page.getByTestId('hardware-cores')).toHaveText(/\d+ cores/);
      const appPath = await app.evaluate(({ app: electronApp }) => electronApp.getAppPath());
      expect(appPath).toMatch(/app\.asar$/);
      await page.screenshot({ path: test.info().outputPath('packaged-welcome.png') });
    } finally {
      await app.close();
      await rm(home, { recursive: true, force: true });
    }
  });
});
