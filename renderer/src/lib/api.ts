/**
 * The renderer's one typed client over the Hearth contract. It speaks to the preload bridge
 * inside Electron and to the headless host's WebSocket in a plain browser, and checks every
 * result and event against the contract's schemas before the UI sees it.
 */
import {
  events,
  methods,
  type EventName,
  type EventPayload,
  type MethodName,
  type Params,
  type Result,
} from '../../../electron/common/api/contract.js';
import { ErrorCode, RemoteError, isErrorCode } from '../../../electron/common/api/errors.js';
import { BridgeTransport } from './bridgeTransport.js';
import { socketUrl, takeAccessToken } from './accessToken.js';
import { SocketTransport } from './socketTransport.js';
import type { ConnectionState, Transport } from './transport.js';

export { RemoteError, ErrorCode };
export type { ConnectionState, Transport };

/** Events that belong to one call (they carry its request id). */
export type CallEventName =
  | 'chat.delta'
  | 'chat.thought'
  | 'chat.started'
  | 'chat.sources'
  | 'chat.progress'
  | 'models.loadProgress'
  | 'models.importProgress';
export type CallEvent = {
  [E in CallEventName]: { event: E; payload: EventPayload<E> };
}[CallEventName];

export interface CallOptions {
  /** Aborting sends `cancel` for this call; the host then ends it (a chat keeps its partial answer). */
  signal?: AbortSignal;
  onEvent?: (event: CallEvent) => void;
}

type BroadcastListener = (payload: never) => void;

function isEventName(value: string): value is EventName {
  return Object.hasOwn(events, value);
}

const callEventNames = new Set<EventName>([
  'chat.delta',
  'chat.thought',
  'chat.started',
  'chat.sources',
  'chat.progress',
  'models.loadProgress',
  'models.importProgress',
]);

function isCallEvent(event: EventName): event is CallEventName {
  return callEventNames.has(event);
}

/** Turns whatever the other side sent as an error into a RemoteError with a known code. */
function toRemoteError(error: unknown): RemoteError {
  const record = typeof error === 'object' && error !== null ? (error as Record<string, unknown>) : {};
  const code = isErrorCode(record.code) ? record.code : ErrorCode.Internal;
  const message = typeof record.message === 'string' && record.message ? record.message : 'Unexpected error.';
  const name = typeof record.name === 'string' ? record.name : 'Error';
  return new RemoteError({ code, name, message });
}

export class HearthClient {
  private readonly callListeners = new Map<string, (event: CallEvent) => void>();
  private readonly broadcastListeners = new Map<EventName, Set<BroadcastListener>>();
  private readonly idPrefix = Math.random().toString(36).slice(2, 8);
  private nextId = 0;

  constructor(private readonly transport: Transport) {
    transport.onEvent((event, payload) => this.receiveEvent(event, payload));
  }

  get transportKind(): Transport['kind'] {
    return this.transport.kind;
  }

  get connection(): ConnectionState {
    return this.transport.connection;
  }

  onConnection(listener: (state: ConnectionState) => void): () => void {
    return this.transport.onConnection(listener);
  }

  async call<M extends MethodName>(
    method: M,
    params: Params<M>,
    options: CallOptions = {},
  ): Promise<Result<M>> {
    const { signal, onEvent } = options;
    if (signal?.aborted)
      throw new RemoteError({ code: ErrorCode.Cancelled, name: 'AbortError', message: 'Cancelled.' });
    this.nextId += 1;
    const requestId = `${this.idPrefix}-${this.nextId}`;
    if (onEvent) this.callListeners.set(requestId, onEvent);
    const cancel = () => this.transport.cancel(requestId);
    signal?.addEventListener('abort', cancel, { once: true });
    try {
      const outcome = await this.transport.call(method, params, requestId);
      if (!outcome.ok) throw toRemoteError(outcome.error);
      const parsed = methods[method].result.safeParse(outcome.result);
      if (!parsed.success) {
        throw new RemoteError({
          code: ErrorCode.Internal,
          name: 'InvalidReply',
          message: `Hearth sent an unexpected reply to ${method}.`,
        });
      }
      return parsed.data as Result<M>;
    } finally {
      signal?.removeEventListener('abort', cancel);
      this.callListeners.delete(requestId);
    }
  }

  /** Listens to an event from the core, whichever call (if any) it belongs to. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    let listeners = this.broadcastListeners.get(event);
    if (!listeners) {
      listeners = new Set();
      this.broadcastListeners.set(event, listeners);
    }
    const stored = listener as BroadcastListener;
    listeners.add(stored);
    return () => listeners.delete(stored);
  }

  close(): void {
    this.transport.close();
  }

  private receiveEvent(event: string, payload: unknown): void {
    if (!isEventName(event)) return;
    const parsed = events[event].safeParse(payload);
    if (!parsed.success) {
      console.warn(`Hearth: ignored a malformed ${event} event.`);
      return;
    }
    const data = parsed.data;
    if (isCallEvent(event) && 'requestId' in data) {
      this.callListeners.get(data.requestId)?.({ event, payload: data } as CallEvent);
    }
    for (const listener of this.broadcastListeners.get(event) ?? []) {
      (listener as (payload: unknown) => void)(data);
    }
  }
}

/** The bridge when Electron's preload put one on the window, else the host's WebSocket. */
export function createTransport(win: Window = window): Transport {
  if (win.hearth) return new BridgeTransport(win.hearth);
  const token = takeAccessToken(win.location, win.history, win.sessionStorage);
  const pageUrl = token ? `/?token=${encodeURIComponent(token)}` : '/';
  return new SocketTransport({
    url: socketUrl(win.location, token),
    checkAuthorized: async () => {
      try {
        const response = await win.fetch(pageUrl, { method: 'HEAD', cache: 'no-store' });
        return response.status !== 401;
      } catch {
        return null;
      }
    },
  });
}

export function createClient(win: Window = window): HearthClient {
  return new HearthClient(createTransport(win));
}
