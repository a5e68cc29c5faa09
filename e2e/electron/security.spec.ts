/**
 * Electron's security checklist, checked in the real app: the webPreferences of every window, the CSP on
 * every `app://` response, navigation and window.open denied, every permission refused, and the
 * session cancelling every request that is not to the app's own pages. Skips where Electron's binary
 * was not downloaded (this CI machine).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { CONTENT_SECURITY_POLICY } from '../../electron/main/appRoutes.js';
import { CHROMIUM_SWITCHES } from '../../electron/main/chromiumSwitches.js';
import { LOCKED_WEB_PREFERENCES } from '../../electron/main/webPreferences.js';
import { ELECTRON_SKIP_MESSAGE, findElectronBinary, launchHearth } from '../support/electronApp.js';

const electronBinary = findElectronBinary();
if (electronBinary === null) console.log(`[electron] security.spec skipped: ${ELECTRON_SKIP_MESSAGE}`);

test.describe('Electron lockdown', () => {
  test.skip(electronBinary === null, ELECTRON_SKIP_MESSAGE);
  test.describe.configure({ mode: 'serial' });

  let home: string;
  let app: ElectronApplication;
  let page: Page;
  /** A loopback server the renderer must never reach: it counts what arrives. */
  let bait: Server;
  let baitUrl: string;
  let baitHits = 0;

  test.beforeAll(async () => {
    bait = createServer((_request, response) => {
      baitHits++;
      response.end('reached');
    });
    await new Promise<void>((resolve) => bait.listen(0, '127.0.0.1', resolve));
    baitUrl = `http://127.0.0.1:${(bait.address() as AddressInfo).port}/`;
    home = await mkdtemp(join(tmpdir(), 'hearth-e2e-security-'));
    app = await launchHearth(electronBinary!, home);
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  });

  test.afterAll(async () => {
    await app?.close();
    await new Promise((resolve) => bait?.close(resolve));
    if (home) await rm(home, { recursive: true, force: true });
  });

  test('every window has the locked webPreferences and no Node in the page', async () => {
    // getLastWebPreferences left Electron's typings; where the runtime still has it, compare exactly.
    const windows = await app.evaluate(({ BrowserWindow }) =>
      BrowserWindow.getAllWindows().map((window) => {
        const contents = window.webContents as unknown as {
          getURL(): string;
          getLastWebPreferences?: () => Record<string, unknown> | null;
        };
        return { url: contents.getURL(), preferences: contents.getLastWebPreferences?.() ?? null };
      }),
    );
    expect(windows.length).toBeGreaterThan(0);
    for (const window of windows) {
      expect(window.url).toBe('app://hearth/index.html');
      if (window.preferences) expect(window.preferences).toMatchObject(LOCKED_WEB_PREFERENCES);
    }
    // And their effects, which hold whatever the API: no Node, isolated bridge, no webview tag.
    const effects = await page.evaluate(() => ({
      webview: document.createElement('webview').constructor.name,
      ipcRenderer: 'ipcRenderer' in window || 'electron' in window,
    }));
    expect(effects).toEqual({ webview: 'HTMLUnknownElement', ipcRenderer: false });
    const exposed = await page.evaluate(() => ({
      require: typeof (globalThis as Record<string, unknown>)['require'],
      process: typeof (globalThis as Record<string, unknown>)['process'],
      bridge: Object.keys((window as unknown as { hearth: object }).hearth).sort(),
    }));
    expect(exposed).toEqual({
      require: 'undefined',
      process: 'undefined',
      bridge: ['api', 'call', 'cancel', 'onEvent'],
    });
  });

  test('every app:// response carries the CSP, missing files and escapes included', async () => {
    const seen: { url: string; csp: string | null }[] = [];
    page.on('response', (response) => {
      if (response.url().startsWith('app://')) {
        seen.push({ url: response.url(), csp: response.headers()['content-security-policy'] ?? null });
      }
    });
    await page.reload();
    await page.waitForLoadState('load');
    expect(seen.length).toBeGreaterThan(1); // the page and its assets
    for (const response of seen)
      expect(response).toEqual({ url: response.url, csp: CONTENT_SECURITY_POLICY });

    const fetched = await page.evaluate(async () => {
      const out: { path: string; status: number; csp: string | null }[] = [];
      for (const path of ['/index.html', '/missing.js', '/..%2F..%2Fpackage.json', '/assets/']) {
        const response = await fetch(path);
        out.push({ path, status: response.status, csp: response.headers.get('content-security-policy') });
      }
      return out;
    });
    for (const response of fetched) expect(response.csp).toBe(CONTENT_SECURITY_POLICY);
    expect(fetched.map((response) => response.status)).toEqual([200, 404, 404, 404]);
  });

  test('navigation away and window.open are denied; the window stays on the app', async () => {
    const opened = await page.evaluate(() => [
      window.open('https://example.com/') === null,
      window.open('file:///etc/passwd') === null,
      window.open('app://hearth/index.html') === null,
    ]);
    expect(opened).toEqual([true, true, true]);
    for (const target of ['https://example.com/', 'file:///etc/passwd', 'app://other/', 'about:blank']) {
      await page.evaluate((url) => {
        window.location.href = url;
      }, target);
      await page.waitForTimeout(300);
      expect(page.url()).toBe('app://hearth/index.html');
    }
    const windowCount = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length);
    expect(windowCount).toBe(1);
  });

  test('every permission is refused', async () => {
    const states = await page.evaluate(async () => {
      const names = ['notifications', 'geolocation', 'camera', 'microphone', 'clipboard-read'];
      const queried = await Promise.all(
        names.map((name) =>
          navigator.permissions
            .query({ name: name as PermissionName })
            .then((status) => status.state)
            .catch(() => 'denied'),
        ),
      );
      const notification = await Notification.requestPermission();
      const media = await navigator.mediaDevices
        .getUserMedia({ audio: true })
        .then(() => 'granted')
        .catch(() => 'denied');
      return [...queried, notification, media];
    });
    for (const state of states) expect(state).toBe('denied');
  });

  test('the session cancels every request that is not to app://, even to loopback', async () => {
    const fromMain = await app.evaluate(async ({ session }, url) => {
      try {
        await session.defaultSession.fetch(url);
        return 'reached';
      } catch (error) {
        return String(error);
      }
    }, baitUrl);
    expect(fromMain).toMatch(/ERR_BLOCKED_BY_CLIENT/);
    expect(baitHits).toBe(0);
  });

  test("Chromium's own traffic and the spell-checker are off", async () => {
    const state = await app.evaluate(
      ({ app: electronApp, session }, names) => ({
        switches: names.map((name) => electronApp.commandLine.hasSwitch(name)),
        spellChecker: session.defaultSession.isSpellCheckerEnabled(),
      }),
      CHROMIUM_SWITCHES.map(([name]) => name),
    );
    expect(state.switches.every(Boolean)).toBe(true);
    expect(state.spellChecker).toBe(false);
  });
});
