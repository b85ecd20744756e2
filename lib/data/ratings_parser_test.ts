import assert from "node:assert/strict";
import { DataError } from "./data_error.ts";
import {
  parseRatings,
  RatingsParser,
  type RatingsParserOptions,
} from "./ratings_parser.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const CSV: RatingsParserOptions = {
  file: "r.csv",
  separator: "csv",
  header: "required",
  ratingRange: [0.5, 5],
};
const USER: RatingsParserOptions = {
  file: "mine.csv",
  separator: "csv",
  header: "optional",
  requireTimestamp: false,
  ratingRange: [0, 10],
};

/** Asserts that parsing `text` throws a DataError at `file:line` whose message matches `re`. */
function assertBad(
  text: string,
  options: RatingsParserOptions,
  line: number | undefined,
  re: RegExp,
) {
  assert.throws(() => parseRatings(enc(text), options), (e: unknown) => {
    assert.ok(e instanceof DataError, String(e));
    assert.equal(e.file, options.file);
    assert.equal(e.line, line, e.message);
    assert.match(e.message, re);
    return true;
  });
}

Deno.test("parseRatings reads u.data (tab-separated, no header)", () => {
  const raw = parseRatings(
    enc("196\t242\t3\t881250949\n186\t302\t3\t891717742\n"),
    {
      file: "u.data",
      separator: "tab",
      header: "none",
      ratingRange: [1, 5],
    },
  );
  assert.equal(raw.n, 2);
  assert.deepEqual([...raw.users], [196, 186]);
  assert.deepEqual([...raw.items], [242, 302]);
  assert.deepEqual([...raw.ratings], [3, 3]);
  assert.deepEqual([...raw.timestamps], [881250949, 891717742]);
  assert.equal(raw.maxUser, 196);
  assert.equal(raw.maxItem, 302);
});

Deno.test("parseRatings with keepTimestamps false checks the timestamps but stores none", () => {
  const opts = {
    file: "u.data",
    separator: "tab" as const,
    header: "none" as const,
    ratingRange: [1, 5] as const,
  };
  // Enough rows to grow the arrays past their first capacity (65,536).
  const text = Array.from(
    { length: 70_000 },
    (_, r) => `${r}\t${r % 7}\t3\t${r}\n`,
  )
    .join("");
  const full = parseRatings(enc(text), opts);
  const lean = parseRatings(enc(text), { ...opts, keepTimestamps: false });
  assert.equal(lean.n, 70_000);
  assert.equal(lean.timestamps.length, 0);
  assert.equal(full.timestamps[69_999], 69_999);
  assert.deepEqual(lean.users, full.users);
  assert.deepEqual(lean.items, full.items);
  assert.deepEqual(lean.ratings, full.ratings);
  // Still checked: a malformed timestamp is an error either way.
  assert.throws(
    () =>
      parseRatings(enc("1\t2\t3\t4.5\n"), { ...opts, keepTimestamps: false }),
    /u\.data/,
  );
});

Deno.test("parseRatings reads ratings.dat ('::'-separated)", () => {
  const raw = parseRatings(
    enc("1::1193::5::978300760\n1::661::3::978302109\n10::2::4.5::1\n"),
    {
      file: "ratings.dat",
      separator: "dat",
      header: "none",
      ratingRange: [0.5, 5],
    },
  );
  assert.deepEqual([...raw.users], [1, 1, 10]);
  assert.deepEqual([...raw.items], [1193, 661, 2]);
  assert.deepEqual([...raw.ratings], [5, 3, 4.5]);
});

Deno.test("parseRatings reads CSV with header, CRLF and LF alike, and a last line without newline", () => {
  const lf =
    "userId,movieId,rating,timestamp\n1,1,4.0,964982703\n1,3,0.5,964981247\n2,50,5,1";
  const a = parseRatings(enc(lf), CSV);
  const b = parseRatings(enc(lf.replaceAll("\n", "\r\n") + "\r\n"), CSV);
  for (const raw of [a, b]) {
    assert.equal(raw.n, 3);
    assert.deepEqual([...raw.ratings], [4, 0.5, 5]);
    assert.deepEqual([...raw.timestamps], [964982703, 964981247, 1]);
    assert.ok(raw.allTimestamps);
  }
});

