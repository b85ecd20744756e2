import assert from "node:assert/strict";
import { RandomState } from "../rng.ts";
import { predictPairs } from "./embedding_mf.ts";
import { fitEmbeddingMf, piecewiseSchedule } from "./embedding_mf_fit.ts";
import type { FitJob, FitJobData, FitJobResult } from "./fit_job.ts";
import { runFits } from "./fit_pool.ts";
import { predictMlp } from "./mlp.ts";
import { fitMlp } from "./mlp_fit.ts";

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

Deno.test("runFits with a cost starts the costliest jobs first and still returns results in job order", async () => {
  const started: number[] = [];
  const fits = await runFits(D, JOBS, {
    threads: 2,
    cost: (j) => j.config.epochs,
    onEpoch: (job, e) => e.epoch === 0 && started.push(job),
  });
  assertSame(fits);
  // Jobs 0 and 2 (4 epochs) go to the two workers first (without the cost,
  // 0 and 1 would); 1 and 3 follow as the workers free up.
  assert.deepEqual(started.slice(0, 2).sort(), [0, 2]);
  assert.deepEqual(started.slice(2).sort(), [1, 3]);
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
