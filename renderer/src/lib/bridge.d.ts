/**
 * The Electron preload bridge (`contextBridge.exposeInMainWorld('hearth', …)`), as the renderer
 * sees it. Absent in a plain browser, where the client talks to the headless host instead.
 */
import type { Outcome } from '../../../electron/common/api/dispatch.js';

export interface HearthBridge {
  /** Runs one contract method; never rejects for a failed call (the outcome says so). */
  call(method: string, params: unknown, requestId: string): Promise<Outcome>;
  /** Aborts the call with this request id, if it is still running. */
  cancel(requestId: string): void;
  /** Every event for this window: per-call events (carrying a requestId) and broadcasts. */
  onEvent(listener: (event: string, payload: unknown) => void): () => void;
  /** The real path of a File the user dropped or picked in this window (Electron's webUtils). */
  pathForFile?(file: File): string | null;
  /** Commands from the app menu, e.g. File > Add documents… with the chosen paths. */
  onCommand?(listener: (command: AppCommand) => void): () => void;
}

/** What the app menu asks the window to do. */
export type AppCommand =
  | { type: 'library.addPaths'; paths: string[] }
  // Help > Run setup again (issue 10).
  | { type: 'setup.open' };

declare global {
  interface Window {
    hearth?: HearthBridge;
  }
}
