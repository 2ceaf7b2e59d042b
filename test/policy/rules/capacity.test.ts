import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { findingsOf, modelOf, synth, withSwift } from "../helpers";
import { load, withGpus } from "../../support/fixtures";
import { ROOT } from "../../support/blueprints";

const base = modelOf((s) => {
  for (const z of s.zones) for (const p of z.pools) p.cpuAllocationRatio = 2;
});

describe("SW-CAP-001 CPU allocation per core and per thread", () => {
  test("fails when Nova's default ratio 4 gives 8 vCPUs per core on SMT hosts", () => {
    // GIVEN the default cpuAllocationRatio 4 on hosts with 2 threads per core
    const model = modelOf();
    // THEN both pools are flagged: 8 per core > 5, 4 per thread > 3
    expect(findingsOf("SW-CAP-001", model)).toEqual([
      expect.objectContaining({
        severity: "warning",
        target: "zones.az1.pools.web.cpuAllocationRatio",
        message: expect.stringContaining("8 vCPUs per physical core and 4 per thread"),
        fix: "lower cpuAllocationRatio of pool web to at most 2.5",
      }),
      expect.objectContaining({ target: "zones.az2.pools.app.cpuAllocationRatio" }),
    ]);
  });

  test("names only the limits a pool passes", () => {
    // GIVEN ratio 3 on SMT hosts: 6 per core (above 5), 3 per thread (the limit itself)
    const model = modelOf((s) => {
      for (const z of s.zones) for (const p of z.pools) p.cpuAllocationRatio = 3;
    });
    // THEN the message says which limit is passed, and not the one that holds
    const [finding] = findingsOf("SW-CAP-001", model);
    expect(finding.message).toContain("6 vCPUs per physical core and 3 per thread");
    expect(finding.message).toMatch(/above 5 per core$/);
  });

  test("fails when hosts without SMT run more than 3 vCPUs per thread", () => {
    const model = modelOf((s) => {
      s.hardware[1].threadsPerCore = 1;
      s.zones[0].pools[0].cpuAllocationRatio = 3.5;
      s.zones[1].pools[0].cpuAllocationRatio = 3;
    });
    expect(findingsOf("SW-CAP-001", model).map((f) => f.target)).toEqual([
      "zones.az1.pools.web.cpuAllocationRatio",
    ]);
  });

  test("passes ratio 2 on SMT hosts (4 per core, 2 per thread)", () => {
    expect(findingsOf("SW-CAP-001", base)).toEqual([]);
  });

  test("passes a GPU pool whose devices keep its guests within the limits", () => {
    // GIVEN withGpus' pool at ratio 4: its guests take at most 64 vCPUs of a host's 126 threads
    const gpu = load(withGpus()).model;
    // THEN the CPU pools are flagged, the GPU pool not
    expect(findingsOf("SW-CAP-001", gpu).map((f) => f.target)).toEqual([
      "zones.az1.pools.web.cpuAllocationRatio",
      "zones.az2.pools.app.cpuAllocationRatio",
    ]);
  });

  test("passes pinned pools, whose CPUs are not shared", () => {
    const model = modelOf((s) => {
      for (const z of s.zones) for (const p of z.pools) p.cpuPinning = true;
    });
    expect(findingsOf("SW-CAP-001", model)).toEqual([]);
  });
});

describe("SW-CAP-002 RAM overcommit", () => {
  test("fails when a pool overcommits RAM", () => {
    const model = modelOf((s) => (s.zones[1].pools[0].ramAllocationRatio = 1.5));
    expect(findingsOf("SW-CAP-002", model)).toEqual([
      expect.objectContaining({
        severity: "warning",
        target: "zones.az2.pools.app.ramAllocationRatio",
        message: expect.stringContaining("1.5x"),
      }),
    ]);
  });

  test("passes ratio 1.0", () => {
    expect(findingsOf("SW-CAP-002", base)).toEqual([]);
  });
});

describe("SW-CAP-003 N+1 headroom", () => {
  test("fails when a pool keeps no spare host", () => {
    const model = modelOf((s) => (s.zones[0].pools[0].spareHosts = 0));
    expect(findingsOf("SW-CAP-003", model)).toEqual([
      expect.objectContaining({ severity: "warning", target: "zones.az1.pools.web.spareHosts" }),
    ]);
  });

  test("passes one spare host per pool", () => {
    expect(findingsOf("SW-CAP-003", base)).toEqual([]);
  });
});