Deno.test("RatingsParser gives the same rows whatever the chunk boundaries", () => {
  const text =
    "userId,movieId,rating,timestamp\r\n1,31,2.5,1260759144\r\n\r\n1,1029,3.0,1260759179\r\n" +
    "7,1061,3.5,1260759182\r\n671,6565,3.5,1074784724\r\n";
  const whole = parseRatings(enc(text), CSV);
  for (const size of [1, 2, 3, 5, 7, 13]) {
    const p = new RatingsParser(CSV);
    const bytes = enc(text);
    for (let at = 0; at < bytes.length; at += size) {
      p.push(bytes.subarray(at, at + size));
    }
    const raw = p.finish();
    assert.deepEqual([...raw.users], [...whole.users], `chunk ${size}`);
    assert.deepEqual([...raw.items], [...whole.items], `chunk ${size}`);
    assert.deepEqual([...raw.ratings], [...whole.ratings], `chunk ${size}`);
    assert.deepEqual(
      [...raw.timestamps],
      [...whole.timestamps],
      `chunk ${size}`,
    );
  }
  const dat = enc("1::1193::5::978300760\n2::661::3::978302109\n");
  const p = new RatingsParser({
    file: "d",
    separator: "dat",
    header: "none",
    ratingRange: [1, 5],
  });
  for (let at = 0; at < dat.length; at++) p.push(dat.subarray(at, at + 1));
  assert.deepEqual([...p.finish().items], [1193, 661]);
});

Deno.test("RatingsParser grows past its initial capacity and sizes from expectedBytes", () => {
  const rows = 200_000;
  let text = "userId,movieId,rating,timestamp\n";
  for (let r = 0; r < rows; r++) {
    text += `${r % 997},${r % 1013},${1 + (r % 9) / 2},${r}\n`;
  }
  const bytes = enc(text);
  for (const expectedBytes of [undefined, bytes.length, 10]) {
    const p = new RatingsParser({ ...CSV, expectedBytes });
    for (let at = 0; at < bytes.length; at += 65536) {
      p.push(bytes.subarray(at, at + 65536));
    }
    const raw = p.finish();
    assert.equal(raw.n, rows);
    assert.equal(raw.users.length, rows);
    assert.equal(raw.timestamps[rows - 1], rows - 1);
    assert.equal(raw.ratings[rows - 1], 1 + ((rows - 1) % 9) / 2);
  }
});

Deno.test("parseRatings reads a user's CSV with or without header and timestamps", () => {
  const a = parseRatings(enc("user,item,rating\n5,7,8\n6,7,9.5\n"), USER);
  const b = parseRatings(enc("5,7,8\n6,7,9.5,123\n"), USER);
  assert.deepEqual([...a.ratings], [8, 9.5]);
  assert.deepEqual([...b.ratings], [8, 9.5]);
  assert.deepEqual([...a.timestamps], [0, 0]);
  assert.deepEqual([...b.timestamps], [0, 123]);
  assert.equal(a.allTimestamps, false);
  const bom = parseRatings(enc("\ufeff5,7,8\n"), USER);
  assert.equal(bom.users[0], 5);
});

Deno.test("parseRatings error: a row with a missing field names file and line", () => {
  assertBad(
    "userId,movieId,rating,timestamp\n1,2,3.0,4\n1,2\n",
    CSV,
    3,
    /missing field rating/,
  );
  assertBad(
    "userId,movieId,rating,timestamp\n1,2,3.0\n",
    CSV,
    2,
    /missing field timestamp/,
  );
  assertBad("1,2\n", USER, 1, /missing field rating/);
});

