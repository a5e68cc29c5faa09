/** The transport inside Electron: the preload bridge, always connected. */
import type { HearthBridge } from './bridge.js';
import type { ConnectionState, EventListener, Transport } from './transport.js';

export class BridgeTransport implements Transport {
  readonly kind = 'bridge';
  readonly connection: ConnectionState = 'open';

  constructor(private readonly bridge: HearthBridge) {}

  call(method: string, params: unknown, requestId: string) {
    return this.bridge.call(method, params, requestId);
  }

  cancel(requestId: string): void {
    this.bridge.cancel(requestId);
  }

  onEvent(listener: EventListener): () => void {
    return this.bridge.onEvent(listener);
  }

  onConnection(): () => void {
    return () => {};
  }

  close(): void {}
}
