/**
 * Opening a link in the user's browser: only `https:` URLs, and only after the user says yes. Model
 * output is untrusted text, so a link in it must never leave the app on its own. Pure (the dialog and
 * shell.openExternal are passed in) so the rules are unit-tested; security.ts wires Electron in.
 */
import { isAllowedExternalUrl } from './navigationPolicy.js';

/** What the confirmation dialog shows. */
export interface ExternalLinkPrompt {
  url: string;
  host: string;
  message: string;
  detail: string;
}

export interface ExternalLinkDeps {
  /** Asks the user; resolves true only when they chose to open the link. */
  confirm(prompt: ExternalLinkPrompt): Promise<boolean>;
  /** Opens the URL in the system browser (shell.openExternal). */
  open(url: string): Promise<void>;
  /** When true, links are refused without asking (the user turned Offline mode on). */
  isOffline?: () => boolean;
}

export type ExternalLinkOutcome = 'opened' | 'declined' | 'refused' | 'busy';

/** The dialog's text for a URL that passed the policy. */
export function externalLinkPrompt(url: string): ExternalLinkPrompt {
  const host = new URL(url).hostname;
  return {
    url,
    host,
    message: `Open ${host} in your browser?`,
    detail: `${url}\n\nThis leaves Hearth: the website will see your visit.`,
  };
}

/**
 * Returns `request(url)`: refuses URLs the policy does not allow and asks before opening the rest.
 * One question at a time: a page that fires many links while a dialog is open gets 'busy', not a
 * stack of dialogs.
 */
export function createExternalLinkOpener(
  deps: ExternalLinkDeps,
): (url: string) => Promise<ExternalLinkOutcome> {
  let asking = false;
  return async (url) => {
    if (!isAllowedExternalUrl(url) || deps.isOffline?.()) return 'refused';
    if (asking) return 'busy';
    asking = true;
    try {
      if (!(await deps.confirm(externalLinkPrompt(url)))) return 'declined';
    } finally {
      asking = false;
    }
    await deps.open(url);
    return 'opened';
  };
}
