import { enterpriseReference } from "../../blueprints/enterprise-reference";
import { formatPath } from "../../core/errors";
import { issuesOf, load, variant } from "../support/fixtures";
import { synthesized } from "../support/synth-cache";
import { renderArchitecture } from "../support/documents";

/** Pool app of zone az2 as a production database pool: a tier and a stage. */
const prodDb = (purpose: Record<string, unknown> = { tier: "db", stage: "prod" }) =>
  variant((s) => (s.zones[1].pools[0].purpose = purpose));

describe("a pool of a tier and a stage", () => {
  test("the model keeps both, the aggregate carries both, the document shows both", async () => {
    const model = load(prodDb()).model;
    const pool = model.pools.find((p) => p.id === "az2-app")!;
    expect(pool.purpose).toEqual({ kind: "tier", value: "db", stage: "prod" });
    // THEN the aggregate's metadata names both, as a pool of one of them names it
    const stacks = await synthesized(enterpriseReference, model, "json");
    const platform = JSON.parse(stacks.find((s) => s.name === "platform")!.content);
    const aggregate = Object.values(
      platform.resource.openstack_compute_aggregate_v2 as Record<string, any>,
    ).find((a) => a.name.endsWith("az2-app"));
    expect(aggregate.metadata).toMatchObject({ tier: "db", stage: "prod" });
    // AND the document's pool table says both
    const { markdown } = await renderArchitecture(model);
    expect(markdown).toMatch(/\| az2-app \| tier: db, stage: prod \|/);
  });

  test("a custom purpose does not combine: the error says what does", () => {
    expect(
      issuesOf(prodDb({ tier: "db", custom: "billing" })).map((i) => [
        formatPath(i.path),
        i.message,
      ]),
    ).toEqual([
      [
        "zones[1].pools[0].purpose",
        "expected one of { tier: web|app|db }, { stage: dev|test|preprod|prod }, both, or { custom: <text> }",
      ],
    ]);
  });
});
