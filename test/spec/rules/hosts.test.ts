import { formatPath } from "../../../core/errors";
import { issuesOf, load, variant } from "../../support/fixtures";

/** Issues of a spec as `{ path, code }`. */
const found = (edit: (s: any) => void) =>
  issuesOf(variant(edit)).map((i) => ({ path: formatPath(i.path), code: i.code }));

describe("host names", () => {
  test("fails when a listed name collides with another role's generated name", () => {
    // GIVEN a pool whose hypervisor is called like the first controller
    const issues = found((s) => (s.zones[1].pools[0].hostnames = ["ctrl-01", "app-2", "app-3"]));
    // THEN
    expect(issues).toContainEqual({
      path: "zones[1].pools[0].hostnames[0]",
      code: "duplicate-hostname",
    });
  });

  test("fails when a role lists more or fewer names than hosts", () => {
    expect(found((s) => (s.controlPlane.hostnames = ["c1", "c2"]))).toContainEqual({
      path: "controlPlane.hostnames",
      code: "hostnames-count",
    });
  });

  test("uses listed names for every role and derives the FQDN from the domain", () => {
    const { model } = load(
      variant((s) => {
        s.controlPlane.hostnames = ["os-a", "os-b", "os-c"];
        s.network.domain = "cloud.example.net";
      }),
    );
    expect(model.nodes.filter((n) => n.role === "controller").map((n) => n.fqdn)).toEqual([
      "os-a.cloud.example.net",
      "os-b.cloud.example.net",
      "os-c.cloud.example.net",
    ]);
    expect(model.controlPlane.controllers).toEqual(["os-a", "os-b", "os-c"]);
  });
});

describe("undercloud", () => {
  test("fails when the undercloud is the cloud being built", () => {
    expect(found((s) => (s.cloud.undercloud = { cloud: "test" }))).toEqual([
      { path: "cloud.undercloud.cloud", code: "undercloud-is-overcloud" },
    ]);
  });

  test("warns when the servers would boot with no key pair to log in with", () => {
    const warned = (edit: (s: any) => void) =>
      load(variant(edit))
        .warnings.filter((w) => w.code === "undercloud-key-pair-missing")
        .map((w) => formatPath(w.path));
    // GIVEN an undercloud, and no key pair of its own or of the controllers
    expect(
      warned((s) => {
        s.cloud.undercloud = { cloud: "under" };
        delete s.controlPlane.keyPair;
      }),
    ).toEqual(["cloud.undercloud"]);
    // THEN either key pair does
    expect(
      warned((s) => {
        s.cloud.undercloud = { cloud: "under", keyPair: "ops" };
        delete s.controlPlane.keyPair;
      }),
    ).toEqual([]);
    expect(
      warned((s) => {
        s.cloud.undercloud = { cloud: "under" };
        s.controlPlane.keyPair = "ops";
      }),
    ).toEqual([]);
  });

  test("fails when a tenant takes the bare-metal stack's name", () => {
    expect(
      found((s) => (s.tenants = [{ name: "Ops", id: "ops", stack: "baremetal" }])),
    ).toContainEqual({ path: "tenants[0].stack", code: "stack-reserved" });
  });

  test("fails when a tenant takes another tenant's network stack name under project credentials", () => {
    // GIVEN tenant networks applied with project credentials, and a tenant stack named like one
    const issues = found((s) => {
      s.output = { tenantStacks: { layout: "per-tenant", networkCredentials: "project" } };
      s.tenants = [
        { name: "Team One", id: "team-one", stack: "network-team-two" },
        { name: "Team Two", id: "team-two" },
      ];
    });
    // THEN the clash is refused at the tenant's stack, before synth would fail
    expect(issues).toContainEqual({ path: "tenants[0].stack", code: "stack-reserved" });
  });

  test("a tenant stack named network-<id> is fine while tenants apply with admin credentials", () => {
    const { model } = load(
      variant((s) => {
        s.tenants = [
          { name: "Team One", id: "team-one", stack: "network-team-two" },
          { name: "Team Two", id: "team-two" },
        ];
      }),
    );
    expect(model.tenants.map((t) => t.stack)).toEqual(["network-team-two", "tenant-team-two"]);
  });

  test("models the undercloud with the controller image by default", () => {
    const { model } = load(variant((s) => (s.cloud.undercloud = { cloud: "under" })));
    expect(model.undercloud).toEqual({
      cloud: "under",
      region: "RegionOne",
      image: "ubuntu-24.04",
      network: "provisioning",
    });
  });
});

