import * as vm from "vm";
import { collectGarbage } from "../../cli/heap";

test("a collection between phases keeps the code cache valid and gc out of every context", () => {
  // GIVEN code cached before the collection
  const source = "(function (a, b) { return a + b; })";
  const cachedData = new vm.Script(source, { filename: "cached.js" }).createCachedData();
  // WHEN synth collects garbage (twice: the second reuses the first's collector)
  collectGarbage();
  collectGarbage();
  // THEN V8 still takes the cached code (it rejects data made under another flags' hash)
  const again = new vm.Script(source, { filename: "cached.js", cachedData });
  expect(again.cachedDataRejected).toBe(false);
  // AND gc stayed a collector of ours only, in this context and in contexts made later
  expect((globalThis as { gc?: unknown }).gc).toBeUndefined();
  expect(vm.runInNewContext("typeof gc")).toBe("undefined");
});
