import assert from "node:assert/strict";
import { RandomState } from "../rng.ts";
import { predictPairs } from "../models/factor_model.ts";
import {
  fitEmbeddingMf,
  piecewiseSchedule,
} from "../models/embedding_mf/fit.ts";
import type { FitJob, FitJobData, FitJobResult } from "./fit_job.ts";
import { runFits, startOrder } from "./fit_pool.ts";
import { predictMlp } from "../models/mlp/mlp.ts";
import { fitMlp } from "../models/mlp/fit.ts";

/** 30 users × 20 items, 300 random ratings; every pair scored. */
function data(): FitJobData {
  const rs = new RandomState(3);
  const n = 300;
  const users = Int32Array.from({ length: n }, () => rs.randint(0, 30));
  const items = Int32Array.from({ length: n }, () => rs.randint(0, 20));
  const ratings = Float32Array.from(
    { length: n },
    (_, r) => 1 + ((users[r] * 7 + items[r] * 3) % 5),
  );
  return {
    train: { users, items, ratings },
    nUsers: 30,
    nItems: 20,
    evalUsers: Int32Array.from({ length: 600 }, (_, j) => j % 30),
    evalItems: Int32Array.from({ length: 600 }, (_, j) => Math.floor(j / 30)),
  };
}

const D = data();
const MF = {
  dim: 8,
  epochs: 4,
  batchSize: 16,
  learningRate: 0.01,
  l2: { coef: 1e-4, scope: "table" as const },
  init: "uniform" as const,
  epochOrder: "reshuffle" as const,
  adamArithmetic: "keras" as const,
  eps: 1e-8,
};
const PIECES = [{ until: 38, lr: 0.01 }, { until: 76, lr: 0.05 }];
const MLP = {
  dim: 8,
  hidden: [6],
  dropout: [0.25, 0.5],
  epochs: 3,
  batchSize: 16,
  learningRate: 0.01,
  embeddingL2: 1e-4,
  epochOrder: "reshuffle" as const,
};
const JOBS: FitJob[] = [
  { kind: "embedding_mf", config: { ...MF, seed: 0, biases: false } },
  { kind: "mlp", config: { ...MLP, seed: 1 }, keepEpoch: 1 },
  {
    kind: "embedding_mf",
    config: { ...MF, seed: 2, lrPieces: PIECES },
    keepEpoch: 3,
  },
  { kind: "mlp", config: { ...MLP, seed: 3, epochs: 1 } },
];

/** What each job gives when its fitter is called directly: per-epoch losses and predictions, and the kept weights. */
function direct(job: FitJob) {
  const losses: unknown[] = [], predictions: Float32Array[] = [];
  let kept: unknown;
  if (job.kind === "mlp") {
    fitMlp(D.train, D.nUsers, D.nItems, job.config, (e, loss, snap) => {
      const m = snap();
      if (e === job.keepEpoch) kept = m;
      losses.push(loss);
      predictions.push(predictMlp(m, D.evalUsers, D.evalItems));
    });
  } else {
    const { lrPieces, ...config } = job.config;
    fitEmbeddingMf(D.train, D.nUsers, D.nItems, {
      ...config,
      ...(lrPieces ? { schedule: piecewiseSchedule(lrPieces) } : {}),
    }, (e, loss, snap) => {
      const m = snap();
      if (e === job.keepEpoch) kept = m;
      losses.push(loss);
      predictions.push(predictPairs(m, D.evalUsers, D.evalItems));
    });
  }
  return { losses, predictions, kept };
}

function assertSame(fits: FitJobResult[]) {
  assert.equal(fits.length, JOBS.length);
  JOBS.forEach((job, k) => {
    const want = direct(job);
    const got = fits[k];
    assert.equal(got.epochs.length, job.config.epochs, `job ${k} epochs`);
    assert.deepEqual(got.epochs.map((e) => e.loss), want.losses, `job ${k}`);
    got.epochs.forEach((e, t) => {
      assert.equal(e.epoch, t);
      assert.ok(e.seconds >= 0);
      assert.deepEqual(e.predictions, want.predictions[t], `job ${k} ${t}`);
    });
    assert.deepEqual(got.model, want.kept, `job ${k} kept weights`);
  });
}

