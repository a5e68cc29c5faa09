/** What the typed client needs from a way of reaching the Hearth core. */
import type { Outcome } from '../../../electron/common/api/dispatch.js';

/**
 * - `connecting`: the first connection is being made.
 * - `open`: calls go through.
 * - `reconnecting`: the connection dropped; calls wait until it is back.
 * - `unauthorized`: the host refused this page's token; only a fresh address helps.
 */
export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'unauthorized';

export type EventListener = (event: string, payload: unknown) => void;

export interface Transport {
  readonly kind: 'bridge' | 'socket';
  /** Resolves with the call's outcome; never rejects. */
  call(method: string, params: unknown, requestId: string): Promise<Outcome>;
  cancel(requestId: string): void;
  onEvent(listener: EventListener): () => void;
  readonly connection: ConnectionState;
  onConnection(listener: (state: ConnectionState) => void): () => void;
  close(): void;
}
