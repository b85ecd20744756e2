/**
 * Web Worker for {@link ./als.ts}: holds views on the fit's SharedArrayBuffers
 * and runs its share of each phase (Gram rows, row solves, loss rows) when the
 * main thread asks. Rows are taken from a shared atomic counter in chunks, so
 * which thread solves which row varies, but each row's result does not.
 *
 * @module
 */

import { type AlsShared, type PhaseMessage, runPhase } from "./als_phase.ts";

/** The worker global, typed without the deno.worker lib (which clashes with window types). */
const scope = self as unknown as {
  onmessage: (ev: MessageEvent<{ init: AlsShared } | PhaseMessage>) => void;
  postMessage(msg: { ok: boolean; error?: string }): void;
};

let shared: AlsShared | undefined;

scope.onmessage = (ev) => {
  const msg = ev.data;
  try {
    if ("init" in msg) {
      shared = msg.init;
      scope.postMessage({ ok: true });
      return;
    }
    if (shared === undefined) throw new Error("als_worker: phase before init");
    runPhase(shared, msg);
    scope.postMessage({ ok: true });
  } catch (err) {
    scope.postMessage({ ok: false, error: String(err) });
  }
};
