// CORS_ORIGINS as site owners write it: normalised, checked once, and the widget loadable from anywhere.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readArtifact } from "../../index-builder/artifact-files.js";
import { createApp } from "../../worker/app.js";
import { allowedOrigins, normaliseOrigin } from "../../worker/cors-origins.js";
import { loadIndex } from "../../worker/search/loaded-index.js";

const index = loadIndex(readArtifact(join(new URL("../../", import.meta.url).pathname, "build")));
const app = createApp(() => index);

async function allowed(origin: string, corsOrigins: string, path = "/search?q=Kasachstan"): Promise<string | null> {
  const response = await app.request(path, { headers: { Origin: origin } }, { CORS_ORIGINS: corsOrigins });
  await response.arrayBuffer();
  return response.headers.get("Access-Control-Allow-Origin");
}

describe("CORS_ORIGINS", () => {
  it.each([
    [" https://www.example.org/ ", "https://www.example.org"],
    ["HTTPS://WWW.Example.org", "https://www.example.org"],
    ["https://www.example.org:443", "https://www.example.org"],
    ["http://localhost:8080/", "http://localhost:8080"],
    ["www.example.org", null],
    ["https://www.example.org/suche", null],
    ["https://", null],
    ["ftp://example.org", null],
  ])("reads %j as the origin %j", (entry, origin) => {
    expect(normaliseOrigin(entry)).toBe(origin);
  });

  it("allows an origin written with a trailing slash or in capitals, which allowed nothing before", async () => {
    expect(await allowed("https://www.example.org", "https://www.example.org/")).toBe("https://www.example.org");
    expect(await allowed("https://example.org", "https://www.example.org/, HTTPS://Example.org")).toBe("https://example.org");
    expect(await allowed("https://evil.example", "https://www.example.org/")).toBeNull();
    expect(await allowed("https://evil.example", "*")).toBe("*");
  });

  it("logs an entry that is not an origin once, says what to write, and leaves it out", () => {
    const lines: string[] = [];
    const value = "www.example.org, https://example.org, javascript:alert(1)";
    const first = allowedOrigins(value, (line) => lines.push(line));
    allowedOrigins(value, (line) => lines.push(line));
    expect(first).toEqual({ any: false, origins: new Set(["https://example.org"]) });
    expect(lines).toHaveLength(2);
    const problem = (JSON.parse(lines[0] ?? "{}") as { problem: string }).problem;
    expect(problem).toContain('"www.example.org" is not an origin');
    expect(problem).toContain("https://www.example.org");
  });

  it("serves /widget.js to any site, so a site outside the list gets the widget and its error message", async () => {
    expect(await allowed("https://evil.example", "https://www.example.org", "/widget.js")).toBe("*");
    expect(await allowed("https://evil.example", "https://www.example.org", "/search?q=Kasachstan")).toBeNull();
  });
});
