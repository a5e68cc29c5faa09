import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureModelsDir, modelsDirOf, resolveDataDir } from './paths.js';

describe('resolveDataDir', () => {
  it('uses HEARTH_HOME on every platform', () => {
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      expect(
        resolveDataDir({ env: { HEARTH_HOME: '/data/hearth' }, platform, homedir: '/home/ana' }),
      ).toMatch(/[\\/]data[\\/]hearth$/);
    }
    expect(resolveDataDir({ env: { HEARTH_HOME: 'rel/dir' }, platform: 'linux', homedir: '/h' })).toBe(
      resolve('rel/dir'),
    );
  });

  it("matches Electron's userData folder for an app named Hearth", () => {
    expect(resolveDataDir({ env: {}, platform: 'linux', homedir: '/home/ana' })).toBe(
      '/home/ana/.config/Hearth',
    );
    expect(
      resolveDataDir({ env: { XDG_CONFIG_HOME: '/xdg' }, platform: 'linux', homedir: '/home/ana' }),
    ).toBe('/xdg/Hearth');
    expect(resolveDataDir({ env: {}, platform: 'darwin', homedir: '/Users/ana' })).toBe(
      '/Users/ana/Library/Application Support/Hearth',
    );
    expect(
      resolveDataDir({
        env: { APPDATA: 'C:\\Users\\ana\\AppData\\Roaming' },
        platform: 'win32',
        homedir: 'C:\\Users\\ana',
      }),
    ).toBe('C:\\Users\\ana\\AppData\\Roaming\\Hearth');
    expect(resolveDataDir({ env: {}, platform: 'win32', homedir: 'C:\\Users\\ana' })).toBe(
      'C:\\Users\\ana\\AppData\\Roaming\\Hearth',
    );
  });

  it('ignores an empty HEARTH_HOME', () => {
    expect(resolveDataDir({ env: { HEARTH_HOME: ' ' }, platform: 'linux', homedir: '/home/ana' })).toBe(
      '/home/ana/.config/Hearth',
    );
  });
});

describe('ensureModelsDir', () => {
  it('creates <data>/models on demand', async () => {
    const home = join(await mkdtemp(join(tmpdir(), 'hearth-paths-')), 'nested', 'home');
    try {
      const dir = await ensureModelsDir(home);
      expect(dir).toBe(modelsDirOf(home));
      expect(dir).toBe(join(home, 'models'));
      expect((await stat(dir)).isDirectory()).toBe(true);
      expect(await ensureModelsDir(home)).toBe(dir);
    } finally {
      await rm(resolve(home, '..', '..'), { recursive: true, force: true });
    }
  });
});