Deno.test("parseRatings error: a non-numeric rating names file, line and column", () => {
  assertBad(
    "userId,movieId,rating,timestamp\n1,2,3.0,4\n\n1,2,abc,4\n",
    CSV,
    4,
    /rating is not a number: a character other than a digit at column 5/,
  );
  assertBad(
    "1\t2\tNaN\t4\n",
    { ...CSV, file: "u.data", separator: "tab", header: "none" },
    1,
    /rating is not a number/,
  );
});

Deno.test("parseRatings error: an out-of-range rating names the range", () => {
  assertBad(
    "userId,movieId,rating,timestamp\n1,2,5.5,4\n",
    CSV,
    2,
    /rating 5.5 is outside the valid range \[0.5, 5\]/,
  );
  assertBad("userId,movieId,rating,timestamp\n1,2,0,4\n", CSV, 2, /outside/);
  assertBad(
    "1,2,-1\n",
    USER,
    1,
    /rating -1 is outside the valid range \[0, 10\]/,
  );
  assertBad("1,2,11\n", USER, 1, /outside/);
});

Deno.test("parseRatings error: a non-integer or negative id names the field", () => {
  assertBad(
    "1.5,2,3\n",
    USER,
    1,
    /user id is not a non-negative integer: a decimal point at column 2/,
  );
  assertBad("1,x2,3\n", USER, 1, /item id is not a non-negative integer/);
  assertBad(
    "1,-2,3\n",
    USER,
    1,
    /item id is not a non-negative integer: a minus sign/,
  );
  assertBad(
    "1,2,3\n99999999999,2,3\n",
    USER,
    2,
    /user id 99999999999 is too large/,
  );
  assertBad(
    "1,2,3,4.5\n",
    USER,
    1,
    /timestamp is not a non-negative integer: a decimal point/,
  );
});

Deno.test("parseRatings error: too many fields, stray CR, bad '::'", () => {
  assertBad("1,2,3,4,5\n", USER, 1, /too many fields/);
  assertBad("1,2,3\r5\n", USER, 1, /carriage return/);
  assertBad(
    "1::2:3::4\n",
    { ...CSV, file: "r.dat", separator: "dat", header: "none" },
    1,
    /./,
  );
  assertBad("1,2, 3\n", USER, 1, /rating is not a number: a space at column 5/);
});

Deno.test("parseRatings error: an empty file, a header-only file, data where a header belongs", () => {
  assertBad("", CSV, undefined, /empty file/);
  assertBad(
    "userId,movieId,rating,timestamp\r\n",
    CSV,
    undefined,
    /no rating rows/,
  );
  assertBad("\n\n", USER, undefined, /no rating rows/);
  assertBad("1,2,3.0,4\n", CSV, 1, /expected a header line/);
});

Deno.test("RatingsParser reports the right line number when the bad line straddles chunks", () => {
  const bytes = enc(
    "userId,movieId,rating,timestamp\n1,2,3.0,4\n1,2,3.0,5\n1,2,9.0,6\n",
  );
  const p = new RatingsParser(CSV);
  p.push(bytes.subarray(0, 60));
  assert.throws(() => p.push(bytes.subarray(60)), (e: unknown) => {
    assert.ok(e instanceof DataError);
    assert.equal(e.line, 4);
    assert.match(e.message, /rating 9.0 is outside/);
    return true;
  });
});

/** Asserts that `message` quotes none of the words of `text`. */
function assertNoEcho(message: string, text: string) {
  for (const word of text.split(/[^A-Za-z]+/).filter((w) => w.length >= 3)) {
    assert.ok(!message.includes(word), `"${word}" echoed in: ${message}`);
  }
}

Deno.test("parseRatings error: messages never quote the file's text", () => {
  const passwd = "root:x:0:0:root:/root:/bin/bash\n" +
    "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n";
  for (
    const text of [
      passwd,
      "1,2,3\nsecret password here\n",
      "1,2,3\n4,5,hunter2\n",
      "1,2,3\n4,abc,5\n",
      "1,2,3,4,secretword\n",
      "1,2\tsecretword\n",
    ]
  ) {
    assert.throws(() => parseRatings(enc(text), USER), (e: unknown) => {
      assert.ok(e instanceof DataError, String(e));
      assertNoEcho(e.message, text.replace(/^\d[\d,]*\n/, ""));
      return true;
    });
  }
});

