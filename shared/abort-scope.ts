import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The abort signal of the fan-out a call runs in (pool.ts). The Alibaba transport and the Zilliz
 * client read it when a call starts and hand it to fetch and to their retry sleeps, so when one
 * call of a fan-out fails for good the others stop — without every API method taking a signal.
 */
const scope = new AsyncLocalStorage<AbortSignal>();

/** Runs `run` with `signal` as the current fan-out's signal (nested fan-outs pass on their own). */
export const withSignal = <R>(signal: AbortSignal, run: () => R): R => scope.run(signal, run);

/** The signal of the fan-out the caller runs in, if any. */
export const currentSignal = (): AbortSignal | undefined => scope.getStore();

/** `promise`, or its rejection with the signal's reason as soon as the signal aborts (whichever comes first). */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
