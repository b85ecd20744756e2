/**
 * Downloads a release's archive into the cache directory: streamed to a
 * temporary file beside the target, checksummed on the way, renamed into
 * place only when the checksum matches. A failed download leaves nothing
 * behind.
 *
 * @module
 */

import { join } from "node:path";
import { streamToFileAtomic } from "../atomic_write.ts";
import { assertDigests, type Digests, DigestStream } from "./checksum.ts";
import { DataError } from "./data_error.ts";
import type { MovieLensRelease } from "./registry.ts";

/** Options for `downloadArchive`. */
export interface DownloadOptions {
  /** URL to fetch instead of `release.url` (tests point it at 127.0.0.1). */
  readonly url?: string;
}

/** Where the archive landed and the digests of its bytes. */
export interface DownloadResult {
  readonly path: string;
  readonly digests: Digests;
}

/** The sentence telling a user how to supply a release by hand. */
export function localCopyHint(release: MovieLensRelease): string {
  return `put ${release.archive} or the unpacked ${
    release.localFolders[0]
  }/ folder in a directory ` +
    `and name it with --data-dir or the MOVIELENS_DIR environment variable`;
}

/**
 * Fetches `release`'s archive to `cacheDir/<release.archive>` and verifies
 * its published MD5 (and SHA-256 when known) before renaming it into place.
 *
 * @throws {DataError} naming the URL for a release that can no longer be
 *   downloaded, a network or HTTP error, or a checksum mismatch (with the
 *   expected and actual values); nothing is left in `cacheDir` then.
 */
export async function downloadArchive(
  release: MovieLensRelease,
  cacheDir: string,
  options: DownloadOptions = {},
): Promise<DownloadResult> {
  const url = options.url ?? release.url;
  if (url === null) {
    throw new DataError(
      release.name,
      `${release.unavailable ?? "this release cannot be downloaded"}; ${
        localCopyHint(release)
      }`,
    );
  }
  let response: Response;
  try {
    response = await fetch(url);
  } catch (err) {
    throw new DataError(
      url,
      `download failed: ${(err as Error).message}; ${localCopyHint(release)}`,
      undefined,
      {
        cause: err,
      },
    );
  }
  if (!response.ok || response.body === null) {
    await response.body?.cancel();
    throw new DataError(
      url,
      `download failed: HTTP ${response.status} ${response.statusText}`
        .trimEnd(),
    );
  }
  const digest = new DigestStream();
  const hashing = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      digest.update(chunk);
      controller.enqueue(chunk);
    },
  });
  const path = join(cacheDir, release.archive);
  let digests: Digests | undefined;
  try {
    await streamToFileAtomic(path, response.body.pipeThrough(hashing), () => {
      digests = digest.digest();
      assertDigests(
        url,
        digests,
        {
          md5: release.md5,
          sha256: release.sha256,
          bytes: release.archiveBytes,
        },
        "the download is corrupt or the file on the server changed; nothing was saved",
      );
      return Promise.resolve();
    });
  } catch (err) {
    if (err instanceof DataError) throw err;
    throw new DataError(
      url,
      `download failed: ${(err as Error).message}`,
      undefined,
      { cause: err },
    );
  }
  return { path, digests: digests! };
}
