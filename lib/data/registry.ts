/**
 * The MovieLens releases this project knows: where GroupLens publishes each
 * archive, its published checksum, what is inside, how its ratings are
 * written, and per-file checksums so an unpacked folder can be verified too.
 *
 * Archive MD5s are the ones GroupLens publishes beside each archive
 * (`<archive>.zip.md5`); per-file checksums come from the `MANIFEST.md` of the
 * offline copies this project was built with (byte-for-byte copies of the
 * GroupLens distributions). Archive sizes are those of the offline copies
 * (ml-100k, ml-latest-small) or the `Content-Length` files.grouplens.org
 * serves (the others); the loader refuses a file named like an archive whose
 * size differs before reading it, and every member's size before inflating.
 *
 * @module
 */

import { UserError } from "../errors.ts";

/** Names of the known releases. */
export type ReleaseName =
  | "ml-100k"
  | "ml-latest-small"
  | "ml-latest-small-2016"
  | "ml-1m"
  | "ml-10m"
  | "ml-20m"
  | "ml-25m"
  | "ml-32m";

/**
 * How a ratings file is written:
 * - `tab`: `user<TAB>item<TAB>rating<TAB>timestamp`, no header (ML-100K `u.data`);
 * - `dat`: `user::item::rating::timestamp`, no header (ML-1M, ML-10M `ratings.dat`);
 * - `csv`: header `userId,movieId,rating,timestamp`, then comma-separated rows.
 */
export type RatingsFormat = "tab" | "dat" | "csv";

/** How the item metadata file is written (see `item_metadata.ts`). */
export type ItemsFormat = "u.item" | "movies.dat" | "movies.csv";

/** Text encoding of the item metadata file; `auto` tries UTF-8, then Latin-1. */
export type TextEncoding = "utf-8" | "latin1" | "auto";

/** Checksums of one file of a release (as unpacked), when known. */
export interface MemberChecksum {
  /** Size in bytes. */
  readonly bytes: number;
  /** Lower-case hex MD5. */
  readonly md5: string;
  /** Lower-case hex SHA-256, when known. */
  readonly sha256?: string;
}

/** Distinct counts expected in the release's ratings (and item) files. */
export interface ReleaseCounts {
  /** Distinct users in the ratings file. */
  readonly users?: number;
  /** Distinct items in the ratings file (rated at least once). */
  readonly items?: number;
  /** Rating rows. */
  readonly ratings?: number;
  /** Titles in the item metadata file (includes unrated items). */
  readonly titles?: number;
}

/** Everything the loader needs to know about one release. */
export interface MovieLensRelease {
  /** Release name, e.g. `ml-100k`. */
  readonly name: ReleaseName;
  /** One-line description (size and generation date). */
  readonly description: string;
  /** Official download URL, or null when GroupLens no longer serves this release. */
  readonly url: string | null;
  /** Why `url` is null, told to the user with a request for a local copy. */
  readonly unavailable?: string;
  /** File name of the official archive, e.g. `ml-100k.zip`. */
  readonly archive: string;
  /** Folder holding the files inside the archive, e.g. `ml-10M100K`. */
  readonly folder: string;
  /** Folder names to look for in a local data directory, most specific first. */
  readonly localFolders: readonly string[];
  /** Published MD5 of the archive (lower-case hex), or null when none is known. */
  readonly md5: string | null;
  /** SHA-256 of the archive, or null when none is known. */
  readonly sha256: string | null;
  /** Size of the archive in bytes, when known (checked before reading it). */
  readonly archiveBytes?: number;
  /** Where `md5` comes from. */
  readonly checksumSource: string;
  /** Layout of the ratings file. */
  readonly format: RatingsFormat;
  /** Ratings file name inside `folder`. */
  readonly ratingsFile: string;
  /** Item metadata file name inside `folder`. */
  readonly itemsFile: string;
  /** Layout of the item metadata file. */
  readonly itemsFormat: ItemsFormat;
  /** Genre-name file (ML-100K `u.genre`), when genres are flags. */
  readonly genresFile?: string;
  /** Text encoding of the item metadata file. */
  readonly itemsEncoding: TextEncoding;
  /** Inclusive [min, max] of valid ratings, in stars. */
  readonly ratingRange: readonly [number, number];
  /** Published sizes of the release. */
  readonly counts: ReleaseCounts;
  /** Checksums of the unpacked files by name (inside `folder`), where known. */
  readonly members: Readonly<Record<string, MemberChecksum>>;
}

const BASE = "https://files.grouplens.org/datasets/movielens/";
const PUBLISHED = "GroupLens' published <archive>.zip.md5";