describe("SW-CAP-004 Ceph replica size", () => {
  const withCeph = (protection: object) =>
    modelOf((s) => {
      s.storage = {
        ceph: { nodes: 6, hardware: "stor", osdsPerNode: 4, osdSizeTB: 4, protection },
      };
    });

  test("fails when Ceph keeps 2 replicas", () => {
    expect(findingsOf("SW-CAP-004", withCeph({ replicated: 2 }))).toEqual([
      expect.objectContaining({ severity: "error", target: "storage.ceph.protection" }),
    ]);
  });

  test("fails when erasure coding has a single coding chunk", () => {
    expect(findingsOf("SW-CAP-004", withCeph({ erasureCoded: { k: 4, m: 1 } }))).toEqual([
      expect.objectContaining({ message: expect.stringContaining("k=4+m=1") }),
    ]);
  });

  test("passes 3 replicas and erasure coding with m = 2", () => {
    expect(findingsOf("SW-CAP-004", withCeph({ replicated: 3 }))).toEqual([]);
    expect(findingsOf("SW-CAP-004", withCeph({ erasureCoded: { k: 4, m: 2 } }))).toEqual([]);
  });
});

const container = { name: "assets", purpose: "application" };

describe("SW-CAP-006 five Swift zones recommended for three replicas", () => {
  test("reports info when 3 replicas have only 3 zones", () => {
    const model = modelOf(withSwift(container, { zones: 3 }));
    expect(findingsOf("SW-CAP-006", model)).toEqual([
      expect.objectContaining({
        severity: "info",
        target: "storage.swift.zones",
        fix: "use 5 zones for 3 replicas",
      }),
    ]);
  });

  test("says a fourth zone leaves one zone for the copies, not none", () => {
    const model = modelOf(withSwift(container, { zones: 4 }));
    expect(findingsOf("SW-CAP-006", model)).toEqual([
      expect.objectContaining({
        message:
          "3 replicas over 4 zones leave one zone to re-create copies in during a zone outage, which takes all of that rebalancing, and none during a second",
      }),
    ]);
  });

  test("recommends only a zone count the storage nodes take evenly, as the spec's warnings do", () => {
    // GIVEN storage nodes whose racks keep replicas apart at 4 zones only (as 6 nodes over two
    // sites of three racks do): swift-zones-share-rack asks for 4 at 3 zones and at 5
    const base = modelOf(withSwift(container, { zones: 3 }));
    const only4 = (zones: number) => ({
      ...base,
      storage: {
        ...base.storage,
        swift: { ...base.storage.swift!, zones, zoneCounts: [4] },
      },
    });
    // THEN SW-CAP-006 asks for 4 at 3 zones, and at 4 for more nodes first (still a finding)
    expect(findingsOf("SW-CAP-006", only4(3))).toEqual([
      expect.objectContaining({ fix: "use 4 zones for 3 replicas" }),
    ]);
    expect(findingsOf("SW-CAP-006", only4(4))).toEqual([
      expect.objectContaining({
        fix: "add storage nodes (or racks for them) until 5 zones keep them even and replicas apart, then use 5 zones for 3 replicas: no count above 4 does on these 5",
      }),
    ]);
  });

  test("agrees with the spec's Swift warnings on 7 storage nodes over 3 racks, at every zone count", () => {
    // GIVEN the public cloud with its Swift nodes in 3 racks, 7 of them
    const spec = parse(fs.readFileSync(path.join(ROOT, "examples/public-cloud.yaml"), "utf8"));
    spec.zones[0].racks = spec.zones[0].racks.slice(0, 3);
    spec.storage.swift.storageNodes = 7;
    let compared = 0;
    for (const zones of [3, 4, 5, 6]) {
      spec.storage.swift.zones = zones;
      const loaded = load(structuredClone(spec));
      // WHEN both speak
      const suggested = loaded.warnings
        .filter((w) => w.code.startsWith("swift-zones"))
        .flatMap((w) => (/set zones to ([\d, or]+)/.exec(w.message)?.[1] ?? "").match(/\d+/g) ?? [])
        .map(Number);
      const [finding] = findingsOf("SW-CAP-006", loaded.model);
      // THEN SW-CAP-006 names a count the warnings name (where they name any)
      if (finding && suggested.length) {
        expect(suggested).toContain((finding.values as { zones: number }).zones);
        compared++;
      }
    }
    // (both spoke at 3 and 4 zones)
    expect(compared).toBe(2);
  });

  test("passes 5 zones for 3 replicas", () => {
    expect(findingsOf("SW-CAP-006", modelOf(withSwift(container)))).toEqual([]);
  });
});

