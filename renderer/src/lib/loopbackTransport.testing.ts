/**
 * For tests: a transport that hands calls straight to the contract's real Dispatcher, as the
 * Electron main process does for its window, with handlers the test writes.
 */
import type { EventName } from '../../../electron/common/api/contract.js';
import { Dispatcher, type Handlers } from '../../../electron/common/api/dispatch.js';
import type { ConnectionState, EventListener, Transport } from './transport.js';

export class LoopbackTransport implements Transport {
  readonly kind = 'bridge';
  readonly connection: ConnectionState = 'open';
  readonly cancelled: string[] = [];
  private readonly listeners = new Set<EventListener>();
  private readonly dispatcher: Dispatcher;

  constructor(handlers: Partial<Handlers>) {
    const notImplemented = (method: string) => async () => {
      throw new Error(`${method} is not part of this test`);
    };
    const all = new Proxy(handlers, {
      get: (target, key: string) => target[key as keyof Handlers] ?? notImplemented(key),
    }) as Handlers;
    this.dispatcher = new Dispatcher(all, (event, payload) => this.emit(event, payload));
  }

  call(method: string, params: unknown, requestId: string) {
    return this.dispatcher.call(method, params, requestId);
  }

  cancel(requestId: string): void {
    this.cancelled.push(requestId);
    this.dispatcher.cancel(requestId);
  }

  onEvent(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onConnection(): () => void {
    return () => {};
  }

  close(): void {
    this.dispatcher.cancelAll();
  }

  /** Sends an event as the core would (a broadcast, or a raw payload to test validation). */
  emit(event: EventName | string, payload: unknown): void {
    for (const listener of this.listeners) listener(event, payload);
  }
}
