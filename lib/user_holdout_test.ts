import assert from "node:assert/strict";
import { RandomState } from "./rng.ts";
import {
  globalTimeSplit,
  leaveKOutPerUser,
  rowsByUser,
  temporalPerUser,
  timeQuantileCutoff,
} from "./user_holdout.ts";

const USERS = Int32Array.from([0, 1, 0, 2, 1, 0, 0, 1, 2, 0, 1, 1]);
const TIMES = Float64Array.from([50, 10, 20, 7, 30, 20, 90, 5, 3, 40, 60, 30]);

Deno.test("rowsByUser: stable grouping, and a bad user index rejected", () => {
  const g = rowsByUser(USERS, 3);
  assert.deepEqual([...g.start], [0, 5, 10, 12]);
  assert.deepEqual([...g.rows], [0, 2, 5, 6, 9, 1, 4, 7, 10, 11, 3, 8]);
  assert.throws(
    () => rowsByUser(Int32Array.from([0, 3]), 3),
    /row 1 has user 3/,
  );
});

/**
 * numpy 2.4: rs = RandomState(5); for u in 0, 1, 2: seg = rows of u in file
 * order; rs.shuffle(seg); test += seg[:2] if len(seg) >= 3 else nothing.
 */
Deno.test("leaveKOutPerUser: k 2 with RandomState(5) equals numpy's per-user shuffles", () => {
  const s = leaveKOutPerUser(USERS, 3, 2, new RandomState(5));
  assert.deepEqual([...s.train], [2, 5, 6, 11, 4, 1, 3, 8]);
  assert.deepEqual([...s.test], [9, 0, 10, 7]);
});

Deno.test("leaveKOutPerUser: leave-one-out holds one row of every user with >= 2 rows", () => {
  const s = leaveKOutPerUser(USERS, 3, 1, new RandomState(1));
  assert.deepEqual([...s.test].map((r) => USERS[r]), [0, 1, 2]);
  assert.equal(s.train.length + s.test.length, USERS.length);
  const strict = leaveKOutPerUser(USERS, 3, 1, new RandomState(1), {
    minTrain: 2,
  });
  assert.deepEqual([...strict.test].map((r) => USERS[r]), [0, 1]);
  assert.throws(() => leaveKOutPerUser(USERS, 3, 0, new RandomState(1)), /k 0/);
});

Deno.test("temporalPerUser: lastK holds each user's latest rows, ties in file order", () => {
  // user 0 rows by time: 2(20) 5(20) 9(40) 0(50) 6(90); user 1: 7(5) 1(10) 4(30) 11(30) 10(60); user 2: 8(3) 3(7)
  const s = temporalPerUser(USERS, 3, TIMES, { lastK: 2 });
  assert.deepEqual([...s.test], [0, 6, 11, 10]);
  assert.deepEqual([...s.train], [2, 5, 9, 7, 1, 4, 8, 3]);
  const one = temporalPerUser(USERS, 3, TIMES, { lastK: 1 });
  assert.deepEqual([...one.test], [6, 10, 3]);
});

Deno.test("temporalPerUser: fraction floors per user and keeps minTrain rows", () => {
  const s = temporalPerUser(USERS, 3, TIMES, { fraction: 0.5 });
  // floor(2.5) = 2, floor(2.5) = 2, floor(1) = 1
  assert.deepEqual([...s.test], [0, 6, 11, 10, 3]);
  const all = temporalPerUser(USERS, 3, TIMES, { fraction: 1, minTrain: 1 });
  assert.equal(all.train.length, 3);
  assert.throws(() => temporalPerUser(USERS, 3, TIMES, {}), /exactly one/);
  assert.throws(
    () => temporalPerUser(USERS, 3, TIMES, { fraction: 1.5 }),
    /fraction 1.5/,
  );
});

Deno.test("globalTimeSplit: rows before the cutoff train, the rest test, file order", () => {
  const s = globalTimeSplit(TIMES, 30);
  assert.deepEqual([...s.train], [1, 2, 3, 5, 7, 8]);
  assert.deepEqual([...s.test], [0, 4, 6, 9, 10, 11]);
});

Deno.test("timeQuantileCutoff: the latest fraction by time, ties all in test", () => {
  // sorted: 3 5 7 10 20 20 30 30 40 50 60 90
  assert.equal(timeQuantileCutoff(TIMES, 0.25), 50);
  assert.equal(timeQuantileCutoff(TIMES, 0.4), 30); // ceil(4.8) = 5 → sorted[7]
  assert.equal(globalTimeSplit(TIMES, 30).test.length, 6);
  assert.equal(timeQuantileCutoff(TIMES, 0), Infinity);
});
