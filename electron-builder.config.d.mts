// Types for electron-builder.config.mjs (read by the packaging test).
import type { Configuration } from 'electron-builder';

export function builderConfig(env?: Readonly<Record<string, string | undefined>>): Configuration;
declare const config: Configuration;
export default config;
