import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { ROOT } from "../support/blueprints";
import { availabilityModel, hostGroupOf, kOfN, NODE_AVAILABILITY } from "../../model/design-facts";
import { withEtcdRow } from "../../model/ha";
import { loadSpecFile } from "../../model/load";
import type { Model } from "../../model/types";
import {
  baseSpec,
  cephCluster,
  erasureCodedCeph,
  erasureCodedStorage,
  issuesOf,
  load,
  swiftAcrossRacks,
  swiftAtTwoSites,
  swiftCluster,
  variant,
  withOctavia,
} from "../support/fixtures";
import { renderArchitecture } from "../support/documents";
import { swiftRingPlan } from "../../artifacts/swift-rings";

const example = (name: string) => loadSpecFile(path.join("examples", `${name}.yaml`)).model;

describe("availability composed from the HA table", () => {
  test("a row is up while at most its tolerated failures are down", () => {
    // GIVEN servers up 99.9% of the time
    const a = 0.999;
    // THEN one node is a, a quorum of 3 survives one failure, N+0 needs every host
    expect(kOfN(1, 0, a)).toBeCloseTo(0.999, 12);
    expect(kOfN(3, 1, a)).toBeCloseTo(a ** 3 + 3 * (1 - a) * a ** 2, 12);
    expect(kOfN(4, 0, a)).toBeCloseTo(a ** 4, 12);
    expect(kOfN(5, 5, a)).toBeCloseTo(1, 12);
  });

  test("the design's figure is the product of its rows, from the model's HA rows", () => {
    // GIVEN the enterprise example
    const model = example("enterprise-reference");
    // THEN every HA row has its availability, in order, and they multiply
    expect(model.availability.nodeAvailability).toBe(NODE_AVAILABILITY);
    expect(model.availability.rows.map((r) => r.kind)).toEqual(model.ha.map((r) => r.kind));
    const least = new Map<string, number>();
    for (const r of model.ha) {
      const a = kOfN(r.nodes, r.failuresTolerated, NODE_AVAILABILITY);
      least.set(hostGroupOf(r), Math.min(least.get(hostGroupOf(r)) ?? 1, a));
    }
    const product = [...least.values()].reduce((p, a) => p * a, 1);
    expect(least.size).toBeLessThan(model.ha.length);
    expect(model.availability.composite).toBeCloseTo(product, 12);
    expect(model.availability.downtimeHoursPerYear).toBeCloseTo((1 - product) * 8766, 6);
    // the devtest pool keeps no spare host, so it is the weakest row
    const weakest = model.availability.rows[model.availability.weakest];
    expect(weakest.params).toMatchObject({ pool: "zone-b-devtest" });
    expect(availabilityModel(model.ha, 1).composite).toBe(1);
  });
});

describe("HA rows", () => {
  test("services sharing one controller count once in the composed figure", () => {
    // GIVEN one controller that runs every service, one network node, one compute host
    const model = example("three-node");
    // THEN the figure is controller x network node x compute host x NTP, not 0.999 per service
    const a = NODE_AVAILABILITY;
    expect(model.availability.composite).toBeCloseTo(a * a * a * kOfN(2, 1, a), 12);
  });

  test("list scheduler/conductor, cinder-volume, heat-engine and the storage hosts", () => {
    const kinds = example("enterprise-reference").ha.map((r) => r.kind);
    expect(kinds).toEqual(
      expect.arrayContaining([
        "nova-scheduler",
        "cinder-volume",
        "heat-engine",
        "ceph-osd-hosts-fill-estimated",
        "swift-storage-hosts",
      ]),
    );
  });

  test("no service on the controllers outlives the database's and queue's quorum", async () => {
    // GIVEN three controllers: Galera and RabbitMQ keep quorum with one down
    const model = example("enterprise-reference");
    const tolerated = Object.fromEntries(model.ha.map((r) => [r.kind, r.failuresTolerated]));
    // THEN the services that need them tolerate one too, not two; memcached needs neither
    expect(tolerated).toMatchObject({
      "database-galera": 1,
      "mq-cluster": 1,
      "apis-keepalived": 1,
      "nova-scheduler": 1,
      "cinder-volume": 1,
      etcd: 1,
      "heat-engine": 1,
      cache: 2,
    });
    // AND the document says why, under the table
    const { markdown } = await renderArchitecture(model);
    expect(markdown).toContain(
      "The OpenStack APIs and services on the controllers read the database and talk through the message queue: their rows tolerate no more controllers down than those quorums do. memcached and the routers already set up keep working past them.",
    );
    // AND etcd on one controller is no Raft cluster
    expect(withEtcdRow([], 1)).toEqual([
      expect.objectContaining({ kind: "etcd-single", nodes: 1, failuresTolerated: 0 }),
    ]);
    // AND one controller has no such note
    expect((await renderArchitecture(example("three-node"))).markdown).not.toContain(
      "than those quorums do",
    );
  });

  test("list Octavia and telemetry where the design runs them", () => {
    const kinds = example("public-cloud").ha.map((r) => r.kind);
    expect(kinds).toEqual(expect.arrayContaining(["octavia-active-standby", "telemetry"]));
  });

  test("describe an OVN design without L3 or DHCP agents", () => {
    // GIVEN the Geneve (ML2/OVN) example
    const ha = example("cloud-in-a-box").ha;
    // THEN its rows are OVN's databases and gateways, not VRRP routers and DHCP agents
    expect(ha.map((r) => r.kind)).toEqual(
      expect.arrayContaining(["ovn-db", "ovn-gateways-controllers"]),
    );
    expect(ha.some((r) => r.kind.startsWith("l3-"))).toBe(false);
    const network = ha.filter((r) => r.kind.startsWith("ovn-"));
    expect(network.map((r) => r.mechanism).join(" ")).not.toMatch(/VRRP|DHCP agent/);
  });

  test("never call a single node active/active", () => {
    // GIVEN the three-node example: one controller, one network node
    const ha = example("three-node").ha;
    // THEN its one-node rows say there is no failover (the deployment host is outside the data
    // path: the cloud runs on without it)
    for (const r of ha.filter((x) => x.nodes === 1 && !x.kind.startsWith("deployer"))) {
      expect(r.mechanism).not.toMatch(/active\/active|redundant|every controller/);
      expect(r.failuresTolerated).toBe(0);
    }
    expect(ha.find((r) => r.kind === "apis-single")?.mechanism).toMatch(/no failover/);
  });

  test("say Glance runs on one controller when images are on its disk, as Kolla places it", () => {
    // GIVEN three controllers with images on their disks (cloud-in-a-box), and in Ceph
    const file = example("cloud-in-a-box");
    const ceph = example("enterprise-reference");
    expect([file.storage.imageBackend, ceph.storage.imageBackend]).toEqual(["file", "ceph"]);
    expect(file.controlPlane.controllers.length).toBe(3);
    // THEN Kolla's glance_api_hosts (the first glance-api host for a file store) is the row
    const row = file.ha.find((r) => r.kind === "images-file");
    expect(row).toMatchObject({ nodes: 1, failuresTolerated: 0 });
    expect(row?.mechanism).toMatch(/first controller only.*no failover/);
    expect(ceph.ha.some((r) => r.kind === "images-file")).toBe(false);
    // AND the validator says so, at the image backend
    const warned = load(variant((s) => (s.storage = { image: { backend: "file" } }))).warnings;
    expect(warned.map((w) => [w.code, w.path.join(".")])).toContainEqual([
      "glance-file-single",
      "storage.image.backend",
    ]);
  });

  test("say a failed OSD host's data stays degraded when no failure domain is spare", () => {
    // GIVEN 3 copies on 3 racks (none spare), and on 4 hosts with the host as failure domain
    const ceph = (nodes: number, racks: string[]) =>
      load(
        variant((s) => {
          s.zones = [{ ...s.zones[0], racks }];
          s.storage = {
            ceph: { nodes, hardware: "stor", osdsPerNode: 4, osdSizeTB: 4 },
            backends: [{ name: "rbd", kind: "ceph", volumeType: "standard" }],
          };
        }),
      ).model;
    const facts = (m: Model) => ({
      domains: m.storage.ceph?.failureDomains,
      row: m.ha.find((r) => r.kind.startsWith("ceph-osd-hosts"))?.kind,
      outcome: m.recovery.find((r) => r.scenario === "host-storage")?.outcome,
    });
    // THEN only where a domain is spare does Ceph re-replicate
    expect(facts(ceph(3, ["r1", "r2", "r3"]))).toEqual({
      domains: 3,
      row: "ceph-osd-hosts-no-spare",
      outcome: "stays-degraded",
    });
    expect(facts(ceph(4, ["r1"]))).toEqual({
      domains: 4,
      row: "ceph-osd-hosts-fill",
      outcome: "re-replicate",
    });
  });

  test("count Swift's data by its weakest storage policy, and list the policies", async () => {
    // GIVEN Swift over 3 zones with policies gold (3 copies, default) and bronze (2 copies)
    const m = load(
      variant((s) => {
        s.controlPlane.services = [...s.controlPlane.services, "swift"];
        s.storage = {
          swift: swiftCluster({
            policies: [
              { name: "gold", default: true },
              { name: "bronze", replicas: 2 },
            ],
          }),
        };
      }),
    ).model;
    // THEN bronze's objects survive one zone's loss, not two
    expect(m.ha.find((r) => r.component === "Swift objects")).toMatchObject({
      kind: "swift-objects-policies",
      params: { replicas: 2, most: 3, zones: 3, policy: "bronze" },
      failuresTolerated: 1,
    });
    expect(m.ha.find((r) => r.kind === "swift-storage-hosts")?.failuresTolerated).toBe(1);
    // AND a failed storage host is served by the other copies, not copied again until its
    // devices leave the rings (Swift's replicator hands off only a 507, never a host down)
    expect(m.ha.find((r) => r.kind === "swift-storage-hosts")?.mechanism).toMatch(
      /the other replicas serve a failed host's objects, and new writes go to handoff nodes; its partitions are copied again only once its devices are removed from the rings/,
    );
    // AND the document lists each policy with its ring
    const { markdown } = await renderArchitecture(m);
    expect(markdown).toContain(
      "| gold | 0 | 3 replicas | object | yes |\n| bronze | 1 | 2 replicas | object-1 | no |",
    );
    expect(markdown).toContain(
      "2 to 3 replicas by storage policy over 3 zones (the fewest in bronze)",
    );
  });

  test("size Swift by its default policy and recover a host by its weakest", async () => {
    // GIVEN Swift of 48 raw TB with 3 copies in its account and container rings, a default
    // policy of 2 copies and another of 3
    const m = load(
      variant((s) => {
        s.controlPlane.services = [...s.controlPlane.services, "swift"];
        s.storage = {
          swift: swiftCluster({
            policies: [{ name: "triple" }, { name: "pair", replicas: 2, default: true }],
          }),
        };
      }),
    ).model;
    const swift = m.storage.swift!;
    // THEN the usable capacity is the raw capacity over the default policy's 2 copies
    expect(swift).toMatchObject({ replicas: 3, objectReplicas: 2, fewestReplicas: 2 });
    expect([swift.rawTB, swift.usableTB]).toEqual([48, 24]);
    // AND losing a storage host leaves pair's objects one copy, as the HA table says
    expect(m.recovery.find((r) => r.scenario === "host-storage")?.params).toEqual({ copies: 2 });
    // AND the document names the copies its usable figure assumes
    const { markdown } = await renderArchitecture(m);
    expect(markdown).toContain("| Usable capacity at the default policy's 2 replicas (TB) | 24 |");
  });

  test("recover Swift's objects apart from Ceph's copies when both keep data", async () => {
    // GIVEN Ceph keeping 3 copies, and Swift with a policy of a single replica
    const m = load(
      variant((s) => {
        s.controlPlane.services = [...s.controlPlane.services, "swift"];
        s.storage = {
          backends: [{ name: "rbd", kind: "ceph", volumeType: "standard" }],
          ceph: cephCluster({ nodes: 3 }),
          swift: swiftCluster({
            policies: [
              { name: "gold", default: true },
              { name: "scratch", replicas: 1 },
            ],
          }),
        };
      }),
    ).model;
    // THEN a Ceph host's loss keeps the volumes, and a Swift host's loses scratch's objects
    expect(
      m.recovery.filter(
        (r) =>
          r.scenario.startsWith("host-") &&
          r.scenario !== "host-compute" &&
          r.scenario !== "host-controller",
      ),
    ).toEqual([
      {
        scenario: "host-storage",
        outcome: "stays-degraded",
        params: { copies: 3 },
        dataLoss: "none",
      },
      {
        scenario: "host-object-storage",
        outcome: "restore",
        params: { copies: 1 },
        dataLoss: "since-last-backup",
      },
    ]);
    const { markdown } = await renderArchitecture(m);
    expect(markdown).toContain(
      "| A Swift storage host | service stops until the node is repaired or rebuilt and restored | changes since the last backup |",
    );
  });

  test("say how Swift serves a lost host's objects from their other replicas", async () => {
    // GIVEN Swift alone, 3 replicas
    const m = load(
      variant((s) => {
        s.controlPlane.services = [...s.controlPlane.services, "swift"];
        s.storage = { swift: swiftCluster() };
      }),
    ).model;
    // THEN the storage host row is Swift's: handoffs, not Ceph's re-replication
    expect(m.recovery.find((r) => r.scenario === "host-storage")).toEqual({
      scenario: "host-storage",
      outcome: "swift-replicas",
      params: { copies: 3 },
      dataLoss: "none",
    });
    const { markdown } = await renderArchitecture(m);
    expect(markdown).toContain(
      "| A storage host | the other replicas serve the objects (3 in all, the fewest of any storage policy) and new writes go to handoff nodes; the objects are copied again only once the host's disks are removed from the rings | none (synchronous copies) |",
    );
  });

  test("say what an erasure-coded host and a rack without shared storage cost", async () => {
    // GIVEN Ceph with erasure coding 4+2 on six hosts, and a design without Ceph or Swift
    const ec = erasureCodedCeph();
    const local = load(baseSpec()).model;
    // THEN a storage host's loss leaves 5 of 6 chunks, any 4 of which rebuild an object
    expect(ec.recovery.find((r) => r.scenario === "host-storage")).toEqual({
      scenario: "host-storage",
      outcome: "stays-degraded-ec",
      params: { k: 4, chunks: 6, survivors: 5 },
      dataLoss: "none",
    });
    // AND a rack's loss keeps no copy elsewhere: its local instance disks are lost
    const rack = local.recovery.find((r) => r.scenario === "rack");
    expect(rack).toMatchObject({ dataLoss: "instance-disks" });
    expect(rack?.outcome).toMatch(/-local$/);
    // AND the document says so in words, with every placeholder filled
    for (const m of [ec, local]) {
      const { markdown } = await renderArchitecture(m);
      const start = markdown.indexOf("## Disaster recovery");
      const table = markdown.slice(start, markdown.indexOf("\n## ", start + 1));
      expect(table).not.toMatch(/\{[a-z]+\}|another ;|\(\d+ in all\)/i);
    }
    const { markdown } = await renderArchitecture(ec);
    expect(markdown).toContain(
      "the other 5 of each object's 6 chunks serve the data (any 4 rebuild it), degraded until the host returns",
    );
  });

  test("a rack's loss leaves an erasure-coded cluster chunks, not copies, outside the rack", async () => {
    // GIVEN 4+2 over seven racks: chunks go to distinct racks
    const m = load(
      variant((s) => {
        s.zones[0].racks = ["r1", "r2", "r3", "r4", "r5", "r6", "r7"];
        s.storage = erasureCodedStorage({ nodes: 7 });
      }),
    ).model;
    expect(m.recovery.find((r) => r.scenario === "rack")?.params).toMatchObject({
      domain: "rack",
      ec: 1,
    });
    const { markdown } = await renderArchitecture(m);
    expect(markdown).toContain(
      "controllers keep quorum and storage keeps enough chunks of everything outside the rack;",
    );
  });

  test("count neither a deployment host on a controller against availability nor EC data past m - 1", () => {
    // GIVEN the deployment host on the first controller, and Ceph with erasure coding 4+2
    const m = erasureCodedCeph();
    // THEN the deployer tolerates its own failure, as the cloud runs on
    expect(m.ha.find((r) => r.kind === "deployer-controller")).toMatchObject({
      failuresTolerated: 1,
    });
    // AND I/O of k+m=6 chunks stops below min_size k+1 = 5: one failure tolerated, not two
    expect(m.ha.find((r) => r.kind === "ceph-erasure-coded")).toMatchObject({
      failuresTolerated: 1,
    });
    expect(m.ha.find((r) => r.kind.startsWith("ceph-osd-hosts"))).toMatchObject({
      failuresTolerated: 1,
    });
  });

  test("keep cinder-volume of host-local backends on their hosts, without failover", () => {
    const model = load(
      variant((s) => {
        s.storage = { backends: [{ name: "local", kind: "lvm", volumeType: "standard" }] };
      }),
    ).model;
    // THEN no active/active cinder-volume row; the block-storage row says volumes stay put
    expect(model.ha.some((r) => r.kind === "cinder-volume")).toBe(false);
    expect(model.ha.find((r) => r.kind.startsWith("block-storage"))).toMatchObject({
      failuresTolerated: 0,
    });
  });
});

