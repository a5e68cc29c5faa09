/**
 * What an installer would hold, worked out without Electron's binary: the builder configuration's
 * globs are resolved against the real tree by electron-builder's own matchers (app-builder-lib's
 * FileMatcher, the same filters its packager uses), for the app's files and for each production
 * dependency (from package-lock.json, as installed).
 */
import type { Stats } from 'node:fs';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, relative, sep } from 'node:path';

const require = createRequire(import.meta.url);

type Filter = (file: string, stat: Stats & { moduleFullFilePath?: string }) => boolean;
interface Matcher {
  readonly patterns: string[];
  createFilter(): Filter;
}
interface FileMatcherModule {
  getMainFileMatchers(
    appDir: string,
    destination: string,
    macroExpander: (pattern: string) => string,
    platformOptions: Record<string, unknown>,
    platformPackager: { info: Record<string, unknown> },
    outDir: string,
    isElectronCompile: boolean,
  ): Matcher[];
  getNodeModuleFileMatcher(
    appDir: string,
    destination: string,
    macroExpander: (pattern: string) => string,
    platformOptions: Record<string, unknown>,
    packager: Record<string, unknown>,
  ): Matcher;
  getFileMatchers(
    config: Record<string, unknown>,
    name: string,
    destination: string,
    options: Record<string, unknown>,
  ): Matcher[] | null;
}

const fileMatcher = require('app-builder-lib/out/fileMatcher.js') as FileMatcherModule;

export type BuilderConfig = Record<string, unknown> & {
  files: string[];
  asarUnpack: string[];
  directories: { output: string; buildResources: string };
};

export interface Target {
  /** electron-builder's ${os}: linux, mac or win. */
  os: 'linux' | 'mac' | 'win';
  arch: 'x64' | 'arm64';
}

export function macroExpander({ os, arch }: Target): (pattern: string) => string {
  return (pattern) => pattern.replaceAll('${os}', os).replaceAll('${arch}', arch);
}

const noDebug = { isEnabled: false, add() {} };

function platformOptions(config: BuilderConfig, target: Target): Record<string, unknown> {
  const key = target.os === 'linux' ? 'linux' : target.os;
  return (config[key] as Record<string, unknown> | undefined) ?? {};
}

export interface Filters {
  /** The app's own files (relative to the project, forward slashes). */
  app(relativePath: string, isDirectory: boolean): boolean;
  /** A file of an installed dependency, by its path from the project ("node_modules/x/…"). */
  nodeModule(relativePath: string, isDirectory: boolean): boolean;
  /** Whether a shipped file is unpacked next to the asar. */
  unpacked(relativePath: string): boolean;
}

/** A stand-in for fs.Stats: the filters only ask whether a path is a directory. */
function fakeStat(
  isDirectory: boolean,
  moduleFullFilePath?: string,
): Stats & { moduleFullFilePath?: string } {
  return { isDirectory: () => isDirectory, moduleFullFilePath } as Stats & { moduleFullFilePath?: string };
}

export function builderFilters(projectDir: string, config: BuilderConfig, target: Target): Filters {
  const expand = macroExpander(target);
  const options = platformOptions(config, target);
  const outDir = join(projectDir, config.directories.output);
  const info = {
    isPrepackedAppAsar: false,
    config,
    projectDir,
    buildResourcesDir: config.directories.buildResources,
    debugLogger: noDebug,
  };
  const [main] = fileMatcher.getMainFileMatchers(
    projectDir,
    '/app',
    expand,
    options,
    { info },
    outDir,
    false,
  );
  if (!main) throw new Error('electron-builder found no file patterns');
  const appFilter = main.createFilter();
  const modulesFilter = fileMatcher
    .getNodeModuleFileMatcher(projectDir, '/app', expand, options, { config, debugLogger: noDebug })
    .createFilter();
  const unpackMatchers = fileMatcher.getFileMatchers(config, 'asarUnpack', '/app', {
    macroExpander: expand,
    customBuildOptions: options,
    globalOutDir: outDir,
    defaultSrc: projectDir,
  });
  const unpackFilter = unpackMatchers?.[0]?.createFilter();
  return {
    app: (path, isDirectory) => appFilter(join(projectDir, path), fakeStat(isDirectory)),
    nodeModule: (path, isDirectory) =>
      modulesFilter(join(projectDir, path), fakeStat(isDirectory, path.split('/').join(sep))),
    unpacked: (path) => unpackFilter?.(join(projectDir, path), fakeStat(false)) ?? false,
  };
}

interface LockPackage {
  dev?: boolean;
  optional?: boolean;
}

/** Package folders ("node_modules/a", "node_modules/@s/b", nested ones too) from package-lock.json. */
export async function lockPackages(projectDir: string): Promise<Map<string, LockPackage>> {
  const lock = JSON.parse(await readFile(join(projectDir, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockPackage>;
  };
  return new Map(Object.entries(lock.packages).filter(([path]) => path.startsWith('node_modules/')));
}

async function walk(
  root: string,
  dir: string,
  keep: (path: string, isDirectory: boolean) => boolean,
  found: string[],
  skipNested = false,
): Promise<void> {
  let names: string[];
  try {
    names = await readdir(join(root, dir));
  } catch {
    return;
  }
  for (const name of names) {
    const path = dir ? `${dir}/${name}` : name;
    // A package's own node_modules are packages of their own, walked on their own.
    if (skipNested && name === 'node_modules') continue;
    const stat = await lstat(join(root, path));
    if (!keep(path, stat.isDirectory())) continue;
    if (stat.isDirectory()) await walk(root, path, keep, found, skipNested);
    else found.push(path);
  }
}

export interface ShippedFiles {
  /** Every file that would ship (project-relative, forward slashes). */
  files: string[];
  /** The production packages that ship (their folders). */
  packages: string[];
}

/** Resolves the configuration's globs against the tree, as electron-builder would for this target. */
export async function shippedFiles(
  projectDir: string,
  config: BuilderConfig,
  target: Target,
): Promise<ShippedFiles & { filters: Filters }> {
  const filters = builderFilters(projectDir, config, target);
  const files: string[] = [];
  await walk(projectDir, '', filters.app, files);
  const packages: string[] = [];
  for (const [path, info] of await lockPackages(projectDir)) {
    if (info.dev) continue;
    const exists = await lstat(join(projectDir, path)).then(
      () => true,
      () => false,
    );
    if (!exists) continue;
    packages.push(path);
    await walk(projectDir, path, filters.nodeModule, files, true);
  }
  return { files: [...new Set(files)].sort(), packages, filters };
}

export const relativeTo = (projectDir: string, path: string) =>
  relative(projectDir, path).split(sep).join('/');
