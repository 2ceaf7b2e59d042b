import type { SynthesizedStack } from "../../../synth/app";
import { addResource, bent, editStack, findingsOf, modelOf, resourceAt, synth } from "../helpers";

const base = modelOf();
let stacks: SynthesizedStack[] = [];
beforeAll(async () => {
  stacks = await synth(base);
});

describe("SW-HA-001 controller quorum for production", () => {
  test("fails when production tiers run on one controller", () => {
    // GIVEN web and app tier pools and a single controller (the spec only warns)
    const model = modelOf((s) => {
      s.controlPlane.controllers = 1;
      s.ntp.clients = "servers";
    });
    // WHEN / THEN
    expect(findingsOf("SW-HA-001", model)).toEqual([
      expect.objectContaining({
        severity: "error",
        target: "controlPlane.controllers",
        message: expect.stringContaining("az1-web and az2-app"),
      }),
    ]);
  });

  test("passes with 3 controllers", () => {
    expect(findingsOf("SW-HA-001", base)).toEqual([]);
  });

  test("passes one controller when no pool is production", () => {
    const model = modelOf((s) => {
      s.controlPlane.controllers = 1;
      s.ntp.clients = "servers";
      for (const z of s.zones) for (const p of z.pools) p.purpose = { stage: "dev" };
    });
    expect(findingsOf("SW-HA-001", model)).toEqual([]);
  });

  test("a tier's pool of another stage than prod is not production; of stage prod it is", () => {
    const withStage = (stage: string) =>
      modelOf((s) => {
        s.controlPlane.controllers = 1;
        s.ntp.clients = "servers";
        for (const z of s.zones) for (const p of z.pools) p.purpose = { tier: "web", stage };
      });
    expect(findingsOf("SW-HA-001", withStage("dev"))).toEqual([]);
    expect(findingsOf("SW-HA-001", withStage("prod")).map((f) => f.target)).toEqual([
      "controlPlane.controllers",
    ]);
  });
});

describe("SW-HA-002 controllers in a hard anti-affinity server group", () => {
  // Controllers as VMs on the undercloud: the bare-metal stack places them in a server group.
  const asVms = modelOf((s) => {
    s.cloud.undercloud = { cloud: "under" };
    s.controlPlane.deployment = "vm";
  });
  let vmStacks: SynthesizedStack[] = [];
  beforeAll(async () => {
    vmStacks = await synth(asVms);
  });

  test("passes the synthesized bare-metal stack", () => {
    expect(findingsOf("SW-HA-002", asVms, vmStacks)).toEqual([]);
  });

  test("passes Ironic controllers without a server group", async () => {
    const ironic = modelOf((s) => (s.cloud.undercloud = { cloud: "under" }));
    expect(findingsOf("SW-HA-002", ironic, await synth(ironic))).toEqual([]);
  });

  test("fails when the controllers' server group is only soft anti-affinity", () => {
    const soft = editStack(vmStacks, "baremetal", (c) => {
      resourceAt(c, "openstack_compute_servergroup_v2", "nodes/controllers").policies = [
        "soft-anti-affinity",
      ];
    });
    expect(findingsOf("SW-HA-002", asVms, soft)).toEqual([
      expect.objectContaining({
        severity: "error",
        target: "baremetal/nodes/controllers",
        message: expect.stringContaining("soft-anti-affinity"),
      }),
    ]);
  });

  test("fails when a controller names no server group", () => {
    const loose = editStack(vmStacks, "baremetal", (c) => {
      delete resourceAt(c, "openstack_compute_instance_v2", "ctrl-02/Resource").scheduler_hints;
    });
    expect(findingsOf("SW-HA-002", asVms, loose).map((f) => f.target)).toEqual([
      "baremetal/nodes/ctrl-02/Resource",
    ]);
  });
});

describe("SW-HA-003 anti-affinity for the db tier", () => {
  const withDb = (serverGroups: object[]) =>
    modelOf((s) =>
      s.zones[1].pools.push({
        name: "db",
        purpose: { tier: "db" },
        hosts: 3,
        hardware: "cmp",
        serverGroups,
      }),
    );

  test("fails when a db-tier pool declares no anti-affinity server group", () => {
    expect(findingsOf("SW-HA-003", withDb([{ name: "db", policy: "affinity" }]))).toEqual([
      expect.objectContaining({
        severity: "warning",
        target: "zones.az2.pools.db.serverGroups",
      }),
    ]);
  });

  test("warns of an anti-affinity group that lets members share a hypervisor", () => {
    // GIVEN a group that allows 2 members per host (Nova's max_server_per_host)
    const found = findingsOf(
      "SW-HA-003",
      withDb([{ name: "db-cluster", policy: "anti-affinity", maxServersPerHost: 2 }]),
    );
    // THEN a 3-member cluster could lose 2 members with one host
    expect(found).toEqual([
      expect.objectContaining({
        target: "zones.az2.pools.db.serverGroups",
        message:
          "db-tier pool az2-db's anti-affinity server group db-cluster let 2 members share a hypervisor: a cluster of fewer than 5 members in it loses its quorum with one host",
      }),
    ]);
    // AND a strict group beside it does not make it safe: a tenant chooses the group its
    // servers boot in
    expect(
      findingsOf(
        "SW-HA-003",
        withDb([
          { name: "db-cluster", policy: "anti-affinity", maxServersPerHost: 2 },
          { name: "db-strict", policy: "anti-affinity", maxServersPerHost: 1 },
        ]),
      ).map((f) => f.message),
    ).toEqual([expect.stringContaining("server group db-cluster let 2 members share")]);
    // AND strict groups alone pass
    expect(
      findingsOf(
        "SW-HA-003",
        withDb([{ name: "db-strict", policy: "anti-affinity", maxServersPerHost: 1 }]),
      ),
    ).toEqual([]);
  });

  test("passes a db-tier pool with an anti-affinity server group", () => {
    expect(
      findingsOf("SW-HA-003", withDb([{ name: "db-cluster", policy: "anti-affinity" }])),
    ).toEqual([]);
  });
});