describe("rack elevations, headroom, recovery and risks", () => {
  const model = example("enterprise-reference");

  test("every racked node sits in exactly one rack elevation, controllers on top", () => {
    const placed = model.racks.flatMap((r) => r.nodes.map((n) => n.name)).sort();
    expect(placed).toEqual(
      model.nodes
        .filter((n) => n.rack)
        .map((n) => n.name)
        .sort(),
    );
    const a01 = model.racks.find((r) => r.name === "a01");
    expect(a01).toMatchObject({ zones: ["zone-a"], site: "dc1" });
    expect(a01?.nodes[0].role).toBe("controller");
    expect(a01?.nodes.at(-1)?.role).toBe("compute");
  });

  test("growth headroom is usable capacity less the tenant quotas of each pool", () => {
    for (const h of model.headroom.pools) {
      const pool = model.pools.find((p) => p.id === h.pool);
      expect(h.usableVcpus).toBe(
        (pool?.capacity.usableVcpus ?? 0) + (pool?.capacity.usableDedicatedCpus ?? 0),
      );
      const quota = model.tenants
        .filter((t) => t.pool === pool?.name || t.pool === pool?.id)
        .reduce((s, t) => s + t.quota.cores, 0);
      expect(h.quotaVcpus).toBe(quota);
      expect(h.vcpuHeadroom).toBeCloseTo((h.usableVcpus - quota) / h.usableVcpus, 12);
    }
    for (const n of model.headroom.networks) {
      const net = model.networks.find((x) => x.name === n.network);
      expect(n.free).toBeLessThanOrEqual(
        (net?.usableAddresses ?? 0) -
          (net?.allocatedAddresses ?? 0) -
          (net?.reservations.length ?? 0),
      );
    }
    // public: 254 usable, 3 controllers, gateway and VIP reserved, floating pool .100-.250
    expect(model.headroom.networks.find((n) => n.network === "public")).toMatchObject({
      planned: 3,
      free: 254 - 3 - 2 - 151,
    });
    // unix-bridge: gateway and next hop reserved, DHCP pool .11-.253
    expect(model.headroom.networks.find((n) => n.network === "unix-bridge")?.free).toBe(
      254 - 2 - 243,
    );
    expect(model.headroom.networks.find((n) => n.network === "api")?.free).toBe(254 - 26 - 1);
  });

  test("recovery follows the design: rack failure domain survives a rack, one site does not", () => {
    const byScenario = Object.fromEntries(model.recovery.map((r) => [r.scenario, r]));
    // (its instance disks are local: those of the rack's compute hosts are lost with it)
    expect(byScenario.rack).toMatchObject({
      outcome: "survives-short",
      dataLoss: "instance-disks",
    });
    // (its Cinder backups are in its own Swift, at the one site: lost with it)
    expect(byScenario.site).toMatchObject({
      outcome: "rebuild-backups-on-site",
      // (named as the documents name the store)
      params: { backup: "Swift" },
      dataLoss: "not-off-site",
    });
    // its devtest pool keeps no spare host; a design with N+1 everywhere evacuates
    expect(byScenario["host-compute"].outcome).toBe("some-spare");
    const spared = load(baseSpec()).model.recovery.find((r) => r.scenario === "host-compute");
    expect(spared).toMatchObject({ outcome: "evacuate", params: { spare: 1 } });
  });

  test("a compute host's hard anti-affinity members are said to need a host without their group", async () => {
    // GIVEN enterprise-reference's db pool (4 hosts, N+1) offering the anti-affinity group
    // db-cluster, and the base design, whose pools offer none
    const row = (m: Model) => m.recovery.find((r) => r.scenario === "host-compute")!;
    const enterprise = example("enterprise-reference");
    // THEN the host row says an evacuated member needs a host holding none of its group (Nova's
    // anti-affinity filter schedules the evacuation too), and only where such a group is offered
    expect(row(enterprise).caveat).toBe("anti-affinity-evacuate");
    expect(row(load(baseSpec()).model).caveat).toBeUndefined();
    // AND a hard affinity group's members, on one host, are evacuated nowhere (Nova skips the
    // failed host, and the group allows no other)
    const grouped = (policies: string[]) =>
      row(
        load(
          variant(
            (s) =>
              (s.zones[0].pools[0].serverGroups = policies.map((policy, i) => ({
                name: `g${i}`,
                policy,
              }))),
          ),
        ).model,
      ).caveat;
    expect(grouped(["affinity"])).toBe("affinity-evacuate");
    expect(grouped(["affinity", "anti-affinity"])).toBe("affinity-anti-affinity-evacuate");
    expect(grouped(["soft-affinity", "soft-anti-affinity"])).toBeUndefined();
    expect((await renderArchitecture(enterprise)).markdown).toContain(
      "a member of a hard anti-affinity server group goes only to a host holding fewer of its group than the group allows (maxServersPerHost, 1 unless set), so a group filling every host of its pool waits for the repair",
    );
  });

  test("a design of several sites is not called a single site", () => {
    const twoSites = load(
      variant((s) => {
        s.sites = [{ name: "north" }, { name: "south" }];
        s.zones[0].site = "north";
        s.zones[1].site = "south";
      }),
    ).model;
    // (the controllers stand in north's racks, the only ones declared: its loss stops the cloud)
    expect(twoSites.recovery.find((r) => r.scenario.includes("site"))).toMatchObject({
      scenario: "one-of-sites",
      outcome: "site-quorum-rebuild-no-backup",
      params: { sites: 2, site: "north", controllers: 3 },
    });
    expect(twoSites.risks.some((r) => r.kind === "site")).toBe(false);
    expect(load(baseSpec()).model.recovery.find((r) => r.scenario === "site")?.outcome).toBe(
      "rebuild-no-backup",
    );
  });

  test("risks name each component without redundancy", () => {
    const three = example("three-node");
    const spofs = three.risks.filter((r) => r.kind === "spof").map((r) => r.params.row);
    expect(spofs).toEqual(
      expect.arrayContaining(three.ha.filter((r) => r.failuresTolerated === 0).map((r) => r.kind)),
    );
    expect(load(baseSpec()).model.risks.some((r) => r.kind === "site")).toBe(true);
  });

  test("alternatives record the choice the design made", () => {
    expect(model.alternatives).toEqual(
      expect.arrayContaining([
        {
          decision: "tenant-network",
          options: ["vlan", "vxlan", "gre", "geneve"],
          chosen: "vxlan",
        },
        {
          decision: "ceph-protection",
          options: ["replicated", "erasure-coded"],
          chosen: "replicated",
        },
      ]),
    );
  });
});

