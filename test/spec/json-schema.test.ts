import Ajv from "ajv";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { SCHEMA_ID, specJsonSchema } from "../../cli/commands/schema";
import { BLUEPRINTS } from "../../blueprints/catalog";
import { ROOT } from "../support/cli";
import { PYTHON } from "../support/consumers";
import { loadSpecText } from "../../model/load";
import { UserError } from "../../core/errors";

type Schema = { [key: string]: unknown };

/** Draft-07's formats (section 7.3); anything else a strict validator refuses. */
const DRAFT_07_FORMATS = [
  "date-time",
  "date",
  "time",
  "email",
  "idn-email",
  "hostname",
  "idn-hostname",
  "ipv4",
  "ipv6",
  "uri",
  "uri-reference",
  "iri",
  "iri-reference",
  "uri-template",
  "json-pointer",
  "relative-json-pointer",
  "regex",
];

/** Every subschema with the JSON path that leads to it. */
function* subschemas(schema: unknown, at = "#"): Generator<[string, Schema]> {
  if (typeof schema !== "object" || schema === null) return;
  if (Array.isArray(schema)) {
    for (const [i, item] of schema.entries()) yield* subschemas(item, `${at}/${i}`);
    return;
  }
  const s = schema as Schema;
  yield [at, s];
  for (const [key, value] of Object.entries(s)) {
    if (key === "properties" || key === "definitions" || key === "patternProperties") {
      for (const [name, sub] of Object.entries(value as Schema)) {
        yield* subschemas(sub, `${at}/${key}/${name}`);
      }
    } else if (["items", "anyOf", "oneOf", "allOf", "additionalProperties", "not"].includes(key)) {
      yield* subschemas(value, `${at}/${key}`);
    }
  }
}

/**
 * Ajv in its default strict mode, draft-07. It checks no formats without ajv-formats; the
 * schema's patterns say what the formats say, so the standard ones are declared known.
 */
function strictAjv(): Ajv {
  return new Ajv({
    strict: true,
    allErrors: true,
    formats: Object.fromEntries(DRAFT_07_FORMATS.map((f) => [f, true])),
  });
}

