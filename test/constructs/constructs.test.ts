// Declares the cdktf matchers on jest's expect.
import "cdktf/lib/testing/adapters/jest";
import { Testing } from "cdktf";
import { synthStack } from "../support/synth";
import { ComputeAggregateV2 } from "../../.gen/providers/openstack/compute-aggregate-v2";
import { ComputeFlavorV2 } from "../../.gen/providers/openstack/compute-flavor-v2";
import { ComputeServergroupV2 } from "../../.gen/providers/openstack/compute-servergroup-v2";
import { NetworkingNetworkV2 } from "../../.gen/providers/openstack/networking-network-v2";
import { NetworkingSubnetV2 } from "../../.gen/providers/openstack/networking-subnet-v2";
import { BlockstorageVolumeTypeV3 } from "../../.gen/providers/openstack/blockstorage-volume-type-v3";
import { ObjectstorageContainerV1 } from "../../.gen/providers/openstack/objectstorage-container-v1";
import { NetworkingSubnetpoolV2 } from "../../.gen/providers/openstack/networking-subnetpool-v2";
import { ComputeZone } from "../../constructs/compute-zone";
import { TenantNetwork } from "../../constructs/tenant-network";
import { NetworkFabric } from "../../constructs/network-fabric";
import { BlockStorage } from "../../constructs/block-storage";
import { ObjectStorage } from "../../constructs/object-storage";
import type { Model } from "../../model/types";
import { CORE_SERVICES, baseSpec, load, variant } from "../support/fixtures";

Testing.setupJest();

const model = load(
  variant((s) => {
    s.zones[0].pools[0].flavors = [{ name: "web-2", vcpus: 2, ramGiB: 4, diskGiB: 20 }];
    s.zones[1].pools[0].cpuPinning = true;
    s.zones[1].pools[0].flavors = [{ name: "db-8", vcpus: 8, ramGiB: 64, dedicated: true }];
  }),
).model;

const synth = synthStack;