describe("recovery states what the design's own counts allow", () => {
  test("a controller's failure leaves the others, a rack or zone failure names what runs short", () => {
    // GIVEN the enterprise example: 3 controllers, all in zone-a; pools with 2 hosts per rack
    const model = example("enterprise-reference");
    const byScenario = Object.fromEntries(model.recovery.map((r) => [r.scenario, r]));
    // THEN the survivors of a controller failure are 2, not 3
    expect(byScenario["host-controller"]).toMatchObject({
      outcome: "failover",
      params: { controllers: 3, others: 2 },
      dataLoss: "none",
    });
    // AND one controller without Galera loses its database, which nothing in the design backs
    // up (cinder-backup keeps volumes): no "last backup" is promised
    const single = example("three-node");
    expect(single.recovery.find((r) => r.scenario === "host-controller")?.dataLoss).toBe(
      "database",
    );
    expect(single.recovery.some((r) => r.dataLoss === "since-last-backup")).toBe(false);
    // only the devtest pool waits; the others evacuate
    expect(byScenario["host-compute"]).toMatchObject({
      outcome: "some-spare",
      params: { pools: ["zone-b-devtest"], poolCount: 1 },
    });
    // zone-a-app keeps 1 spare host but has 2 hosts in rack a01
    expect(byScenario.rack.outcome).toBe("survives-short");
    expect(byScenario.rack.params.pools).toContain("zone-a-app");
    // losing zone-a loses two of the three controllers: the cloud stops; either zone holds more
    // of Ceph's five racks than a placement group can lose (3 copies, min_size 2); and zone-a 3
    // of the 5 Swift zones, so objects whose 3 replicas all landed there
    expect(byScenario.zone).toMatchObject({
      outcome: "zone-quorum-storage-objects-lost",
      params: {
        zone: "zone-a",
        controllers: 2,
        total: 3,
        storageZones: ["zone-a", "zone-b"],
        objectsZone: ["zone-a"],
        swiftZones: 3,
        copies: 3,
      },
      // (zone-a holds 3 of Ceph's 5 racks and 3 of Swift's 5 zones, where cinder-backup keeps
      // the backups: some volumes and their backups go together)
      dataLoss: "not-off-site",
    });
  });
});

test("backups are lost with the data only where the volumes are lost too", () => {
  // GIVEN the reference design (Ceph by rack, backups in Swift) with three Swift storage nodes
  // in rack a01
  const spec = parse(
    fs.readFileSync(path.join(ROOT, "examples", "enterprise-reference.yaml"), "utf8"),
  );
  spec.hosts = ["swift-obj-01", "swift-obj-02", "swift-obj-03"].map((name) => ({
    name,
    addresses: {},
    rack: "a01",
  }));
  const rack = load(spec).model.recovery.find((r) => r.scenario === "rack");
  // THEN a01 takes some objects (backups among them), while Ceph keeps every volume elsewhere:
  // what is lost is what changed since the last backup, not every copy not off site
  expect(rack?.dataLoss).toBe("since-last-backup");
  expect(rack?.outcome).toBe("objects-lost");
});

test("volumes on a rack's LVM or ZFS host are lost with it, and their backups where Swift's are too", () => {
  // GIVEN trystack: ZFS volumes on vol-01 and vol-02, backups in Swift
  const spec = parse(fs.readFileSync(path.join(ROOT, "examples", "trystack.yaml"), "utf8"));
  const rackRow = (s: any) => load(s).model.recovery.find((r) => r.scenario === "rack");
  // THEN a rack holding a volume host loses its volumes: what changed since the last backup
  expect(rackRow(spec)?.dataLoss).toBe("since-last-backup");
  // AND with every Swift storage node in that rack too, the backups go with them
  spec.hosts = [
    ...["swift-obj-01", "swift-obj-02", "swift-obj-03"].map((name) => ({
      name,
      addresses: {},
      rack: "r1",
    })),
    { name: "vol-01", addresses: {}, rack: "r1" },
  ];
  expect(rackRow(spec)?.dataLoss).toBe("not-off-site");
});

describe("recovery counts Swift's copies by rack and zone", () => {
  // Three zones of one rack each, a controller in each; Swift alone keeps the data.
  const swiftDesign = (zones: number) =>
    load(
      variant((s) => {
        s.zones = ["a", "b", "c"].map((z) => ({
          name: `az-${z}`,
          racks: [`r-${z}`],
          pools: [{ name: `gen-${z}`, purpose: { tier: "web" }, hosts: 2, hardware: "cmp" }],
        }));
        s.controlPlane.services = [...s.controlPlane.services, "swift"];
        s.storage = { swift: swiftCluster({ storageNodes: 4, zones, replicas: 2 }) };
      }),
    );

  test("no Ceph is not called a zone holding Ceph's copies", async () => {
    const { model } = swiftDesign(3);
    expect(model.storage.ceph).toBeUndefined();
    expect(model.recovery.find((r) => r.scenario === "zone")).toMatchObject({
      outcome: "zone-capacity",
    });
    // AND its instances are not said to restart elsewhere: each flavor is pinned to its pool's
    // aggregate (aggregate_instance_extra_specs:pool), which lies in one zone
    const { markdown } = await renderArchitecture(model);
    expect(markdown).toContain(
      "| An availability zone | instances of the zone stay down until it returns: their flavors place them only on their own pool's hosts",
    );
    expect(markdown).not.toContain("restart in the other zones");
  });

  test("a rack holding storage nodes of as many Swift zones as replicas loses objects, and is warned", () => {
    // GIVEN 4 storage nodes round-robin over 3 racks and into 4 zones: r-a holds zones 1 and 4
    const { model, warnings } = swiftDesign(4);
    const byScenario = Object.fromEntries(model.recovery.map((r) => [r.scenario, r]));
    // THEN the rack and zone rows say so, and lose data, not "a copy in another Swift zone"
    expect(byScenario.rack).toMatchObject({
      outcome: "objects-lost",
      params: { place: ["r-a"], swiftZones: 2, copies: 2 },
      dataLoss: "not-backed-up",
    });
    expect(byScenario.zone).toMatchObject({
      outcome: "zone-objects-lost",
      params: { zone: ["az-a"] },
      dataLoss: "not-backed-up",
    });
    const warning = warnings.find((w) => w.code === "swift-zones-share-rack");
    expect(warning?.message).toContain("rack r-a holds Swift storage nodes of zones 1, 4");
    expect(warning?.message).toContain("set zones to 3");
    // AND the zone count it suggests keeps each zone in one rack: the copies survive
    const fixed = swiftDesign(3);
    expect(fixed.warnings.map((w) => w.code)).not.toContain("swift-zones-share-rack");
    expect(fixed.model.recovery.find((r) => r.scenario === "rack")?.params).toMatchObject({
      domain: "swift-zone",
    });
  });
});