const ML_100K_MEMBERS: Record<string, MemberChecksum> = {
  "README": m(
    6750,
    "364aae5a5037ed015864d55c04f1f476",
    "4883b8cf340ed0059971b33f56ad3adc88a40792108ebca3d24aafc4c82e8b52",
  ),
  "u.data": m(
    1979173,
    "6e47046882bad158b0efbb84cd5cb987",
    "06416e597f82b7342361e41163890c81036900f418ad91315590814211dca490",
  ),
  "u.genre": m(
    202,
    "a7578bdb37758741ae9429d2c736af18",
    "9757e0d3e6b298159a80dd48eaf938114690e911e39af97a76949ef1663610bb",
  ),
  "u.info": m(
    36,
    "6cae0afd8c0341aff31b631a192e57e6",
    "5b0a40b2e47a729ee6203063f6dcf8790c2e63f5a18663e6ee318a72c5f3c27b",
  ),
  "u.item": m(
    236344,
    "c9e7f390115d79079537301d5204f3f7",
    "553841ebc7de3a0fd0d6b62a204ea30c1e651aacfb2814c7a6584ac52f2c5701",
  ),
  "u.occupation": m(
    193,
    "035abaa2165f35cebce4b91e03481e0a",
    "cd5fbec9afe345d993a62fc7817df1a4a9079c4feb267b3118763b8fd942137d",
  ),
  "u.user": m(
    22628,
    "1b53539edc13caad0282c8500608a319",
    "f120e114da2e8cf314fd28f99417c94ae9ddf1cb6db8ce0e4b5995d40e90e62c",
  ),
  "u1.base": m(
    1586544,
    "4325f44281c9f8c119a3694662d63fc2",
    "ce253ec86c448b44fb3ba9a30d12dcfc2e9210cbde71efada3730c22e9ac212a",
  ),
  "u1.test": m(
    392629,
    "62d5d837e7c8e36550cc956b09c2ecc8",
    "18c6014a4b2c7324f250a63f8904a7b16b2b19f911129e346141507b0cbac950",
  ),
  "u2.base": m(
    1583948,
    "79541afecccbd5365bb2c09b123a01c7",
    "6c06f0b5df4b256da1a994f3ac66edc8da4d3f09bc9282df6b14d893366d703e",
  ),
  "u2.test": m(
    395225,
    "1951a71b7e1f4ed254508007fa2f6b70",
    "4de658d1e04ed9104629509a2e2528fce833ac8e048280183f1df167632038c3",
  ),
  "u3.base": m(
    1582546,
    "55c67a63f516fa9e593d68c3be779970",
    "afdc155c291c6edc41c0407e39d7462eb98d341e064f0b0a12175b80b3c4af5d",
  ),
  "u3.test": m(
    396627,
    "cb3e4d0a9152041772285232ca002d4f",
    "0f548b51c78327de4c156461d3e430b7e5579fe2b5681586a59416e48fd35f6d",
  ),
  "u4.base": m(
    1581878,
    "66f64a75eeeffd20ff09533bcd31adcf",
    "219f0f4d40dfe9c5141d425f53fa91ee23ed275f14e280bbf1b50117afb064ca",
  ),
  "u4.test": m(
    397295,
    "328acfca94e85d01b1d7e92c7d73df3b",
    "7c02ad0a1e7ab1083c8b9d4b627203a051dd7b5eab46d99fa44de33470de8db9",
  ),
  "u5.base": m(
    1581776,
    "0becb3392339231c08ba316944c79095",
    "a9574e59ce961eec2121627760b6e9b0974ce1637b3fe69ac32cb14a4bfab485",
  ),
  "u5.test": m(
    397397,
    "bec898f7091dba3b7bdf793d1998d2d6",
    "351cc52e0d15b6c721466276fc24671d40936899e3d01fadeaf312915b8c5634",
  ),
  "ua.base": m(
    1792501,
    "346eb46a756be3b382bdef4f7dcf3a01",
    "67b5bcdb380c29f85d56a012ecd88612ae020f30a6730d117a334ee8203b91f2",
  ),
  "ua.test": m(
    186672,
    "52e5d0355092dc1596899855b220508f",
    "d0497e202417720f57a184ec8c66be2d1afa4ff41bb53787c57b28d6bf79bc42",
  ),
  "ub.base": m(
    1792476,
    "e4ce94f6e01e45f65b91a70bb9e8da2f",
    "237254d253b6ad7de84f919d041055428646254f34ed8f562703c899430cd881",
  ),
  "ub.test": m(
    186697,
    "5292d1e388d156aa0c19c384cdf35aca",
    "d54a72d05730d5892062734b2bec73e976f9b713d18c828a18b968d6cce442da",
  ),
};

