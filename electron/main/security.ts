/**
 * Hardening applied to every session and web contents (Electron's security checklist): the renderer
 * reaches only the app's own pages, no permissions, no spell-checker downloads, no navigation away
 * from the app, no new windows, no webviews, and links open in the browser only after the user agrees.
 * The rules live in pure modules beside this one (requestPolicy, navigationPolicy, externalLinks).
 */
import { app, BrowserWindow, dialog, shell, type Session, type WebContents } from 'electron';
import { SPELLCHECK_DICTIONARY_URL } from './chromiumSwitches.js';
import { createExternalLinkOpener, type ExternalLinkOutcome } from './externalLinks.js';
import { isAllowedNavigation } from './navigationPolicy.js';
import { isAllowedRendererRequest } from './requestPolicy.js';

export interface SecurityHooks {
  /** Offline mode: links are refused without asking. Defaults to online. */
  isOffline?: () => boolean;
  /** Told about each renderer request the session cancelled (for the network ledger). */
  onBlockedRequest?: (url: string) => void;
}

/** Every permission request and check is refused: a local chat app needs none of them. */
export function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.setDisplayMediaRequestHandler((_request, callback) => callback({}));
}

/** No request leaves a session unless it is to the app's own origins; no spell-checker downloads. */
export function lockDownSession(
  session: Session,
  origins: readonly string[],
  hooks: SecurityHooks = {},
): void {
  denyAllPermissions(session);
  session.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isAllowedRendererRequest(details.url, origins);
    if (!allowed) hooks.onBlockedRequest?.(details.url);
    callback({ cancel: !allowed });
  });
  session.setSpellCheckerEnabled(false);
  session.setSpellCheckerDictionaryDownloadURL(SPELLCHECK_DICTIONARY_URL);
}

/** Opens https links after the user confirms, in a dialog attached to the window that asked. */
export function createLinkOpener(hooks: SecurityHooks = {}): (url: string) => Promise<ExternalLinkOutcome> {
  return createExternalLinkOpener({
    isOffline: hooks.isOffline,
    open: (url) => shell.openExternal(url),
    async confirm(prompt) {
      const options = {
        type: 'question' as const,
        buttons: ['Open in browser', 'Cancel'],
        defaultId: 1,
        cancelId: 1,
        noLink: true,
        message: prompt.message,
        detail: prompt.detail,
      };
      const parent = BrowserWindow.getFocusedWindow();
      const { response } = parent
        ? await dialog.showMessageBox(parent, options)
        : await dialog.showMessageBox(options);
      return response === 0;
    },
  });
}

function hardenContents(
  contents: WebContents,
  origins: readonly string[],
  openLink: (url: string) => Promise<ExternalLinkOutcome>,
): void {
  const offerLink = (url: string) =>
    void openLink(url).catch((error: unknown) => console.error('Could not open the link:', error));

  contents.on('will-attach-webview', (event) => event.preventDefault());

  contents.setWindowOpenHandler(({ url }) => {
    offerLink(url);
    return { action: 'deny' };
  });

  // A link clicked in the page (model output is untrusted) must not replace the app.
  contents.on('will-navigate', (event) => {
    if (isAllowedNavigation(event.url, origins)) return;
    event.preventDefault();
    offerLink(event.url);
  });
  contents.on('will-frame-navigate', (event) => {
    if (!isAllowedNavigation(event.url, origins)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isAllowedNavigation(event.url, origins)) event.preventDefault();
  });
}

/**
 * Call before the first window: applies to every session and web contents the app ever creates.
 * Returns the link opener, so the app menu's links take the same confirmed path.
 */
export function installSecurityPolicies(
  origins: readonly string[],
  hooks: SecurityHooks = {},
): (url: string) => Promise<ExternalLinkOutcome> {
  const openLink = createLinkOpener(hooks);
  app.on('web-contents-created', (_event, contents) => hardenContents(contents, origins, openLink));
  app.on('session-created', (session) => lockDownSession(session, origins, hooks));
  return openLink;
}