test("an availability zone holding as many Swift zones as replicas is warned, racks apart or not", () => {
  // GIVEN two zones of two racks each, a Swift node per rack, 2 replicas over 4 Swift zones
  const { warnings } = load(
    variant((s) => {
      s.zones = ["a", "b"].map((z) => ({
        name: `az-${z}`,
        racks: [`${z}1`, `${z}2`],
        pools: [{ name: `gen-${z}`, purpose: { tier: "web" }, hosts: 2, hardware: "cmp" }],
      }));
      s.controlPlane.services = [...s.controlPlane.services, "swift"];
      s.storage = { swift: swiftCluster({ storageNodes: 4, zones: 4, replicas: 2 }) };
    }),
  );
  // THEN each rack holds one Swift zone, but az-a holds two (the nodes alternate between the
  // zones' racks): both copies of some objects
  expect(warnings.find((w) => w.code === "swift-zones-share-rack")?.message).toContain(
    "the racks of availability zone az-a hold Swift storage nodes of zones 1, 3",
  );
});

describe("recovery places Swift's replicas as the ring builder does: by region and weight", () => {
  const design = (racks: string[][], swift: Record<string, unknown>) =>
    load(swiftAcrossRacks(racks, swift));
  const row = (d: ReturnType<typeof design>, scenario: string) =>
    d.model.recovery.find((r) => r.scenario === scenario);

  test("a zone of two Swift zones of one region keeps no object whole when another region has weight", () => {
    // GIVEN racks a1, b1, a2, b2 and 4 nodes in 4 Swift zones: az-1 holds zones 1 and 3
    const racks = [
      ["a1", "a2"],
      ["b1", "b2"],
    ];
    const one = design(racks, { storageNodes: 4, zones: 4, replicas: 2 });
    // THEN either availability zone holds both replicas of some objects: both are named
    expect(row(one, "zone")).toMatchObject({
      outcome: "zone-quorum-objects-lost",
      params: { objectsZone: ["az-1", "az-2"], objectsZoneCount: 2, swiftZones: 2, copies: 2 },
    });
    // WHEN the zones alternate between 2 regions: zones 1 and 3 are both in region 1
    const regions = design(racks, { storageNodes: 4, zones: 4, regions: 2, replicas: 2 });
    // THEN the builder keeps one of the 2 replicas in region 2 (its floor is 1): no loss
    expect(regions.warnings.map((w) => w.code)).not.toContain("swift-zones-share-rack");
    expect(row(regions, "zone")?.outcome).toBe("zone-quorum");
  });

  test("every storage node in one rack of several is warned, as the rack row counts it", () => {
    // GIVEN 3 storage nodes in 3 zones, all kept in rack r-a of racks r-a and r-b
    const swift = { storageNodes: 3, zones: 3, replicas: 2 };
    const names = design([["r-a"], ["r-b"]], swift).model.storage.swift!.storageNodes;
    const pinned = load(
      variant((s) => {
        Object.assign(s, swiftAcrossRacks([["r-a"], ["r-b"]], swift));
        s.hosts = names.map((name) => ({ name, addresses: {}, rack: "r-a" }));
      }),
    );
    // THEN the rack row loses data and the warning names the rack, though no other rack holds
    // a storage node
    expect(row(pinned, "rack")).toMatchObject({
      params: { place: ["r-a"] },
      dataLoss: "not-backed-up",
    });
    expect(pinned.warnings.find((w) => w.code === "swift-zones-share-rack")?.message).toContain(
      "rack r-a holds Swift storage nodes of zones 1, 2, 3",
    );
  });

  test("a rack of one heavy Swift zone may hold both replicas: warned and counted lost", () => {
    // GIVEN 5 nodes in 2 zones over racks r-a, r-b: zone 1 (3 nodes, all in r-a) has 3/5 of
    // the weight, a target of 1.2 of 2 replicas, so the builder puts both in it for some
    // partitions
    const heavy = design([["r-a"], ["r-b"]], { storageNodes: 5, zones: 2, replicas: 2 });
    expect(row(heavy, "rack")).toMatchObject({
      params: { place: ["r-a"], swiftZones: 1, copies: 2 },
      dataLoss: "not-backed-up",
    });
    const codes = heavy.warnings.map((w) => w.code);
    expect(codes).toEqual(expect.arrayContaining(["swift-zones-uneven", "swift-zones-share-rack"]));
    // AND with two racks for five nodes no zone count keeps a replica out of r-a: the rack
    // warning suggests none
    expect(heavy.warnings.find((w) => w.code === "swift-zones-share-rack")?.message).toContain(
      "spread the storage nodes over more racks",
    );
    // AND the zone counts the uneven-zone warning offers say they leave that to more racks
    expect(heavy.warnings.find((w) => w.code === "swift-zones-uneven")?.message).toContain(
      "set zones to 3, 4 or 5, which give each zone at most its share, though none of them also keeps a replica of every object out of each rack",
    );
  });
});

test("a Swift region of more storage nodes than the other may hold every replica: warned", () => {
  // GIVEN 2 regions over 5 zones of one node each, 2 replicas: zones go to the regions in turn,
  // region 1 gets 3 nodes (3/5 of the weight, a target of 1.2 of 2 replicas)
  const warned = (storageNodes: number, zones: number) =>
    load(
      variant((s) => {
        s.controlPlane.services = [...s.controlPlane.services, "swift"];
        s.storage = { swift: swiftCluster({ storageNodes, zones, regions: 2, replicas: 2 }) };
      }),
    ).warnings.filter((w) => w.code === "swift-regions-uneven");
  expect(warned(5, 5).map((w) => [w.message.slice(0, 56), w.path.join(".")])).toEqual([
    ["Swift region 1 holds 3 of the 5 storage nodes, enough of", "storage.swift.regions"],
  ]);
  // AND regions of equal weight are not
  expect(warned(4, 4)).toEqual([]);
  // AND a policy of fewer replicas is judged by its own count: 3 replicas over 3 and 2 nodes
  // keep one out of each region, a 2-replica policy's ring keeps both in region 1 for some
  // partitions (swift-ring-builder: 204 of 1024)
  const withPolicy = load(
    variant((s) => {
      s.controlPlane.services = [...s.controlPlane.services, "swift"];
      s.storage = {
        swift: swiftCluster({
          storageNodes: 5,
          zones: 5,
          regions: 2,
          replicas: 3,
          policies: [
            { name: "gold", default: true },
            { name: "cold", replicas: 2 },
          ],
        }),
      };
    }),
  ).warnings.filter((w) => w.code === "swift-regions-uneven");
  expect(withPolicy.map((w) => w.message.slice(0, 56))).toEqual([
    "Swift region 1 holds 3 of the 5 storage nodes, enough of",
  ]);
});

test("an erasure-coded policy whose fragments two even regions split past its parity: named", () => {
  // GIVEN 6 nodes in 6 zones over 2 regions, 3 replicas, and a 4+2 policy: each region holds 3
  // of a partition's 6 fragments, more than the 2 of parity
  const warned = (parityFragments: number, dataFragments = 4, type?: string) =>
    load(
      variant((s) => {
        s.controlPlane.services = [...s.controlPlane.services, "swift"];
        s.storage = {
          swift: swiftCluster({
            storageNodes: 6,
            zones: 6,
            regions: 2,
            policies: [
              { name: "gold", default: true },
              {
                name: "archive",
                erasureCoding: { dataFragments, parityFragments, ...(type ? { type } : {}) },
              },
            ],
          }),
        };
      }),
    ).warnings.filter((w) => w.code === "swift-regions-uneven");
  const [warning] = warned(2);
  // THEN the policy is named, and the fix is one the regions, already even, do not need
  expect(warning.message).toBe(
    "Swift region 1 holds 3 of the 6 storage nodes, enough of the ring's weight for 3 of the 6 fragments of some objects of storage policy archive, more than its 2 parity fragments (the builder places by weight before regions): losing that region loses them; give the policy at least 4 parity fragments, spread the storage nodes over more regions (sites), or keep what must outlive a site in a replicated policy",
  );
  // AND with that parity, 4 of 8 fragments a region, none is
  expect(warned(3)).toHaveLength(1);
  expect(warned(4)).toEqual([]);
  // AND where the parity needed passes what isa_l_rs_vand takes (4), another type is named
  const [vand] = warned(2, 6, "isa_l_rs_vand");
  expect(vand.message).toContain(
    "give the policy at least 6 parity fragments (of isa_l_rs_cauchy: isa_l_rs_vand takes at most 4)",
  );
});

test("a Swift region heavier than an even split of the replicas over the regions: warned", () => {
  // GIVEN 3 replicas over 3 regions of 2, 2 and 1 nodes: region 1 has 2/5 of the weight, a
  // target of 1.2 replicas where an even split gives 1 (swift-ring-builder: dispersion 13.33)
  const warned = (storageNodes: number) =>
    load(
      variant((s) => {
        s.controlPlane.services = [...s.controlPlane.services, "swift"];
        s.storage = {
          swift: swiftCluster({ storageNodes, zones: storageNodes, regions: 3, replicas: 3 }),
        };
      }),
    ).warnings.filter((w) => w.code === "swift-regions-uneven");
  expect(warned(5).map((w) => w.message)).toEqual([
    expect.stringContaining(
      "Swift region 1 holds 2 of the 5 storage nodes, more of the ring's weight than an even split of the replicas over the regions: the builder puts 2 replicas of some objects there, where an even split puts 1",
    ),
  ]);
  // AND regions of equal weight are not
  expect(warned(6)).toEqual([]);
});