const ML_LATEST_SMALL_2018_MEMBERS: Record<string, MemberChecksum> = {
  "README.txt": m(8342, "9bc20a696092024abe52696ee6c5837f"),
  "links.csv": m(197979, "316913f95cdad64c745ca22f3630e230"),
  "movies.csv": m(494431, "ed94fab72b62442ef8150d9446e000d6"),
  "ratings.csv": m(2483723, "325a6f09399d1c45671f187505e1a100"),
  "tags.csv": m(118660, "1b2d21a7be1cc23d327b11155a4a6aea"),
};

const ML_LATEST_SMALL_2016_MEMBERS: Record<string, MemberChecksum> = {
  "README.txt": m(
    8364,
    "af8873884f7e6967abd586cb7c148f08",
    "59be481ddf3fab0f9f7cf2f73e0db4d0920a413a313c911b62bd01ee8816ea2f",
  ),
  "links.csv": m(
    183372,
    "917eddf52079d6ce5c6cfd63b17515f7",
    "772cb400f68f03cc61b112a544601d25571b168788dab7dc96f462d93059c49f",
  ),
  "movies.csv": m(
    458390,
    "0509b8c989cd5efd1102ef50a51b20a8",
    "a87480009b75ecd8d1e8f70700c534b6aefd57eed31b087ce8268ef6061a166c",
  ),
  "ratings.csv": m(
    2438266,
    "8864480f98416ccecaf17aa5263bbea1",
    "821795331fd974bbe7a8416f2a7eec2b548a485dedb47a073580b0a9a8a0a8d2",
  ),
  "tags.csv": m(
    41902,
    "ad39013860cfa6f3e5910a23185262aa",
    "e0659bc6a79fb226cfaaedb9bc022fa611337d273badcc18325bebdc26a5e442",
  ),
};

const CSV_RELEASE = {
  format: "csv",
  ratingsFile: "ratings.csv",
  itemsFile: "movies.csv",
  itemsFormat: "movies.csv",
  itemsEncoding: "utf-8",
  ratingRange: [0.5, 5],
} as const;

