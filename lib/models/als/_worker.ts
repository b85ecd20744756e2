/**
 * Web Worker for {@link ./als.ts}: one member of an AlsThreads team. Holds
 * views on the current fit's shared WebAssembly memory (`{ init: shared }`,
 * dropped on `{ release: true }`) and runs its share of each phase (Gram rows,
 * row solves, loss rows) when the main thread asks; it lives across fits, so
 * its compiled code does too. Rows are taken from a shared atomic counter in
 * chunks, so which thread solves which row varies, but each row's result does
 * not.
 *
 * @module
 */

import { type AlsShared, type PhaseMessage, runPhase } from "./_phase.ts";

/** The worker global, typed without the deno.worker lib (which clashes with window types). */
const scope = self as unknown as {
  onmessage: (
    ev: MessageEvent<
      | { init: AlsShared | null; thread: number }
      | { release: true }
      | PhaseMessage
    >,
  ) => void;
  postMessage(msg: { ok: boolean; error?: string }): void;
};

let shared: AlsShared | undefined;
/** This worker's thread index in its team (main = 0). */
let thread = 0;

scope.onmessage = (ev) => {
  const msg = ev.data;
  try {
    if ("release" in msg) {
      // The fit ended: drop its buffers. Not answered.
      shared = undefined;
      return;
    }
    if ("init" in msg) {
      // null: the start-up ping.
      shared = msg.init ?? undefined;
      thread = msg.thread;
      scope.postMessage({ ok: true });
      return;
    }
    if (shared === undefined) throw new Error("als_worker: phase before init");
    runPhase(shared, msg, thread);
    scope.postMessage({ ok: true });
  } catch (err) {
    scope.postMessage({ ok: false, error: String(err) });
  }
};
