/**
 * The main window: sandboxed, isolated, no Node, loading the renderer from `app://` (or the dev server).
 */
import { BrowserWindow, nativeTheme } from 'electron';
import { lockedWebPreferences } from './webPreferences.js';

export interface MainWindowOptions {
  /** Absolute path of the bundled preload (out/preload/index.cjs). */
  preloadPath: string;
  /** `app://hearth/index.html`, or the electron-vite dev server's URL while developing. */
  url: string;
}

export function createMainWindow({ preloadPath, url }: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    title: 'Hearth',
    width: 1180,
    height: 800,
    minWidth: 720,
    minHeight: 480,
    show: false,
    // Matches the page's first paint so the window does not flash before it loads.
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#1d1d20' : '#ffffff',
    // Spelled out (not spread) so Electronegativity sees them; the type keeps them equal to the lock.
    webPreferences: lockedWebPreferences({
      preload: preloadPath,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      spellcheck: false,
      disableBlinkFeatures: 'Auxclick',
      safeDialogs: true,
      navigateOnDragDrop: false,
    }),
  });

  window.once('ready-to-show', () => window.show());
  window.webContents.on('did-fail-load', (_event, code, description, failedUrl, isMainFrame) => {
    if (!isMainFrame) return;
    console.error(`Could not load ${failedUrl}: ${description} (${code})`);
    // Show the window anyway so the user is not left with an app and no window.
    if (!window.isVisible()) window.show();
  });

  void window.loadURL(url).catch((error: unknown) => console.error('Could not load the app page:', error));
  return window;
}
