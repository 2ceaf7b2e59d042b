import * as fs from "fs";
import * as path from "path";
import { checksFailed, formatSarif, formatText, runChecks } from "../../policy";
import { loadSpecFile } from "../../model/load";
import { sarifProblems, synth } from "./helpers";

const examples = fs
  .readdirSync(path.join(__dirname, "..", "..", "examples"))
  .filter((f) => f.endsWith(".yaml"))
  .sort();

describe.each(examples)("example %s", (file) => {
  test("passes check --strict; every suppression has a reason and matches", async () => {
    const { model } = loadSpecFile(path.join("examples", file));
    const findings = runChecks(model, await synth(model));
    const failing = findings.filter((f) => !f.suppressed && f.severity !== "info");
    expect(formatText(failing)).toBe("");
    expect(checksFailed(findings, { strict: true })).toBe(false);
    for (const f of findings.filter((x) => x.suppressed)) {
      expect(f.suppressed?.reason.length).toBeGreaterThanOrEqual(10);
    }
    expect(sarifProblems(formatSarif(findings))).toEqual([]);
  });
});
