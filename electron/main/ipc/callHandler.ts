/**
 * What the IPC router does with one message, without Electron: refuse a sender that is not the app's
 * own main frame, refuse a message that is not an object, and hand the rest to the window's Dispatcher
 * (which checks the method and payload against the contract). Pure so hostile-input tests drive the
 * IPC transport exactly as the router does.
 */
import type { Dispatcher, Outcome } from '../../common/api/dispatch.js';
import { ErrorCode } from '../../common/api/errors.js';
import { checkSender, type FrameLike } from './senderPolicy.js';

/** Who sent an IPC message: the sending frame and the main frame of its window. */
export interface IpcSenderFrames {
  senderFrame: FrameLike | null | undefined;
  mainFrame: FrameLike | null | undefined;
}

function refusal(code: ErrorCode, name: string, message: string): Outcome {
  return { ok: false, error: { code, name, message } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Answers one `hearth:call` message. `dispatcherFor` is asked only once the sender passed, so a refused
 * sender never gets a connection.
 */
export async function answerIpcCall(
  sender: IpcSenderFrames,
  message: unknown,
  origins: readonly string[],
  dispatcherFor: () => Dispatcher,
): Promise<Outcome> {
  const verdict = checkSender(sender.senderFrame, sender.mainFrame, origins);
  if (!verdict.ok) return refusal(ErrorCode.Unauthorized, 'Unauthorized', verdict.reason);
  if (!isRecord(message)) return refusal(ErrorCode.BadRequest, 'BadRequest', 'A call must be an object.');
  const params = asJsonData(message.params);
  if (!params.ok) {
    return refusal(ErrorCode.BadRequest, 'BadRequest', 'Parameters must be plain JSON data.');
  }
  return dispatcherFor().call(message.method, params.value, message.requestId);
}

/**
 * IPC's structured clone carries more than JSON (undefined values, NaN, BigInt, Map, Date, cycles).
 * The core sees exactly what the WebSocket transport would give it: JSON data, or a refusal. (The
 * contract fuzzer found `{key: undefined}` reaching a handler that spread it over stored settings.)
 */
function asJsonData(value: unknown): { ok: true; value: unknown } | { ok: false } {
  if (value === undefined) return { ok: true, value: undefined };
  try {
    const text = JSON.stringify(value);
    return text === undefined ? { ok: false } : { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    // A BigInt or a cycle.
    return { ok: false };
  }
}

/** Handles one `hearth:cancel` message: ignored unless the sender passes and the id is a string. */
export function answerIpcCancel(
  sender: IpcSenderFrames,
  requestId: unknown,
  origins: readonly string[],
  dispatcher: Dispatcher | undefined,
): void {
  if (!checkSender(sender.senderFrame, sender.mainFrame, origins).ok || typeof requestId !== 'string') return;
  dispatcher?.cancel(requestId);
}
