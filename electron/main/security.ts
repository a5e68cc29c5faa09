/**
 * Hardening applied to every session and web contents (Electron's security checklist): no permissions,
 * no navigation away from the app, no new windows, no webviews.
 */
import { app, shell, type Session, type WebContents } from 'electron';
import { isAllowedExternalUrl, isAllowedNavigation } from './navigationPolicy.js';

/** Every permission request and check is refused: a local chat app needs none of them. */
export function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

function openIfAllowed(url: string): void {
  if (isAllowedExternalUrl(url)) void shell.openExternal(url);
}

function hardenContents(contents: WebContents, origins: readonly string[]): void {
  contents.on('will-attach-webview', (event) => event.preventDefault());

  contents.setWindowOpenHandler(({ url }) => {
    openIfAllowed(url);
    return { action: 'deny' };
  });

  // A link clicked in the page (model output is untrusted) must not replace the app.
  contents.on('will-navigate', (event) => {
    if (isAllowedNavigation(event.url, origins)) return;
    event.preventDefault();
    openIfAllowed(event.url);
  });
  contents.on('will-frame-navigate', (event) => {
    if (!isAllowedNavigation(event.url, origins)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isAllowedNavigation(event.url, origins)) event.preventDefault();
  });
}

/** Call before the first window: applies to every web contents the app ever creates. */
export function installSecurityPolicies(origins: readonly string[]): void {
  app.on('web-contents-created', (_event, contents) => hardenContents(contents, origins));
  app.on('session-created', (session) => denyAllPermissions(session));
}
