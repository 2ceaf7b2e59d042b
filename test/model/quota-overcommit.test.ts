import { formatPath } from "../../core/errors";
import { issuesOf, load, variant } from "../support/fixtures";
import { renderArchitecture } from "../support/documents";

/** Two tenants of 300 cores each on pool az2-app (496 usable vCPUs), overcommitted or not. */
const design = (quotaOvercommit?: number) =>
  variant((s) => {
    if (quotaOvercommit !== undefined) s.zones[1].pools[0].quotaOvercommit = quotaOvercommit;
    s.tenants = [
      { name: "a", pool: "app", quota: { cores: 300 } },
      { name: "b", pool: "app", quota: { cores: 300 } },
    ];
  });

describe("quotas overcommitted on a pool, on purpose", () => {
  test("without it, quotas past the pool's usable capacity are refused", () => {
    expect(issuesOf(design()).map((i) => [formatPath(i.path), i.code, i.message])).toEqual([
      [
        "tenants[0].quota.cores",
        "quota-exceeds-capacity",
        "tenant core quotas on pool az2-app add up to 600, but it offers 496 vCPUs after allocation ratios and N+1 headroom (the largest of the 2 quotas is tenant a's, 300)",
      ],
    ]);
  });

  test("with 1.5, they may add up to 1.5 times it; past that they are refused, saying so", () => {
    // GIVEN the pool's quotas overcommitted 1.5 times: 744 vCPUs
    const model = load(design(1.5)).model;
    const pool = model.pools.find((p) => p.id === "az2-app")!;
    expect([pool.capacity.usableCpus, pool.capacity.quotableCpus]).toEqual([496, 744]);
    // AND at 1.1 (545 vCPUs) the 600 are still too many, and the message names the factor
    expect(issuesOf(design(1.1)).map((i) => i.message)).toEqual([
      "tenant core quotas on pool az2-app add up to 600, but its quotas may take 545 vCPUs: 496 vCPUs after allocation ratios and N+1 headroom, times its quota overcommit 1.1 (the largest of the 2 quotas is tenant a's, 300)",
    ]);
  });

  test("the cloud's sum counts each pool's overcommit, and says what it was before", () => {
    // GIVEN pool az2-app overcommitted 1.5 times, and a tenant on no pool past the cloud's room
    const spec = (cores: number) =>
      variant((s) => {
        s.zones[1].pools[0].quotaOvercommit = 1.5;
        s.tenants = [{ name: "big", quota: { cores, ramGiB: 10 } }];
      });
    const pools = load(spec(1)).model.pools;
    const usable = pools.reduce((t, p) => t + p.capacity.usableCpus, 0);
    const room = pools.reduce((t, p) => t + p.capacity.quotableCpus, 0);
    expect(room).toBe(usable + 248);
    // THEN up to the room it passes, past it the message gives both figures
    expect(issuesOf(spec(room + 1)).map((i) => i.message)).toEqual([
      `tenant core quotas on the cloud add up to ${room + 1}, but its quotas may take ${room} vCPUs: ${usable} vCPUs after allocation ratios and N+1 headroom, times the pools' quota overcommit`,
    ]);
    expect(load(spec(room)).warnings.map((w) => w.code)).not.toContain("quota-exceeds-capacity");
  });

  test("the document says the quotas are overcommitted and what that bets on", async () => {
    const { markdown } = await renderArchitecture(load(design(1.5)).model);
    // THEN the headroom goes below zero, and the line under the table says why
    expect(markdown).toMatch(/\| az2-app \| 496 \| 600 \| -21\.0% \|/);
    expect(markdown).toContain(
      "The quotas on pool az2-app may add up to 1.5 times its usable capacity (quotaOvercommit), 744 vCPUs and ",
    );
    expect(markdown).toContain(
      "Nova admits instances until the hosts are full, so a tenant may find no room before its quota is used",
    );
    expect(markdown).toContain("and the headroom above goes below zero.");
    // AND with quotas within the usable capacity, the line says no such thing
    const within = await renderArchitecture(
      load(
        variant((s) => {
          s.zones[1].pools[0].quotaOvercommit = 1.5;
          s.tenants = [{ name: "a", pool: "app", quota: { cores: 100 } }];
        }),
      ).model,
    );
    expect(within.markdown).toContain("The quotas on pool az2-app may add up to 1.5 times");
    expect(within.markdown).not.toContain("goes below zero");
    // AND the risks name it as a bet the design makes, with how to watch it
    expect(markdown).toContain(
      "| Tenant quotas of pool az2-app exceed its usable capacity, as its quota overcommit 1.5 allows: not every tenant can use its whole quota at once | watch the pool's use (Placement's usages of its hosts) and add hosts before it fills |",
    );
  });

  test("a factor below 1 is refused with why", () => {
    expect(issuesOf(design(0.5)).map((i) => [formatPath(i.path), i.message])).toEqual([
      [
        "zones[1].pools[0].quotaOvercommit",
        "must be at least 1: quotas may add up to the pool's capacity or more",
      ],
    ]);
  });
});
