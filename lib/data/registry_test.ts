import assert from "node:assert/strict";
import { UserError } from "../errors.ts";
import { getRelease, RELEASE_NAMES, RELEASES } from "./registry.ts";

Deno.test("RELEASES lists the eight known releases under their own names", () => {
  assert.deepEqual([...RELEASE_NAMES].sort(), [
    "ml-100k",
    "ml-10m",
    "ml-1m",
    "ml-20m",
    "ml-25m",
    "ml-32m",
    "ml-latest-small",
    "ml-latest-small-2016",
  ]);
  for (const name of RELEASE_NAMES) assert.equal(RELEASES[name].name, name);
});

Deno.test("RELEASES checksums are lower-case hex of the right length or null", () => {
  for (const r of Object.values(RELEASES)) {
    if (r.md5 !== null) assert.match(r.md5, /^[0-9a-f]{32}$/, r.name);
    if (r.sha256 !== null) assert.match(r.sha256, /^[0-9a-f]{64}$/, r.name);
    for (const [file, c] of Object.entries(r.members)) {
      assert.match(c.md5, /^[0-9a-f]{32}$/, `${r.name}/${file}`);
      if (c.sha256 !== undefined) {
        assert.match(c.sha256, /^[0-9a-f]{64}$/, `${r.name}/${file}`);
      }
      assert.ok(Number.isInteger(c.bytes) && c.bytes > 0);
    }
    assert.ok(r.ratingRange[0] < r.ratingRange[1]);
  }
});

Deno.test("RELEASES downloadable releases have an https URL ending in their archive name", () => {
  for (const r of Object.values(RELEASES)) {
    if (r.url === null) continue;
    assert.ok(
      r.url.startsWith("https://files.grouplens.org/datasets/movielens/"),
    );
    assert.ok(r.url.endsWith("/" + r.archive));
    assert.ok(r.md5 !== null, `${r.name} must have a published MD5`);
  }
});

Deno.test("RELEASES ml-latest-small-2016 is not downloadable and says why", () => {
  const r = RELEASES["ml-latest-small-2016"];
  assert.equal(r.url, null);
  assert.match(r.unavailable ?? "", /now serves the 2018 release/);
  assert.equal(r.md5, null);
  assert.ok(r.members["ratings.csv"]);
});

Deno.test("RELEASES carry the manifest's checksums for the shared data", () => {
  assert.equal(
    RELEASES["ml-latest-small"].md5,
    "31a303aabbc519bd33d025e44d6c2570",
  );
  assert.equal(RELEASES["ml-100k"].md5, "0e33842e24a9c977be4e0107933c0723");
  assert.equal(
    RELEASES["ml-100k"].members["u.data"].md5,
    "6e47046882bad158b0efbb84cd5cb987",
  );
  assert.equal(Object.keys(RELEASES["ml-100k"].members).length, 21);
  assert.equal(
    RELEASES["ml-latest-small-2016"].members["ratings.csv"].md5,
    "8864480f98416ccecaf17aa5263bbea1",
  );
  assert.equal(RELEASES["ml-10m"].folder, "ml-10M100K");
});

Deno.test("getRelease returns an entry and rejects an unknown name with the known list", () => {
  assert.equal(getRelease("ml-1m").format, "dat");
  assert.throws(
    () => getRelease("ml-2m"),
    (e: unknown) => e instanceof UserError && /ml-100k/.test(e.message),
  );
  assert.throws(() => getRelease("toString"), UserError);
});
