import assert from "node:assert/strict";
import { DataError } from "./data_error.ts";
import {
  csvRecords,
  decodeText,
  parseMoviesCsv,
  parseMoviesDat,
  parseUGenre,
  parseUItem,
  yearOf,
} from "./item_metadata.ts";

const isDataErrorAt =
  (line: number | undefined, re: RegExp) => (e: unknown) => {
    assert.ok(e instanceof DataError, String(e));
    assert.equal(e.line, line, e.message);
    assert.match(e.message, re);
    return true;
  };

Deno.test("yearOf reads '(1994)' from a title, else the release date", () => {
  assert.equal(yearOf("Forrest Gump (1994)"), 1994);
  assert.equal(yearOf("Babylon 5 (1993–1998) "), 1993);
  assert.equal(yearOf("Misérables, Les (1995)", "01-Jan-1995"), 1995);
  assert.equal(yearOf("unknown", "01-Jan-1996"), 1996);
  assert.equal(yearOf("Hyena Road"), undefined);
  assert.equal(yearOf("unknown", ""), undefined);
});

Deno.test("csvRecords handles quoted commas, doubled quotes, CRLF and quoted newlines", () => {
  const text = 'a,b\r\n"x, y","say ""hi"""\r\n"multi\nline",z\n\nlast,';
  const got = [...csvRecords(text, "t.csv")].map((r) => [r.line, r.fields]);
  assert.deepEqual(got, [
    [1, ["a", "b"]],
    [2, ["x, y", 'say "hi"']],
    [3, ["multi\nline", "z"]],
    [6, ["last", ""]],
  ]);
  assert.throws(
    () => [...csvRecords('a\n"open,1\n', "t.csv")],
    isDataErrorAt(2, /unterminated/),
  );
  assert.throws(
    () => [...csvRecords('"a"b\n', "t.csv")],
    isDataErrorAt(1, /after a closing quote/),
  );
});

Deno.test("parseMoviesCsv reads titles with commas and quotes, genres, years, no-genre items", () => {
  const text = "movieId,title,genres\r\n" +
    '11,"American President, The (1995)",Comedy|Drama|Romance\r\n' +
    '7789,"11\'09""01 - September 11 (2002)",Drama\r\n' +
    "114335,La cravate (1957),(no genres listed)\r\n" +
    "356,Forrest Gump (1994),Comedy|Drama|Romance|War\r\n";
  const m = parseMoviesCsv(text, "movies.csv");
  assert.equal(m.size, 4);
  assert.deepEqual(m.get(11), {
    title: "American President, The (1995)",
    genres: ["Comedy", "Drama", "Romance"],
    year: 1995,
  });
  assert.equal(m.get(7789)?.title, "11'09\"01 - September 11 (2002)");
  assert.deepEqual(m.get(114335)?.genres, []);
  assert.equal(m.get(356)?.year, 1994);
});

Deno.test("parseMoviesCsv errors name file and line", () => {
  assert.throws(
    () => parseMoviesCsv("id,name\n1,x,y\n", "m.csv"),
    isDataErrorAt(1, /header/),
  );
  assert.throws(
    () => parseMoviesCsv("movieId,title,genres\n1,x\n", "m.csv"),
    isDataErrorAt(2, /3 fields/),
  );
  assert.throws(
    () => parseMoviesCsv("movieId,title,genres\nx1,t,g\n", "m.csv"),
    isDataErrorAt(2, /item id is not a non-negative integer$/),
  );
  assert.throws(
    () => parseMoviesCsv("movieId,title,genres\n1,a,g\n1,b,g\n", "m.csv"),
    isDataErrorAt(3, /twice/),
  );
  assert.throws(
    () => parseMoviesCsv("", "m.csv"),
    isDataErrorAt(undefined, /empty/),
  );
});

Deno.test("parseUItem decodes Latin-1 titles and names genre flags from u.genre", () => {
  const genres = parseUGenre("unknown|0\nAction|1\nDrama|2\n\n", "u.genre");
  assert.deepEqual(genres, ["unknown", "Action", "Drama"]);
  // "Misérables" with é as the single Latin-1 byte 0xE9, as in ML-100K's u.item.
  const bytes = new Uint8Array([
    ...new TextEncoder().encode("543|Mis"),
    0xe9,
    ...new TextEncoder().encode(
      "rables, Les (1995)|01-Jan-1995||http://x|0|0|1\n267|unknown||||1|0|0\n",
    ),
  ]);
  const m = parseUItem(decodeText(bytes, "latin1"), genres, "u.item");
  assert.deepEqual(m.get(543), {
    title: "Misérables, Les (1995)",
    genres: ["Drama"],
    year: 1995,
  });
  assert.deepEqual(m.get(267), { title: "unknown", genres: ["unknown"] });
  assert.throws(
    () => parseUItem("1|t|d||u|0|0\n", genres, "u.item"),
    isDataErrorAt(1, /expected 8/),
  );
  assert.throws(
    () => parseUItem("1|t|d||u|0|2|0\n", genres, "u.item"),
    isDataErrorAt(1, /not 0 or 1/),
  );
  assert.throws(
    () => parseUGenre("Action|1\n", "u.genre"),
    isDataErrorAt(undefined, /index 0 is missing/),
  );
});

Deno.test("parseMoviesDat reads '::' rows and Latin-1 text", () => {
  const bytes = new Uint8Array([
    ...new TextEncoder().encode(
      "1::Toy Story (1995)::Animation|Children's|Comedy\r\n2::Caf",
    ),
    0xe9,
    ...new TextEncoder().encode(" Society (1998)::Drama\r\n"),
  ]);
  const m = parseMoviesDat(decodeText(bytes, "latin1"), "movies.dat");
  assert.deepEqual(m.get(1), {
    title: "Toy Story (1995)",
    genres: ["Animation", "Children's", "Comedy"],
    year: 1995,
  });
  assert.equal(m.get(2)?.title, "Café Society (1998)");
  assert.equal(decodeText(bytes, "auto"), decodeText(bytes, "latin1"));
  assert.equal(decodeText(new TextEncoder().encode("Café"), "auto"), "Café");
  assert.throws(
    () => parseMoviesDat("1::x\n2:y:z\n", "movies.dat"),
    isDataErrorAt(1, /MovieID::Title::Genres/),
  );
});
