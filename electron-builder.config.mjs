/**
 * Packaging: `npm run dist` builds the installers for the current OS with electron-builder
 * (Linux: AppImage, deb, rpm; macOS: dmg; Windows: NSIS). What ships is the built app (out/, minus
 * the CLI, which needs a Node that the runAsNode fuse takes away) and the runtime dependencies;
 * node-llama-cpp and LanceDB stay outside the bundle and their native binaries are unpacked from
 * the asar, since a native library cannot be loaded from inside one. Of node-llama-cpp's binary
 * packages only the current OS and architecture's ship (`${os}-${arch}*`: CPU, plus Metal on
 * macOS, Vulkan and CUDA on x64 Linux and Windows).
 *
 * HEARTH_E2E_BUILD=1 keeps the Node inspector fuse on, so Playwright's `_electron` can drive the
 * packaged app; release builds turn it off. electron-packaging.test.ts checks all of this.
 */

/** @param {Readonly<Record<string, string | undefined>>} env */
export function builderConfig(env = process.env) {
  const e2e = env.HEARTH_E2E_BUILD === '1';
  /** @type {import('electron-builder').Configuration} */
  const config = {
    appId: 'app.hearth.desktop',
    productName: 'Hearth',
    executableName: 'hearth',
    copyright: 'Copyright © Hearth contributors',
    directories: { output: 'dist', buildResources: 'resources/build' },
    artifactName: '${productName}-${version}-${os}-${arch}.${ext}',
    asar: true,
    // The native modules are N-API: the prebuilt binaries work in Electron without a rebuild.
    npmRebuild: false,
    nodeGypRebuild: false,
    buildDependenciesFromSource: false,
    // Production dependencies come with the app automatically; these globs pick the rest.
    files: [
      'package.json',
      'out/main/**',
      'out/preload/**',
      'out/renderer/**',
      '!out/**/*.map',
      // node-llama-cpp: the llama.cpp sources it builds from (when no prebuilt binary fits) and other
      // systems' binaries stay out; its JSON build info and grammars are read at run time.
      '!node_modules/node-llama-cpp/llama/{gitRelease.bundle,addon,cmake,patches,profiles,toolchains,xpack}{,/**}',
      '!node_modules/node-llama-cpp/llama/CMakeLists.txt',
      // Only negations apply to dependencies (electron-builder copies them with `**/*` minus these), so
      // "every package but this system's" is an extglob.
      '!node_modules/node-llama-cpp/bins/!(${os}-${arch}*){,/**}',
      '!node_modules/@node-llama-cpp/!(${os}-${arch}*){,/**}',
      // The renderer bundles these; the main process never loads them.
      '!node_modules/{dompurify,marked,highlight.js}/**',
      // node-llama-cpp's optional peer (for its CLI's TypeScript types); npm counts it as a runtime package.
      '!node_modules/typescript{,/**}',
      // Nothing a running app reads: docs, tests, type declarations, TypeScript sources, maps.
      '!node_modules/**/{test,tests,__tests__,docs,example,examples,.github}/**',
      '!node_modules/**/*.{md,markdown,ts,mts,cts,tsx,map}',
      '!node_modules/**/{CHANGELOG,HISTORY,AUTHORS}*',
    ],
    asarUnpack: [
      'node_modules/node-llama-cpp/bins/**',
      'node_modules/@node-llama-cpp/**',
      'node_modules/@lancedb/**/*.node',
      '**/*.node',
    ],
    electronFuses: {
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: e2e,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      // Checked by Electron on macOS and Windows; electron-builder embeds the asar's hash there.
      enableEmbeddedAsarIntegrityValidation: true,
      grantFileProtocolExtraPrivileges: false,
      loadBrowserProcessSpecificV8Snapshot: false,
    },
    mac: {
      target: [{ target: 'dmg', arch: ['arm64', 'x64'] }],
      icon: 'resources/icon.icns',
      category: 'public.app-category.productivity',
      hardenedRuntime: true,
      gatekeeperAssess: false,
      entitlements: 'resources/build/entitlements.mac.plist',
      entitlementsInherit: 'resources/build/entitlements.mac.plist',
      darkModeSupport: true,
    },
    dmg: { title: '${productName} ${version}' },
    win: {
      target: [{ target: 'nsis', arch: ['x64', 'arm64'] }],
      icon: 'resources/icon.ico',
    },
    nsis: {
      oneClick: false,
      perMachine: false,
      allowToChangeInstallationDirectory: true,
      // The user's chats, documents and models are theirs: uninstalling leaves them.
      deleteAppDataOnUninstall: false,
      shortcutName: 'Hearth',
    },
    linux: {
      target: ['AppImage', 'deb', 'rpm'],
      icon: 'resources/icons',
      category: 'Utility',
      synopsis: 'Private, local AI on your own machine',
      description:
        'Chat with open-weight models and your own documents, on your own machine. Nothing leaves it.',
      maintainer: 'Hearth contributors <hearth@localhost>',
      vendor: 'Hearth',
      desktop: {
        entry: {
          Name: 'Hearth',
          GenericName: 'Local AI assistant',
          Comment: 'Private, local AI: chat with models and your documents',
          Categories: 'Utility;Office;',
          Keywords: 'AI;LLM;chat;assistant;GGUF;documents;',
          StartupWMClass: 'Hearth',
        },
      },
    },
    deb: { depends: ['libgtk-3-0', 'libnss3', 'libxss1', 'libxtst6', 'libatspi2.0-0', 'libuuid1'] },
    publish: null,
  };
  return config;
}

export default builderConfig();
