import * as fs from "fs";
import * as path from "path";
import { jsonErrorOffset, parseJsonFast } from "../../spec/json-text";
import { parseYaml } from "../../spec/load";

const ROOT = path.join(__dirname, "..", "..");

describe("parseJsonFast", () => {
  test("parses plain JSON objects", () => {
    expect(parseJsonFast('{"a": [1, {"b": "x\\"y"}], "c": {"a": 1}}', 10)).toEqual({
      data: { a: [1, { b: 'x"y' }], c: { a: 1 } },
    });
  });

  test.each([
    ["a duplicate key", '{"a": 1, "b": 2, "a": 3}'],
    ["a duplicate key spelled with an escape", '{"a": 1, "\\u0061": 2}'],
    ["a duplicate key in a nested object", '{"x": [{"k": 1, "k": 2}]}'],
    ["nesting deeper than the limit", `{"a": ${"[".repeat(20)}${"]".repeat(20)}}`],
    ["a syntax error", '{"a": 1,}'],
    ["YAML", "a: 1\n"],
    ["a top-level array", "[1, 2]"],
  ])("leaves %s to the YAML parser", (_, text) => {
    expect(parseJsonFast(text, 10)).toBeUndefined();
  });

  test("keys equal to values elsewhere are no duplicates", () => {
    expect(parseJsonFast('{"a": "b", "b": ["a", "a"], "c": {"a": "a"}}', 10)).toBeDefined();
  });
});

describe("positions in JSON specs", () => {
  /** Every path in the data, by index and by name, plus one missing key below each container. */
  function pathsOf(value: unknown, path: (string | number)[] = []): (string | number)[][] {
    const out: (string | number)[][] = [path, [...path, "missing-key"]];
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        out.push(...pathsOf(item, [...path, i]));
        const named = item as { name?: unknown; id?: unknown };
        if (typeof named?.id === "string") out.push([...path, named.id, "name"]);
        if (typeof named?.name === "string") out.push([...path, named.name]);
      });
      out.push([...path, value.length]);
    } else if (value && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) out.push(...pathsOf(v, [...path, k]));
    }
    return out;
  }

  test.each(fs.readdirSync(path.join(ROOT, "examples")).filter((f) => f.endsWith(".yaml")))(
    "%s as JSON: every path has the line and column the YAML parser gives",
    (example) => {
      // GIVEN an example written as JSON, pretty and compact
      const data = parseYaml(fs.readFileSync(path.join(ROOT, "examples", example), "utf8")).data;
      for (const text of [
        JSON.stringify(data, null, 2),
        JSON.stringify(data),
        JSON.stringify(data, null, "\t"),
      ]) {
        // WHEN it is located the fast way, and the YAML way (a leading comment line forces it)
        const fast = parseYaml(text, "spec.json");
        const slow = parseYaml(`#\n${text}`, "spec.yaml");
        // THEN both give the same position for every path (compared at once: an expect per
        // path would cost more than locating)
        const paths = pathsOf(data);
        expect(paths.map((p) => [p, fast.locate(p)])).toEqual(
          paths.map((p) => {
            const b = slow.locate(p);
            return [p, b && { ...b, file: "spec.json", line: (b.line as number) - 1 }];
          }),
        );
      }
    },
  );

  test("keys with escapes and strings holding brackets are located like the YAML parser does", () => {
    const text =
      '{ "a\\"b" : {"x": "}]{[\\"", "y" :[ "[" , {"name": "N n"}, 3e2 ,true]},\n"z": null }';
    const fast = parseYaml(text, "spec.json");
    const slow = parseYaml(`#\n${text}`, "spec.yaml");
    for (const p of [
      ['a"b', "x"],
      ['a"b', "y", 1, "name"],
      ['a"b', "y", "n-n"],
      ['a"b', "y", 3],
      ["z"],
      ['a"b', "y", 2],
    ]) {
      const b = slow.locate(p);
      expect([p, fast.locate(p)]).toEqual([
        p,
        b && { ...b, file: "spec.json", line: (b.line as number) - 1 },
      ]);
    }
  });
});

describe("jsonErrorOffset", () => {
  // JSON.parse is the judge of what JSON is; the scan only says where it stops being JSON.
  const texts = [
    '{"a": [1, -2.5e+3, true, false, null, {"b": "x\\"y\\u00e9"}], "c": {}}',
    "[]",
    " \n\t{}\r\n",
    '{"a": 1,}',
    '{"a": [1,]}',
    '{"a" 1}',
    '{"a": 01}',
    '{"a": 1.}',
    '{"a": .5}',
    '{"a": +1}',
    '{"a": "tab\there"}',
    '{"a": "\\x"}',
    '{"a": "\\u12"}',
    '{"a": tru}',
    '{"a": 1} {}',
    '{"a": 1',
    "",
    "{,}",
    '{"a": [}',
    `{"a": ${"[".repeat(5000)}${"]".repeat(5000)}}`,
  ];
  test.each(texts)("agrees with JSON.parse on %j", (text) => {
    let valid = true;
    try {
      JSON.parse(text);
    } catch {
      valid = false;
    }
    const offset = jsonErrorOffset(text);
    expect(offset === undefined).toBe(valid);
    // AND JSON.parse accepts the text up to the offset as a prefix it could still continue
    if (offset !== undefined) expect(offset).toBeLessThanOrEqual(text.length);
  });

  test("points at the character JSON.parse names where it gives a position", () => {
    const text = '{"a": 1 "b": 2}';
    expect(() => JSON.parse(text)).toThrow(/position 8/);
    expect(jsonErrorOffset(text)).toBe(8);
  });
});