describe("SW-CAP-009 an amphora address for every load balancer the quotas allow", () => {
  /** Octavia with a /27 amphora network and tenants allowed `each` load balancers apiece. */
  const withOctavia = (tenants: number, each: number, topology?: string) =>
    modelOf((s) => {
      s.controlPlane.services.push("octavia");
      if (topology) s.controlPlane.octaviaTopology = topology;
      s.network.networks.push({ name: "lb-mgmt", role: "octavia", cidr: "10.0.8.0/27", vlan: 30 });
      s.tenants = Array.from({ length: tenants }, (_, i) => ({
        name: `t${i}`,
        quota: { loadBalancers: each },
      }));
    });

  test("warns when the quotas allow more amphorae than the pool has addresses", () => {
    // GIVEN a /27 whose pool starts above the controllers' addresses (.11 to .13): 17 addresses
    const model = withOctavia(3, 10);
    const network = model.networks.find((n) => n.name === "lb-mgmt")!;
    expect(network.allocationPool).toEqual({ start: "10.0.8.14", end: "10.0.8.30" });
    // THEN 30 load balancers do not fit
    expect(findingsOf("SW-CAP-009", model)).toEqual([
      expect.objectContaining({
        severity: "warning",
        target: "network.networks.lb-mgmt.cidr",
        message:
          "the tenants' quotas allow 30 load balancers, one amphora each, but the allocation pool of lb-mgmt (10.0.8.0/27) has 17 addresses",
      }),
    ]);
  });

  test("counts two amphorae per load balancer when active-standby", () => {
    // GIVEN 16 load balancers, which fit the 17 addresses one amphora each
    expect(findingsOf("SW-CAP-009", withOctavia(2, 8))).toEqual([]);
    // THEN as active-standby pairs they take 32
    expect(findingsOf("SW-CAP-009", withOctavia(2, 8, "active-standby"))).toEqual([
      expect.objectContaining({
        message:
          "the tenants' quotas allow 16 load balancers, 2 amphorae each (32 in all), but the allocation pool of lb-mgmt (10.0.8.0/27) has 17 addresses",
      }),
    ]);
  });

  test("passes when they fit, and without Octavia", () => {
    expect(findingsOf("SW-CAP-009", withOctavia(2, 8))).toEqual([]);
    expect(findingsOf("SW-CAP-009", modelOf())).toEqual([]);
  });
});

describe("SW-CAP-010 servers' user data within Nova's limit", () => {
  // GIVEN bare-metal servers on an undercloud, with the given time servers by name
  const withTimeServers = (count: number) =>
    modelOf((s) => {
      s.cloud.undercloud = { cloud: "under" };
      s.ntp.servers = Array.from({ length: count }, (_, i) => `time-${i}.corp.example.com`);
    });

  test("fails on each server whose user data Nova would refuse, from the model as validate sees it", async () => {
    // WHEN 1,500 time servers go into the controllers' chrony.conf
    const model = withTimeServers(1500);
    const stacks = await synth(model);
    const written = Object.values(
      (stacks.find((s) => s.name === "baremetal")!.config as any).resource
        .openstack_compute_instance_v2,
    ).map((r: any) => Buffer.byteLength(r.user_data));
    // THEN the controllers, which ask them all (the other hosts ask the controllers), are named,
    // with the size the bare-metal stack writes
    const findings = findingsOf("SW-CAP-010", model);
    expect(findings.map((f) => f.message.split("'")[0])).toEqual(["ctrl-01", "ctrl-02", "ctrl-03"]);
    expect(findings[0]).toMatchObject({
      severity: "error",
      target: "cloud.undercloud",
      message: `ctrl-01's user data is ${Math.max(...written)} bytes, ${Math.ceil(Math.max(...written) / 3) * 4} base64 characters; Nova accepts at most 65535 (49149 bytes)`,
    });
  });

  test("passes the same design with a few time servers", () => {
    expect(findingsOf("SW-CAP-010", withTimeServers(4))).toEqual([]);
  });
});
