/**
 * Zod compiles fast parsers with `new Function`, which the app's Content Security Policy forbids
 * (and Chromium reports even when the probe's throw is caught). Schemas read this setting when
 * they are built, so main.ts imports this module before anything that imports the contract.
 */
import { config } from 'zod';

config({ jitless: true });
