/**
 * Electron entry point: one instance, the `app://` protocol, security policies, the engine, the IPC
 * router, the menu and the window. The engine is created here and passed to whoever needs it.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, session, shell } from 'electron';
import type { Engine } from '../core/Engine.js';
import type { LocalApiController } from '../localApi-server/controller.js';
import { resolveDataDir } from '../core/paths.js';
import { registerIpcRouter } from './ipc/router.js';
import { installAppMenu, type AppMenu } from './menu.js';
import { APP_ENTRY_URL, appOrigins } from './origins.js';
import { handleAppProtocol, registerAppScheme } from './protocol.js';
import { applyChromiumSwitches } from './chromiumSwitches.js';
import { installSecurityPolicies, lockDownSession } from './security.js';
import { createMainWindow } from './window.js';

const mainDir = dirname(fileURLToPath(import.meta.url));
const rendererDir = join(mainDir, '../renderer');
const preloadPath = join(mainDir, '../preload/index.cjs');

const isDev = !app.isPackaged;
const devServerUrl = isDev ? process.env['ELECTRON_RENDERER_URL'] : undefined;
const origins = appOrigins(devServerUrl);

// Privileged schemes must be registered synchronously, before the app is ready.
registerAppScheme();
// Chromium's own traffic (background networking, DNS prefetch, pings) is off from the first moment.
applyChromiumSwitches(app.commandLine);

// HEARTH_HOME moves everything, Chromium's profile included, so a test or a second data folder never
// shares (or fights over the single-instance lock of) the user's own.
if (process.env['HEARTH_HOME']) app.setPath('userData', resolveDataDir({ env: process.env }));
const dataDir = app.getPath('userData');

if (!app.requestSingleInstanceLock()) {
  // Another Hearth is running with this data folder: it focuses its window; this one leaves.
  app.quit();
} else {
  run();
}

function run(): void {
  let mainWindow: BrowserWindow | null = null;
  let enginePromise: Promise<Engine> | undefined;
  let menu: AppMenu | undefined;
  let disposeRouter: (() => void) | undefined;
  // Local API (issue 8): the OpenAI-compatible server, started and stopped with its setting.
  let localApi: LocalApiController | undefined;
  let shutdown: Promise<void> | undefined;
  let readyToQuit = false;

  function openWindow(): void {
    const url = devServerUrl ?? APP_ENTRY_URL;
    mainWindow = createMainWindow({ preloadPath, url });
    mainWindow.on('closed', () => (mainWindow = null));
  }

  async function disposeAll(): Promise<void> {
    menu?.dispose();
    disposeRouter?.();
    await localApi?.stop();
    const engine = await enginePromise?.catch(() => undefined);
    await engine?.dispose();
  }

  app.on('second-instance', () => {
    if (!mainWindow) {
      if (app.isReady() && enginePromise) openWindow();
      return;
    }
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
  });

  // Lockdown (issue 7): links refused while Offline mode is on (and before the engine can say).
  let privacyEngine: Engine | undefined;
  const openLink = installSecurityPolicies(origins, {
    isOffline: () => privacyEngine?.privacy.isOffline() ?? true,
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (app.isReady() && enginePromise && BrowserWindow.getAllWindows().length === 0) openWindow();
  });

  // The model and native handles are freed before the process ends: quit waits for the engine.
  app.on('before-quit', (event) => {
    if (readyToQuit) return;
    event.preventDefault();
    // A native handle that never lets go must not keep the app from quitting.
    const deadline = new Promise<void>((resolve) => setTimeout(resolve, 10_000).unref());
    shutdown ??= Promise.race([disposeAll(), deadline])
      .catch((error: unknown) => console.error('Could not shut down cleanly:', error))
      .finally(() => {
        readyToQuit = true;
        app.quit();
      });
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => app.quit());

  void app
    .whenReady()
    .then(async () => {
      lockDownSession(session.defaultSession, origins);
      // Chromium's own resolver and secure-DNS probes stay off: the renderer resolves no names at all.
      app.configureHostResolver({ enableBuiltInResolver: false, secureDnsMode: 'off' });
      handleAppProtocol(rendererDir);
      app.setAboutPanelOptions({ applicationName: 'Hearth', applicationVersion: app.getVersion() });

      // Loaded late: node-llama-cpp is heavy (and awaits at its top level), the scheme and lock are not.
      enginePromise = import('../core/Engine.js').then(({ createEngine }) =>
        createEngine({
          home: dataDir,
          version: app.getVersion(),
          // Models > Reveal in folder: the core names the file, the shell shows it.
          revealInFolder: (path) => shell.showItemInFolder(path),
          // Privacy (issue 7): the core's log on stdout; user content only with debug logging on.
          log: (line) => console.log(line),
          // "Delete all my data" leaves Chromium's live lock files (the single-instance lock).
          keepOnDelete: ['SingletonLock', 'SingletonSocket', 'SingletonCookie', 'lockfile'],
          // Grounded answers: "Open file" on a cited source opens the document in the system's app.
          grounding: {
            openFile: async (path) => {
              const failure = await shell.openPath(path);
              if (failure) throw new Error(`Could not open ${path}: ${failure}`);
            },
          },
        }),
      );
      const engine = await enginePromise;
      if (shutdown) return;
      privacyEngine = engine;
      // Privacy (issue 7): after "Delete all my data", Chromium's own storage (cache, local storage) goes too.
      engine.onEvent((...[event]) => {
        if (event === 'privacy.dataDeleted') {
          void session.defaultSession.clearStorageData().catch(() => undefined);
          void session.defaultSession.clearCache().catch(() => undefined);
        }
      });
      disposeRouter = registerIpcRouter({ engine, origins });
      menu = installAppMenu({ engine, isDev, openLink });
      const { controlLocalApi } = await import('../localApi-server/controller.js');
      localApi = controlLocalApi({ api: engine.localApi, onEvent: engine.onEvent, log: console.log });
      openWindow();
      await menu.refresh();
    })
    .catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      console.error('Hearth could not start:', error);
      dialog.showErrorBox('Hearth could not start', message);
      app.quit();
    });
}
