/** The host's own short pages: refusals a person may see in a browser. */
import type { ServerResponse } from 'node:http';
import { inlinePageContentSecurityPolicy, setCommonHeaders } from './headers.js';

/**
 * Runs on the 401 page only: when the address was opened as `/#token=T` (the fragment never
 * reaches the server) it reloads as `/?token=T`, which the server checks and swaps for a cookie.
 * `location.replace` keeps the token-bearing address out of the history.
 */
export const TOKEN_BOOTSTRAP_SCRIPT =
  "(function(){var m=/(?:^#|&)token=([A-Za-z0-9_-]+)/.exec(location.hash);if(m){location.replace('/?token='+m[1]);}})();";

const style =
  'body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#222}' +
  'h1{font-size:1.25rem}code{background:#f2f2f2;padding:0 .25rem;border-radius:3px}';

function page(title: string, body: string, script?: string): string {
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>` +
    `<style>${style}</style>${script ? `<script>${script}</script>` : ''}</head>` +
    `<body><h1>${title}</h1>${body}</body></html>`
  );
}

export interface RefusalOptions {
  status: number;
  title: string;
  message: string;
  /** Only the 401 of a page navigation carries the token bootstrap. */
  bootstrap?: boolean;
}

export function sendRefusal(response: ServerResponse, options: RefusalOptions, headOnly = false): void {
  const script = options.bootstrap ? TOKEN_BOOTSTRAP_SCRIPT : undefined;
  const html = page(options.title, `<p>${options.message}</p>`, script);
  setCommonHeaders(response);
  response.statusCode = options.status;
  response.setHeader('Content-Type', 'text/html; charset=utf-8');
  response.setHeader('Content-Security-Policy', inlinePageContentSecurityPolicy(script ?? ''));
  response.setHeader('Cache-Control', 'no-store');
  response.setHeader('Content-Length', Buffer.byteLength(html));
  response.end(headOnly ? undefined : html);
}

export const refusals = {
  unauthorized: {
    status: 401,
    title: 'Hearth needs its access token',
    message:
      'Open the full address that <code>hearth serve</code> printed (it ends in <code>#token=…</code>).',
  },
  forbiddenHost: {
    status: 403,
    title: 'Forbidden',
    message: 'Hearth answers only at 127.0.0.1 or localhost on its own port.',
  },
  notFound: { status: 404, title: 'Not found', message: 'There is nothing at this address.' },
  badRequest: { status: 400, title: 'Bad request', message: 'The address could not be read.' },
  methodNotAllowed: { status: 405, title: 'Method not allowed', message: 'Hearth serves files to GET only.' },
  internal: { status: 500, title: 'Something went wrong', message: 'Hearth could not answer this request.' },
} satisfies Record<string, RefusalOptions>;