describe("fixed addresses of existing hosts", () => {
  test("keeps a given address and allocates the others around it", () => {
    const { model } = load(
      variant((s) => (s.hosts = [{ name: "ctrl-02", addresses: { mgmt: "10.0.0.11" } }])),
    );
    const mgmt = Object.fromEntries(model.nodes.map((n) => [n.name, n.addresses.mgmt]));
    expect(mgmt["ctrl-02"]).toBe("10.0.0.11");
    expect(mgmt["ctrl-01"]).toBe("10.0.0.12");
    expect(new Set(Object.values(mgmt)).size).toBe(model.nodes.length);
  });

  test("an entry may fix only its host's rack, without addresses", () => {
    const { model } = load(variant((s) => (s.hosts = [{ name: "az1-web-01", rack: "r3" }])));
    expect(model.nodes.find((n) => n.name === "az1-web-01")?.rack).toBe("r3");
  });

  test("fails when the host, the network or the address does not fit the design", () => {
    const issues = found(
      (s) =>
        (s.hosts = [
          { name: "nobody", addresses: { mgmt: "10.0.0.50" } },
          {
            name: "ctrl-01",
            addresses: { nope: "10.0.0.51", mgmt: "10.0.9.1", api: "10.0.1.10" },
          },
          { name: "az1-web-01", addresses: { ext: "198.51.100.150" } },
        ]),
    );
    expect(issues).toEqual([
      { path: "hosts[0].name", code: "unknown-host" },
      { path: "hosts[1].addresses.api", code: "duplicate-address" },
      { path: "hosts[1].addresses.mgmt", code: "address-outside-subnet" },
      { path: "hosts[1].addresses.nope", code: "unknown-reference" },
      { path: "hosts[2].addresses.ext", code: "host-not-on-network" },
    ]);
  });

  test("fails on a fixed address no host can hold: a default gateway, the network or broadcast address", () => {
    // GIVEN mgmt 10.0.0.0/24 without a declared gateway: the model gives it 10.0.0.1
    expect(
      found(
        (s) =>
          (s.hosts = [
            { name: "ctrl-01", addresses: { mgmt: "10.0.0.1" } },
            { name: "ctrl-02", addresses: { mgmt: "10.0.0.255" } },
            { name: "ctrl-03", addresses: { mgmt: "10.0.0.0" } },
          ]),
      ),
    ).toEqual([
      { path: "hosts[0].addresses.mgmt", code: "duplicate-address" },
      { path: "hosts[1].addresses.mgmt", code: "address-not-host" },
      { path: "hosts[2].addresses.mgmt", code: "address-not-host" },
    ]);
  });

  test("fails when a fixed address lies in the floating IP range", () => {
    expect(
      found((s) => (s.hosts = [{ name: "ctrl-01", addresses: { ext: "198.51.100.150" } }])),
    ).toEqual([{ path: "hosts[0].addresses.ext", code: "address-in-floating-range" }]);
  });
});

describe("block storage and the deployer", () => {
  test("fails when targetProtocol is set on a Ceph backend", () => {
    expect(
      found((s) => {
        s.storage = {
          ceph: { nodes: 3, hardware: "stor", osdsPerNode: 4, osdSizeTB: 4 },
          backends: [{ name: "rbd", kind: "ceph", volumeType: "rbd", targetProtocol: "iser" }],
        };
      }),
    ).toContainEqual({ path: "storage.backends[0].targetProtocol", code: "target-protocol-kind" });
  });

  test("fails when the block-storage nodes or the deployer name unknown hardware", () => {
    const issues = found((s) => {
      s.storage = {
        backends: [{ name: "lvm", kind: "lvm", volumeType: "std" }],
        blockStorageNodes: { hosts: 2, hardware: "nope" },
      };
      s.deployer = { hardware: "missing" };
    });
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: "storage.blockStorageNodes.hardware", code: "unknown-reference" },
        { path: "deployer.hardware", code: "unknown-reference" },
      ]),
    );
  });

  test("warns when block-storage nodes serve no backend", () => {
    const { warnings } = load(
      variant((s) => (s.storage = { blockStorageNodes: { hosts: 2, hardware: "stor" } })),
    );
    expect(warnings.map((w) => ({ path: formatPath(w.path), code: w.code }))).toContainEqual({
      path: "storage.blockStorageNodes",
      code: "block-storage-unused",
    });
  });
});

describe("bond ports", () => {
  test("fails when hosts carry several untagged networks and the hardware names no ports", () => {
    const issues = found((s) => {
      for (const n of s.network.networks) delete n.vlan;
    });
    // Controllers carry every network untagged: one bond each needs named ports.
    expect(issues).toContainEqual({ path: "hardware[0].nicNames", code: "nic-names-required" });
  });
});