Deno.test("runFits on 2 workers gives every job's losses, predictions and kept weights bit for bit as the fitter called directly", async () => {
  const seen: string[] = [];
  const fits = await runFits(D, JOBS, {
    threads: 2,
    onEpoch: (job, e) => seen.push(`${job}:${e.epoch}`),
  });
  assertSame(fits);
  // Every epoch reported once, each job's in order.
  assert.equal(seen.length, 4 + 3 + 4 + 1);
  for (let k = 0; k < JOBS.length; k++) {
    const mine = seen.filter((s) => s.startsWith(`${k}:`));
    assert.deepEqual(mine, mine.map((_, t) => `${k}:${t}`));
  }
  // The piecewise rate took effect: job 2 differs from the same seed at a constant rate.
  const [flat] = await runFits(D, [{
    kind: "embedding_mf",
    config: { ...MF, seed: 2 },
  }], { threads: 1 });
  assert.deepEqual(flat.epochs[1].predictions, fits[2].epochs[1].predictions);
  assert.notDeepEqual(
    flat.epochs[3].predictions,
    fits[2].epochs[3].predictions,
  );
});

Deno.test("startOrder puts the costliest jobs first, ties in the given order; runFits with a cost still returns results in job order", async () => {
  const epochs = (j: FitJob) => j.config.epochs;
  assert.deepEqual(startOrder(JOBS), [0, 1, 2, 3]);
  assert.deepEqual(startOrder(JOBS, epochs), [0, 2, 1, 3]);
  assert.deepEqual(startOrder(JOBS, (j) => -j.config.epochs), [3, 1, 0, 2]);
  assert.throws(
    () => startOrder(JOBS, (j) => j.config.epochs === 3 ? NaN : 1),
    /cost of job 1 is NaN, not finite/,
  );
  assertSame(await runFits(D, JOBS, { threads: 2, cost: epochs }));
  assertSame(await runFits(D, JOBS, { threads: 1, cost: epochs }));
});

Deno.test("runFits progress counts every epoch of every job, describes each, and finishes", async () => {
  for (const threads of [1, 2]) {
    const lines: string[] = [];
    await runFits(D, JOBS, {
      threads,
      progress: {
        label: "fits",
        line: (k, e) => `job ${k} epoch ${e.epoch}`,
        write: (text) => lines.push(text),
        isTerminal: false,
        intervalS: 0,
      },
    });
    // One line per epoch (4 + 3 + 4 + 1), then the final one.
    assert.equal(lines.length, 13, lines.join(""));
    assert.ok(lines.some((l) => / job 2 epoch 3\n$/.test(l)), lines.join(""));
    assert.match(lines.at(-1)!, /^fits: 12\/12 epochs \(100%\) in /);
  }
});

Deno.test("runFits in the calling thread (threads 1) and on more workers than jobs gives the same numbers", async () => {
  assertSame(await runFits(D, JOBS, { threads: 1 }));
  assertSame(await runFits(D, JOBS, { threads: 8 }));
  assert.deepEqual(await runFits(D, [], { threads: 2 }), []);
});

Deno.test("runFits: a bad job's RangeError names the job and the setting; a bad thread count is refused", async () => {
  const bad: FitJob[] = [
    JOBS[0],
    { kind: "embedding_mf", config: { ...MF, seed: 5, dim: 0 } },
  ];
  for (const threads of [1, 2]) {
    await assert.rejects(
      runFits(D, bad, { threads }),
      (err: Error) =>
        err instanceof RangeError &&
        /^fit job 1 \(embedding_mf, seed 5\): fitEmbeddingMf: dim 0 must be a positive integer/
          .test(err.message),
    );
  }
  // The fitter's own error travels as the cause.
  await assert.rejects(runFits(D, bad, { threads: 2 }), (err: Error) => {
    const cause = err.cause as Error;
    return cause.name === "RangeError" &&
      /^fitEmbeddingMf: dim 0/.test(cause.message) &&
      /fitEmbeddingMf/.test(cause.stack ?? "");
  });
  await assert.rejects(runFits(D, JOBS, { threads: 0 }), /threads must be/);
  await assert.rejects(runFits(D, JOBS, { threads: 1.5 }), /threads must be/);
});

