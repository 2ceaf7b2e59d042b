import { issuesOf, load, variant } from "../support/fixtures";
import { renderArchitecture } from "../support/documents";

/** Pool az2-app on hosts of two 960 GB disks, its flavor's root disk `diskGiB` kept locally. */
const design = (edit: (s: any) => void = () => undefined, diskGiB = 80) =>
  variant((s) => {
    s.hardware.find((h: { name: string }) => h.name === "cmp").disks = [
      { count: 2, sizeGB: 960, kind: "ssd" },
    ];
    s.zones[1].pools[0].flavors = [{ name: "app-medium", vcpus: 4, ramGiB: 8, diskGiB }];
    edit(s);
  });

describe("local instance disks bound what a pool's guests take", () => {
  test("Placement's DISK_GB places 22 guests of 80 GiB on 1,788 GiB of disks: 88 vCPUs a host", () => {
    const pool = load(design()).model.pools.find((p) => p.id === "az2-app")!;
    // (2 x 960 GB is 1,788 GiB; 1,788 / 80 is 22 guests of 4 vCPUs and 8 GiB)
    expect(pool.capacity.diskBound).toEqual({ vcpus: 88, ramGiB: 176, diskGiB: 1788 });
    const usableHosts = pool.capacity.hosts - pool.capacity.spareHosts;
    expect(pool.capacity.usableCpus).toBe(usableHosts * 88);
    expect(pool.capacity.usableRamGiB).toBe(usableHosts * 176);
    expect(pool.capacity.usableCpus).toBeLessThan(pool.capacity.schedulableVcpus);
  });

  test("a boot-from-volume flavor, instance disks in Ceph or undeclared disks leave no bound", () => {
    const capacity = (edit: (s: any) => void, diskGiB?: number) =>
      load(design(edit, diskGiB)).model.pools.find((p) => p.id === "az2-app")!.capacity;
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
      "every flavor of it has a root disk on the hosts' own disks (storage.ephemeral: local), so a host's guests take at most 88 CPUs and 176 GiB, as many as its 1788 GiB of disks place",
    );
    // AND the document says the figures count it
    const { markdown } = await renderArchitecture(model);
    expect(markdown).toContain(
      "Every flavor of pool az2-app has a root disk, kept on the hosts' own disks (storage.ephemeral: local), which Placement counts as DISK_GB: a host's 1,788 GiB of disks place guests of at most 88 vCPUs and 176 GiB RAM.",
    );
  });
});