test("Swift's regions are the sites its storage nodes stand at, and no other count is taken", () => {
  // GIVEN two sites, three racks at dc1 and two at dc2, six storage nodes over the racks in turn
  const twoSites = swiftAtTwoSites;
  const model = load(twoSites(2)).model;
  const siteOf = new Map(
    model.nodes.map((n) => [n.name, ["r4", "r5"].includes(n.rack ?? "") ? "dc2" : "dc1"]),
  );
  // THEN each node's region is its site's, every declared zone holds a node, and a zone is in
  // one region: four of dc1's nodes take zones 1-4, dc2's two zones 5 and 6
  const zones = model.storage.swift!.nodeZones;
  for (const z of zones) expect(z.region).toBe(siteOf.get(z.node) === "dc1" ? 1 : 2);
  expect(new Set(zones.map((z) => z.zone))).toEqual(new Set([1, 2, 3, 4, 5, 6]));
  const regionOfZone = new Map(zones.map((z) => [z.zone, z.region]));
  for (const z of zones) expect(regionOfZone.get(z.zone)).toBe(z.region);
  expect(zones.filter((z) => z.region === 2).map((z) => z.zone)).toEqual([5, 6]);
  // AND the rings say so
  const rings = swiftRingPlan(model).get("config/swift/rings.sh") as string;
  for (const z of zones) {
    const address = model.nodes.find((n) => n.name === z.node)!.addresses.storage;
    expect(rings).toContain(`r${z.region}z${z.zone}-${address}:6200/d1`);
  }
  // AND three regions over two sites are refused; one region across both is the design's choice
  expect(issuesOf(twoSites(3)).map((i) => [i.code, i.path.join(".")])).toEqual([
    ["swift-regions-sites", "storage.swift.regions"],
  ]);
  expect(load(twoSites(1)).model.storage.swift!.nodeZones.every((z) => z.region === 1)).toBe(true);
  // AND two regions of nodes all at one site are warned: regions are sites apart
  const oneSite = variant((s) => {
    s.sites = [{ name: "dc1" }];
    s.zones[0].site = "dc1";
    s.zones[1].site = "dc1";
    s.controlPlane.services = [...s.controlPlane.services, "swift"];
    s.storage = { swift: swiftCluster({ regions: 2 }) };
  });
  expect(
    load(oneSite)
      .warnings.filter((i) => i.code === "swift-regions-sites")
      .map((i) => [i.path.join("."), i.message]),
  ).toEqual([
    [
      "storage.swift.regions",
      "Swift's storage nodes all stand at site dc1, and the ring's 2 regions split it as if its nodes were far apart (Swift spreads replicas over regions first and reads from the nearest): set regions to 1, before the rings are built",
    ],
  ]);
});

test("Swift backups survive a site where its regions are the sites: the site row says so", async () => {
  const row = (regions: number) =>
    load(
      variant((s) => {
        s.sites = [{ name: "dc1" }, { name: "dc2" }];
        s.zones[0].site = "dc1";
        s.zones[1].site = "dc2";
        s.zones[0].racks = ["r1", "r2"];
        s.zones[1].racks = ["r4", "r5"];
        s.controlPlane.services = [...s.controlPlane.services, "swift", "cinder"];
        s.storage = {
          swift: swiftCluster({ storageNodes: 4, zones: 4, regions }),
          backends: [{ name: "lvm", kind: "lvm", volumeType: "local" }],
          backup: { service: "swift" },
        };
      }),
    ).model;
  const backedUp = (regions: number) =>
    row(regions).recovery.find((r) => r.scenario === "one-of-sites")?.outcome;
  // THEN with a region per site, every backup object keeps a replica outside a lost site
  expect(backedUp(2)).toMatch(/rebuild-from-backup-regions$/);
  // (the store said by its name)
  expect((await renderArchitecture(row(2))).markdown).toContain(
    "restored from the Swift backups (Swift's regions are the sites",
  );
  // AND with one region across both, some may have every replica at the lost one
  expect(backedUp(1)).toMatch(/rebuild-from-backup$/);
});

describe("servers spread over every rack take the zones in turn", () => {
  // GIVEN three zones of two racks each (declared out of name order) and a Ceph cluster
  const threeZones = load(
    variant((s) => {
      s.zones = ["c", "a", "b"].map((z) => ({
        name: `az-${z}`,
        racks: [`${z}2`, `${z}1`],
        pools: [{ name: `gen-${z}`, purpose: { tier: "web" }, hosts: 2, hardware: "cmp" }],
      }));
      s.storage = {
        ceph: {
          nodes: 6,
          hardware: "stor",
          osdsPerNode: 5,
          osdSizeTB: 2,
          protection: { replicated: 3 },
        },
        backends: [{ name: "rbd", kind: "ceph", volumeType: "standard" }],
      };
    }),
  ).model;
  const rackOf = new Map(threeZones.nodes.map((n) => [n.name, n.rack]));

  test("the controllers and the Ceph monitors take one zone after another, not one zone's racks", () => {
    // THEN a1, b1, c1 (not a1, a2, b1 by rack name): any zone's loss leaves both quorums
    expect(threeZones.controlPlane.controllers.map((c) => rackOf.get(c))).toEqual([
      "a1",
      "b1",
      "c1",
    ]);
    expect(threeZones.storage.ceph!.monitors.map((m) => rackOf.get(m))).toEqual([
      "a1",
      "b1",
      "c1",
      "a2",
      "b2",
    ]);
    expect(threeZones.storage.ceph!.nodes.map((m) => rackOf.get(m))).toEqual([
      "a1",
      "b1",
      "c1",
      "a2",
      "b2",
      "c2",
    ]);
    // AND a zone's loss stops no quorum: only Ceph's I/O, as its copies go one per rack and a
    // zone of two racks may hold two of some placement group's three
    expect(threeZones.recovery.find((r) => r.scenario === "zone")).toMatchObject({
      outcome: "zone-storage",
      params: { controllers: 0 },
    });
  });

  test("a zone's own pools stay in its racks", () => {
    expect(threeZones.pools.map((p) => [p.id, p.hostnames.map((h) => rackOf.get(h))])).toEqual([
      ["az-a-gen-a", ["a1", "a2"]],
      ["az-b-gen-b", ["b1", "b2"]],
      ["az-c-gen-c", ["c1", "c2"]],
    ]);
  });
});

describe("growth headroom of a pool name several zones share", () => {
  test("a tenant on such a name is charged to every pool of it, by capacity, adding up to its quota", () => {
    // GIVEN pool gen in three zones, and a tenant placed on gen
    const { model } = load(
      variant((s) => {
        s.zones = ["a", "b", "c"].map((z) => ({
          name: `az-${z}`,
          pools: [{ name: "gen", purpose: { tier: "web" }, hosts: 3, hardware: "cmp" }],
        }));
        s.tenants = [{ name: "big", pool: "gen", quota: { cores: 200, ramGiB: 301 } }];
      }),
    );
    // THEN each gen pool carries a third (the pools are alike), whole numbers adding up
    const gen = model.headroom.pools.filter((p) => p.pool.endsWith("-gen"));
    expect(gen.map((p) => p.quotaVcpus)).toEqual([67, 67, 66]);
    expect(gen.map((p) => p.quotaRamGiB)).toEqual([101, 100, 100]);
    expect(model.headroom.unpinned.quotaVcpus).toBe(0);
  });
});

describe("Ceph's copies against racks and zones", () => {
  const ec = (k: number, m: number, zones: string[][]) =>
    load(
      variant((s) => {
        s.zones = zones.map((racks, i) => ({
          name: `az${i + 1}`,
          racks,
          pools: [{ name: `gen${i + 1}`, purpose: { tier: "web" }, hosts: 2, hardware: "cmp" }],
        }));
        s.storage = {
          ceph: {
            nodes: 3,
            hardware: "stor",
            osdsPerNode: 4,
            osdSizeTB: 4,
            protection: { erasureCoded: { k, m } },
          },
          backends: [{ name: "rbd", kind: "ceph", volumeType: "standard" }],
        };
      }),
    ).model;

  test("erasure coding 2+1 serves I/O with two chunks of three: a zone of one rack is no outage", () => {
    // GIVEN three zones of one rack each, and chunks one per rack
    const model = ec(2, 1, [["r1"], ["r2"], ["r3"]]);
    expect(model.storage.ceph?.failureDomain).toBe("rack");
    // THEN losing a zone leaves k = 2 chunks, Ceph's min_size for m = 1 (k + min(1, m - 1))
    expect(model.recovery.find((r) => r.scenario === "zone")?.outcome).toBe("zone-capacity");
    expect(model.ha.find((r) => r.kind === "ceph-erasure-coded")?.failuresTolerated).toBe(1);
  });

  test("racks for the chunks but not for the replicated pools beside them keep the host domain", () => {
    // GIVEN erasure coding 1+1 over two racks: RBD's metadata pools keep 3 copies
    const model = ec(1, 1, [["r1", "r2"]]);
    // THEN copies go to distinct hosts, as 3 copies cannot go to distinct racks of 2
    expect(model.storage.ceph?.failureDomain).toBe("host");
  });
});

test("a rack under Ceph's host failure domain loses data only when it holds every copy", () => {
  // GIVEN 3 OSD hosts over two racks (copies go to distinct hosts, as 3 racks are not there)
  const twoRacks = (nodes: number) =>
    load(
      variant((s) => {
        s.zones = [
          {
            name: "az1",
            racks: ["r1", "r2"],
            pools: [{ name: "gen", purpose: { tier: "web" }, hosts: 2, hardware: "cmp" }],
          },
        ];
        s.storage = {
          ceph: { nodes, hardware: "stor", osdsPerNode: 4, osdSizeTB: 4 },
          backends: [{ name: "rbd", kind: "ceph", volumeType: "standard" }],
        };
      }),
    ).model;
  const rackRow = (nodes: number) => twoRacks(nodes).recovery.find((r) => r.scenario === "rack");
  // THEN r1's two hosts hold two of some group's three copies: I/O stops, nothing is lost
  expect(twoRacks(3).storage.ceph?.failureDomain).toBe("host");
  expect(rackRow(3)).toMatchObject({ outcome: "degraded" });
  expect(rackRow(3)?.dataLoss).not.toBe("since-last-backup");
  // AND with 6 hosts, three in each rack, a rack may hold all three copies of some groups, and
  // of some of the backups, which cinder-backup keeps in the same cluster alike
  expect(twoRacks(6).deploy.cinder.backup?.driver).toBe("ceph");
  expect(rackRow(6)).toMatchObject({ outcome: "degraded", dataLoss: "not-off-site" });
});