Deno.test("runFits stops and rejects when the epoch callback throws", async () => {
  await assert.rejects(
    runFits(D, JOBS, {
      threads: 2,
      onEpoch: () => {
        throw new Error("callback broke");
      },
    }),
    /callback broke/,
  );
});

Deno.test("runFits refuses, before any work and whatever the thread count, jobs it could not send or would answer wrongly", async () => {
  const withSchedule = {
    kind: "embedding_mf",
    config: { ...MF, seed: 7, schedule: () => ({ lr: 0.1 }) },
  } as unknown as FitJob;
  const withLoss = {
    kind: "embedding_mf",
    config: { ...MF, seed: 8, loss: { value: () => 0, grad: () => 0 } },
  } as unknown as FitJob;
  for (const threads of [1, 2]) {
    await assert.rejects(
      runFits(D, [JOBS[0], withSchedule], { threads }),
      /job 1 \(embedding_mf, seed 7\): config.schedule holds a function, which cannot be sent to a worker \(give lrPieces instead\)/,
    );
    await assert.rejects(
      runFits(D, [withLoss], { threads }),
      /config.loss holds a function.*squared error/,
    );
    await assert.rejects(
      runFits(D, [{ ...JOBS[0], keepEpoch: 4 }], { threads }),
      /job 0 \(embedding_mf, seed 0\): keepEpoch 4 is not an epoch index in \[0, 4\)/,
    );
    await assert.rejects(
      runFits({ ...D, evalItems: D.evalItems.subarray(1) }, JOBS, { threads }),
      /600 evaluation users but 599 items/,
    );
  }
});

Deno.test("runFits passes an error of the epoch callback on unchanged, in place too", async () => {
  const mine = new RangeError("my callback");
  for (const threads of [1, 2]) {
    await assert.rejects(
      runFits(D, JOBS, {
        threads,
        onEpoch: () => {
          throw mine;
        },
      }),
      (err) => err === mine,
    );
  }
});

Deno.test({
  name: "runFits rejects, naming the cause, when a worker cannot start",
  permissions: { read: false },
  async fn() {
    await assert.rejects(
      runFits(D, JOBS, { threads: 2 }),
      /fit worker failed: .*read access/,
    );
  },
});

/** Runs `script` (TypeScript, from the repository root) in a fresh process; fails after 60 s. */
async function runScript(script: string) {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--ext=ts", script],
    cwd: new URL("../../", import.meta.url),
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(60_000),
  }).output();
  const text = new TextDecoder();
  return { code, out: text.decode(stdout), err: text.decode(stderr) };
}

Deno.test("a process that used runFits exits when its script ends, after a success and after a rejected run (no worker left alive)", async () => {
  const { code, out, err } = await runScript(`
    const { runFits } = await import("./lib/train/fit_pool.ts");
    const users = Int32Array.of(0, 1, 0, 1), items = Int32Array.of(0, 0, 1, 1);
    const data = { train: { users, items, ratings: Float32Array.of(1, 2, 3, 4) },
      nUsers: 2, nItems: 2, evalUsers: users, evalItems: items };
    const config = { dim: 4, epochs: 2, batchSize: 2, learningRate: 0.01 };
    const ok = await runFits(data, [0, 1, 2].map((seed) => ({ kind: "embedding_mf", config: { ...config, seed } })), { threads: 2 });
    console.log(ok.length);
    const bad = await runFits(data, [{ kind: "embedding_mf", config: { ...config, seed: 0 } },
      { kind: "embedding_mf", config: { ...config, seed: 1, dim: 0 } }], { threads: 2 })
      .catch((e) => e.message);
    console.log(bad);
  `);
  assert.equal(code, 0, err);
  assert.deepEqual(out.trim().split("\n"), [
    "3",
    "fit job 1 (embedding_mf, seed 1): fitEmbeddingMf: dim 0 must be a positive integer",
  ]);
});
