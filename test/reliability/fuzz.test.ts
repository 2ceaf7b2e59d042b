import * as fc from "fast-check";
import * as fs from "fs";
import * as path from "path";
import { stringify } from "yaml";
import { findBlueprint } from "../../blueprints/catalog";
import { UserError } from "../../core/errors";
import { loadSpecText } from "../../model/load";
import { synthesizeTerraform } from "../../synth/app";
import { baseSpec } from "../support/fixtures";
import { cli, run } from "../support/cli";
import { tempDir } from "../support/temp";

/** Values that break naive code: wrong types, huge numbers, unicode, empty and very long strings. */
const junk = fc.oneof(
  fc.constant(null),
  fc.constant(""),
  fc.constant("区域-一"),
  fc.constant("${var.x}"),
  fc.constant("</script>"),
  fc.constant("../../etc/passwd"),
  fc.constant("\u0000"),
  fc.constant(-1),
  fc.constant(0),
  fc.constant(1e308),
  fc.constant(Number.MAX_SAFE_INTEGER),
  fc.constant(3.5),
  fc.constant(true),
  fc.constant([]),
  fc.constant({}),
  fc.string({ maxLength: 20 }),
  fc.string({ minLength: 5000, maxLength: 6000 }),
  fc.integer(),
  fc.double(),
  fc.array(fc.anything({ maxDepth: 3 }), { maxLength: 4 }),
  fc.anything({ maxDepth: 6 }),
);

/** All paths to values inside a plain object, for picking a place to mutate. */
function paths(v: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(v)) return [prefix, ...v.flatMap((x, i) => paths(x, [...prefix, i]))];
  if (v && typeof v === "object")
    return [prefix, ...Object.entries(v).flatMap(([k, x]) => paths(x, [...prefix, k]))];
  return [prefix];
}

function mutate(spec: any, at: (string | number)[], action: "set" | "delete", value: unknown) {
  if (at.length === 0) return value;
  let node = spec;
  for (const k of at.slice(0, -1)) node = node[k];
  const last = at[at.length - 1];
  if (action === "delete" && !Array.isArray(node)) delete node[last];
  else node[last] = value;
  return spec;
}

const basePaths = paths(baseSpec());

describe("fuzzed specs", () => {
  test("never crash: they load, or fail with path-named user errors", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.nat(basePaths.length - 1),
            fc.constantFrom("set" as const, "delete" as const),
            junk,
          ),
          { minLength: 1, maxLength: 4 },
        ),
        (edits) => {
          let spec: any = structuredClone(baseSpec());
          for (const [i, action, value] of edits) {
            const p = basePaths[i];
            try {
              spec = mutate(spec, p, action, structuredClone(value));
            } catch {
              // The path vanished with an earlier edit.
            }
          }
          let text: string;
          try {
            text = typeof spec === "object" && spec !== null ? stringify(spec) : String(spec);
          } catch {
            return;
          }
          try {
            loadSpecText(text, "fuzz.yaml");
          } catch (err) {
            expect(err).toBeInstanceOf(UserError);
            for (const issue of (err as UserError).issues) {
              expect(typeof issue.code).toBe("string");
              expect(Array.isArray(issue.path)).toBe(true);
              expect(issue.message.length).toBeGreaterThan(0);
            }
          }
        },
      ),
      { seed: 20261124, numRuns: 400 },
    );
  });

  test("specs that load also synthesize", async () => {
    const names = fc.oneof(
      fc.constantFrom("Ünïcødé Tenant", "租户 一", "a\"b'c\\d", "x ${y} %{z}"),
      fc.string({ minLength: 1, maxLength: 40 }),
    );
    const samples = fc.sample(fc.tuple(names, fc.integer({ min: 1, max: 40 })), {
      seed: 7,
      numRuns: 25,
    });
    for (const [name, hosts] of samples) {
      const spec: any = structuredClone(baseSpec());
      spec.metadata.customer = name.replace(/\p{Cc}/gu, "") || "x";
      spec.zones[0].pools[0].hosts = hosts;
      spec.tenants = [{ name: spec.metadata.customer.slice(0, 64), id: "t1" }];
      let loaded;
      try {
        loaded = loadSpecText(stringify(spec), "s.yaml");
      } catch (err) {
        expect(err).toBeInstanceOf(UserError);
        continue;
      }
      const blueprint = findBlueprint(loaded.model.blueprint);
      const stacks = await synthesizeTerraform(blueprint!, loaded.model, "json");
      for (const s of stacks) expect(() => JSON.parse(s.content)).not.toThrow();
    }
  });
});

test("the CLI answers hostile specs with exit 0 or 2, no stack trace, nothing half-written", async () => {
  const dir = tempDir("sw-fuzz-");
  const samples = fc.sample(junk, { seed: 99, numRuns: 12 });
  // The generated specs through main in this process; text no parser should meet, through the
  // built CLI in a process of its own, where a stack overflow or crash would end the process.
  const bodies: [string, boolean][] = [
    ...samples.map((v): [string, boolean] => [stringify({ ...baseSpec(), zones: v }), false]),
    ...[
      "a: [",
      "\u0000\u0001",
      "- - - - - - - - - -",
      "{".repeat(2000),
      `x: ${"9".repeat(400)}`,
    ].map((body): [string, boolean] => [body, true]),
  ];
  for (const [i, [body, spawned]] of bodies.entries()) {
    const spec = path.join(dir, `s${i}.yaml`);
    fs.writeFileSync(spec, body);
    const out = path.join(dir, `out${i}`);
    const args = ["synth", spec, "--out", out, "--quiet"];
    const r = spawned ? run(args) : await cli(args);
    expect([0, 2]).toContain(r.code);
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
    if (r.code === 2) expect(fs.existsSync(out)).toBe(false);
  }
  expect(fs.readdirSync(dir).filter((f) => f.includes("stackwright-tmp"))).toEqual([]);
});