describe("ComputeZone", () => {
  test("creates an aggregate per pool with the zone, hosts and sizing", () => {
    // GIVEN
    const zone = model.zones[0];
    // WHEN
    const out = synth(
      (s) =>
        new ComputeZone(s, "z", {
          zone,
          pools: model.pools.filter((p) => p.zone === zone.name),
          namingPrefix: "sw",
        }),
    );
    // THEN
    expect(out).toHaveResourceWithProperties(ComputeAggregateV2, {
      name: "sw-az1-web",
      zone: "az1",
      hosts: ["az1-web-01", "az1-web-02", "az1-web-03", "az1-web-04"],
      metadata: expect.objectContaining({
        pool: "az1-web",
        tier: "web",
        cpu_allocation_ratio: "4",
        schedulable_vcpus: "992",
      }),
    });
    expect(out).toHaveResourceWithProperties(ComputeFlavorV2, {
      name: "web-2",
      vcpus: 2,
      ram: 4096,
      disk: 20,
      extra_specs: { "aggregate_instance_extra_specs:pool": "az1-web" },
    });
  });

  test("keeps a custom purpose inert in aggregate metadata", () => {
    const m = load(
      variant((s) => (s.zones[0].pools[0].purpose = { custom: "batch ${jobs} %{x}" })),
    ).model;
    const out = synth(
      (s) =>
        new ComputeZone(s, "z", {
          zone: m.zones[0],
          pools: m.pools.filter((p) => p.zone === "az1"),
          namingPrefix: "sw",
        }),
    );
    expect(out).toHaveResourceWithProperties(ComputeAggregateV2, {
      metadata: expect.objectContaining({ custom: "batch $${jobs} %%{x}" }),
    });
  });

  test("pins dedicated flavors with hw:cpu_policy", () => {
    const zone = model.zones[1];
    const out = synth(
      (s) =>
        new ComputeZone(s, "z", {
          zone,
          pools: model.pools.filter((p) => p.zone === zone.name),
          namingPrefix: "sw",
        }),
    );
    expect(out).toHaveResourceWithProperties(ComputeFlavorV2, {
      name: "db-8",
      extra_specs: {
        "aggregate_instance_extra_specs:pool": "az2-app",
        "hw:cpu_policy": "dedicated",
      },
    });
  });

  test("a pinned flavor larger than one socket spans the fewest NUMA nodes that fit", () => {
    // GIVEN cmp hosts (2 sockets x 16 cores x 2 threads, 256 GiB) keeping 4 CPUs: 28 pinned CPUs
    // on socket 0 (two cores kept), 32 on socket 1
    const pinned = load(
      variant((s) => {
        s.zones[1].pools[0].cpuPinning = true;
        s.zones[1].pools[0].reservedHostCpus = 4;
        s.zones[1].pools[0].flavors = [
          { name: "db-16", vcpus: 16, ramGiB: 64 },
          { name: "db-40", vcpus: 40, ramGiB: 128 },
        ];
      }),
    ).model;
    const zone = pinned.zones[1];
    const out = synth(
      (s) =>
        new ComputeZone(s, "z", {
          zone,
          pools: pinned.pools.filter((p) => p.zone === zone.name),
          namingPrefix: "sw",
        }),
    );
    // THEN 16 fit one node (Nova's default for a pinned guest); 40 need two of 20 each
    expect(out).toHaveResourceWithProperties(ComputeFlavorV2, {
      name: "db-16",
      extra_specs: {
        "aggregate_instance_extra_specs:pool": "az2-app",
        "hw:cpu_policy": "dedicated",
      },
    });
    expect(out).toHaveResourceWithProperties(ComputeFlavorV2, {
      name: "db-40",
      extra_specs: {
        "aggregate_instance_extra_specs:pool": "az2-app",
        "hw:cpu_policy": "dedicated",
        "hw:numa_nodes": "2",
      },
    });
  });

  test("fails when a pool of another zone is passed", () => {
    expect(() =>
      synth(
        (s) =>
          new ComputeZone(s, "z", { zone: model.zones[0], pools: model.pools, namingPrefix: "sw" }),
      ),
    ).toThrow("pool az2-app belongs to zone az2, not az1");
  });
});

