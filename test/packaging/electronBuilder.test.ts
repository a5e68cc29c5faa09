/**
 * The installers' contents, checked without Electron's binary: the builder configuration is loaded
 * and validated by electron-builder itself, and its globs are resolved against the built tree
 * (`npm run build` first) by electron-builder's own matchers.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { builderConfig } from '../../electron-builder.config.mjs';
import { ICNS_TYPES, ICO_SIZES, ICON_SIZES, pngSize, readIcns, readIco } from '../../scripts/iconFormats.mjs';
import { lockPackages, shippedFiles, type BuilderConfig, type ShippedFiles } from './packagingFiles.js';

const projectDir = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
const config = builderConfig({}) as unknown as BuilderConfig;

describe('electron-builder configuration', () => {
  it('is valid for electron-builder and names the app', async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
      validateConfiguration(config: unknown, debug: unknown): Promise<void>;
    };
    await validateConfiguration(config, { isEnabled: false, add() {} });
    expect(config).toMatchObject({ appId: 'app.hearth.desktop', productName: 'Hearth', npmRebuild: false });
    const pkg = JSON.parse(await readFile(join(projectDir, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    expect(pkg.scripts.dist).toMatch(/npm run build && electron-builder/);
    expect(pkg.devDependencies['electron-builder']).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('builds AppImage, deb and rpm on Linux, a dmg on macOS and an NSIS installer on Windows', () => {
    const targets = (key: string) =>
      JSON.stringify((config[key] as { target: unknown }).target).match(/AppImage|deb|rpm|dmg|nsis/g);
    expect(targets('linux')).toEqual(['AppImage', 'deb', 'rpm']);
    expect(targets('mac')).toEqual(['dmg']);
    expect(targets('win')).toEqual(['nsis']);
  });

  it('sets the fuses of the privacy issue, with the inspector only in e2e builds', () => {
    const release = {
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      grantFileProtocolExtraPrivileges: false,
    };
    expect(config.electronFuses).toMatchObject(release);
    expect(builderConfig({ HEARTH_E2E_BUILD: '1' }).electronFuses).toMatchObject({
      ...release,
      enableNodeCliInspectArguments: true,
    });
  });

  it('signs macOS builds with the hardened runtime and no camera or microphone entitlement', async () => {
    const mac = config.mac as { hardenedRuntime: boolean; entitlements: string; entitlementsInherit: string };
    expect(mac.hardenedRuntime).toBe(true);
    for (const file of new Set([mac.entitlements, mac.entitlementsInherit])) {
      const plist = await readFile(join(projectDir, file), 'utf8');
      expect(plist).toContain('com.apple.security.cs.allow-jit');
      expect(plist).not.toMatch(/device\.camera|device\.audio-input|device\.microphone/);
    }
    expect(JSON.stringify(config)).not.toMatch(/NSCameraUsageDescription|NSMicrophoneUsageDescription/);
  });

  it('gives Linux a desktop entry with categories', () => {
    const linux = config.linux as { category: string; desktop: { entry: Record<string, string> } };
    expect(linux.category).toBe('Utility');
    expect(linux.desktop.entry).toMatchObject({
      Name: 'Hearth',
      Categories: expect.stringMatching(/Utility;/),
    });
  });
});

describe('icons rendered from resources/icon.svg', () => {
  it('has every Linux size as a PNG of that size', async () => {
    for (const size of ICON_SIZES) {
      const png = await readFile(join(projectDir, 'resources', 'icons', `${size}x${size}.png`));
      expect(pngSize(png)).toEqual({ width: size, height: size });
    }
    expect((config.linux as { icon: string }).icon).toBe('resources/icons');
  });

  it('has a macOS .icns from 16 to 1024 px and a Windows .ico from 16 to 256 px', async () => {
    const icns = readIcns(await readFile(join(projectDir, (config.mac as { icon: string }).icon)));
    expect(icns.map((entry) => entry.type)).toEqual(ICNS_TYPES.map(([type]) => type));
    for (const [index, entry] of icns.entries()) {
      const size = ICNS_TYPES[index]?.[1];
      expect(pngSize(Buffer.from(entry.data))).toEqual({ width: size, height: size });
    }
    const ico = readIco(await readFile(join(projectDir, (config.win as { icon: string }).icon)));
    expect(ico.map((entry) => entry.size)).toEqual(ICO_SIZES);
    for (const entry of ico) {
      expect(pngSize(Buffer.from(entry.data))).toEqual({ width: entry.size, height: entry.size });
    }
  });
});

describe('the files a Linux x64 installer ships (globs resolved against the built tree)', () => {
  let shipped: ShippedFiles & { filters: Awaited<ReturnType<typeof shippedFiles>>['filters'] };

  beforeAll(async () => {
    if (!existsSync(join(projectDir, 'out', 'main', 'index.js'))) {
      throw new Error('The app is not built: run `npm run build` before the packaging test.');
    }
    shipped = await shippedFiles(projectDir, config, { os: 'linux', arch: 'x64' });
  });

  it('ships the built app and its package.json, not the CLI, sources, tests or maps', () => {
    const own = shipped.files.filter((file) => !file.startsWith('node_modules/'));
    expect(own).toContain('package.json');
    expect(own).toContain('out/main/index.js');
    expect(own).toContain('out/main/parseWorker.js');
    expect(own).toContain('out/preload/index.cjs');
    expect(own).toContain('out/renderer/index.html');
    expect(own.every((file) => file === 'package.json' || /^out\/(main|preload|renderer)\//.test(file))).toBe(
      true,
    );
    expect(own.filter((file) => /\.(ts|map|svelte)$|\.test\.|\.spec\./.test(file))).toEqual([]);
  });

  it('ships no dev dependency and no TypeScript, tests, docs or maps from node_modules', async () => {
    const lock = await lockPackages(projectDir);
    const fromModules = shipped.files.filter((file) => file.startsWith('node_modules/'));
    expect(fromModules.length).toBeGreaterThan(100);
    const owners = new Set(
      fromModules.map((file) => {
        const parts = file.split('/');
        let owner = '';
        for (let at = 0; at < parts.length - 1; at++) {
          if (parts[at] !== 'node_modules') continue;
          const name = parts[at + 1]?.startsWith('@')
            ? parts.slice(at + 1, at + 3)
            : parts.slice(at + 1, at + 2);
          owner = [...parts.slice(0, at + 1), ...name].join('/');
        }
        return owner;
      }),
    );
    const dev = [...owners].filter((owner) => lock.get(owner)?.dev !== false && lock.get(owner)?.dev);
    expect(dev).toEqual([]);
    for (const devOnly of [
      'electron',
      'vitest',
      'typescript',
      'svelte',
      'electron-builder',
      'playwright-core',
    ]) {
      expect(owners.has(`node_modules/${devOnly}`)).toBe(false);
    }
    expect(fromModules.filter((file) => /\.(ts|mts|cts|map|md)$/.test(file))).toEqual([]);
    expect(fromModules.filter((file) => /\/(tests?|__tests__|docs)\//.test(file))).toEqual([]);
    // The renderer bundles these: the main process never loads them.
    expect([...owners].filter((owner) => /\/(dompurify|marked|highlight\.js)$/.test(owner))).toEqual([]);
  });

  it("ships only this system's node-llama-cpp binaries (CPU, Vulkan and CUDA for Linux x64), unpacked", () => {
    const binaryPackages = new Set(
      shipped.files
        .map((file) => /^node_modules\/@node-llama-cpp\/([^/]+)\//.exec(file)?.[1])
        .filter((name): name is string => name !== undefined),
    );
    expect([...binaryPackages].sort()).toEqual(
      ['linux-x64', 'linux-x64-cuda', 'linux-x64-cuda-ext', 'linux-x64-vulkan'].filter((name) =>
        existsSync(join(projectDir, 'node_modules', '@node-llama-cpp', name)),
      ),
    );
    const addon = 'node_modules/@node-llama-cpp/linux-x64/bins/linux-x64/llama-addon.node';
    expect(shipped.files).toContain(addon);
    const natives = shipped.files.filter((file) => /\.(node|so|dylib|dll)$/.test(file));
    expect(natives.length).toBeGreaterThan(0);
    expect(natives.filter((file) => !shipped.filters.unpacked(file))).toEqual([]);
    // node-llama-cpp's llama.cpp sources (34 MB, for building from source) stay out; its build info stays in.
    expect(shipped.files).not.toContain('node_modules/node-llama-cpp/llama/gitRelease.bundle');
    expect(shipped.files).toContain('node_modules/node-llama-cpp/llama/binariesGithubRelease.json');
    expect(shipped.files).toContain('node_modules/node-llama-cpp/dist/index.js');
  });

  it('ships LanceDB with its native binary unpacked', () => {
    const lance = shipped.files.filter((file) =>
      file.startsWith('node_modules/@lancedb/lancedb-linux-x64-gnu/'),
    );
    const native = lance.filter((file) => file.endsWith('.node'));
    expect(native.length).toBe(1);
    expect(shipped.filters.unpacked(native[0] ?? '')).toBe(true);
    expect(shipped.files).toContain('node_modules/@lancedb/lancedb/package.json');
    expect(shipped.files).toContain('node_modules/apache-arrow/package.json');
  });

  it('picks the right node-llama-cpp packages on macOS and Windows', async () => {
    const { builderFilters } = await import('./packagingFiles.js');
    const picks = (os: 'mac' | 'win' | 'linux', arch: 'x64' | 'arm64') => {
      const filters = builderFilters(projectDir, config, { os, arch });
      return [
        'linux-arm64',
        'linux-x64',
        'linux-x64-cuda',
        'linux-x64-vulkan',
        'mac-arm64-metal',
        'mac-x64',
        'win-arm64',
        'win-x64',
        'win-x64-cuda',
        'win-x64-vulkan',
      ].filter((name) =>
        filters.nodeModule(`node_modules/@node-llama-cpp/${name}/bins/${name}/llama-addon.node`, false),
      );
    };
    expect(picks('mac', 'arm64')).toEqual(['mac-arm64-metal']);
    expect(picks('mac', 'x64')).toEqual(['mac-x64']);
    expect(picks('win', 'x64')).toEqual(['win-x64', 'win-x64-cuda', 'win-x64-vulkan']);
    expect(picks('win', 'arm64')).toEqual(['win-arm64']);
    expect(picks('linux', 'arm64')).toEqual(['linux-arm64']);
  });
});
