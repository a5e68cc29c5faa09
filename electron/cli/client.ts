/**
 * The CLI's way into the core: the same contract handlers and Dispatcher the other fronts use,
 * with each call's events (deltas, progress) routed to that call's listener.
 */
import { randomUUID } from 'node:crypto';
import type { EventName, MethodName, Params, Result } from '../common/api/contract.js';
import { Dispatcher, type Handlers } from '../common/api/dispatch.js';
import { RemoteError } from '../common/api/errors.js';

export type CallListener = (event: EventName, payload: unknown) => void;

export interface CallOptions {
  /** Aborting it cancels the call, exactly as a transport's cancel message does. */
  signal?: AbortSignal;
  onEvent?: CallListener;
}

function requestIdOf(payload: unknown): string | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const requestId = (payload as { requestId?: unknown }).requestId;
  return typeof requestId === 'string' ? requestId : undefined;
}

export class CoreClient {
  private readonly dispatcher: Dispatcher;
  private readonly listeners = new Map<string, CallListener>();

  constructor(handlers: Handlers) {
    this.dispatcher = new Dispatcher(handlers, (event, payload) => {
      const requestId = requestIdOf(payload);
      if (requestId !== undefined) this.listeners.get(requestId)?.(event, payload);
    });
  }

  /** Runs one contract method; a failure is thrown as a RemoteError with its code. */
  async call<M extends MethodName>(
    method: M,
    params: Params<M>,
    options: CallOptions = {},
  ): Promise<Result<M>> {
    const requestId = randomUUID();
    const { signal, onEvent } = options;
    if (onEvent) this.listeners.set(requestId, onEvent);
    const cancel = () => this.dispatcher.cancel(requestId);
    signal?.addEventListener('abort', cancel, { once: true });
    try {
      const pending = this.dispatcher.call(method, params, requestId);
      if (signal?.aborted) cancel();
      const outcome = await pending;
      if (!outcome.ok) throw new RemoteError(outcome.error);
      return outcome.result as Result<M>;
    } finally {
      signal?.removeEventListener('abort', cancel);
      this.listeners.delete(requestId);
    }
  }

  cancelAll(): void {
    this.dispatcher.cancelAll();
  }
}