describe("NetworkFabric", () => {
  // GIVEN the base plan (management, API, tunnel, storage and external VLANs) and a provider VLAN
  const plan = load(
    variant((s) => {
      s.network.networks.push({
        name: "apps",
        role: "provider",
        cidr: "10.0.50.0/24",
        vlan: 50,
        physicalNetwork: "physnet-ext",
      });
    }),
  ).model;
  const out = synth(
    (s) => new NetworkFabric(s, "net", { networks: plan.networks, namingPrefix: "sw" }),
  );
  const parsed = JSON.parse(out);

  test("creates only the networks instances and routers attach to: external and provider", () => {
    // THEN the control plane's VLANs are host networking, never Neutron networks
    const names = Object.values(parsed.resource.openstack_networking_network_v2).map(
      (n: any) => n.name,
    );
    expect(names.sort()).toEqual(["sw-apps", "sw-ext"]);
    expect(plan.networks.filter((n) => n.neutron).map((n) => n.name)).toEqual(["apps", "ext"]);
    expect(plan.networks.find((n) => n.name === "mgmt")).toMatchObject({
      neutron: false,
      dhcp: false,
    });
    expect(plan.networks.find((n) => n.name === "mgmt")?.physicalNetwork).toBeUndefined();
  });

  test("creates VLAN provider networks with the planned MTU", () => {
    expect(out).toHaveResourceWithProperties(NetworkingNetworkV2, {
      name: "sw-apps",
      external: false,
      mtu: 9000,
      segments: [{ network_type: "vlan", physical_network: "physnet-ext", segmentation_id: 50 }],
    });
    expect(out).toHaveResourceWithProperties(NetworkingNetworkV2, {
      name: "sw-ext",
      external: true,
      mtu: 1500,
      segments: [{ network_type: "vlan", physical_network: "physnet-ext", segmentation_id: 20 }],
    });
  });

  test("serves DHCP on provider subnets only; floating IPs need none", () => {
    expect(out).toHaveResourceWithProperties(NetworkingSubnetV2, {
      name: "sw-ext-subnet",
      cidr: "198.51.100.0/24",
      gateway_ip: "198.51.100.1",
      enable_dhcp: false,
      allocation_pool: [{ start: "198.51.100.100", end: "198.51.100.200" }],
    });
    expect(out).toHaveResourceWithProperties(NetworkingSubnetV2, {
      name: "sw-apps-subnet",
      cidr: "10.0.50.0/24",
      enable_dhcp: true,
    });
    expect(Object.keys(parsed.resource.openstack_networking_subnet_v2)).toHaveLength(2);
  });

  test("leaves a provider segment's devices their addresses: its allocation range, DHCP off", () => {
    // GIVEN an instrument VLAN whose devices hold .2-.99 and answer DHCP themselves
    const lab = load(
      variant((s) => {
        s.network.networks.push({
          name: "lab",
          role: "provider",
          cidr: "10.0.60.0/24",
          vlan: 60,
          physicalNetwork: "physnet-ext",
          allocationRange: { start: "10.0.60.100", end: "10.0.60.149" },
          dhcp: false,
        });
      }),
    ).model;
    const subnet = synth(
      (s) => new NetworkFabric(s, "net", { networks: lab.networks, namingPrefix: "sw" }),
    );
    // THEN Neutron hands out the range alone, and serves no DHCP there
    expect(subnet).toHaveResourceWithProperties(NetworkingSubnetV2, {
      name: "sw-lab-subnet",
      enable_dhcp: false,
      allocation_pool: [{ start: "10.0.60.100", end: "10.0.60.149" }],
    });
  });
});

describe("storage", () => {
  const m = load(
    variant((s) => {
      s.controlPlane.services = [...CORE_SERVICES, "cinder", "swift"];
      s.storage = {
        ceph: { nodes: 3, hardware: "stor", osdsPerNode: 4, osdSizeTB: 4 },
        backends: [{ name: "rbd-ssd", kind: "ceph", volumeType: "fast ${var.x}" }],
        swift: {
          proxies: 2,
          proxyHardware: "ctrl",
          storageNodes: 3,
          storageHardware: "stor",
          disksPerNode: 4,
          diskSizeTB: 4,
          zones: 3,
          containers: [
            { name: "img", purpose: "application" },
            { name: "www", purpose: "application", public: true },
            {
              name: "docs",
              purpose: "application",
              public: true,
              readers: [".referer:*.example.com", ".ref : -thief.example.com", "ci:builder"],
              writers: ["ci:builder"],
            },
          ],
        },
      };
    }),
  ).model;

  test("binds volume types to their backend and keeps user text inert", () => {
    const out = synth((s) => new BlockStorage(s, "bs", { backends: m.storage.backends }));
    expect(out).toHaveResourceWithProperties(BlockstorageVolumeTypeV3, {
      name: "fast $${var.x}",
      extra_specs: { volume_backend_name: "rbd-ssd" },
    });
  });

  test("opens public read only on containers marked public", () => {
    const out = synth(
      (s) => new ObjectStorage(s, "os", { containers: m.storage.swift?.containers ?? [] }),
    );
    const containers = Object.values(
      JSON.parse(out).resource.openstack_objectstorage_container_v1,
    ) as Record<string, unknown>[];
    expect(containers.find((c) => c.name === "img")).not.toHaveProperty("container_read");
    expect(out).toHaveResourceWithProperties(ObjectstorageContainerV1, {
      name: "www",
      container_read: ".r:*,.rlistings",
    });
  });

  test("writes ACLs as Swift stores them, so the next plan reads back the same", () => {
    // GIVEN referrers in Swift's longer spellings, with spaces and a `*.` domain
    const out = synth(
      (s) => new ObjectStorage(s, "os", { containers: m.storage.swift?.containers ?? [] }),
    );
    // THEN each element is what acl.clean_acl makes of it
    expect(out).toHaveResourceWithProperties(ObjectstorageContainerV1, {
      name: "docs",
      container_read: ".r:*,.rlistings,.r:.example.com,.r:-thief.example.com,ci:builder",
      container_write: "ci:builder",
    });
  });
});

