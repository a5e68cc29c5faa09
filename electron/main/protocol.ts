/**
 * The `app://` protocol: serves the renderer build folder, and nothing else, with a strict CSP.
 */
import { protocol } from 'electron';
import { createAppResponder } from './appResponder.js';
import { APP_SCHEME } from './origins.js';

/** Must run before the app is ready: `app:` behaves like https (standard, secure, fetch allowed). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
    },
  ]);
}

/** Serves `app://hearth/...` from `rendererDir` (call once the app is ready). */
export function handleAppProtocol(rendererDir: string): void {
  protocol.handle(APP_SCHEME, createAppResponder(rendererDir));
}
