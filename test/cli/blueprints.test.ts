import { cli } from "../support/cli";
import { SEED_BLUEPRINTS } from "../support/blueprints";

describe("stackwright blueprints", () => {
  test("lists all seven blueprints with a one-line description", async () => {
    // WHEN
    const r = await cli(["blueprints"]);
    // THEN
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual(SEED_BLUEPRINTS);
    for (const l of lines) expect(l).toMatch(/^\S+\s{2,}\S.+$/);
  });

  test("lists all seven as JSON with their example specs", async () => {
    // WHEN
    const r = await cli(["blueprints", "--json"]);
    // THEN
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as { name: string; example: string }[];
    expect(rows.map((b) => [b.name, b.example])).toEqual(
      SEED_BLUEPRINTS.map((n) => [n, `examples/${n}.yaml`]),
    );
  });
});