describe("the spec's JSON Schema", () => {
  const schema = specJsonSchema();

  test("is draft-07 with a stable $id, title and description", () => {
    expect(schema.$schema).toBe("http://json-schema.org/draft-07/schema#");
    expect(schema.$id).toBe(SCHEMA_ID);
    expect(schema.title).toBe("Stackwright design spec");
    expect(schema.description).toEqual(expect.any(String));
  });

  test("compiles with Ajv in strict mode", () => {
    expect(() => strictAjv().compile(schema)).not.toThrow();
  });

  test("describes every property", () => {
    const undescribed: string[] = [];
    for (const [at, s] of subschemas(schema)) {
      if (/\/properties\/[^/]+$/.test(at) && typeof s.description !== "string") {
        undescribed.push(at);
      }
    }
    expect(undescribed).toEqual([]);
  });

  test("uses only draft-07 formats", () => {
    const formats = [...subschemas(schema)].flatMap(([, s]) =>
      typeof s.format === "string" ? [s.format] : [],
    );
    expect(formats.length).toBeGreaterThan(0);
    expect(formats.filter((f) => !DRAFT_07_FORMATS.includes(f))).toEqual([]);
  });

  test("lists the blueprint names as an enum", () => {
    const blueprint = (schema.properties as Record<string, Schema>).blueprint;
    expect(blueprint.enum).toEqual(BLUEPRINTS.map((b) => b.name));
    expect(blueprint.description).toEqual(expect.any(String));
  });

  test("gives closed sets as enums and defaults where the spec has them", () => {
    const props = schema.properties as Record<string, Schema>;
    const metadata = props.metadata.properties as Record<string, Schema>;
    expect(metadata.language).toMatchObject({ enum: ["en", "zh-CN"], default: "en" });
    const output = props.output.properties as Record<string, Schema>;
    expect(output.format).toMatchObject({ enum: ["json", "hcl"], default: "json" });
  });

  test("every example in the schema validates against its own subschema", () => {
    const ajv = strictAjv();
    const failures: string[] = [];
    let checked = 0;
    for (const [at, s] of subschemas(schema)) {
      if (!Array.isArray(s.examples)) continue;
      const { examples, ...rest } = s;
      const validate = ajv.compile(rest);
      for (const example of examples as unknown[]) {
        checked++;
        if (!validate(example)) failures.push(`${at}: ${JSON.stringify(example)}`);
      }
    }
    expect(checked).toBeGreaterThan(10);
    expect(failures).toEqual([]);
  });

  test("every example spec validates against it", () => {
    const validate = strictAjv().compile(schema);
    const dir = path.join(ROOT, "examples");
    const specs = fs.readdirSync(dir).filter((f) => f.endsWith(".yaml"));
    expect(specs.length).toBeGreaterThan(0);
    for (const file of specs) {
      const valid = validate(parse(fs.readFileSync(path.join(dir, file), "utf8")));
      expect({ file, errors: valid ? [] : validate.errors }).toEqual({ file, errors: [] });
    }
  });

  test("patterns every validator reads: no Unicode property escapes, compiled as Python's re does", () => {
    // GIVEN every pattern of the schema
    const patterns = [...subschemas(schema)].flatMap(([at, s]) =>
      typeof s.pattern === "string" ? [[at, s.pattern] as const] : [],
    );
    expect(patterns.length).toBeGreaterThan(0);
    // THEN none needs ECMA's u flag (\p{...}), and each compiles without it
    for (const [at, pattern] of patterns) {
      expect({ at, property: /\\[pP]\{/.test(pattern) }).toEqual({ at, property: false });
      expect(() => new RegExp(pattern)).not.toThrow();
    }
    // AND Python's jsonschema (its re) compiles them, accepts an example and refuses a control
    // character in a name
    const spec = parse(fs.readFileSync(path.join(ROOT, "examples", "three-node.yaml"), "utf8"));
    const r = spawnSync(
      PYTHON,
      [
        "-c",
        [
          "import json, sys, jsonschema",
          "schema, spec = json.load(sys.stdin)",
          "jsonschema.validate(spec, schema)",
          "spec['metadata']['customer'] = 'a\\x07b'",
          "print(not jsonschema.Draft7Validator(schema).is_valid(spec))",
        ].join("\n"),
      ],
      { input: JSON.stringify([schema, spec]), encoding: "utf8" },
    );
    expect([r.stderr, r.stdout.trim()]).toEqual(["", "True"]);
  });

  test("rejects what the spec rejects: unknown keys, wrong enums, bad CIDRs", () => {
    const validate = strictAjv().compile(schema);
    const base = parse(fs.readFileSync(path.join(ROOT, "examples", "three-node.yaml"), "utf8"));
    expect(validate(base)).toBe(true);
    expect(validate({ ...base, colour: "blue" })).toBe(false);
    expect(validate({ ...base, blueprint: "mainframe" })).toBe(false);
    const network = structuredClone(base);
    network.network.networks[0].cidr = "10.0.0.0/33";
    expect(validate(network)).toBe(false);
  });

  test("agrees with validate where a pattern can say it: reserved words, IPv6 text, URL schemes", () => {
    const validate = strictAjv().compile(schema);
    const loads = (spec: unknown) => {
      try {
        loadSpecText(JSON.stringify(spec), "spec.json");
        return true;
      } catch (e) {
        if (e instanceof UserError) return false;
        throw e;
      }
    };
    const base = parse(fs.readFileSync(path.join(ROOT, "examples", "three-node.yaml"), "utf8"));
    const cases: [string, (s: any) => void, boolean][] = [
      ["a site named constructor", (s) => (s.sites = [{ name: "constructor" }]), false],
      [
        "a group's role named toString",
        (s) => (s.tenants[0].groups = [{ name: "ops", role: "toString" }]),
        false,
      ],
      [
        "an IPv6 DNS server with an IPv4 part",
        (s) => s.network.dnsServers.push("::ffff:10.0.0.1"),
        false,
      ],
      ["an IPv6 DNS server", (s) => s.network.dnsServers.push("2001:db8::53"), true],
      [
        "a state endpoint whose scheme is upper case",
        (s) =>
          (s.output.backend = {
            type: "s3",
            bucket: "state",
            endpoint: "HTTPS://s3.example.net",
            region: "north-1",
          }),
        true,
      ],
    ];
    for (const [what, edit, valid] of cases) {
      const spec = structuredClone(base);
      edit(spec);
      expect({ what, schema: validate(spec), validate: loads(spec) }).toEqual({
        what,
        schema: valid,
        validate: valid,
      });
    }
  });
});
