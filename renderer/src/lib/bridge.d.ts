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
  /** The path on disk of a dropped or picked file (Electron only); null when it has none. */
  pathForFile?(file: File): string | null;
}

declare global {
  interface Window {
    hearth?: HearthBridge;
  }
}
