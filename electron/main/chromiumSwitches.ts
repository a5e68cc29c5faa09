/**
 * Chromium's own traffic, switched off before the app is ready: background networking (component
 * updates, variations, safe-browsing lists), DNS prefetching, hyperlink auditing pings, domain
 * reliability reports. Pure data so a test reads the list; index.ts appends it to app.commandLine.
 */
export const CHROMIUM_SWITCHES: ReadonlyArray<readonly [name: string, value?: string]> = [
  ['disable-background-networking'],
  ['disable-component-update'],
  ['disable-domain-reliability'],
  ['disable-client-side-phishing-detection'],
  ['disable-default-apps'],
  ['dns-prefetch-disable'],
  ['no-pings'],
  ['disable-sync'],
  ['no-first-run'],
  // Predictive preconnects and speculative loads, and media-foundation / optimization-hint downloads.
  [
    'disable-features',
    'NetworkPrediction,Prerender2,OptimizationHints,MediaRouter,DialMediaRouteProvider,AutofillServerCommunication,CertificateTransparencyComponentUpdater',
  ],
];

/** The part of Electron's app.commandLine this needs. */
export interface CommandLineLike {
  appendSwitch(name: string, value?: string): void;
}

export function applyChromiumSwitches(commandLine: CommandLineLike): void {
  for (const [name, value] of CHROMIUM_SWITCHES) {
    if (value === undefined) commandLine.appendSwitch(name);
    else commandLine.appendSwitch(name, value);
  }
}

/**
 * Where Chromium would fetch spell-checker dictionaries: a closed loopback port under a path that does
 * not exist, so even a download that slipped past the session's filter goes nowhere.
 */
export const SPELLCHECK_DICTIONARY_URL = 'http://127.0.0.1:9/hearth-no-dictionaries/';