test("a host kept in a rack leaves the others to the racks it does not fill", () => {
  // GIVEN three controllers over racks r1-r3, ctrl-02 kept in r1
  const model = load(
    variant((s) => {
      s.zones = [{ ...s.zones[0], racks: ["r1", "r2", "r3"] }, s.zones[1]];
      s.hosts = [{ name: "ctrl-02", addresses: {}, rack: "r1" }];
    }),
  ).model;
  const rackOf = new Map(model.nodes.map((n) => [n.name, n.rack]));
  // THEN ctrl-01 and ctrl-03 take r2 and r3 (round-robin would have put ctrl-01 in r1 too)
  expect(model.controlPlane.controllers.map((c) => rackOf.get(c))).toEqual(["r2", "r1", "r3"]);
  expect(model.recovery.find((r) => r.scenario === "rack")?.outcome).not.toBe("degraded");
});

describe("servers spread over every rack balance sites, then zones, then racks", () => {
  const spread = (edit: (s: any) => void) => {
    const model = load(
      variant((s) => {
        edit(s);
        s.storage = {
          ceph: { nodes: 5, hardware: "stor", osdsPerNode: 4, osdSizeTB: 4 },
          backends: [{ name: "rbd", kind: "ceph", volumeType: "standard" }],
        };
      }),
    ).model;
    const zoneOf = new Map(model.zones.flatMap((z) => z.racks.map((r) => [r, z.name] as const)));
    const rackOf = new Map(model.nodes.map((n) => [n.name, n.rack ?? ""]));
    const zones = (names: readonly string[]) => names.map((n) => zoneOf.get(rackOf.get(n)!));
    return { model, zones };
  };
  const zone = (name: string, racks: string[], site?: string) => ({
    name,
    racks,
    ...(site ? { site } : {}),
    pools: [{ name: `p-${name}`, purpose: { tier: "web" }, hosts: 2, hardware: "cmp" }],
  });

  test("a zone of three racks beside two of one takes no more than its share of five controllers", () => {
    // GIVEN az1 with racks a1-a3, az2 and az3 with one rack each, five controllers
    const { model, zones } = spread((s) => {
      s.controlPlane.controllers = 5;
      s.zones = [zone("az1", ["a1", "a2", "a3"]), zone("az2", ["b1"]), zone("az3", ["c1"])];
    });
    // THEN 2, 2, 1 controllers (not 3 in az1): any zone's loss leaves three
    expect(zones(model.controlPlane.controllers)).toEqual(["az1", "az2", "az3", "az1", "az2"]);
    // AND the OSD hosts one per rack, as CRUSH weighs racks (two in az2's one rack would leave
    // az1's third empty and a quarter of the capacity unusable); all five run a monitor
    expect(zones(model.storage.ceph!.nodes)).toEqual(["az1", "az2", "az3", "az1", "az1"]);
    expect(model.storage.ceph!.monitors).toEqual(model.storage.ceph!.nodes);
    expect(model.recovery.find((r) => r.scenario === "zone")?.params.controllers).toBe(0);
  });

  test("the monitors take the OSD hosts that spread them over the zones", () => {
    // GIVEN eight OSD hosts one per rack in turn (az1 has three racks, az2 and az3 one)
    const eight = load(
      variant((s) => {
        s.zones = [zone("az1", ["a1", "a2", "a3"]), zone("az2", ["b1"]), zone("az3", ["c1"])];
        s.storage = {
          ceph: { nodes: 8, hardware: "stor", osdsPerNode: 4, osdSizeTB: 4 },
          backends: [{ name: "rbd", kind: "ceph", volumeType: "standard" }],
        };
      }),
    ).model;
    const zoneOf = new Map(eight.zones.flatMap((z) => z.racks.map((r) => [r, z.name] as const)));
    const rackOf = new Map(eight.nodes.map((n) => [n.name, n.rack ?? ""]));
    const monitorZones = eight.storage.ceph!.monitors.map((m) => zoneOf.get(rackOf.get(m)!));
    // THEN five monitors 2, 2, 1 (the first five OSD hosts would put 3 in az1)
    expect(monitorZones).toHaveLength(5);
    for (const z of ["az1", "az2"]) expect(monitorZones.filter((x) => x === z)).toHaveLength(2);
    // AND the OSD hosts as even over the five racks as eight go (two in az2's rack would leave
    // one of az1's with one): all of 8 x 16 TB / 3 copies is usable
    const perRack = new Map<string, number>();
    for (const n of eight.storage.ceph!.nodes)
      perRack.set(rackOf.get(n)!, (perRack.get(rackOf.get(n)!) ?? 0) + 1);
    expect([...perRack.values()].sort()).toEqual([1, 1, 2, 2, 2]);
    expect(eight.storage.ceph!.usableTB).toBeCloseTo((8 * 16) / 3, 1);
  });

  test("sites come before zones: one controller per site where three sites hold four zones", () => {
    const { model, zones } = spread((s) => {
      s.sites = [{ name: "a" }, { name: "b" }, { name: "c" }];
      s.zones = [
        zone("az1", ["r1"], "a"),
        zone("az2", ["r2"], "a"),
        zone("az3", ["r3"], "b"),
        zone("az4", ["r4"], "c"),
      ];
    });
    expect(zones(model.controlPlane.controllers)).toEqual(["az1", "az3", "az4"]);
  });
});

test("a zone holding as many Ceph failure domains as copies whose loss loses data says so", () => {
  // GIVEN two zones of three racks, erasure coding 4+2 with a chunk per rack
  const model = load(
    variant((s) => {
      s.zones = ["a", "b"].map((z) => ({
        name: `az-${z}`,
        racks: [1, 2, 3].map((i) => `${z}${i}`),
        pools: [{ name: `gen-${z}`, purpose: { tier: "web" }, hosts: 3, hardware: "cmp" }],
      }));
      s.storage = erasureCodedStorage();
    }),
  ).model;
  // THEN each zone holds 3 of every object's 6 chunks, one more than m: a zone lost is data lost,
  // the backups with it (cinder-backup keeps them in the same cluster, as its volumes)
  expect(model.storage.ceph?.failureDomain).toBe("rack");
  expect(model.deploy.cinder.backup?.driver).toBe("ceph");
  const zone = model.recovery.find((r) => r.scenario === "zone");
  expect(zone?.dataLoss).toBe("not-off-site");
});

test("a host sharing its rack with another OSD host recovers onto it: no spare rack is needed", () => {
  // GIVEN 3 copies by rack over three racks, one or two OSD hosts in each
  const hostRow = (nodes: number) =>
    load(
      variant((s) => {
        s.zones = [{ ...s.zones[0], racks: ["r1", "r2", "r3"] }, s.zones[1]];
        s.storage = {
          ceph: { nodes, hardware: "stor", osdsPerNode: 4, osdSizeTB: 4 },
          backends: [{ name: "rbd", kind: "ceph", volumeType: "standard" }],
        };
      }),
    ).model.recovery.find((r) => r.scenario === "host-storage");
  // THEN with two hosts in every rack CRUSH picks the other host of the rack
  expect(hostRow(6)?.outcome).toBe("re-replicate");
  // AND a host alone in its rack leaves its copies degraded until it returns
  expect(hostRow(3)?.outcome).toBe("stays-degraded");
});

test("a Swift zone with more than its share of the ring's weight is warned, with even counts", () => {
  // GIVEN 4 storage nodes in 3 zones: zone 1 holds two, half the weight against 3 replicas
  const warned = (zones: number) =>
    load(
      variant((s) => {
        s.controlPlane.services = [...s.controlPlane.services, "swift"];
        s.storage = { swift: swiftCluster({ storageNodes: 4, zones, replicas: 3 }) };
      }),
    ).warnings.filter((w) => w.code === "swift-zones-uneven");
  // THEN Swift's ring builder would put two replicas of some objects in zone 1
  expect(warned(3).map((w) => w.message)).toEqual([
    expect.stringContaining("Swift zone 1 holds 2 of the 4 storage nodes, more than one in 3"),
  ]);
  expect(warned(3)[0].message).toContain("set zones to 4");
  expect(warned(4)).toEqual([]);
});

test("the site row says when one site holds a majority of the controllers", () => {
  // GIVEN two sites of one zone each, three controllers: one site takes two
  const model = load(
    variant((s) => {
      s.sites = [{ name: "north" }, { name: "south" }];
      s.zones = ["north", "south"].map((site) => ({
        name: `az-${site}`,
        site,
        racks: [`${site}1`],
        pools: [{ name: `gen-${site}`, purpose: { tier: "web" }, hosts: 2, hardware: "cmp" }],
      }));
    }),
  ).model;
  // THEN its loss stops the cloud, and the row says which site and how many
  expect(model.recovery.find((r) => r.scenario === "one-of-sites")).toMatchObject({
    outcome: "site-quorum-rebuild-no-backup",
    params: { sites: 2, site: "north", controllers: 2, total: 3 },
    // (no backups anywhere: what was only there is lost, not merely what changed since one)
    dataLoss: "not-off-site",
  });
});

test("erasure coding with m = 3 tolerates what its replicated pools beside it do", () => {
  // GIVEN 4+3 over seven hosts: RBD's metadata pools keep 3 copies, min_size 2
  const model = load(
    variant((s) => {
      s.storage = erasureCodedStorage();
      s.storage.ceph = {
        ...s.storage.ceph,
        nodes: 7,
        protection: { erasureCoded: { k: 4, m: 3 } },
      };
    }),
  ).model;
  // THEN the data row tolerates one failure, not the chunks' two
  expect(model.ha.find((r) => r.kind === "ceph-erasure-coded")?.failuresTolerated).toBe(1);
});