describe("SW-HA-004 database and message-queue quorum", () => {
  test("fails when several controllers share one database and one queue", () => {
    const model = modelOf((s) => {
      s.controlPlane.database = "single";
      s.controlPlane.messaging = "single";
    });
    expect(findingsOf("SW-HA-004", model).map((f) => f.target)).toEqual([
      "controlPlane.database",
      "controlPlane.messaging",
    ]);
  });

  test("passes Galera and a RabbitMQ cluster on 3 controllers", () => {
    expect(findingsOf("SW-HA-004", base)).toEqual([]);
  });
});

describe("SW-HA-005 two NTP sources per node role", () => {
  test("fails when no NTP server is declared", () => {
    const model = modelOf((s) => delete s.ntp);
    expect(findingsOf("SW-HA-005", model)).toEqual([
      expect.objectContaining({ severity: "error", target: "ntp" }),
    ]);
  });

  test("fails when a role syncs from a single source", () => {
    const model = bent(base, (m) => (m.ntp.sources.compute = ["10.0.0.11"]));
    expect(findingsOf("SW-HA-005", model)).toEqual([
      expect.objectContaining({
        target: "ntp.clients",
        message: expect.stringContaining("compute nodes sync from 1 NTP source"),
        // (two controllers are refused: an even count splits its quorum)
        fix: "set ntp.clients to servers, or run at least 3 controllers",
      }),
    ]);
  });

  test("fails when a single NTP server is declared, which the spec accepts", () => {
    const model = modelOf((s) => (s.ntp.servers = ["10.9.0.123"]));
    expect(findingsOf("SW-HA-005", model)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ severity: "error", target: "ntp.servers" }),
      ]),
    );
  });

  test("passes two servers and three controllers", () => {
    expect(findingsOf("SW-HA-005", base)).toEqual([]);
  });
});

describe("SW-HA-006 VIPs with several controllers", () => {
  test("fails when several controllers have no VIP", () => {
    const model = bent(base, (m) => (m.vips = []));
    expect(findingsOf("SW-HA-006", model).map((f) => f.target)).toEqual([
      "controlPlane.vips.internal",
    ]);
  });

  test("passes an internal VIP alone: Kolla puts the public endpoints on it", () => {
    // GIVEN an external network and no external VIP (kolla_external_vip_address defaults to the
    // internal one, which keepalived holds as well)
    const model = bent(base, (m) => (m.vips = m.vips.filter((v: any) => v.name === "internal")));
    expect(model.networks.some((n: any) => n.external)).toBe(true);
    expect(findingsOf("SW-HA-006", model)).toEqual([]);
  });

  test("passes internal and external VIPs", () => {
    expect(findingsOf("SW-HA-006", base)).toEqual([]);
  });
});

describe("SW-HA-007 VIPs as allowed address pairs of the controller ports", () => {
  test("passes the synthesized control plane", () => {
    expect(findingsOf("SW-HA-007", base, stacks)).toEqual([]);
  });

  test("fails when a controller port on the VIP network does not allow the VIP", () => {
    // GIVEN a controller instance with a Neutron port on the API network (the platform stack
    // no longer has any: the rule guards hand-added or VM controller ports)
    const broken = editStack(stacks, "platform", (c) => {
      addResource(c, "openstack_networking_port_v2", "platform/extra/ctrl-01/port-api", {
        fixed_ip: [{ ip_address: "10.0.1.11" }],
      });
      addResource(c, "openstack_compute_instance_v2", "platform/extra/ctrl-01/Resource", {
        metadata: { role: "controller" },
        network: [{ port: "${openstack_networking_port_v2.platform_extra_ctrl_01_port_api.id}" }],
      });
    });
    // WHEN / THEN
    expect(findingsOf("SW-HA-007", base, broken)).toEqual([
      expect.objectContaining({
        severity: "error",
        target: "platform/extra/ctrl-01/port-api",
        message: expect.stringContaining("internal VIP 10.0.1.10"),
      }),
    ]);
  });
});
