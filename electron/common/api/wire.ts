/** Messages of the WebSocket transport. IPC uses Electron's own invoke/send with the same payloads. */
import { z } from 'zod';
import type { EventName } from './contract.js';
import type { SerializedError } from './errors.js';

export const ClientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('call'), id: z.string(), method: z.string(), params: z.unknown() }),
  z.object({ type: z.literal('cancel'), id: z.string() }),
]);
export type ClientMessage = z.infer<typeof ClientMessage>;

export type ServerMessage =
  | { type: 'result'; id: string; result: unknown }
  | { type: 'error'; id: string | null; error: SerializedError }
  | { type: 'event'; event: EventName; payload: unknown };

/** IPC channel names, shared by the main-process router and the preload. */
export const IpcChannel = {
  call: 'hearth:call',
  cancel: 'hearth:cancel',
  event: 'hearth:event',
  /** Commands from the app menu to the window (e.g. File > Add documents… with the chosen paths). */
  command: 'hearth:command',
} as const;