Deno.test("parseRatings header: a header naming columns out of order is refused, never read transposed", () => {
  assertBad(
    "movieId,userId,rating,timestamp\n31,1,2.5,1260759144\n",
    CSV,
    1,
    /header column 1 is "movieid", the item column, where the user column belongs/,
  );
  assertBad(
    "item_id,user_id,rating\n31,1,2.5\n",
    USER,
    1,
    /header column 1 .* item column/,
  );
  assertBad(
    "userId,movieId,timestamp,rating\n1,31,1260759144,2.5\n",
    CSV,
    1,
    /header column 3 is "timestamp"/,
  );
  assertBad("userId,movieId,rating\n1,31,2.5\n", CSV, 1, /3 columns/);
  assertBad("a,b,c\n1,2,3\n", USER, 1, /column 1 is not a known column name/);
  assertBad(
    "userId,movieId,rating,timestamp,extra\n1,2,3,4\n",
    CSV,
    1,
    /column 5 is not a known/,
  );
});

Deno.test("parseRatings header: known aliases in the read order are accepted, whatever the case or quotes", () => {
  for (
    const header of [
      "userId,movieId,rating,timestamp",
      "USER_ID,ITEM_ID,Rating,TimeStamp",
      '"user","item","rating","timestamp"',
      "user , movie_id , rating , timestamp",
    ]
  ) {
    const raw = parseRatings(enc(`${header}\r\n7,31,2.5,99\r\n`), CSV);
    assert.deepEqual([raw.users[0], raw.items[0], raw.ratings[0]], [
      7,
      31,
      2.5,
    ]);
  }
  const three = parseRatings(enc("userid,itemid,rating\n7,31,2\n"), USER);
  assert.equal(three.items[0], 31);
});

Deno.test("parseRatings header: a header split over chunks is still checked", () => {
  const bytes = enc("movieId,userId,rating,timestamp\n31,1,2.5,4\n");
  const p = new RatingsParser(CSV);
  p.push(bytes.subarray(0, 5));
  assert.throws(() => p.push(bytes.subarray(5)), /header column 1/);
  const bad = new RatingsParser(CSV);
  assert.throws(() => {
    bad.push(enc("user,item,rating,timestamp"));
    bad.push(enc(",x\n1,2,3,4\n"));
  }, /column 5 is not a known/);
});

Deno.test("parseRatings header: an overlong or non-UTF-8 header is refused", () => {
  assertBad("u" + "x".repeat(5000) + "\n1,2,3\n", USER, 1, /longer than 1024/);
  const bytes = new Uint8Array([
    ...enc("user,item,rat"),
    0xff,
    ...enc("\n1,2,3\n"),
  ]);
  assert.throws(
    () => parseRatings(bytes, USER),
    /header line is not valid UTF-8/,
  );
});

Deno.test("RatingsParser bounds memory: a row limit, a capped pre-sizing, a long digit run stops early", () => {
  assertBad(
    "1,2,3\n1,3,3\n1,4,3\n",
    { ...USER, maxRows: 2 },
    3,
    /more than 2 rating rows/,
  );
  assert.equal(
    parseRatings(enc("1,2,3\n1,3,3\n"), { ...USER, maxRows: 2 }).n,
    2,
  );
  // A huge declared size must not pre-allocate beyond the row limit.
  const p = new RatingsParser({ ...USER, expectedBytes: 1e13, maxRows: 1000 });
  p.push(enc("1,2,3\n"));
  assert.equal(p.finish().n, 1);
  // A line of digits without end fails on its 16th digit, not at the line end.
  const q = new RatingsParser(USER);
  assert.throws(() => q.push(enc("1".repeat(20))), /more than 15 digits/);
});
