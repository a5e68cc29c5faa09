/**
 * One WebSocket connection speaking the contract: its own Dispatcher (so cancel and disconnect
 * touch only its calls), messages validated against wire.ts, per-call events back to it alone.
 */
import type { RawData, WebSocket } from 'ws';
import { Dispatcher, type Handlers } from '../common/api/dispatch.js';
import type { EventName } from '../common/api/contract.js';
import { ErrorCode } from '../common/api/errors.js';
import { ClientMessage, type ServerMessage } from '../common/api/wire.js';

export interface Connection {
  /** Sends a broadcast event (one that belongs to no call). */
  sendEvent(event: EventName, payload: unknown): void;
  /** Aborts this connection's calls and closes it. */
  close(code?: number, reason?: string): void;
}

function badRequest(id: string | null, message: string): ServerMessage {
  return { type: 'error', id, error: { code: ErrorCode.BadRequest, name: 'BadRequest', message } };
}

/** When a message is malformed but names a string id, answering under it lets the caller settle. */
function recoverId(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const id = (value as { id?: unknown }).id;
  return typeof id === 'string' && id.length <= 128 ? id : null;
}

function parseJson(data: RawData, isBinary: boolean): { ok: true; value: unknown } | { ok: false } {
  if (isBinary) return { ok: false };
  const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
  const text = bytes.toString('utf8');
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

export function attachConnection(socket: WebSocket, handlers: Handlers, onClosed: () => void): Connection {
  const send = (message: ServerMessage): void => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  };
  const sendEvent = (event: EventName, payload: unknown): void => send({ type: 'event', event, payload });
  const dispatcher = new Dispatcher(handlers, sendEvent);

  socket.on('message', (data, isBinary) => {
    const json = parseJson(data, isBinary);
    if (!json.ok) {
      send(badRequest(null, 'Messages must be JSON text.'));
      return;
    }
    const parsed = ClientMessage.safeParse(json.value);
    if (!parsed.success) {
      send(badRequest(recoverId(json.value), 'Not a valid message: expected {type: "call" | "cancel", id}.'));
      return;
    }
    const message = parsed.data;
    if (message.type === 'cancel') {
      dispatcher.cancel(message.id);
      return;
    }
    void dispatcher.call(message.method, message.params, message.id).then((outcome) => {
      send(
        outcome.ok
          ? { type: 'result', id: message.id, result: outcome.result }
          : { type: 'error', id: message.id, error: outcome.error },
      );
    });
  });

  socket.on('close', () => {
    dispatcher.cancelAll();
    onClosed();
  });
  // Errors (an oversized frame, a broken pipe) close the socket; 'close' does the cleanup.
  socket.on('error', () => {});

  return {
    sendEvent,
    close(code = 1001, reason = 'Hearth is shutting down') {
      dispatcher.cancelAll();
      socket.close(code, reason);
    },
  };
}
