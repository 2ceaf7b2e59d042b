import { issuesOf, load, variant } from "../support/fixtures";
import { renderArchitecture } from "../support/documents";
import * as path from "path";
import { runChecks } from "../../policy";
import { costDesign } from "../../proposal/costing";
import { loadPriceBook } from "../../proposal/proposal";
import { ROOT } from "../support/cli";

/**
 * Pool az2-app on hosts of a system disk and two 960 GB disks for instances, its flavors' root
 * disks kept locally; no Cinder, so every guest boots from an image.
 */
const design = (edit: (s: any) => void = () => undefined, diskGiB = 80) =>
  variant((s) => {
    s.hardware.find((h: { name: string }) => h.name === "cmp").disks = [
      { count: 1, sizeGB: 480, kind: "ssd", use: "system" },
      { count: 2, sizeGB: 960, kind: "ssd" },
    ];
    s.zones[1].pools[0].flavors = [{ name: "app-medium", vcpus: 4, ramGiB: 8, diskGiB }];
    edit(s);
  });
const poolOf = (spec: ReturnType<typeof design>) =>
  load(spec).model.pools.find((p) => p.id === "az2-app")!;

describe("local instance disks bound what a pool's guests take", () => {
  test("Placement's DISK_GB places 22 guests of 80 GiB on 1,788 GiB of disks: 88 vCPUs a host", () => {
    const pool = poolOf(design());
    // (2 x 960 GB is 1,788 GiB, the system's disk apart; 1,788 / 80 is 22 guests of 4 vCPUs)
    const usableHosts = pool.capacity.hosts - pool.capacity.spareHosts;
    expect(pool.capacity.diskBound).toEqual({
      vcpus: 88,
      ramGiB: 176,
      diskGiB: 1788,
      caps: true,
      usableCpus: usableHosts * 88,
    });
    expect(pool.capacity.usableCpus).toBe(usableHosts * 88);
    expect(pool.capacity.usableRamGiB).toBe(usableHosts * 176);
  });

  test("the system's disk holds no instance disks: the one kept for it, else one of the others", () => {
    const diskOf = (disks: object[]) =>
      poolOf(
        design((s) => (s.hardware.find((h: { name: string }) => h.name === "cmp").disks = disks)),
      ).capacity.diskBound?.diskGiB;
    // (two unmarked disks: one is the system's, as cephadm's rule finds it; a lone disk is shared)
    expect(diskOf([{ count: 2, sizeGB: 960, kind: "ssd" }])).toBe(894);
    expect(diskOf([{ count: 1, sizeGB: 960, kind: "ssd" }])).toBe(894);
    // (only the system's disks, a mirror: the instances share its file system)
    expect(diskOf([{ count: 2, sizeGB: 960, kind: "ssd", use: "system" }])).toBe(894);
    expect(
      diskOf([
        { count: 1, sizeGB: 480, kind: "ssd" },
        { count: 2, sizeGB: 1920, kind: "nvme" },
      ]),
    ).toBe(3576);
  });

  test("flavors of several disk sizes are mixed as Placement fills the disks", () => {
    // GIVEN 1,788 GiB a host and an 8-vCPU and a 4-vCPU flavor of these root disks
    const bound = (a8: number, b4: number) =>
      poolOf(
        design((s) => {
          s.zones[1].pools[0].flavors = [
            { name: "a8", vcpus: 8, ramGiB: 32, diskGiB: a8 },
            { name: "b4", vcpus: 4, ramGiB: 16, diskGiB: b4 },
          ];
        }),
      ).capacity.diskBound;
    // THEN the most any mix takes counts: 3 x a8 (1,500 GiB), 24 vCPUs, more than 2 a8 and a b4
    expect(bound(500, 400)).toMatchObject({ vcpus: 24, ramGiB: 96 });
    // (1,000 + 700 fits 1,788: 12 vCPUs, where one flavor alone takes 8 or 8)
    expect(bound(1000, 700)).toMatchObject({ vcpus: 12, ramGiB: 48 });
    // AND disks past a million steps of the flavors' sizes are bound by the densest flavor
    const huge = poolOf(
      design((s) => {
        s.hardware.find((h: { name: string }) => h.name === "cmp").disks = [
          { count: 1, sizeGB: 480, kind: "ssd", use: "system" },
          { count: 2, sizeGB: 1_000_000, kind: "hdd" },
        ];
        s.zones[1].pools[0].flavors = [
          { name: "a", vcpus: 2, ramGiB: 4, diskGiB: 37 },
          { name: "b", vcpus: 4, ramGiB: 8, diskGiB: 41 },
        ];
      }),
    );
    // (2,000,000 GB is 1,862,645 GiB: 181,721 vCPUs of guests at 4 per 41 GiB, far past the
    // CPUs, so the disks bind nothing; a knapsack of that many steps ran out of memory)
    expect(huge.capacity.diskBound).toBeUndefined();
    // (the spare host held back, as ever)
    const perHost = huge.capacity.schedulableVcpus / huge.capacity.hosts;
    expect(huge.capacity.usableCpus).toBe(
      (huge.capacity.hosts - huge.capacity.spareHosts) * perHost,
    );
  });

  test("with Cinder, guests booted from volumes take no DISK_GB: the bound is said, not counted", async () => {
    const withCinder = design((s) => {
      s.controlPlane.services = [...s.controlPlane.services, "cinder"];
      s.storage = {
        ...s.storage,
        backends: [{ name: "lvm-1", kind: "lvm", volumeType: "standard" }],
      };
    });
    const loaded = load(withCinder).model;
    const pool = loaded.pools.find((p) => p.id === "az2-app")!;
    expect(pool.capacity.diskBound).toMatchObject({ vcpus: 88, caps: false });
    // (the proposal prices the CPUs guests booted from volumes reach, and says the other figure,
    // in its costing too)
    expect(loaded.capacity.imageBootCpus).toBeLessThan(loaded.capacity.usableCpus);
    const book = loadPriceBook(path.join(ROOT, "examples", "price-books", "standard.yaml"));
    expect(costDesign(loaded, book).capacity.imageBootCpus).toBe(loaded.capacity.imageBootCpus);
    expect(pool.capacity.usableCpus).toBeGreaterThan(
      (pool.capacity.hosts - pool.capacity.spareHosts) * 88,
    );
    const { markdown } = await renderArchitecture(loaded);
    expect(markdown).toContain(
      "Guests of pool az2-app booted from images keep their root disks on the hosts' own disks (storage.ephemeral: local), which Placement counts as DISK_GB: the 1,788 GiB a host's disks give instance disks place such guests of at most 88 vCPUs and 176 GiB RAM.",
    );
    // AND the growth headroom says what such guests reach beside the quotas charged to the pool
    const image = (pool.capacity.hosts - pool.capacity.spareHosts) * 88;
    expect(loaded.headroom.pools.find((h) => h.pool === "az2-app")?.imageBoot).toEqual({
      cpus: image,
      diskGiB: 1788,
      claimed: 0,
      over: false,
    });
    expect(markdown).toContain(
      `Guests of pool az2-app booted from images reach ${image.toLocaleString("en")} of its usable CPUs, as far as each host's 1,788 GiB of local disks hold their root disks (Placement's DISK_GB); past that, guests boot from volumes.`,
    );
    expect(markdown).not.toContain("The usable figures of pool az2-app");
    const claimed = load(
      design((s) => {
        s.controlPlane.services = [...s.controlPlane.services, "cinder"];
        s.storage = {
          ...s.storage,
          backends: [{ name: "lvm-1", kind: "lvm", volumeType: "standard" }],
        };
        s.tenants = [{ name: "a", pool: "app", quota: { cores: image + 8 } }];
      }),
    ).model;
    expect((await renderArchitecture(claimed)).markdown).toContain(
      `its quotas claim ${(image + 8).toLocaleString("en")}: past ${image.toLocaleString("en")}, guests must boot from volumes, else Nova finds no host with room for their disks.`,
    );
    // AND the CPU overcommit rule, which such guests may reach, is not silenced by it
    const ratio = design((s) => {
      s.controlPlane.services = [...s.controlPlane.services, "cinder"];
      s.storage = {
        ...s.storage,
        backends: [{ name: "lvm-1", kind: "lvm", volumeType: "standard" }],
      };
      s.zones[1].pools[0].cpuAllocationRatio = 8;
    });
    expect(runChecks(load(ratio).model, []).map((f) => f.ruleId)).toContain("SW-CAP-001");
  });

  test("a boot-from-volume flavor, instance disks in Ceph or undeclared disks leave no bound", () => {
    const capacity = (edit: (s: any) => void, diskGiB?: number) =>
      poolOf(design(edit, diskGiB)).capacity;
    expect(capacity(() => undefined, 0).diskBound).toBeUndefined();
    expect(
      capacity((s) => s.zones[1].pools[0].flavors.push({ name: "app-volume", vcpus: 4, ramGiB: 8 }))
        .diskBound,
    ).toBeUndefined();
    expect(
      capacity((s) => delete s.hardware.find((h: { name: string }) => h.name === "cmp").disks)
        .diskBound,
    ).toBeUndefined();
  });

  test("quotas past it are refused saying why, and the document states it", async () => {
    // GIVEN a tenant charged to the pool with more cores than its disks let guests take
    const model = load(design()).model;
    const pool = model.pools.find((p) => p.id === "az2-app")!;
    const over = design((s) => {
      s.tenants = [{ name: "a", pool: "app", quota: { cores: pool.capacity.usableCpus + 1 } }];
    });
    // THEN it is refused, naming the disks
    const [refused] = issuesOf(over).filter((i) => i.code === "quota-exceeds-capacity");
    expect(refused.message).toContain(
      "every flavor of it has a root disk on the hosts' own disks (storage.ephemeral: local), so a host's guests, which boot from images without Cinder, take at most 88 CPUs and 176 GiB, as many as its 1788 GiB of disks for them place",
    );
    // AND the document says the figures count it
    const { markdown } = await renderArchitecture(model);
    expect(markdown).toContain(
      "Every flavor of pool az2-app has a root disk, kept on the hosts' own disks (storage.ephemeral: local), which Placement counts as DISK_GB, and without Cinder every guest boots from an image: the 1,788 GiB a host's disks give instance disks place guests of at most 88 vCPUs and 176 GiB RAM.",
    );
    // AND its summary says which figures the disks bound, not only the spare hosts
    expect(markdown).toContain(
      "The usable figures of pool az2-app count what the hosts' local disks hold of their guests' root disks (every guest boots from an image there: see the compute chapter), fewer than the spare hosts alone would leave.",
    );
  });
});
