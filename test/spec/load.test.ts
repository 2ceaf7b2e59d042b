import * as fs from "fs";
import * as path from "path";
import { stringify } from "yaml";
import { z } from "zod";
import { formatIssue, formatPath, UserError, type SpecIssue } from "../../core/errors";
import { parseYaml, readYamlFile, validateWith } from "../../spec/load";
import { loadSpecText } from "../../model/load";
import { baseSpec, issuesOf, variant } from "../support/fixtures";
import { tempDir } from "../support/temp";
import { closestKey } from "../../core/closest-word";

// Reads go through mocks that call the real functions unless a test says otherwise: as root,
// chmod cannot make a file unreadable.
jest.mock("fs", () => {
  const actual = jest.requireActual<typeof import("fs")>("fs");
  return {
    ...actual,
    readFileSync: jest.fn(actual.readFileSync),
    statSync: jest.fn(actual.statSync),
  };
});

function failure(text: string): SpecIssue[] {
  return failureIn(text, "s.yaml");
}

function failureIn(text: string, file: string): SpecIssue[] {
  try {
    loadSpecText(text, file);
  } catch (err) {
    if (err instanceof UserError) return [...err.issues];
    throw err;
  }
  throw new Error("expected a failure");
}

describe("loading a spec", () => {
  test("fails on YAML syntax with line and column", () => {
    const [issue] = failure("metadata:\n  customer: [unclosed\nzones: 1\n");
    expect(issue.code).toBe("yaml-syntax");
    expect(issue.location).toMatchObject({ file: "s.yaml", line: 3 });
  });

  test("fails on duplicate keys", () => {
    const [issue] = failure("version: 1\nversion: 1\n");
    expect(issue.code).toBe("yaml-syntax");
    expect(issue.location?.line).toBe(2);
  });

  test("names the mapping that repeats a key, and refuses YAML merge keys by name", () => {
    // GIVEN a key repeated inside a list's second item
    const [dup] = failure("tenants:\n  - name: a\n  - name: b\n    pool: x\n    pool: y\n");
    expect([dup.code, formatPath(dup.path), dup.location?.line]).toEqual([
      "yaml-syntax",
      "tenants[1]",
      5,
    ]);
    // AND a merge key, which would hide where the values came from: one error that says so,
    // not one per field it would have brought
    const merged = failure("hw: &hw\n  sockets: 2\nhardware:\n  - <<: *hw\n    name: h\n");
    expect(merged.map((i) => [i.code, formatPath(i.path), i.location?.line])).toEqual([
      ["yaml-merge-key", "hardware[0]", 4],
    ]);
    expect(merged[0].message).toContain("YAML merge keys (<<) are not read");
  });

  test("an IPv6 VIP is refused with the reason", () => {
    const issues = issuesOf(variant((s) => (s.controlPlane.vips.internal = "fd00:10::10")));
    expect(issues.map((i) => [formatPath(i.path), i.message])).toEqual([
      [
        "controlPlane.vips.internal",
        "expected an IPv4 address: the VIPs are IPv4 only here, so the network they sit on (internal-api, public) needs an IPv4 subnet",
      ],
    ]);
  });

  test("names the spec path and YAML line of a schema error", () => {
    // GIVEN
    const text = stringify(variant((s) => (s.zones[1].pools[0].hosts = 0)));
    // WHEN
    const issues = failure(text);
    // THEN
    expect(issues).toHaveLength(1);
    expect(formatPath(issues[0].path)).toBe("zones[1].pools[0].hosts");
    expect(issues[0].message).toBe("expected a positive integer");
    const line = text.split("\n").findIndex((l) => l.includes("hosts: 0")) + 1;
    expect(issues[0].location?.line).toBe(line);
    expect(formatIssue(issues[0])).toBe(
      `s.yaml:${line}:${issues[0].location?.column}  zones[1].pools[0].hosts: expected a positive integer [schema-too-small]`,
    );
  });

  test("refuses an Ironic node that is not a UUID, or the nil UUID", () => {
    const issues = failure(
      stringify(
        variant((s) => {
          s.hosts = [
            { name: "az1-web-01", addresses: {}, baremetalNode: "node-7" },
            {
              name: "az1-web-02",
              addresses: {},
              baremetalNode: "00000000-0000-0000-0000-000000000000",
            },
          ];
        }),
      ),
    );
    expect(issues.map((i) => `${formatPath(i.path)}: ${i.message}`)).toEqual([
      "hosts[0].baremetalNode: expected an Ironic node UUID",
      "hosts[1].baremetalNode: the nil UUID names no Ironic node; give the node's UUID (openstack baremetal node list)",
    ]);
  });

  test("reports every schema error at once, unknown keys included", () => {
    const spec = variant((s) => {
      s.zones[0].pools[0].hosts = "four";
      s.network.underlayMtu = 100;
      s.controlPlane.colour = "blue";
      delete s.metadata.customer;
    });
    const found = issuesOf(spec).map((i) => [formatPath(i.path), i.code]);
    expect(found).toEqual(
      expect.arrayContaining([
        ["zones[0].pools[0].hosts", "schema-invalid-type"],
        ["network.underlayMtu", "schema-too-small"],
        ["controlPlane.colour", "unknown-key"],
        ["metadata.customer", "schema-invalid-type"],
      ]),
    );
  });

  test("an unknown key is quoted with what a terminal acts on or hides escaped", () => {
    // GIVEN keys holding the 8-bit CSI (an escape sequence on xterm), a line separator, a
    // right-to-left override and a zero-width space
    const keys = ["\u009b2Jowned", "a\u2028b", "x\u202ey", "z\u200bw"];
    const issues = issuesOf(variant((s) => keys.forEach((k) => (s.controlPlane[k] = 1)))).filter(
      (i) => i.code === "unknown-key",
    );
    // THEN message and path show each escaped, as JSON shows the C0 controls
    expect(issues.map((i) => i.message)).toEqual([
      'unknown key "\\u009b2Jowned"',
      'unknown key "a\\u2028b"',
      'unknown key "x\\u202ey"',
      'unknown key "z\\u200bw"',
    ]);
    expect(formatPath(issues[0].path)).toBe('controlPlane["\\u009b2Jowned"]');
  });

  test("says a comma split an unquoted value of a { } mapping into an unknown key", () => {
    // GIVEN YAML whose flow mapping holds an unquoted value with a comma
    const text = stringify(variant(() => undefined)).replace(
      /purpose:\n\s+tier: web/,
      "purpose: { custom: Shop-floor MES, ERP and file services }",
    );
    expect(text).toContain("{ custom: Shop-floor MES, ERP and file services }");
    // THEN the unknown key's message says why and what to write
    const issue = failure(text).find((i) => i.code === "unknown-key");
    expect(issue?.message).toBe(
      'unknown key "ERP and file services"; a comma ends an unquoted value inside { }: quote the whole value ("a, b")',
    );
    // AND a plain unknown key gets no such advice
    const plain = issuesOf(variant((s) => (s.controlPlane.colour = "blue"))).find(
      (i) => i.code === "unknown-key",
    );
    expect(plain?.message).toBe('unknown key "colour"');
  });

  test("an unknown key is placed at the key and named with the key it most likely meant", () => {
    // GIVEN a misspelt key in block YAML and a shortened one in a flow mapping
    const text = stringify(variant(() => undefined)).replace(
      "hosts: 4",
      "hosts: 4\n        cpuAllocationRation: 8",
    );
    const lines = text.split("\n");
    const typo = failure(text).find((i) => i.code === "unknown-key");
    // THEN the location is the key's own line and column, and the message names the real key
    expect(typo?.message).toBe(
      'unknown key "cpuAllocationRation"; did you mean "cpuAllocationRatio"?',
    );
    const at = typo!.location as { line: number; column: number };
    expect(lines[at.line - 1].slice(at.column - 1)).toBe("cpuAllocationRation: 8");
    // AND in JSON too
    const json = JSON.stringify(
      variant((s) => (s.zones[0].pools[0].cpuAllocationRation = 8)),
      null,
      1,
    );
    const inJson = failureIn(json, "spec.json").find((i) => i.code === "unknown-key")!.location as {
      line: number;
      column: number;
    };
    expect(json.split("\n")[inJson.line - 1].slice(inJson.column - 1)).toBe(
      '"cpuAllocationRation": 8',
    );
    // AND a key a prefix away, or nothing close, as such
    expect(closestKey("ram", ["instances", "cores", "ramGiB", "volumes"])).toBe("ramGiB");
    expect(closestKey("taxes", ["payment", "tax", "timeline"])).toBe("tax");
    expect(closestKey("colour", ["controllers", "hardware", "vips"])).toBeUndefined();
    // AND a typo beats a shorter key it starts with; case alone is no typo
    const priced = ["name", "per", "quantity", "unit", "unitPrice"];
    for (const typo of ["unitPrise", "unitPrce", "unitprice", "UnitPrice", "unitPric"])
      expect([typo, closestKey(typo, priced)]).toEqual([typo, "unitPrice"]);
  });

  test("marks a missing field as required", () => {
    const spec = variant((s) => delete s.metadata.customer);
    const issue = issuesOf(spec).find((i) => formatPath(i.path) === "metadata.customer");
    expect(issue?.message).toBe("missing required field (expected text)");
  });

  test("says what the schema expects in the spec's words, not the validator's", () => {
    const at = (edit: (s: any) => void, where: string) =>
      issuesOf(variant(edit)).find((i) => formatPath(i.path) === where)?.message;
    // a type, a bound, a list of values, an empty list
    expect(at((s) => (s.sites = true), "sites")).toBe("expected a list, got true");
    expect(at((s) => (s.storage = { ceph: { osdSizeTB: -1 } }), "storage.ceph.osdSizeTB")).toBe(
      "expected more than 0, got -1",
    );
    expect(
      at((s) => (s.storage = { ceph: { osdSizeTB: 1e12 } }), "storage.ceph.osdSizeTB"),
    ).toMatch(/^expected at most \d+, got 1000000000000$/);
    expect(
      at(
        (s) => (s.network.tenantSubnetPool = { prefixes: [] }),
        "network.tenantSubnetPool.prefixes",
      ),
    ).toBe("expected at least 1 item");
    // a union names its likeliest branch's fault, or every type it takes
    expect(at((s) => (s.cloud.cloud = "x".repeat(65)), "cloud.cloud")).toBe(
      "must be at most 64 characters",
    );
    expect(at((s) => delete s.cloud.cloud, "cloud.cloud")).toBe(
      "missing required field (expected text)",
    );
    // a discriminated union without a text of its own, at its key
    const kinds = z.discriminatedUnion("kind", [
      z.object({ kind: z.literal("a") }),
      z.object({ kind: z.literal("b") }),
    ]);
    const refused = (text: string) => {
      try {
        validateWith(z.object({ x: kinds }), parseYaml(text, "k.yaml"), "k.yaml");
      } catch (err) {
        return (err as UserError).issues?.map((i) => [formatPath(i.path), i.message]);
      }
      return [];
    };
    expect(refused("x: { kind: c }\n")).toEqual([
      ["x.kind", 'expected one of "a", "b", got text "c"'],
    ]);
    expect(refused("x: {}\n")).toEqual([
      ["x.kind", 'missing required field (expected one of "a", "b")'],
    ]);
    // AND a union without a text of its own speaks for the branch that got furthest, or names
    // every type it takes
    const either = z.object({
      x: z
        .string()
        .max(3)
        .or(z.object({ c: z.number() })),
    });
    const union = (text: string) => {
      try {
        validateWith(either, parseYaml(text, "u.yaml"), "u.yaml");
      } catch (err) {
        return (err as UserError).issues?.map((i) => [formatPath(i.path), i.message]);
      }
      return [];
    };
    expect(union("x: { c: nope }\n")).toEqual([["x.c", 'expected a number, got text "nope"']]);
    expect(union("x: 42\n")).toEqual([["x", "expected text or a mapping of keys, got 42"]]);
    expect(union("x: long\n")).toEqual([["x", "expected at most 3 characters"]]);
    // no message of the validator's own wording is left
    for (const edit of [
      (s: any) => (s.sites = null),
      (s: any) => (s.metadata = []),
      (s: any) => (s.storage = { ceph: { osdSizeTB: "x" } }),
      (s: any) => (s.cloud = {}),
      (s: any) => (s.output = { backend: {} }),
    ])
      for (const i of issuesOf(variant(edit)))
        expect(i.message).not.toMatch(/Invalid|Too (small|big)|received/);
  });

  test("refuses a second YAML document and a key that is no text, at their lines", () => {
    expect(failure("version: 1\n---\nversion: 2\n")[0]).toMatchObject({
      code: "yaml-syntax",
      message:
        'a second YAML document starts here; the spec is one document: remove this "---" and what follows, or merge the two',
      location: { line: 2, column: 1 },
    });
    // (the parser would print a warning on the console and make text of the key)
    const warn = jest.spyOn(process, "emitWarning");
    for (const [text, what, line] of [
      ["version: 1\n? [a, b]\n: 1\n", "list", 2],
      ["version: 1\nfoo:\n  ? {a: 1}\n  : 1\n", "mapping", 3],
    ] as const)
      expect(failure(text)[0]).toMatchObject({
        code: "yaml-complex-key",
        message: `a key must be plain text, not a ${what}; write the key as text`,
        location: { line },
      });
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });

  test("rejects an empty document and a non-mapping", () => {
    expect(() => loadSpecText("", "e.yaml")).toThrow("e.yaml: 1 error in the spec");
    expect(failure("")[0]).toMatchObject({ code: "yaml-empty", message: "the spec is empty" });
    expect(failure("- a\n- b\n")[0].code).toBe("schema-invalid-type");
  });

  test("fails on custom YAML tags with line and column", () => {
    // GIVEN tags the core schema cannot resolve; the yaml package only warns about them
    const text = "version: 1\nmetadata: !foo bar\nzones: !!js/function 'x'\n";
    // WHEN
    const issues = failure(text);
    // THEN
    expect(
      issues.map((i) => [i.code, formatPath(i.path), i.location?.line, i.location?.column]),
    ).toEqual([
      ["yaml-tag", "metadata", 2, 11],
      ["yaml-tag", "zones", 3, 8],
    ]);
    expect(issues[0].message).toBe(
      "unsupported YAML tag !foo; the spec holds plain data only, remove the tag",
    );
    // AND a core tag the parser does not apply is said so, not called unsupported
    const tagged = failure("version: 1\nhardware:\n  - name: a\n    memoryGiB: !!float 32\n")[0];
    expect(formatPath(tagged.path)).toBe("hardware[0].memoryGiB");
    expect(tagged.message).toBe(
      "the !!float tag is not read here; remove the tag: the spec reads numbers, booleans and text as written",
    );
  });

  test("bounds alias expansion", () => {
    const lol = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 8; i++)
      lol.push(
        `${"b".repeat(i)}: &${"b".repeat(i)} [${Array(10)
          .fill(i === 1 ? "*a" : `*${"b".repeat(i - 1)}`)
          .join(", ")}]`,
      );
    const [issue] = failure(lol.join("\n"));
    expect(issue.code).toBe("yaml-alias-limit");
    expect(issue.message).toContain(
      "the spec expands YAML aliases (*name) beyond the alias-expansion limit of 100",
    );
    // THEN it is placed at the alias whose expansion passes the limit: a *b on line 3
    expect(issue.location).toEqual({ file: "s.yaml", line: 3, column: 42 });
    expect(lol[2].slice(41, 44)).toBe("*b,");
  });

  test.each([
    ["1e308", "must be at most 10000"],
    ["-1e308", "expected a positive integer"],
    ["99999999999999999999", "must be at most 10000"],
  ])("an absurd count (hosts: %s) is one range error at its path and line", (value, message) => {
    // GIVEN a pool count far outside the integers JavaScript holds exactly
    const text = stringify(baseSpec()).replace("hosts: 4", `hosts: ${value}`);
    const line = text.split("\n").findIndex((l) => l.includes(`hosts: ${value}`)) + 1;
    // WHEN / THEN one issue, the range's, where the value is
    const issues = failure(text);
    expect(issues.map((i) => [i.code, formatPath(i.path), i.message, i.location?.line])).toEqual([
      [
        "schema-too-" + (value.startsWith("-") ? "small" : "big"),
        "zones[0].pools[0].hosts",
        message,
        line,
      ],
    ]);
  });

  test("accepts JSON", () => {
    const loaded = loadSpecText(JSON.stringify(baseSpec()), "s.json");
    expect(loaded.model.controlPlane.controllers).toEqual(["ctrl-01", "ctrl-02", "ctrl-03"]);
  });

  test("places errors in JSON specs on their line and column", () => {
    // GIVEN a JSON spec, parsed the fast way, with a bad value on line 4
    const spec = baseSpec() as { controlPlane: { controllers: unknown } };
    spec.controlPlane.controllers = -1;
    const text = JSON.stringify(spec, null, 1);
    const lines = text.split("\n");
    const line = lines.findIndex((l) => l.includes('"controllers": -1')) + 1;
    const column = lines[line - 1].indexOf("-1") + 1;
    // WHEN / THEN
    const issue = failureIn(text, "s.json").find(
      (i) => i.path.join(".") === "controlPlane.controllers",
    );
    expect(issue?.location).toEqual({ file: "s.json", line, column });
  });

  test("finds duplicate keys in JSON specs as in YAML, as a JSON error", () => {
    const [issue] = failureIn('{"version": 1, "version": 1}', "s.json");
    expect(issue).toMatchObject({
      code: "json-syntax",
      message: 'duplicate key "version" (first at line 1); map keys must be unique',
      location: { file: "s.json", line: 1, column: 16 },
    });
  });
});