test("base spec stays a valid fixture", () => {
  expect(load(baseSpec()).model.nodes.length).toBeGreaterThan(0);
});

describe("workload server groups and tenant subnet pool", () => {
  /** A model whose first pool offers a server group, with tenant t1 on it and t2 elsewhere. */
  const withGroups = (groups: object[]) =>
    load(
      variant((s) => {
        s.zones[0].pools[0].serverGroups = groups;
        s.tenants = [
          { name: "t1", pool: s.zones[0].pools[0].name },
          { name: "t2", pool: s.zones[1].pools[0].name },
        ];
      }),
    ).model;

  test("a tenant on a pool gets the pool's server groups in its own project, with their policy", () => {
    // GIVEN
    const m = withGroups([{ name: "web-spread", policy: "anti-affinity", maxServersPerHost: 2 }]);
    const [t1, t2] = m.tenants;
    // WHEN the tenants' project-owned resources and the zone are synthesized
    const mine = synth((s) => new TenantNetwork(s, "t1", { tenant: t1, namingPrefix: "sw" }));
    const theirs = synth((s) => new TenantNetwork(s, "t2", { tenant: t2, namingPrefix: "sw" }));
    const zone = synth(
      (s) =>
        new ComputeZone(s, "z", {
          zone: m.zones[0],
          pools: m.pools.filter((p) => p.zone === m.zones[0].name),
          namingPrefix: "sw",
        }),
    );
    // THEN only the tenant on the pool has it, and the platform's zone makes none
    expect(t1.serverGroups).toEqual([
      {
        pool: "az1-web",
        name: "web-spread",
        policy: "anti-affinity",
        maxServersPerHost: 2,
        novaName: "sw-az1-web-web-spread",
      },
    ]);
    expect(mine).toHaveResourceWithProperties(ComputeServergroupV2, {
      name: "sw-az1-web-web-spread",
      policies: ["anti-affinity"],
      rules: { max_server_per_host: 2 },
    });
    expect(theirs).not.toHaveResource(ComputeServergroupV2);
    expect(zone).not.toHaveResource(ComputeServergroupV2);
  });

  test("a tenant listing a pool's flavor gets the pool's server groups too", () => {
    const m = load(
      variant((s) => {
        s.zones[0].pools[0].serverGroups = [{ name: "g", policy: "soft-anti-affinity" }];
        s.zones[0].pools[0].flavors = [{ name: "f1", vcpus: 1, ramGiB: 1 }];
        s.tenants = [{ name: "t1", flavors: ["f1"] }];
      }),
    ).model;
    expect(m.tenants[0].serverGroups.map((g) => `${g.pool}/${g.name}`)).toEqual(["az1-web/g"]);
  });

  test("fails when maxServersPerHost is set on a soft policy", () => {
    // GIVEN a model the spec rules would have refused (rule server-group-max)
    const m = withGroups([{ name: "g", policy: "soft-affinity" }]);
    const tenant = {
      ...m.tenants[0],
      serverGroups: m.tenants[0].serverGroups.map((g) => ({ ...g, maxServersPerHost: 2 })),
    };
    // WHEN / THEN
    expect(() => synth((s) => new TenantNetwork(s, "t1", { tenant, namingPrefix: "sw" }))).toThrow(
      "server group g of pool az1-web: maxServersPerHost only applies to anti-affinity, not soft-affinity",
    );
  });

  test("fails when a pool declares a server group twice", () => {
    const m = withGroups([{ name: "g", policy: "affinity" }]);
    const tenant = {
      ...m.tenants[0],
      serverGroups: [...m.tenants[0].serverGroups, ...m.tenants[0].serverGroups],
    };
    expect(() => synth((s) => new TenantNetwork(s, "t1", { tenant, namingPrefix: "sw" }))).toThrow(
      "server group g of pool az1-web is declared twice",
    );
  });

  /** The fabric of a model's networks and tenant subnet pool, synthesized. */
  const fabricOf = (m: Model) =>
    synth(
      (s) =>
        new NetworkFabric(s, "net", {
          networks: m.networks,
          namingPrefix: "sw",
          tenantSubnetPool: m.network.tenantSubnetPool,
        }),
    );

  test("creates a shared default subnet pool in its own address scope", () => {
    const m = load(
      variant(
        (s) =>
          (s.network.tenantSubnetPool = { prefixes: ["172.20.0.0/16"], defaultPrefixLength: 26 }),
      ),
    ).model;
    const out = fabricOf(m);
    expect(out).toHaveResourceWithProperties(NetworkingSubnetpoolV2, {
      prefixes: ["172.20.0.0/16"],
      default_prefixlen: 26,
      is_default: true,
      shared: true,
      address_scope_id: expect.stringContaining("openstack_networking_addressscope_v2"),
    });
  });

  test("writes subnets and pool prefixes in the form Neutron returns", () => {
    // GIVEN an IPv6 block in capitals and pool prefixes that touch, listed out of order
    const m = load(
      variant((s) => {
        s.network.networks.push({
          name: "v6",
          role: "provider",
          cidr: "2001:DB8:0:50:0::/64",
          vlan: 60,
          physicalNetwork: "physnet-ext",
        });
        s.network.tenantSubnetPool = {
          prefixes: ["172.20.1.0/24", "172.20.0.0/24"],
          defaultPrefixLength: 26,
        };
      }),
    ).model;
    // WHEN
    const out = fabricOf(m);
    // THEN subnet cidr is ForceNew and the pool's prefixes are read back: written as stored,
    // they show no change on the next plan
    expect(out).toHaveResourceWithProperties(NetworkingSubnetV2, {
      cidr: "2001:db8:0:50::/64",
      gateway_ip: "2001:db8:0:50::1",
    });
    expect(out).toHaveResourceWithProperties(NetworkingSubnetpoolV2, {
      prefixes: ["172.20.0.0/23"],
    });
  });

  test("fails when a network is named like the subnet pool's resources", () => {
    // GIVEN a network name the spec rules refuse (name-reserved) next to a subnet pool
    const networks = model.networks.map((n) => (n.external ? { ...n, name: "tenant-pool" } : n));
    // WHEN / THEN
    expect(() =>
      synth(
        (s) =>
          new NetworkFabric(s, "net", {
            networks,
            namingPrefix: "sw",
            tenantSubnetPool: {
              prefixes: ["172.20.0.0/16"],
              ipVersion: 4,
              defaultPrefixLength: 26,
            },
          }),
      ),
    ).toThrow('NetworkFabric: network name "tenant-pool" is taken by the tenant subnet pool');
  });
});

describe("ObjectStorage with container names from JavaScript's object prototype", () => {
  test("creates __proto__, constructor and toString like any other container", () => {
    // GIVEN
    const names = ["__proto__", "constructor", "toString", "hasOwnProperty"];
    const containers = names.map((name) => ({
      name,
      purpose: "application" as const,
      account: "platform" as const,
      public: false,
      versioning: false,
      readers: [],
      writers: [],
    }));
    // WHEN
    let storage: ObjectStorage | undefined;
    const out = synth((s) => (storage = new ObjectStorage(s, "os", { containers })));
    // THEN
    const created = Object.values(JSON.parse(out).resource.openstack_objectstorage_container_v1)
      .map((c) => (c as { name: string }).name)
      .sort();
    expect(created).toEqual([...names].sort());
    expect(storage?.container("__proto__")).toBeDefined();
  });
});