test("a rack holding every network node stops the routers: the rack row says so", () => {
  // GIVEN two network nodes kept in rack r1 of three
  const model = load(
    variant((s) => {
      s.zones = [{ ...s.zones[0], racks: ["r1", "r2", "r3"] }, s.zones[1]];
      s.controlPlane.networkNodes = 2;
      s.controlPlane.networkNodeHardware = "ctrl";
      s.hosts = ["net-01", "net-02"].map((name) => ({ name, addresses: {}, rack: "r1" }));
    }),
  ).model;
  expect(model.recovery.find((r) => r.scenario === "rack")?.outcome).toBe("degraded");
});

test("a router lives on three L3 agents: five network nodes tolerate two failures, not four", async () => {
  // GIVEN five network nodes, three of them in rack r1 of three (Open vSwitch agents)
  const design = (racks: string[]) =>
    load(
      variant((s) => {
        s.zones = [{ ...s.zones[0], racks: ["r1", "r2", "r3"] }, s.zones[1]];
        s.controlPlane.networkNodes = 5;
        s.controlPlane.networkNodeHardware = "ctrl";
        s.hosts = racks.map((rack, i) => ({ name: `net-0${i + 1}`, addresses: {}, rack }));
      }),
    ).model;
  const model = design(["r1", "r1", "r1", "r2", "r3"]);
  // THEN Kolla's max_l3_agents_per_router (3) bounds what the agents survive
  const row = model.ha.find((r) => r.kind === "l3-network-nodes");
  expect(row).toMatchObject({ nodes: 5, failuresTolerated: 2, params: { routers: 3, dhcp: 2 } });
  const { markdown } = await renderArchitecture(model);
  expect(markdown).toContain(
    "| Neutron L3/DHCP agents | HA routers (VRRP) on 3 L3 agents each and each network's DHCP on 2 agents (Neutron moves it from a dead one), on the network nodes | 5 | 2 |",
  );
  // AND a rack of three of them may hold every agent of some router
  expect(model.recovery.find((r) => r.scenario === "rack")?.outcome).toBe("degraded");
  // AND two in a rack leave every router an agent elsewhere
  expect(
    design(["r1", "r1", "r2", "r2", "r3"]).recovery.find((r) => r.scenario === "rack")?.outcome,
  ).not.toBe("degraded");
});

test("OVN with VLAN tenant networks has gateway chassis, not L3 and DHCP agents", () => {
  // GIVEN ML2/OVN chosen for VLAN tenant networks
  const model = load(
    variant((s) => {
      s.network.mechanism = "ovn";
      s.network.tenantNetworkType = "vlan";
      s.network.tenantVlanRange = { min: 100, max: 199 };
    }),
  ).model;
  expect(model.deploy.neutron.mechanism).toBe("ovn");
  // THEN the HA rows are OVN's, a router's gateway on the three controllers
  const kinds = model.ha.map((r) => r.kind);
  expect(kinds).toEqual(expect.arrayContaining(["ovn-db", "ovn-gateways-controllers"]));
  expect(kinds.some((k) => k.startsWith("l3-"))).toBe(false);
  expect(model.ha.find((r) => r.kind === "ovn-gateways-controllers")).toMatchObject({
    params: { routers: 3 },
    failuresTolerated: 2,
  });
});

/** Zones az1.. of one rack each at these sites, one OSD host per rack, 3 copies (or `copies`). */
const cephBySiteLoaded = (sites: readonly string[], copies = 3) =>
  load(
    variant((s) => {
      s.sites = [...new Set(sites)].map((name) => ({ name }));
      s.zones = sites.map((site, i) => ({
        name: `az${i + 1}`,
        site,
        racks: [`r${i + 1}`],
        pools: [{ name: `gen${i + 1}`, purpose: { tier: "web" }, hosts: 2, hardware: "cmp" }],
      }));
      s.storage = {
        ceph: {
          nodes: sites.length,
          hardware: "stor",
          osdsPerNode: 4,
          osdSizeTB: 4,
          protection: { replicated: copies },
        },
        backends: [{ name: "rbd", kind: "ceph", volumeType: "standard" }],
      };
    }),
  );
const cephBySite = (sites: readonly string[], copies = 3) => cephBySiteLoaded(sites, copies).model;

test("two sites each holding as many racks as copies may lose data at both: warned and said", async () => {
  // GIVEN two sites of three one-rack zones each, one OSD host per rack, 3 copies by rack
  const sites = ["dc1", "dc1", "dc1", "dc2", "dc2", "dc2"];
  const loaded = (copies: number) => cephBySiteLoaded(sites, copies);
  const { model, warnings } = loaded(3);
  // THEN CRUSH may put a placement group's three copies in three racks of one site
  expect(model.storage.ceph).toMatchObject({
    failureDomain: "rack",
    sitesLosingData: ["dc1", "dc2"],
  });
  expect(warnings.filter((w) => w.code === "ceph-copies-one-site").map((w) => w.message)).toEqual([
    "Ceph spreads each placement group's copies over racks, not sites, and each of sites dc1, dc2 holds as many racks of OSD hosts as a placement group has copies: some placement groups keep every copy there, and since every block device Ceph keeps (volume, image or instance disk) is striped over many placement groups, losing that site loses data of them at every site; keep the OSD hosts at one site, or spread them over as many sites as copies so that Ceph spreads them by site (Stackwright does not write Ceph's two-site stretch mode)",
  ]);
  // AND the site row says that data of every site is lost, not only what ran at the lost one
  const row = model.recovery.find((r) => r.scenario === "one-of-sites")!;
  expect(row).toMatchObject({
    cephLost: true,
    params: { cephLostSites: ["dc1", "dc2"], cephLostSiteCount: 2, cephEc: 0 },
    dataLoss: "not-off-site",
  });
  const { markdown } = await renderArchitecture(model);
  expect(markdown).toContain(
    "; each of sites dc1, dc2 may hold every copy of some of Ceph's placement groups (its rules spread them by rack or host, not by site), and every volume, image and instance disk Ceph keeps has data in some: losing it loses data at every site, which comes back only from backups",
  );
  // AND a Chinese document says it of each site, as Chinese lists them
  const zh = await renderArchitecture({
    ...model,
    metadata: { ...model.metadata, language: "zh-CN" },
  });
  expect(zh.markdown).toContain(
    "；站点 dc1、dc2 各自可能持有 Ceph 某些归置组的全部副本（其规则按机架或主机而非站点分布这些副本）",
  );
  // AND with 4 copies no site holds as many racks as a placement group has copies
  const four = loaded(4);
  expect(four.model.storage.ceph?.sitesLosingData).toBeUndefined();
  expect(four.model.recovery.find((r) => r.scenario === "one-of-sites")?.cephLost).toBeUndefined();
  expect(four.warnings.map((w) => w.code)).not.toContain("ceph-copies-one-site");
});

test("the site row says when a site holds more of Ceph than it can lose", () => {
  // GIVEN three sites, the first with two zones: four racks of one OSD host each, 4 copies, which
  // three sites cannot keep apart (by rack then)
  const model = cephBySite(["a", "a", "b", "c"], 4);
  expect(model.storage.ceph?.failureDomain).toBe("rack");
  // THEN the controllers keep a majority elsewhere (one per site), but site a holds two of the
  // four racks, more than a placement group of 4 copies (min_size 3) can lose
  // (Cinder backs up into Ceph's backups pool: the same cluster, kept by the same rules)
  expect(model.recovery.find((r) => r.scenario === "one-of-sites")).toMatchObject({
    outcome: "site-storage-rebuild-from-backup-ceph",
    params: { sites: 3, storageSites: ["a"] },
    // (not off site: what only the lost site held, backups included, is lost)
    dataLoss: "not-off-site",
  });
  // AND with 3 copies the sites keep one each: no site's loss stops storage
  const bySite = cephBySite(["a", "a", "b", "c"]);
  expect(bySite.storage.ceph?.failureDomain).toBe("datacenter");
  expect(bySite.recovery.find((r) => r.scenario === "one-of-sites")).toMatchObject({
    outcome: "site-rebuild-from-backup-ceph",
    params: { sites: 3 },
  });
  expect(bySite.risks.some((r) => r.kind === "site-stops")).toBe(false);
});

test("two sites: the controllers' majority and Ceph's copies are both judged, every site named", async () => {
  // GIVEN two sites of two one-rack zones each, one OSD host per rack (3 copies by rack), three
  // controllers
  const model = cephBySite(["dc1", "dc1", "dc2", "dc2"]);
  // THEN one site holds the controllers' majority, and either site holds two of the four racks,
  // more than a placement group of 3 copies (min_size 2) can lose: both are said
  const row = model.recovery.find((r) => r.scenario === "one-of-sites")!;
  expect(row).toMatchObject({
    outcome: "site-quorum-storage-rebuild-from-backup-ceph",
    params: { sites: 2, storageSites: ["dc1", "dc2"] },
    stoppingSites: ["dc1", "dc2"],
  });
  const { markdown } = await renderArchitecture(model);
  // (its backups are in Ceph beside the volumes: said so, not "no backup service")
  expect(markdown).toContain(
    "restored from the Ceph backups once block storage runs again (they are in the same Ceph cluster as the volumes, stopped with it and kept by its rules as they are: those whose every copy was there are lost with it)",
  );
  expect(markdown).toContain("the loss of any one of dc1, dc2 stops block storage at every site");
  // AND the risks say so, though the cloud spans two sites
  expect(model.risks).toContainEqual({
    kind: "site-stops",
    params: { sites: ["dc1", "dc2"], siteCount: 2 },
  });
  expect(markdown).toContain(
    "| The loss of any one of dc1, dc2 stops the whole cloud or its block storage, although it spans several sites |",
  );
  // AND that its networks stretch over both sites as one segment each, which the link must carry
  expect(model.risks).toContainEqual({
    kind: "sites-stretched",
    params: { sites: ["dc1", "dc2"] },
  });
  expect(markdown).toContain(
    "| One cloud over the sites dc1, dc2: each of its networks is one layer-2 segment across them",
  );
  // (in clear: Kolla's backend TLS is off, so the link is to be encrypted where it leaves the site)
  expect(markdown).toContain("replicate synchronously, in clear (Kolla's backend TLS is off");
  expect(markdown).toContain("encrypted where it leaves the operator's premises (MACsec or IPsec");
  // AND a Chinese document lists the sites as Chinese lists them
  const zh = await renderArchitecture({
    ...model,
    metadata: { ...model.metadata, language: "zh-CN" },
  });
  expect(zh.markdown).toContain("dc1、dc2");
  expect(zh.markdown).not.toContain("dc1, dc2");
});

