import { parseJsonFast } from "../../spec/json-text";

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