describe("reading a file", () => {
  afterEach(() => {
    const actual = jest.requireActual<typeof import("fs")>("fs");
    jest.mocked(fs.readFileSync).mockImplementation(actual.readFileSync);
    jest.mocked(fs.statSync).mockImplementation(actual.statSync);
  });
  const dir = tempDir("sw-read-");
  const file = path.join(dir, "spec.yaml");
  fs.writeFileSync(file, "version: 1\n");
  const denied = () => {
    throw Object.assign(new Error(`EACCES: permission denied, open '${file}'`), { code: "EACCES" });
  };

  test("fails with a user error naming the file when it cannot be read", () => {
    // GIVEN a file this user may not read
    jest.mocked(fs.readFileSync).mockImplementation(denied);
    // WHEN / THEN
    expect(() => readYamlFile(file, "spec")).toThrow(UserError);
    expect(() => readYamlFile(file, "spec")).toThrow(`${file}: permission denied`);
  });

  test("fails with a user error when the folder of the file cannot be searched", () => {
    jest.mocked(fs.statSync).mockImplementation(denied);
    expect(() => readYamlFile(file, "spec")).toThrow(`${file}: permission denied`);
  });

  test("fails with a user error on a folder", () => {
    expect(() => readYamlFile(dir, "spec")).toThrow(`${dir}: not a regular file`);
  });

  test("names the line and column of the first byte that is not UTF-8", () => {
    // GIVEN a spec with a genuine U+FFFD on line 1 and a stray 0xFF byte on line 2
    const bad = path.join(dir, "latin1.yaml");
    fs.writeFileSync(
      bad,
      Buffer.concat([Buffer.from("version: 1 # \uFFFD\ncustomer: "), Buffer.from([0xff, 0x41])]),
    );
    // WHEN / THEN
    expect(() => readYamlFile(bad, "spec")).toThrow(UserError);
    try {
      readYamlFile(bad, "spec");
    } catch (e) {
      expect((e as UserError).issues).toEqual([
        expect.objectContaining({
          code: "invalid-utf8",
          message: "not UTF-8 text: save the spec as UTF-8",
          location: { file: bad, line: 2, column: 11 },
        }),
      ]);
    }
  });

  test("takes a .json spec after a byte order mark, as RFC 8259 lets a parser", () => {
    const file = path.join(dir, "bom.json");
    fs.writeFileSync(file, `\uFEFF${JSON.stringify({ version: 1, metadata: { customer: "c" } })}`);
    expect(readYamlFile(file, "spec").data).toEqual({ version: 1, metadata: { customer: "c" } });
    fs.writeFileSync(file, '\uFEFF{"version": 1,}');
    expect(() => readYamlFile(file, "spec")).toThrow(UserError);
  });

  test("locates a YAML spec's first line after a byte order mark at the column an editor shows", () => {
    const file = path.join(dir, "bom.yaml");
    fs.writeFileSync(file, "\uFEFFversionx: 1\n");
    const located = parseYaml(fs.readFileSync(file, "utf8"), file).locate(["versionx"], {
      key: true,
    });
    expect(located).toEqual({ file, line: 1, column: 1 });
  });

  test.each([
    ["a trailing comma", '{\n  "version": 1,\n  "tenants": [],\n}\n', 4, 1, 'unexpected "}"'],
    ["a comment", '{\n  "version": 1 // one\n}\n', 2, 16, 'unexpected "/"'],
    ["a single-quoted string", "{\n  'version': 1\n}\n", 2, 3, `unexpected "'"`],
    ["text cut short", '{\n  "version": 1', 2, 15, "it ends early"],
  ])(
    "refuses a .json spec with %s, where JSON.parse does, at its place",
    (_, text, line, column, what) => {
      const file = path.join(dir, "spec.json");
      fs.writeFileSync(file, text);
      expect(() => JSON.parse(text)).toThrow(SyntaxError);
      try {
        readYamlFile(file, "spec");
        throw new Error("accepted");
      } catch (e) {
        expect((e as UserError).issues).toEqual([
          expect.objectContaining({
            code: "json-syntax",
            message: `not JSON: ${what}; a .json spec is read as JSON (name it .yaml to write YAML)`,
            location: { file, line, column },
          }),
        ]);
      }
    },
  );

  test("fails with a user error on a missing file", () => {
    expect(() => readYamlFile(path.join(dir, "nope.yaml"))).toThrow("nope.yaml: no such file");
  });

  test("says what the file is in the summary of its errors", () => {
    const parsed = parseYaml("name: 1\n", "book.yaml", "price book");
    expect(() =>
      validateWith(z.strictObject({ name: z.string() }), parsed, "book.yaml", "price book"),
    ).toThrow("book.yaml: 1 error in the price book");
  });
});