/** Every known release, by name. */
export const RELEASES: Readonly<Record<ReleaseName, MovieLensRelease>> = {
  "ml-100k": {
    name: "ml-100k",
    description:
      "MovieLens 100K (1998): 100,000 ratings, 1–5 stars, 943 users, 1,682 movies",
    url: BASE + "ml-100k.zip",
    archive: "ml-100k.zip",
    folder: "ml-100k",
    localFolders: ["ml-100k"],
    md5: "0e33842e24a9c977be4e0107933c0723",
    sha256: "50d2a982c66986937beb9ffb3aa76efe955bf3d5c6b761f4e3a7cd717c6a3229",
    archiveBytes: 4924029,
    checksumSource: PUBLISHED,
    format: "tab",
    ratingsFile: "u.data",
    itemsFile: "u.item",
    itemsFormat: "u.item",
    genresFile: "u.genre",
    itemsEncoding: "latin1",
    ratingRange: [1, 5],
    counts: { users: 943, items: 1682, ratings: 100000, titles: 1682 },
    members: ML_100K_MEMBERS,
  },
  "ml-latest-small": {
    name: "ml-latest-small",
    description:
      "MovieLens latest-small, generated 2018-09-26: 100,836 ratings, 0.5–5 stars, 610 users",
    url: BASE + "ml-latest-small.zip",
    archive: "ml-latest-small.zip",
    folder: "ml-latest-small",
    localFolders: ["ml-latest-small"],
    md5: "31a303aabbc519bd33d025e44d6c2570",
    sha256: "696d65a3dfceac7c45750ad32df2c259311949efec81f0f144fdfb91ebc9e436",
    archiveBytes: 978202,
    checksumSource: PUBLISHED,
    ...CSV_RELEASE,
    counts: { users: 610, items: 9724, ratings: 100836, titles: 9742 },
    members: ML_LATEST_SMALL_2018_MEMBERS,
  },
  "ml-latest-small-2016": {
    name: "ml-latest-small-2016",
    description:
      "MovieLens latest-small, generated 2016-10-17 (superseded): 100,004 ratings, 671 users",
    url: null,
    unavailable:
      "GroupLens no longer serves the 2016 ml-latest-small: its URL " +
      BASE +
      "ml-latest-small.zip now serves the 2018 release, and no checksum of the 2016 archive is published",
    archive: "ml-latest-small-2016.zip",
    folder: "ml-latest-small",
    localFolders: ["ml-latest-small-2016"],
    md5: null,
    sha256: null,
    checksumSource:
      "none published (withdrawn release); unpacked files are checked against MANIFEST.md",
    ...CSV_RELEASE,
    counts: { users: 671, items: 9066, ratings: 100004, titles: 9125 },
    members: ML_LATEST_SMALL_2016_MEMBERS,
  },
  "ml-1m": {
    name: "ml-1m",
    description:
      "MovieLens 1M (2003): 1,000,209 ratings, 1–5 stars, 6,040 users",
    url: BASE + "ml-1m.zip",
    archive: "ml-1m.zip",
    folder: "ml-1m",
    localFolders: ["ml-1m"],
    md5: "c4d9eecfca2ab87c1945afe126590906",
    sha256: null,
    archiveBytes: 5917549,
    checksumSource: PUBLISHED,
    format: "dat",
    ratingsFile: "ratings.dat",
    itemsFile: "movies.dat",
    itemsFormat: "movies.dat",
    itemsEncoding: "latin1",
    ratingRange: [1, 5],
    counts: { users: 6040, items: 3706, ratings: 1000209, titles: 3883 },
    members: {},
  },
  "ml-10m": {
    name: "ml-10m",
    description:
      "MovieLens 10M (2009): 10,000,054 ratings, 0.5–5 stars, 69,878 users",
    url: BASE + "ml-10m.zip",
    archive: "ml-10m.zip",
    folder: "ml-10M100K",
    localFolders: ["ml-10M100K", "ml-10m"],
    md5: "ce571fd55effeba0271552578f2648bd",
    sha256: null,
    archiveBytes: 65566137,
    checksumSource: PUBLISHED,
    format: "dat",
    ratingsFile: "ratings.dat",
    itemsFile: "movies.dat",
    itemsFormat: "movies.dat",
    itemsEncoding: "auto",
    ratingRange: [0.5, 5],
    counts: { users: 69878, items: 10677, ratings: 10000054, titles: 10681 },
    members: {},
  },
  "ml-20m": {
    name: "ml-20m",
    description:
      "MovieLens 20M (2015, updated 2016): 20,000,263 ratings, 0.5–5 stars, 138,493 users",
    url: BASE + "ml-20m.zip",
    archive: "ml-20m.zip",
    folder: "ml-20m",
    localFolders: ["ml-20m"],
    md5: "cd245b17a1ae2cc31bb14903e1204af3",
    sha256: null,
    archiveBytes: 198702078,
    checksumSource: PUBLISHED,
    ...CSV_RELEASE,
    counts: { users: 138493, items: 26744, ratings: 20000263, titles: 27278 },
    members: {},
  },
  "ml-25m": {
    name: "ml-25m",
    description:
      "MovieLens 25M (2019): 25,000,095 ratings, 0.5–5 stars, 162,541 users",
    url: BASE + "ml-25m.zip",
    archive: "ml-25m.zip",
    folder: "ml-25m",
    localFolders: ["ml-25m"],
    md5: "6b51fb2759a8657d3bfcbfc42b592ada",
    sha256: null,
    archiveBytes: 261978986,
    checksumSource: PUBLISHED,
    ...CSV_RELEASE,
    counts: { users: 162541, items: 59047, ratings: 25000095, titles: 62423 },
    members: {},
  },
  "ml-32m": {
    name: "ml-32m",
    description:
      "MovieLens 32M (2023): 32,000,204 ratings, 0.5–5 stars, 200,948 users",
    url: BASE + "ml-32m.zip",
    archive: "ml-32m.zip",
    folder: "ml-32m",
    localFolders: ["ml-32m"],
    md5: "d472be332d4daa821edc399621853b57",
    sha256: null,
    archiveBytes: 238950008,
    checksumSource:
      "GroupLens' ml-32m.zip.md5 as quoted by several independent public projects " +
      "(the .md5 file itself could not be fetched from this machine)",
    ...CSV_RELEASE,
    counts: { users: 200948, ratings: 32000204, titles: 87585 },
    members: {},
  },
};

/** The release names, in the order of `RELEASES`. */
export const RELEASE_NAMES: readonly ReleaseName[] = Object.keys(
  RELEASES,
) as ReleaseName[];

/**
 * Looks a release up by name.
 *
 * @throws {UserError} (exit code 2) naming the known releases when `name` is not one of them.
 */
export function getRelease(name: string): MovieLensRelease {
  if (!Object.hasOwn(RELEASES, name)) {
    throw new UserError(
      `unknown MovieLens release "${name}"; known releases: ${
        RELEASE_NAMES.join(", ")
      }`,
      { exitCode: 2 },
    );
  }
  return RELEASES[name as ReleaseName];
}

function m(bytes: number, md5: string, sha256?: string): MemberChecksum {
  return sha256 === undefined ? { bytes, md5 } : { bytes, md5, sha256 };
}