test("a zone holding every network node stops the routers: the zone row names it", async () => {
  // GIVEN three zones of one rack each and one network node, in az1
  const model = load(
    variant((s) => {
      s.zones = ["az1", "az2", "az3"].map((name, i) => ({
        name,
        racks: [`r${i + 1}`],
        pools: [{ name: `gen${i + 1}`, purpose: { tier: "web" }, hosts: 2, hardware: "cmp" }],
      }));
      s.controlPlane.networkNodes = 1;
      s.controlPlane.networkNodeHardware = "ctrl";
    }),
  ).model;
  // THEN the rack row and the zone row agree: that zone's (and rack's) loss stops the routers
  expect(model.recovery.find((r) => r.scenario === "rack")?.outcome).toBe("degraded");
  expect(model.recovery.find((r) => r.scenario === "zone")).toMatchObject({
    outcome: "zone-storage",
    params: { storageZones: ["az1"], storageZoneCount: 1 },
  });
  // AND the document names that one zone as one
  const { markdown } = await renderArchitecture(model);
  expect(markdown).toContain("the loss of zone az1 stops block storage or the routers");
});

test("without Cinder no volume quota is counted against Ceph's headroom", () => {
  // GIVEN Ceph for images only (no volume backend, so no Cinder) and a tenant
  const model = load(
    variant((s) => {
      s.storage = { ceph: { nodes: 3, hardware: "stor", osdsPerNode: 4, osdSizeTB: 4 } };
      s.tenants = [{ name: "t", pool: "web" }];
    }),
  ).model;
  // THEN the tenant's default 1,000 GiB is not charged: its stack sets no volume quota
  expect(model.controlPlane.services).not.toContain("cinder");
  expect(model.headroom.blockStorage).toMatchObject({ quotaGiB: 0 });
});

test("controllers running as VMs stand in none of the design's racks: the rack row says their quorum depends on the undercloud", async () => {
  // GIVEN three controllers whose planned rack is one rack of two (a majority there), as hosts
  const design = (vms: boolean) =>
    load(
      variant((s) => {
        s.zones = [{ ...s.zones[0], racks: ["r1", "r2"] }, s.zones[1]];
        s.hosts = ["ctrl-01", "ctrl-02"].map((name) => ({ name, addresses: {}, rack: "r1" }));
        if (vms) {
          s.cloud.undercloud = { cloud: "under", keyPair: "ops" };
          s.controlPlane.deployment = "vm";
        }
      }),
    ).model;
  const rackRow = (m: Model) => m.recovery.find((r) => r.scenario === "rack")!;
  expect(rackRow(design(false)).outcome).toBe("degraded");
  expect(rackRow(design(false)).caveat).toBeUndefined();
  // WHEN they run as VMs on the undercloud
  const model = design(true);
  // THEN the rack they were planned in holds none of them, and the row names the undercloud
  expect(rackRow(model).outcome).not.toBe("degraded");
  expect(rackRow(model).caveat).toBe("controllers-routers-on-undercloud");
  const { markdown } = await renderArchitecture(model);
  expect(markdown).toMatch(
    /\| A whole rack \| [^|\n]*[a-z]; but the controllers, which also run the routers, are VMs on the undercloud's hypervisors, one to a hypervisor: they keep quorum and the routers through this failure only if it takes no majority of those hypervisors, whose places this design does not plan \|/,
  );
});

test("under OVN the tenant-network choices are OVN's: no GRE, and VXLAN said to ride Geneve", async () => {
  const model = load(
    variant((s) => {
      s.network.mechanism = "ovn";
      s.network.tenantNetworkType = "vxlan";
    }),
  ).model;
  expect(model.alternatives.find((a) => a.decision === "tenant-network")).toEqual({
    decision: "tenant-network",
    options: ["vlan", "vxlan-ovn", "geneve"],
    chosen: "vxlan-ovn",
  });
  const { markdown } = await renderArchitecture(model);
  expect(markdown).toContain(
    "| VXLAN under OVN: Neutron numbers the networks as VXLAN segments, but OVN carries them in its chassis' Geneve tunnels",
  );
});

test("a pool without a spare host says its instances wait for their host, not that they are evacuated", () => {
  // GIVEN three-node's one compute host, kept spare by none
  const { model } = loadSpecFile(path.join(ROOT, "examples/three-node.yaml"));
  const row = model.ha.find((r) => r.params.pool === "lab-compute");
  // THEN the row says where its instances go: nowhere until the host is repaired
  expect(row).toMatchObject({
    kind: "compute-pool-unspared",
    mechanism: "no spare host: a failed host's instances wait for its repair",
    failuresTolerated: 0,
  });
});

test("amphorae whose flavor names no pool are said beside the quotas that draw on the whole cloud", async () => {
  // GIVEN Octavia without octaviaPool and a tenant with two load balancers (single topology)
  const { model } = load(
    withOctavia((s) => {
      s.tenants = [{ name: "shop", quota: { loadBalancers: 2, cores: 8, ramGiB: 16 } }];
    }),
  );
  expect(model.headroom.unpinned.amphorae).toEqual(model.controlPlane.octavia!.amphorae);
  const { markdown } = await renderArchitecture(model);
  expect(markdown).toContain(
    `Tenant quotas without a pool draw on the whole cloud: 8 vCPUs, 16 GiB RAM. Octavia's amphorae, whose flavor names no pool (controlPlane.octaviaPool), draw on the whole cloud too: up to ${model.controlPlane.octavia!.amphorae.count} amphorae of `,
  );
});

describe("failures as the components behave (an SRE's reading)", () => {
  test("Ceph monitors on the OSD hosts fail with them: one factor of the composite", () => {
    // GIVEN devtest-cloud, whose monitors run on its three OSD hosts
    const model = example("devtest-cloud");
    const monitors = model.ha.find((r) => r.kind === "ceph-monitors")!;
    expect(model.storage.ceph!.monitors.every((m) => model.storage.ceph!.nodes.includes(m))).toBe(
      true,
    );
    // THEN they are counted in the OSD hosts' group, not as servers of their own
    expect(hostGroupOf(monitors)).toBe("ceph-osd");
    expect(model.availability.downtimeHoursPerYear.toFixed(1)).toBe("70.1");
  });

  test("DHCP on the controllers tolerates what its two agents a network do", () => {
    // GIVEN routers on 3 controllers' L3 agents, each network's DHCP on 2 of them
    const row = example("enterprise-reference").ha.find((r) => r.kind === "l3-controllers")!;
    // THEN 2 failures may take both of a network's agents, which Neutron moves only while the
    // controllers' database keeps quorum
    expect([row.nodes, row.failuresTolerated]).toEqual([3, 1]);
  });

  test("a controller's loss says what only its disks hold, and block-storage hosts have a row", async () => {
    // GIVEN cloud-in-a-box: images on file (Glance on the first controller), LVM on hosts of
    // their own, the first controller deploying, local Terraform state
    const model = example("cloud-in-a-box");
    const controller = model.recovery.find((r) => r.scenario === "host-controller")!;
    expect(controller.extras).toEqual(["images", "deployer-state"]);
    expect(controller.dataLoss).toBe("controller-images");
    expect(model.recovery.find((r) => r.scenario === "host-block-storage")).toMatchObject({
      outcome: "volumes-on-host",
      params: { backends: ["lvm-iscsi", "lvm-iser"] },
      dataLoss: "not-backed-up",
    });
    const { markdown } = await renderArchitecture(model);
    expect(markdown).toContain(
      "| A block-storage host | its volumes of lvm-iscsi, lvm-iser are unavailable until it returns: cinder-volume serves each from its host's disks alone, and they are lost with those disks | what it held: the design declares no backup service |",
    );
    expect(markdown).toContain(
      "losing the first stops the image service and loses the images, which instances evacuated from local disks need too; the first controller is the deployment host: its /etc/kolla and the Terraform state it keeps come back from their copies (see the runbook) | the images, on the first controller's disk, unless copied elsewhere |",
    );
    // AND the database's restart after a full stop is said, with Kolla's command
    expect(markdown).toContain("`kolla-ansible mariadb-recovery -i deploy/kolla/inventory`");
    // AND the risks' mitigations fit their rows: more controllers do not move file images
    expect(markdown).toContain(
      "| Image service (Glance) has no redundancy: one failure stops it | keep the images in Ceph or Swift",
    );
    // AND the runbook asks for a copy of /etc/kolla and of the local state before the platform
    expect(
      model.lifecycle.find((s) => s.id === "platform")!.prerequisites.map((i) => i.kind),
    ).toContain("config-backup-local-state");
    // AND LVM volumes on the controllers are said of a controller's loss
    const colocated = load(
      variant((s) => {
        s.controlPlane.services = [...s.controlPlane.services, "cinder"];
        s.storage = { backends: [{ name: "lvm-1", kind: "lvm", volumeType: "standard" }] };
      }),
    ).model;
    const lost = colocated.recovery.find((r) => r.scenario === "host-controller")!;
    expect(lost.extras).toContain("volumes");
    expect(lost.params.backends).toEqual(["lvm-1"]);
    expect(lost.dataLoss).toBe("controller-images-volumes");
    expect(colocated.recovery.map((r) => r.scenario)).not.toContain("host-block-storage");
  });

  test("two Swift replicas lose what a write confirmed on one host alone", () => {
    // GIVEN Swift of 2 replicas: its proxy confirms a write once one replica is stored
    const model = load(
      variant((s) => {
        s.controlPlane.services = [...s.controlPlane.services, "swift"];
        s.storage = { swift: { ...swiftCluster(), replicas: 2 } };
      }),
    ).model;
    const host = model.recovery.find((r) => r.scenario === "host-storage")!;
    expect(host.dataLoss).toBe("recent-objects");
  });
});
