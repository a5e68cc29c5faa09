/**
 * Transport-independent call handling: checks the method name and the payload against the
 * contract, runs the handler with an AbortSignal, and turns any failure into a typed error.
 * Each transport connection (a window, a socket) gets its own Dispatcher, so a cancel or a
 * disconnect only touches that connection's calls.
 */
import { z } from 'zod';
import {
  isMethodName,
  methods,
  type EventName,
  type EventPayload,
  type MethodName,
  type Params,
  type Result,
} from './contract.js';
import { ErrorCode, serializeError, type SerializedError } from './errors.js';

export interface CallContext {
  requestId: string;
  signal: AbortSignal;
  /** Sends an event that belongs to this call (deltas, progress) back to its caller. */
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
}

export type Handlers = {
  [M in MethodName]: (params: Params<M>, call: CallContext) => Promise<Result<M>>;
};

export type Outcome = { ok: true; result: unknown } | { ok: false; error: SerializedError };

export type EventSink = (event: EventName, payload: unknown) => void;

export const RequestId = z.string().min(1).max(128);

function badRequest(message: string): Outcome {
  return { ok: false, error: { code: ErrorCode.BadRequest, name: 'BadRequest', message } };
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}

export class Dispatcher {
  private readonly inFlight = new Map<string, AbortController>();

  constructor(
    private readonly handlers: Handlers,
    private readonly sink: EventSink,
  ) {}

  async call(method: unknown, params: unknown, requestId: unknown): Promise<Outcome> {
    if (!isMethodName(method)) {
      return {
        ok: false,
        error: {
          code: ErrorCode.UnknownMethod,
          name: 'UnknownMethod',
          message: `Unknown method: ${String(method).slice(0, 80)}`,
        },
      };
    }
    const id = RequestId.safeParse(requestId);
    if (!id.success) return badRequest('A request id (1-128 characters) is required.');
    if (this.inFlight.has(id.data)) return badRequest(`Request id ${id.data} is already in use.`);
    const parsed = methods[method].params.safeParse(params ?? {});
    if (!parsed.success) {
      return badRequest(`Invalid parameters for ${method}: ${describeIssues(parsed.error)}`);
    }

    const controller = new AbortController();
    this.inFlight.set(id.data, controller);
    const context: CallContext = {
      requestId: id.data,
      signal: controller.signal,
      emit: (event, payload) => this.sink(event, payload),
    };
    try {
      const handler = this.handlers[method] as (p: unknown, c: CallContext) => Promise<unknown>;
      return { ok: true, result: await handler(parsed.data, context) };
    } catch (error) {
      return { ok: false, error: serializeError(error) };
    } finally {
      this.inFlight.delete(id.data);
    }
  }

  /** Aborts one call of this connection. Returns false when no such call is running. */
  cancel(requestId: string): boolean {
    const controller = this.inFlight.get(requestId);
    controller?.abort();
    return controller !== undefined;
  }

  /** Aborts every call of this connection (it closed). */
  cancelAll(): void {
    for (const controller of this.inFlight.values()) controller.abort();
    this.inFlight.clear();
  }
}
