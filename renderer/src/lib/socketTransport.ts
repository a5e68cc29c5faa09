/**
 * The transport in a plain browser: one WebSocket to the headless host, reopened when it drops.
 * Calls made while the socket is down wait in a queue; calls that were running when it dropped
 * end with DISCONNECTED (the host cancels them when their socket closes).
 */
import type { Outcome } from '../../../electron/common/api/dispatch.js';
import { ErrorCode, type SerializedError } from '../../../electron/common/api/errors.js';
import type { ClientMessage } from '../../../electron/common/api/wire.js';
import type { ConnectionState, EventListener, Transport } from './transport.js';

export interface SocketTransportOptions {
  url: string;
  /**
   * Asks the host whether this page may still talk to it: false when it answers 401 (a restarted
   * host has a new token), null when it cannot be reached. A browser hides why a socket failed.
   */
  checkAuthorized?: () => Promise<boolean | null>;
  /** Waits between reconnection attempts; the last one repeats. */
  retryDelaysMs?: readonly number[];
}

interface PendingCall {
  message: ClientMessage & { type: 'call' };
  sent: boolean;
  resolve: (outcome: Outcome) => void;
}

const defaultRetryDelaysMs = [250, 500, 1000, 2000, 4000];

function failure(code: ErrorCode, message: string): Outcome {
  return { ok: false, error: { code, name: 'ConnectionError', message } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

export class SocketTransport implements Transport {
  readonly kind = 'socket';
  private socket: WebSocket | null = null;
  private state: ConnectionState = 'connecting';
  private readonly calls = new Map<string, PendingCall>();
  private readonly eventListeners = new Set<EventListener>();
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  private readonly retryDelaysMs: readonly number[];

  constructor(private readonly options: SocketTransportOptions) {
    this.retryDelaysMs = options.retryDelaysMs ?? defaultRetryDelaysMs;
    this.connect();
  }

  get connection(): ConnectionState {
    return this.state;
  }

  call(method: string, params: unknown, requestId: string): Promise<Outcome> {
    if (this.calls.has(requestId)) {
      return Promise.resolve(failure(ErrorCode.BadRequest, `Request id ${requestId} is already in use.`));
    }
    return new Promise((resolve) => {
      const pending: PendingCall = {
        message: { type: 'call', id: requestId, method, params },
        sent: false,
        resolve,
      };
      this.calls.set(requestId, pending);
      if (this.state === 'open') this.send(pending);
    });
  }

  cancel(requestId: string): void {
    const pending = this.calls.get(requestId);
    if (!pending) return;
    if (pending.sent) {
      this.write({ type: 'cancel', id: requestId });
    } else {
      // It never reached the host: end it here.
      this.calls.delete(requestId);
      pending.resolve(failure(ErrorCode.Cancelled, 'Cancelled.'));
    }
  }

  onEvent(listener: EventListener): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onConnection(listener: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.socket?.close();
    this.socket = null;
    this.endSentCalls('The connection to Hearth was closed.');
    for (const [id, pending] of this.calls) {
      this.calls.delete(id);
      pending.resolve(failure(ErrorCode.Disconnected, 'The connection to Hearth was closed.'));
    }
  }

  private connect(): void {
    const socket = new WebSocket(this.options.url);
    this.socket = socket;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      this.attempt = 0;
      this.setState('open');
      for (const pending of this.calls.values()) if (!pending.sent) this.send(pending);
    };
    socket.onmessage = (message: MessageEvent) => {
      if (this.socket === socket && typeof message.data === 'string') this.receive(message.data);
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.endSentCalls('Lost the connection to Hearth while this was running.');
      if (!this.closed) void this.scheduleReconnect();
    };
  }

  private async scheduleReconnect(): Promise<void> {
    const authorized = await this.options.checkAuthorized?.().catch(() => null);
    if (this.closed) return;
    if (authorized === false) {
      this.setState('unauthorized');
      for (const [id, pending] of this.calls) {
        this.calls.delete(id);
        pending.resolve(failure(ErrorCode.Unauthorized, 'This page is no longer authorized.'));
      }
      return;
    }
    if (this.state === 'open') this.setState('reconnecting');
    const delays = this.retryDelaysMs;
    const delay = delays[Math.min(this.attempt, delays.length - 1)] ?? 1000;
    this.attempt += 1;
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  private send(pending: PendingCall): void {
    pending.sent = true;
    this.write(pending.message);
  }

  private write(message: ClientMessage): void {
    this.socket?.send(JSON.stringify(message));
  }

  private endSentCalls(message: string): void {
    for (const [id, pending] of this.calls) {
      if (!pending.sent) continue;
      this.calls.delete(id);
      pending.resolve(failure(ErrorCode.Disconnected, message));
    }
  }

  private receive(data: string): void {
    let message: unknown;
    try {
      message = JSON.parse(data);
    } catch {
      console.warn('Hearth: ignored a message that is not JSON.');
      return;
    }
    if (!isRecord(message)) return;
    if (message.type === 'event' && typeof message.event === 'string') {
      for (const listener of this.eventListeners) listener(message.event, message.payload);
      return;
    }
    const id = typeof message.id === 'string' ? message.id : null;
    const pending = id === null ? undefined : this.calls.get(id);
    if (message.type === 'result' && pending) {
      this.calls.delete(pending.message.id);
      pending.resolve({ ok: true, result: message.result });
    } else if (message.type === 'error' && pending) {
      this.calls.delete(pending.message.id);
      pending.resolve({ ok: false, error: message.error as SerializedError });
    } else if (message.type === 'error') {
      console.warn('Hearth: the host reported an error:', message.error);
    }
  }

  private setState(state: ConnectionState): void {
    if (this.state === state) return;
    this.state = state;
    for (const listener of this.stateListeners) listener(state);
  }
}
