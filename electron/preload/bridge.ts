/**
 * The object the preload exposes as `window.hearth`. Built from a small IPC interface (Electron's
 * ipcRenderer in the app) so it holds no Electron import and its shape is unit-tested.
 */
import {
  eventNames,
  methodNames,
  type EventName,
  type MethodName,
  type Params,
} from '../common/api/contract.js';
import type { Outcome } from '../common/api/dispatch.js';
import { IpcChannel } from '../common/api/wire.js';

/** The parts of ipcRenderer the bridge uses. */
export interface RendererIpc {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  send(channel: string, ...args: unknown[]): void;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export type MethodFunctions = {
  readonly [M in MethodName]: (params: Params<M>, requestId?: string) => Promise<Outcome>;
};

/** What the app menu asks the window to do. */
export type AppCommand =
  | { type: 'library.addPaths'; paths: string[] }
  // Help > Run setup again (issue 10).
  | { type: 'setup.open' };

export interface HearthBridge {
  /** Runs one contract method; resolves with its outcome and never rejects for a failed call. */
  call(method: string, params: unknown, requestId: string): Promise<Outcome>;
  /** Aborts the call with this request id, if it is still running. */
  cancel(requestId: string): void;
  /** Events for this window (per-call and broadcast). The callback never sees the IPC event object. */
  onEvent(listener: (event: EventName, payload: unknown) => void): () => void;
  /** One function per contract method, e.g. `api['chat.send'](params, requestId)`. */
  readonly api: MethodFunctions;
  /**
   * The path on disk of a file the user dropped or picked (Electron's webUtils.getPathForFile), so a
   * dropped .gguf can be imported by path; null for a file that has none.
   */
  pathForFile(file: object): string | null;
  /** Commands the app menu sends to this window. */
  onCommand(listener: (command: AppCommand) => void): () => void;
}

/** The part of Electron's webUtils the bridge uses. */
export interface FilePaths {
  getPathForFile(file: never): string;
}

function isAppCommand(value: unknown): value is AppCommand {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  if (record.type === 'setup.open') return true;
  return (
    record.type === 'library.addPaths' &&
    Array.isArray(record.paths) &&
    record.paths.every((path) => typeof path === 'string')
  );
}

const knownEvents = new Set<string>(eventNames);

let generatedIds = 0;
function newRequestId(): string {
  generatedIds += 1;
  return globalThis.crypto?.randomUUID?.() ?? `preload-${Date.now()}-${generatedIds}`;
}

export function createBridge(ipc: RendererIpc, files?: FilePaths): HearthBridge {
  const call = (method: string, params: unknown, requestId: string): Promise<Outcome> =>
    ipc.invoke(IpcChannel.call, { method, params, requestId }) as Promise<Outcome>;

  const api = Object.freeze(
    Object.fromEntries(
      methodNames.map((method) => [
        method,
        (params: unknown, requestId?: string) => call(method, params, requestId ?? newRequestId()),
      ]),
    ),
  ) as MethodFunctions;

  return Object.freeze({
    call,
    cancel(requestId: string): void {
      ipc.send(IpcChannel.cancel, requestId);
    },
    onEvent(listener: (event: EventName, payload: unknown) => void): () => void {
      const forward = (_ipcEvent: unknown, event: unknown, payload: unknown) => {
        if (typeof event === 'string' && knownEvents.has(event)) listener(event as EventName, payload);
      };
      ipc.on(IpcChannel.event, forward as (event: unknown, ...args: unknown[]) => void);
      return () => {
        ipc.removeListener(IpcChannel.event, forward as (event: unknown, ...args: unknown[]) => void);
      };
    },
    api,
    pathForFile(file: object): string | null {
      if (!files) return null;
      try {
        return files.getPathForFile(file as never) || null;
      } catch {
        // Not a File object from this page: there is no path to give.
        return null;
      }
    },
    onCommand(listener: (command: AppCommand) => void): () => void {
      const forward = (_ipcEvent: unknown, command: unknown) => {
        if (!isAppCommand(command)) return;
        listener(
          command.type === 'setup.open'
            ? { type: 'setup.open' }
            : { type: command.type, paths: [...command.paths] },
        );
      };
      ipc.on(IpcChannel.command, forward as (event: unknown, ...args: unknown[]) => void);
      return () => {
        ipc.removeListener(IpcChannel.command, forward as (event: unknown, ...args: unknown[]) => void);
      };
    },
  });
}
