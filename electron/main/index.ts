/**
 * Electron entry point: one instance, the `app://` protocol, security policies, the engine, the IPC
 * router, the menu and the window. The engine is created here and passed to whoever needs it.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, session, shell } from 'electron';
import type { Engine } from '../core/Engine.js';
import { resolveDataDir } from '../core/paths.js';
import { registerIpcRouter } from './ipc/router.js';
import { installAppMenu, type AppMenu } from './menu.js';
import { APP_ENTRY_URL, appOrigins } from './origins.js';
import { handleAppProtocol, registerAppScheme } from './protocol.js';
import { denyAllPermissions, installSecurityPolicies } from './security.js';
import { createMainWindow } from './window.js';

const mainDir = dirname(fileURLToPath(import.meta.url));
const rendererDir = join(mainDir, '../renderer');
const preloadPath = join(mainDir, '../preload/index.cjs');

const isDev = !app.isPackaged;
const devServerUrl = isDev ? process.env['ELECTRON_RENDERER_URL'] : undefined;
const origins = appOrigins(devServerUrl);

// Privileged schemes must be registered synchronously, before the app is ready.
registerAppScheme();

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

  installSecurityPolicies(origins);

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
      denyAllPermissions(session.defaultSession);
      handleAppProtocol(rendererDir);
      app.setAboutPanelOptions({ applicationName: 'Hearth', applicationVersion: app.getVersion() });

      // Loaded late: node-llama-cpp is heavy (and awaits at its top level), the scheme and lock are not.
      enginePromise = import('../core/Engine.js').then(({ createEngine }) =>
        createEngine({
          home: dataDir,
          version: app.getVersion(),
          // Models > Reveal in folder: the core names the file, the shell shows it.
          revealInFolder: (path) => shell.showItemInFolder(path),
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
      disposeRouter = registerIpcRouter({ engine, origins });
      menu = installAppMenu({ engine, isDev });
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
