/**
 * Test fixtures shared by the report layer's tests (not exported from mod.ts).
 *
 * @module
 */

import { notComparable, predictionIntervalRule } from "./agreement.ts";
import type { Results } from "./results.ts";

/** A complete, valid `Results`, freshly built on every call so tests may mutate it. */
export function sampleResults(): Results {
  return {
    schema: "cf-results/2",
    experiment: "als",
    title: "Implicit ALS on MovieLens 100K",
    command: "deno task exp:als",
    document: {
      title: "ALS recommendations",
      authors: ["A. Author"],
      year: 2020,
      url: "https://example.org/als",
      published: { "precision@10": 0.276, rmse: "≈0.9 (read off a plot)" },
    },
    dataset: {
      release: "ml-100k",
      source: "data/ml-100k.zip",
      files: [{
        name: "u.data",
        sha256:
          "06416e597f82b7342361e41163890c81036900f418ad91315590814211dca490",
        md5: "a8c8cbcc48c3cbad6bc2a4a1ad67ef2c",
      }],
      counts: { users: 943, items: 1682, ratings: 100000 },
    },
    config: {
      factors: 50,
      regularization: 0.01,
      split: { test_fraction: 0.2, by: "user" },
      tags: ["a", "b"],
    },
    seeds: [42, 43],
    metrics: {
      "precision@10": {
        mean: 0.275,
        std: 0.007071067811865481,
        values: [0.27, 0.28],
      },
      rmse: 0.912,
    },
    comparisons: [
      {
        metric: "precision@10",
        published: 0.276,
        reproduced: 0.275,
        difference: 0.275 - 0.276,
        status: "reproduced",
        note: "",
        rule: predictionIntervalRule(0.276, [0.27, 0.28]),
      },
      {
        metric: "rmse",
        published: "≈0.9 (read off a plot)",
        reproduced: 0.912,
        difference: null,
        status: "not-comparable",
        note: "the document reads RMSE off a plot",
        rule: notComparable("the document reads RMSE off a plot"),
      },
    ],
    timings_s: { load: 0.41, fit: 12.5 },
    environment: {
      deno: "2.9.6",
      v8: "15.0.245.2-rusty",
      typescript: "6.0.3",
      onnxruntime_web: "1.30.0",
      os: "linux x86_64",
      cpu_model: "AMD EPYC",
      cores: 2,
      git_commit: "879c3e7d39272fead4ea4ce1052482d76f8d31c3",
    },
  };
}
