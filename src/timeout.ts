// One request's abort signal: the caller's signal combined with a per-request timeout. A plain controller with one
// listener is used rather than AbortSignal.any, because it is cheaper per call and `dispose` leaves nothing behind.

export interface RequestSignal {
  signal: AbortSignal;
  /** True when the timeout (not the caller) aborted the request. */
  timedOut: boolean;
  /** Clears the timer and unhooks the caller's signal; call it once the response is read or the request failed. */
  dispose(): void;
}

/** `timeoutMs: false` sets no timer: only the caller's signal can end the request. */
export function requestSignal(timeoutMs: number | false, callerSignal: AbortSignal | undefined): RequestSignal {
  const controller = new AbortController();
  const onCallerAbort = () => controller.abort(callerSignal?.reason);
  const timer =
    timeoutMs === false
      ? undefined
      : setTimeout(() => {
          state.timedOut = true;
          controller.abort();
        }, timeoutMs);
  const state: RequestSignal = {
    signal: controller.signal,
    timedOut: false,
    dispose() {
      clearTimeout(timer);
      callerSignal?.removeEventListener("abort", onCallerAbort);
    },
  };
  if (callerSignal?.aborted) onCallerAbort();
  else callerSignal?.addEventListener("abort", onCallerAbort, { once: true });
  return state;
}
