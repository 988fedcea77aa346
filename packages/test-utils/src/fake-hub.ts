import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** One request the fake hub saw. */
export interface HubRequest {
  method: string;
  url: string;
  range: string | null;
  auth: string | null;
}

/** A running {@link startFakeHub}. */
export interface FakeHub {
  server: Server;
  url: string;
  log: HubRequest[];
  close(): Promise<void>;
}

/**
 * A stand-in for the Hugging Face Hub on 127.0.0.1: serves `files` by URL path (without the leading
 * slash, e.g. `datasets/org/name/resolve/main/x.zip` or `org/model/resolve/main/config.json`) with Range
 * support and, as for LFS files on the Hub, the sha256 as ETag; 404 with `X-Error-Code: EntryNotFound`
 * otherwise. `honourRange` decides per request whether a Range other than the hub client's `bytes=0-0`
 * probe is honoured.
 */
export function startFakeHub(
  files: Map<string, Buffer>,
  options: { honourRange?: () => boolean } = {},
): Promise<FakeHub> {
  const honourRange = options.honourRange ?? (() => true);
  const log: HubRequest[] = [];
  const server = createServer((request, response) => {
    const range = request.headers.range ?? null;
    log.push({
      method: request.method ?? "",
      url: request.url ?? "",
      range,
      auth: request.headers.authorization ?? null,
    });
    const path = decodeURIComponent((request.url ?? "").replace(/^\//, "").replace(/\?.*$/, ""));
    const body = files.get(path);
    if (!body) {
      response.writeHead(404, { "X-Error-Code": "EntryNotFound" }).end("not found");
      return;
    }
    const headers = {
      ETag: `"${createHash("sha256").update(body).digest("hex")}"`,
      "Accept-Ranges": "bytes",
      "Content-Type": "application/octet-stream",
    };
    const parsed = range && /^bytes=(\d+)-(\d*)$/.exec(range);
    if (parsed && (range === "bytes=0-0" || honourRange())) {
      const start = Number(parsed[1]);
      const end = parsed[2] === "" ? body.length - 1 : Math.min(Number(parsed[2]), body.length - 1);
      response.writeHead(206, {
        ...headers,
        "Content-Range": `bytes ${start}-${end}/${body.length}`,
        "Content-Length": end - start + 1,
      });
      response.end(body.subarray(start, end + 1));
      return;
    }
    response.writeHead(200, { ...headers, "Content-Length": body.length }).end(body);
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      resolve({
        server,
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        log,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}
