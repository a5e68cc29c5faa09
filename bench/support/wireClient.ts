/**
 * A WebSocket client speaking Hearth's wire protocol (electron/common/api/wire.ts), as any
 * client of the headless host would: calls with ids, results, errors and streamed events.
 */
import WebSocket from 'ws';
import type { EventName, MethodName, Params, Result } from '../../electron/common/api/contract.js';
import type { ServerMessage } from '../../electron/common/api/wire.js';

export interface EventMessage {
  event: EventName;
  payload: unknown;
}

interface Pending {
  resolve: (result: unknown) => void;
  reject: (error: Error) => void;
  onEvent?: (event: EventMessage) => void;
}

export class WireClient {
  private readonly pending = new Map<string, Pending>();
  private nextId = 0;

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => this.receive(JSON.parse(String(data)) as ServerMessage));
    socket.on('close', () => {
      for (const { reject } of this.pending.values()) reject(new Error('The socket closed.'));
      this.pending.clear();
    });
  }

  /** Connects to a host at `port` with its token, as a page of that host would (same origin). */
  static connect(port: number, token: string): Promise<WireClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(`ws://127.0.0.1:${port}/api?token=${token}`, {
        origin: `http://127.0.0.1:${port}`,
      });
      socket.once('open', () => resolve(new WireClient(socket)));
      socket.once('error', reject);
    });
  }

  call<M extends MethodName>(
    method: M,
    params: Params<M>,
    options: { onEvent?: (event: EventMessage) => void } = {},
  ): Promise<Result<M>> {
    const id = `b${++this.nextId}`;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: (r) => resolve(r as Result<M>), reject, onEvent: options.onEvent });
      this.socket.send(JSON.stringify({ type: 'call', id, method, params }));
    });
  }

  close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.close();
    });
  }

  private receive(message: ServerMessage): void {
    if (message.type === 'event') {
      const requestId = (message.payload as { requestId?: unknown } | null)?.requestId;
      if (typeof requestId === 'string') this.pending.get(requestId)?.onEvent?.(message);
      return;
    }
    if (message.id === null) return;
    const pending = this.pending.get(message.id);
    if (!pending) return;
    this.pending.delete(message.id);
    if (message.type === 'result') pending.resolve(message.result);
    else pending.reject(new Error(`${message.error.code}: ${message.error.message}`));
  }
}
