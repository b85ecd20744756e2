import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { compareResults } from "../lib/report/compare.ts";
import { readResults } from "../lib/report/results.ts";
import {
  experimentEntry,
  EXPERIMENTS,
  selectExperiments,
  tolerancesOf,
} from "./registry.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

Deno.test("EXPERIMENTS have unique names, existing scripts and deno.json tasks that run them", async () => {
  const names = EXPERIMENTS.map((e) => e.name);
  assert.equal(new Set(names).size, names.length);
  const tasks = JSON.parse(await Deno.readTextFile(join(ROOT, "deno.json")))
    .tasks as Record<string, string>;
  for (const e of EXPERIMENTS) {
    assert.match(e.name, /^[a-z0-9][a-z0-9_-]*$/);
    assert.ok((await Deno.stat(join(ROOT, e.script))).isFile, e.script);
    assert.ok(Object.hasOwn(tasks, e.task), `deno.json has no task ${e.task}`);
    assert.ok(
      tasks[e.task].endsWith(` ${e.script}`),
      `task ${e.task} runs ${tasks[e.task]}, not ${e.script}`,
    );
    assert.ok(e.tolerances.why.length > 40, `${e.name}: say why`);
    assert.equal(typeof (await e.load()).main, "function");
  }
});

Deno.test("EXPERIMENTS tolerances name only metrics of the pinned results and are usable by compareResults", async () => {
  for (const e of EXPERIMENTS) {
    const pinned = await readResults(join(ROOT, "reports", `${e.name}.json`));
    const rows = compareResults(pinned, pinned, tolerancesOf(e.name));
    assert.ok(rows.length > 0 && rows.every((r) => r.ok), e.name);
  }
});

Deno.test("selectExperiments keeps registry order and rejects unknown names naming the known ones", () => {
  assert.deepEqual(
    selectExperiments().map((e) => e.name),
    EXPERIMENTS.map((e) => e.name),
  );
  const last = EXPERIMENTS.at(-1)!.name;
  const first = EXPERIMENTS[0].name;
  assert.deepEqual(selectExperiments(`${last},${first}`).map((e) => e.name), [
    first,
    last,
  ]);
  assert.throws(
    () => selectExperiments("nope"),
    /--only: no experiment "nope" \(known: .*als/,
  );
  assert.throws(() => selectExperiments(","), /no experiment named/);
  assert.throws(() => experimentEntry("nope"), /no experiment "nope"/);
});
