// /openapi.json is a valid OpenAPI 3.1 document in which every operation, parameter and property is described.
import { join } from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { readArtifact } from "../../index-builder/artifact-files.js";
import { createApp } from "../../worker/app.js";
import { loadIndex } from "../../worker/search/loaded-index.js";

const index = loadIndex(readArtifact(join(new URL("../../", import.meta.url).pathname, "build")));
const app = createApp(() => index);

type Json = Record<string, unknown>;

/** Paths to every property, parameter or schema in `node` that has no description. */
function undescribed(node: unknown, path: string, schemas: Json): string[] {
  if (!node || typeof node !== "object") return [];
  const found: string[] = [];
  const object = node as Json;
  const properties = object.properties as Json | undefined;
  if (properties) {
    for (const [name, property] of Object.entries(properties)) {
      const ref = (property as Json).$ref as string | undefined;
      const target = ref ? (schemas[ref.replace("#/components/schemas/", "")] as Json | undefined) : (property as Json);
      if (typeof (property as Json).description !== "string" && typeof target?.description !== "string") found.push(`${path}.${name}`);
    }
  }
  for (const [key, value] of Object.entries(object)) {
    if (key === "example" || key === "examples") continue;
    found.push(...undescribed(value, `${path}.${key}`, schemas));
  }
  return found;
}

describe("/openapi.json", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const document = await (await app.request("/openapi.json")).json();
    const result = await new Validator().validate(document as Parameters<Validator["validate"]>[0]);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("describes every parameter and property, and names and tags every operation", async () => {
    const document = (await (await app.request("/openapi.json")).json()) as Json;
    const schemas = ((document.components as Json).schemas ?? {}) as Json;
    expect(undescribed(document.paths, "paths", schemas)).toEqual([]);
    expect(undescribed(schemas, "schemas", schemas)).toEqual([]);
    const operations = Object.values(document.paths as Json).flatMap((item) => Object.values(item as Json)) as Json[];
    expect(operations.length).toBeGreaterThanOrEqual(5);
    for (const operation of operations) {
      expect(operation.operationId, JSON.stringify(operation.summary)).toEqual(expect.any(String));
      expect((operation.tags as string[] | undefined)?.length, String(operation.operationId)).toBeGreaterThan(0);
      for (const parameter of (operation.parameters ?? []) as Json[]) {
        expect(parameter.description ?? (parameter.schema as Json | undefined)?.description, String(parameter.name)).toEqual(
          expect.any(String),
        );
      }
    }
  });

  it("gives an example for every JSON response", async () => {
    const document = (await (await app.request("/openapi.json")).json()) as Json;
    for (const [path, item] of Object.entries(document.paths as Json)) {
      for (const operation of Object.values(item as Json) as Json[]) {
        for (const [status, response] of Object.entries(operation.responses as Json)) {
          const json = ((response as Json).content as Json | undefined)?.["application/json"] as Json | undefined;
          if (json) expect(json.example, `${path} ${status}`).toBeDefined();
        }
      }
    }
  });
});
