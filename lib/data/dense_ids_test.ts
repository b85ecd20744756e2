import assert from "node:assert/strict";
import { denseIds } from "./dense_ids.ts";

Deno.test("denseIds assigns indices in ascending raw-id order, like np.unique", () => {
  const ids = new Int32Array([
    196,
    186,
    22,
    244,
    166,
    298,
    115,
    253,
    305,
    6,
    62,
    286,
    200,
    210,
    224,
    303,
    122,
    194,
    291,
    234,
    119,
    167,
    299,
    291,
    308,
    95,
    38,
    102,
    63,
    160,
    50,
    301,
    225,
    290,
    97,
    157,
    181,
    278,
    276,
    7,
    10,
    284,
    201,
    276,
    287,
    246,
    242,
    249,
    99,
    178,
    251,
    81,
    260,
    25,
    59,
    72,
    87,
    290,
    42,
    292,
    115,
    20,
    201,
    13,
    246,
    138,
    167,
    60,
    57,
    223,
    189,
    243,
    92,
    241,
    254,
    293,
    127,
    225,
    299,
    225,
    276,
    291,
    222,
    267,
    42,
    11,
    8,
    162,
    279,
    145,
    28,
    135,
    32,
    90,
    286,
    293,
    216,
    250,
    271,
    265,
  ]);
  const copy = ids.slice();
  const map = denseIds(ids, 308);
  const sortedUnique = [...new Set(copy)].sort((a, b) => a - b);
  assert.deepEqual([...map.raw], sortedUnique);
  for (let r = 0; r < ids.length; r++) {
    assert.equal(map.raw[ids[r]], copy[r]);
    assert.equal(map.toIndex.get(copy[r]), ids[r]);
  }
});

Deno.test("denseIds gives the same answer through the sort path for huge ids", () => {
  const small = new Int32Array([5, 3, 5, 9, 3]);
  const big = new Int32Array([
    2_000_000_005,
    2_000_000_003,
    2_000_000_005,
    2_000_000_009,
    2_000_000_003,
  ]);
  denseIds(small, 9);
  const map = denseIds(big, 2_000_000_009);
  assert.deepEqual([...big], [...small]);
  assert.deepEqual([...map.raw], [2_000_000_003, 2_000_000_005, 2_000_000_009]);
});

Deno.test("denseIds of an empty array is an empty map", () => {
  const map = denseIds(new Int32Array(0), -1);
  assert.equal(map.raw.length, 0);
  assert.equal(map.toIndex.size, 0);
});
