// The deploy/ files of every example, read by their real consumers: ansible-inventory,
// the OpenStack services' oslo.config option definitions and cephadm's spec parser.
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { findBlueprint } from "../../blueprints/catalog";
import { loadSpecFile, type LoadedSpec } from "../../model/load";
import { cephServiceSpecs, deployFiles } from "../../deployer";
import { OCTAVIA_HEARTBEAT_KEY } from "../../model/deploy";
import { KOLLA_CONFIG_DIR } from "../../model/lifecycle";
import { parseCpuList } from "../../model/deploy";
import { KOLLA_GROUPS } from "../../core/kolla-groups";
import { ComputeZone } from "../../constructs/compute-zone";
import { ROOT, SEED_BLUEPRINTS } from "../support/blueprints";
import { synthStack } from "../support/synth";
import { swiftRingPlan } from "../../artifacts";
import {
  ansibleInventory,
  buildSwiftRings,
  groupHosts,
  osloOptions,
  parseCephSpecs,
  parseCephCommands,
  HAPROXY,
  PYTHON,
  readOverrides,
  requireConsumers,
  type AnsibleInventory,
  type OsloOptions,
} from "../support/consumers";
import variables from "../../deployer/kolla/variables.json";
import {
  CORE_SERVICES,
  cephAtSites,
  erasureCodedCeph,
  load,
  swiftAcrossRacks,
  variant,
  withGpus,
} from "../support/fixtures";
import { swiftRingLayout } from "../../model/capacity";
import { ringLostWithPlace } from "../../core/swift-ring";
import { TEST_KEY, withLegacyEstate } from "../support/legacy";

import { tempDir } from "../support/temp";

/** Designs the examples do not cover: GlusterFS over NFS, GRE tunnels, Ceph with RADOS Gateways. */
const VARIANTS = {
  gluster: variant((s) => {
    s.storage = { backends: [{ name: "gluster", kind: "glusterfs", volumeType: "shared" }] };
  }),
  gre: variant((s) => (s.network.tenantNetworkType = "gre")),
  // GPUs passed through: [pci] alias in every service's nova.conf, device_spec per host.
  gpu: withGpus(),
  rgw: variant((s) => {
    s.controlPlane.services = [...CORE_SERVICES, "cinder", "swift"];
    s.storage = {
      ceph: { nodes: 3, hardware: "stor", osdsPerNode: 4, osdSizeTB: 4 },
      backends: [{ name: "rbd", kind: "ceph", volumeType: "standard" }],
      image: { backend: "ceph" },
      ephemeral: "ceph",
    };
  }),
  // Octavia's load balancers on active-standby amphora pairs, kept apart by Nova.
  octaviaPairs: variant((s) => {
    s.controlPlane.services.push("octavia");
    s.controlPlane.octaviaTopology = "active-standby";
    s.network.networks.push({ name: "lb-mgmt", role: "octavia", cidr: "10.0.8.0/24", vlan: 30 });
  }),
  // Past Neutron's and Nova's defaults for the admin: 40 legacy routes, over 100 group rules,
  // 110 key pairs.
  adminQuotas: variant((s) => {
    withLegacyEstate(s, [8443, 1414], 1);
    // (the router on the bridge's gateway, which routes each legacy subnet)
    s.legacyUnix.subnetGateway = true;
    s.tenants = [
      {
        name: "t",
        pool: "app",
        keyPairs: Array.from({ length: 110 }, (_, k) => ({ name: `k${k}`, publicKey: TEST_KEY })),
      },
    ];
  }),
};

interface Example {
  readonly name: string;
  readonly loaded: LoadedSpec;
  readonly files: Map<string, string>;
  readonly dir: string;
  readonly inventory: AnsibleInventory;
}

const KOLLA_VARIABLES = new Set(Object.keys(variables.variables));
/** Values Kolla-Ansible gives the variables our overrides reference. */
const KOLLA_RENDER_VARIABLES = {
  cinder_target_helper: "lioadm",
  openstack_cacert: "/etc/ssl/certs/ca-certificates.crt",
  kolla_base_distro: "rocky",
  // 2026.1's Neutron, whose uwsgi server needs the service providers in neutron.conf
  neutron_services: { "neutron-server": { wsgi: "neutron.wsgi.api:application" } },
};

let tmp: string;
const examples: Example[] = [];
let oslo: OsloOptions;

beforeAll(async () => {
  requireConsumers();
  const optionsReady = osloOptions();
  tmp = tempDir("stackwright-deploy-");
  for (const name of SEED_BLUEPRINTS) {
    const loaded = loadSpecFile(path.join(ROOT, findBlueprint(name)?.example as string));
    const files = deployFiles(loaded.model);
    const dir = path.join(tmp, name);
    for (const [file, content] of files) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), content);
    }
    const inventory = ansibleInventory(path.join(dir, "deploy/kolla/inventory"));
    examples.push({ name, loaded, files, dir, inventory });
  }
  oslo = await optionsReady;
}, 300_000);

afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** The model's hosts by node role, independently of the deployer's role table. */
function expectedGroups(e: Example): Record<string, string[]> {
  const m = e.loaded.model;
  const controllers = [...m.controlPlane.controllers];
  const sorted = (a: readonly string[]) => [...new Set(a)].sort();
  const nonCeph = m.storage.backends.some((b) => b.kind !== "ceph");
  return {
    control: sorted(controllers),
    network: sorted(m.controlPlane.networkNodes.length ? m.controlPlane.networkNodes : controllers),
    compute: sorted(m.pools.flatMap((p) => p.hostnames)),
    storage: sorted(
      m.nodes.filter((n) => (n.role as string) === "block-storage").map((n) => n.name).length
        ? m.nodes.filter((n) => (n.role as string) === "block-storage").map((n) => n.name)
        : nonCeph
          ? controllers
          : [],
    ),
    monitoring: sorted(controllers),
    // kolla-ansible's own machine, as Kolla's multinode inventory has it: a controller there
    // would skip the port and time prechecks
    deployment: ["localhost"],
  };
}

describe("deploy/kolla/inventory, read by ansible-inventory", () => {
  test.each(SEED_BLUEPRINTS)(
    "%s: Kolla's groups hold exactly the model's hosts by role",
    (name) => {
      // GIVEN / WHEN
      const e = examples.find((x) => x.name === name) as Example;
      // THEN
      const expected = expectedGroups(e);
      for (const group of KOLLA_GROUPS)
        expect([group, groupHosts(e.inventory, group)]).toEqual([group, expected[group]]);
      // Kolla's service groups resolve through the upstream children to the same hosts.
      expect(groupHosts(e.inventory, "ceilometer-compute")).toEqual(expected.compute);
      expect(groupHosts(e.inventory, "neutron-server")).toEqual(expected.control);
      expect(groupHosts(e.inventory, "loadbalancer")).toEqual(expected.control);
      expect(groupHosts(e.inventory, "neutron-l3-agent")).toEqual(expected.network);
      // The common role's groups under both names: 19.x-21.x target kolla-logs, 22.x kolla_logs.
      for (const g of ["kolla-logs", "kolla_logs", "kolla-toolbox", "kolla_toolbox"])
        expect([g, groupHosts(e.inventory, g)]).toEqual([g, groupHosts(e.inventory, "common")]);
      // Ceph and Swift hosts are not Kolla's.
      const all = groupHosts(e.inventory, "all");
      for (const n of e.loaded.model.nodes)
        if (["ceph-osd", "swift-proxy", "swift-storage"].includes(n.role))
          expect(all).not.toContain(n.name);
    },
  );

  test("a single database and broker run on the first controller, not as every controller's cluster", () => {
    // GIVEN three controllers with database and messaging single
    const model = load(
      variant((s) => {
        s.controlPlane.database = "single";
        s.controlPlane.messaging = "single";
      }),
    ).model;
    // WHEN ansible-inventory reads the inventory
    const file = path.join(tempDir("sw-single-db-"), "inventory");
    fs.writeFileSync(file, deployFiles(model).get("deploy/kolla/inventory") as string);
    const inventory = ansibleInventory(file);
    // THEN Kolla's mariadb and rabbitmq roles, which cluster their group's hosts, get one
    const first = model.deploy.kollaGroups.control[0];
    expect(model.deploy.kollaGroups.control.length).toBe(3);
    expect(groupHosts(inventory, "mariadb")).toEqual([first]);
    expect(groupHosts(inventory, "rabbitmq")).toEqual([first]);
    expect(groupHosts(inventory, "prometheus-mysqld-exporter")).toEqual([first]);
    expect(groupHosts(inventory, "keystone")).toHaveLength(3);
  });

  test("the runbook's count of iscsid hosts is the inventory's iscsid group, as Ansible expands it", () => {
    // GIVEN LVM volumes on three volume hosts beside six compute hosts, and three controllers
    const model = loadSpecFile(path.join(ROOT, "examples", "cloud-in-a-box.yaml")).model;
    const file = path.join(tempDir("sw-iscsid-"), "inventory");
    fs.writeFileSync(file, deployFiles(model).get("deploy/kolla/inventory") as string);
    // WHEN ansible-inventory reads the inventory
    const hosts = groupHosts(ansibleInventory(file), "iscsid");
    // THEN the runbook asks those hosts, and no others, to stop their own iSCSI daemon: not the
    // controllers, which Kolla's own file adds as Ironic's, which runs nowhere here
    const asked = model.lifecycle
      .flatMap((st) => st.prerequisites)
      .find((i) => i.kind === "iscsi-host-services")?.params.hosts;
    expect(asked).toBe(hosts.length);
    expect([...hosts].sort()).toEqual([...model.deploy.cinder.iscsid.hosts].sort());
    expect(hosts).toHaveLength(9);
    expect(hosts.filter((h) => model.deploy.kollaGroups.control.includes(h))).toEqual([]);
  });

  test("physical networks named by digits reach Kolla as text, which its bridge mappings split", () => {
    // GIVEN physical networks named 1 and 2 (valid names, and literals to Ansible)
    const spec = parse(fs.readFileSync(path.join(ROOT, "examples", "three-node.yaml"), "utf8"));
    spec.network.tenantPhysicalNetwork = "2";
    spec.network.networks.find((n: { role: string }) => n.role === "external").physicalNetwork =
      "1";
    const model = load(spec).model;
    const file = path.join(tempDir("sw-physnet-"), "inventory");
    fs.writeFileSync(file, deployFiles(model).get("deploy/kolla/inventory") as string);
    // WHEN ansible-inventory reads the inventory THEN every host's list is a string
    const vars = ansibleInventory(file).hostvars as Record<string, Record<string, unknown>>;
    const lists = Object.values(vars).flatMap((v) =>
      v.neutron_physical_networks === undefined ? [] : [v.neutron_physical_networks],
    );
    expect(lists.length).toBeGreaterThan(0);
    for (const list of lists) expect(typeof list).toBe("string");
    expect(lists).toContain("1,2");
  });

  test.each(SEED_BLUEPRINTS)(
    "%s: every host has neutron_external_interface, its bridges' devices or Kolla's default",
    (name) => {
      // Kolla-Ansible 22.0.0's neutron prechecks read it on the first controller, and its
      // group_vars lost the default (a typo mended in 22.1.0).
      const e = examples.find((x) => x.name === name) as Example;
      for (const host of e.loaded.model.deploy.hosts) {
        const device = e.inventory.hostvars[host.name].neutron_external_interface;
        expect(device).toBe(
          host.bridges.length ? host.bridges.map((b) => b.device).join(",") : "eth1",
        );
      }
    },
  );

  test.each(SEED_BLUEPRINTS)("%s: hosts are reached on their management address", (name) => {
    const e = examples.find((x) => x.name === name) as Example;
    const mgmt = e.loaded.model.networks.find((n) => n.role === "management")?.name as string;
    for (const host of groupHosts(e.inventory, "baremetal")) {
      const node = e.loaded.model.nodes.find((n) => n.name === host);
      expect(e.inventory.hostvars[host].ansible_host).toBe(node?.addresses[mgmt]);
      for (const key of Object.keys(e.inventory.hostvars[host]))
        if (key !== "ansible_host") expect(KOLLA_VARIABLES).toContain(key);
    }
  });
});

describe("neutron_external_interface, read by ansible-inventory", () => {
  test.each(SEED_BLUEPRINTS)(
    "%s: Open vSwitch takes a veth end, never a device that carries host addresses",
    (name) => {
      // GIVEN / WHEN the example's inventory as Ansible reads it
      const e = examples.find((x) => x.name === name) as Example;
      // THEN every OVS bridge gets the OVS end of the veth of a bond's Linux bridge, and no
      // *_interface of the host (all carry addresses) is a bond OVS shares or a VLAN on one
      for (const host of groupHosts(e.inventory, "baremetal")) {
        const vars = e.inventory.hostvars[host] as Record<string, string>;
        // (a host without bridges has Kolla's default, which no bridge of it takes)
        if (!vars.neutron_bridge_name) continue;
        const node = e.loaded.model.nodes.find((n) => n.name === host)!;
        const patched = node.links.filter((l) => l.bridge);
        const external = vars.neutron_external_interface.split(",");
        expect(external.length).toBe(vars.neutron_bridge_name.split(",").length);
        for (const device of external)
          expect(patched.map((l) => l.bridge!.ovsPatch)).toContain(device);
        for (const key of [
          "network_interface",
          "api_interface",
          "tunnel_interface",
          "kolla_external_vip_interface",
          "octavia_network_interface",
        ]) {
          const device = vars[key];
          if (device === undefined) continue;
          expect(external).not.toContain(device);
          expect(patched.map((l) => l.device)).not.toContain(device.split(".")[0]);
        }
      }
    },
  );

  test("tgtd listens where cinder.conf sends the hypervisors: each LVM or ZFS host's storage address", () => {
    // GIVEN the examples whose volumes are iSCSI targets on their hosts (LVM, ZFS)
    let checked = 0;
    for (const e of examples)
      for (const [file, text] of e.files) {
        const host = /^deploy\/kolla\/config\/cinder\/([^/]+)\/cinder\.conf$/.exec(file)?.[1];
        const target = /^target_ip_address = (.+)$/m.exec(text)?.[1];
        if (!host || !target) continue;
        // THEN Kolla's tgtd binds its portal to that address (its default is the API address)
        expect([e.name, host, e.inventory.hostvars[host]?.tgtd_interface_address]).toEqual([
          e.name,
          host,
          target,
        ]);
        checked++;
      }
    expect(checked).toBeGreaterThan(0);
  });

  test("three-node: the network host's two bridged bonds feed br-ex and br-ex2", () => {
    const e = examples.find((x) => x.name === "three-node") as Example;
    expect(e.inventory.hostvars["net-01"]).toMatchObject({
      network_interface: "brbond0",
      neutron_bridge_name: "br-ex,br-ex2",
      neutron_external_interface: "p-brbond0-ovs,p-brbond1-ovs",
    });
  });

  test("enterprise-reference: a controller's external VIP rides on a VLAN of the Linux bridge", () => {
    const e = examples.find((x) => x.name === "enterprise-reference") as Example;
    expect(e.inventory.hostvars["ctrl-01"]).toMatchObject({
      kolla_external_vip_interface: "brbond0.200",
      neutron_external_interface: "p-brbond0-ovs",
    });
  });
});

test("public-cloud: every Octavia health manager names its device on the octavia VLAN", () => {
  // GIVEN / WHEN the inventory as Ansible reads it
  const e = examples.find((x) => x.name === "public-cloud") as Example;
  const m = e.loaded.model;
  const net = m.networks.find((n) => n.role === "octavia")!;
  // THEN Kolla's kolla_address('octavia_network') finds an address of the design on that device
  const managers = groupHosts(e.inventory, "octavia-health-manager");
  expect(managers).toEqual([...m.controlPlane.controllers].sort());
  for (const host of managers) {
    const device = (e.inventory.hostvars[host] as Record<string, string>).octavia_network_interface;
    const iface = m.nodes.find((n) => n.name === host)!.interfaces.find((f) => f.device === device);
    expect(iface).toMatchObject({ network: net.name, vlan: net.vlan });
    expect(iface?.address).toBeDefined();
  }
});

test("ansible-inventory rejects an inventory it cannot parse", () => {
  const bad = path.join(tmp, "broken-inventory");
  fs.writeFileSync(bad, "[control\nctrl-01 ansible_host=10.0.0.1\n");
  expect(() => ansibleInventory(bad)).toThrow();
});

describe("deploy/kolla/globals.yml", () => {
  test.each(SEED_BLUEPRINTS)("%s: every key is a variable Kolla-Ansible defines", (name) => {
    const e = examples.find((x) => x.name === name) as Example;
    const globals = parse(e.files.get("deploy/kolla/globals.yml") as string) as Record<
      string,
      unknown
    >;
    const unknown = Object.keys(globals).filter((k) => !KOLLA_VARIABLES.has(k));
    expect(unknown).toEqual([]);
  });

  test.each(Object.keys(VARIANTS))(
    "%s variant: every key is a variable Kolla-Ansible defines",
    (name) => {
      const model = load(VARIANTS[name as keyof typeof VARIANTS]).model;
      const globals = parse(deployFiles(model).get("deploy/kolla/globals.yml") as string) as Record<
        string,
        unknown
      >;
      expect(Object.keys(globals).filter((k) => !KOLLA_VARIABLES.has(k))).toEqual([]);
    },
  );
});

/** The oslo.config namespace that defines a generated file's options, and how sections map. */
function namespacesOf(file: string): { namespaces: string[]; group: (section: string) => string } {
  if (file.includes("/config/nova/") || file.endsWith("/config/nova.conf"))
    return { namespaces: ["nova.conf"], group: (s) => s };
  if (file.endsWith("/ml2_conf.ini")) return { namespaces: ["neutron.ml2"], group: (s) => s };
  if (file.endsWith("/config/neutron.conf"))
    return {
      namespaces: ["neutron", "neutron.service_providers", "neutron.extension_quotas"],
      group: (s) => s,
    };
  // neutron-server reads it beside neutron.conf: [service_providers] is neutron's own group.
  if (file.endsWith("/fwaas_driver.ini"))
    return { namespaces: ["neutron.service_providers"], group: (s) => s };
  if (file.endsWith("/openvswitch_agent.ini"))
    return { namespaces: ["neutron.ml2.ovs.agent"], group: (s) => s };
  // Cinder registers every driver option per backend section from its backend_defaults group.
  if (file.includes("/config/cinder/") || file.endsWith("/config/cinder.conf"))
    return { namespaces: ["cinder"], group: (s) => (s === "DEFAULT" ? s : "backend_defaults") };
  // Glance's multi-store sections take the glance_store options.
  if (file.includes("/config/glance/"))
    return {
      namespaces: ["glance.api", "glance.store", "glance.multi_store"],
      group: (s) => (s === "DEFAULT" ? s : "glance_store"),
    };
  if (file.includes("/config/keystone/")) return { namespaces: ["keystone"], group: (s) => s };
  if (file.endsWith("/config/octavia.conf")) return { namespaces: ["octavia"], group: (s) => s };
  throw new Error(`no option definitions known for ${file}`);
}

/** Sections and options of generated overrides that their service does not define. */
function unknownOptions(configs: Readonly<Record<string, string>>): string[] {
  // The LDAP bind passwords and Octavia's heartbeat key come from /etc/kolla/passwords.yml, as
  // Kolla-Ansible passes it (the README has operators add them).
  const passwords = Object.fromEntries([
    ...Object.values(configs).flatMap((text) =>
      [...text.matchAll(/\{\{ (ldap_bind_password_\w+) /g)].map((m) => [m[1], "pa$s"]),
    ),
    [OCTAVIA_HEARTBEAT_KEY, "0123abcd"],
  ]);
  const parsed = readOverrides(configs, { ...KOLLA_RENDER_VARIABLES, ...passwords });
  const unknown: string[] = [];
  for (const [file, sections] of Object.entries(parsed)) {
    if (sections.error) {
      unknown.push(`${file}: ${sections.error}`);
      continue;
    }
    const { namespaces, group } = namespacesOf(`/${file}`);
    for (const [section, opts] of Object.entries(sections)) {
      const known = new Set(namespaces.flatMap((ns) => oslo[ns]?.[group(section)] ?? []));
      if (known.size === 0) unknown.push(`${file} [${section}]`);
      for (const o of opts) if (!known.has(o)) unknown.push(`${file} [${section}] ${o}`);
    }
  }
  return unknown;
}

describe("deploy/kolla/config/haproxy/services.d/swift.cfg, read by HAProxy", () => {
  test.each(SEED_BLUEPRINTS)("%s: Kolla's HAProxy takes it, fronting every Swift proxy", (name) => {
    const e = examples.find((x) => x.name === name) as Example;
    const swift = e.loaded.model.deploy.swiftProxies;
    const file = e.files.get("deploy/kolla/config/haproxy/services.d/swift.cfg");
    expect(file !== undefined).toBe(e.loaded.model.storage.swift !== undefined);
    if (!file || !swift) return;
    // GIVEN the file as Kolla renders it (a Jinja template), with a test certificate where Kolla
    // puts the VIPs' certificates
    const dir = tempDir("sw-haproxy-");
    const pem = path.join(dir, "cert.pem");
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=test",
        "-keyout",
        pem,
        "-out",
        path.join(dir, "crt.pem"),
      ],
      { stdio: "ignore" },
    );
    fs.appendFileSync(pem, fs.readFileSync(path.join(dir, "crt.pem")));
    const rendered = execFileSync(
      PYTHON,
      // Ansible's template module keeps a file's trailing newlines.
      [
        "-c",
        "import jinja2,sys; sys.stdout.write(jinja2.Template(sys.stdin.read(), keep_trailing_newline=True).render())",
      ],
      { input: file },
    ).toString();
    fs.writeFileSync(
      path.join(dir, "swift.cfg"),
      rendered.replace(/\/etc\/haproxy\/certificates\/haproxy(-internal)?\.pem/g, pem),
    );
    fs.writeFileSync(
      path.join(dir, "main.cfg"),
      "global\n  log stdout local0\ndefaults\n  log global\n  timeout connect 5s\n  timeout client 30s\n  timeout server 30s\n",
    );
    // WHEN HAProxy checks it
    const check = spawnSync(
      HAPROXY,
      ["-c", "-f", path.join(dir, "main.cfg"), "-f", path.join(dir, "swift.cfg")],
      {
        encoding: "utf8",
      },
    );
    // THEN it is valid, binds both VIPs on the proxies' port and sends to every proxy there
    expect([check.status, check.stderr.match(/\[(ALERT|WARNING)\].*/g)]).toEqual([0, null]);
    const vips = e.loaded.model.deploy.vips;
    for (const vip of [vips.internal, vips.external].filter((v) => v !== undefined))
      expect(rendered).toContain(`bind ${vip.address}:${swift.port} ssl crt `);
    expect(
      [...rendered.matchAll(/^ {4}server (\S+) (\S+) check/gm)].map((m) => [m[1], m[2]]),
    ).toEqual(swift.backends.map((b) => [b.host, `${b.address}:${swift.port}`]));
    expect(swift.backends.map((b) => b.host)).toEqual(e.loaded.model.storage.swift?.proxies);
  });
});

describe("config/swift/rings.sh, run by Swift's ring builder", () => {
  test.each(SEED_BLUEPRINTS)(
    "%s: every command succeeds; devices serve on the storage network, replicate on the replication one",
    (name) => {
      const m = (examples.find((x) => x.name === name) as Example).loaded.model;
      const swift = m.storage.swift;
      const script = swiftRingPlan(m).get("config/swift/rings.sh");
      expect(script !== undefined).toBe(swift !== undefined);
      if (!script || !swift) return;
      // WHEN Swift's ring builder runs each command (python3-swift)
      const rings = buildSwiftRings(script);
      // THEN none fails, and each ring holds every disk of every storage node
      expect(rings.errors).toEqual([]);
      const net = (role: string) => m.networks.find((n) => n.role === role)?.name as string;
      const replication = net("storage-replication");
      expect(replication).toBeDefined();
      // (the replicators find their disks among the addresses the servers bind to)
      const readme = (examples.find((x) => x.name === name) as Example).files.get(
        "deploy/README.md",
      ) as string;
      expect(readme).toContain("`bind_ip` at `0.0.0.0`");
      // AND the README mounts the disks the rings name, and asks for the hash Swift needs
      const perNode = swift.disks / swift.storageNodes.length;
      expect(readme).toContain(
        `format each of its ${perNode} data disks with XFS and mount them as`,
      );
      expect(new Set(rings["object.builder"].devices.map((d) => d.device))).toEqual(
        new Set(Array.from({ length: perNode }, (_, i) => `d${i + 1}`)),
      );
      expect(readme).toContain("`[swift-hash]` section with `swift_hash_path_suffix`");
      for (const ring of ["account", "container", "object"] as const) {
        const built = rings[`${ring}.builder`];
        expect([ring, built.replicas, built.part_power]).toEqual([
          ring,
          swift.replicas,
          swift.partitionPower,
        ]);
        expect(built.devices).toHaveLength(swift.disks);
        for (const host of swift.storageNodes) {
          const addresses = m.nodes.find((n) => n.name === host)?.addresses ?? {};
          const devices = built.devices.filter((d) => d.ip === addresses[net("storage")]);
          expect(devices).toHaveLength(swift.disks / swift.storageNodes.length);
          // the replicators' rsync and REPLICATE traffic stays off the clients' network
          for (const d of devices)
            expect([host, d.replication_ip, d.replication_port]).toEqual([
              host,
              addresses[replication],
              d.port,
            ]);
        }
      }
    },
  );
});

describe("the racks and zones Swift's ring builder fills with every replica of a partition", () => {
  const design = (racks: string[][], swift: Record<string, unknown>) =>
    load(swiftAcrossRacks(racks, swift)).model;
  const fourRacks = [
    ["a1", "a2"],
    ["b1", "b2"],
  ];
  test.each([
    ["one heavy zone in one of two racks", [["r-a"], ["r-b"]], { storageNodes: 5, zones: 2 }],
    ["two zones of one region per zone", fourRacks, { storageNodes: 4, zones: 4, regions: 2 }],
    ["two zones of one region, one region", fourRacks, { storageNodes: 4, zones: 4 }],
    ["three zones, three racks each", [["a1", "a2", "a3"]], { storageNodes: 9, zones: 3 }],
  ])("%s: only the places the model says may hold them", (_, racks, swift) => {
    const placed = ringPlaces(design(racks, { ...swift, replicas: 2 }));
    for (const { kind, filled, mayHold } of placed) {
      // THEN every place it filled is one the model says may hold every replica
      expect([kind, filled.filter((p) => !mayHold.includes(p))]).toEqual([kind, []]);
      if (kind === "rack" && swift.zones === 2) expect(filled).toEqual(["r-a"]);
    }
  });

  test("a rack of two small regions' nodes may hold both replicas: no floor keeps one out", () => {
    // GIVEN the reference design's Swift in 4 zones over 3 regions, 2 replicas, with
    // swift-obj-02 (zone 2, region 2) and swift-obj-03 (zone 3, region 3) in rack b03: region 1
    // has 3/5 of the weight, a target of 1.2, but the builder fills no tier to its floor
    const spec = parse(
      fs.readFileSync(path.join(ROOT, "examples", "enterprise-reference.yaml"), "utf8"),
    );
    Object.assign(spec.storage.swift, { zones: 4, regions: 3, replicas: 2 });
    spec.hosts = ["swift-obj-02", "swift-obj-03"].map((name) => ({
      name,
      addresses: {},
      rack: "b03",
    }));
    const m = load(spec).model;
    // WHEN Swift's builder places the replicas, THEN it fills b03, as the rack row says
    const racks = ringPlaces(m).find((p) => p.kind === "rack");
    expect(racks?.filled).toContain("b03");
    expect(racks?.mayHold).toContain("b03");
    expect(m.recovery.find((r) => r.scenario === "rack")?.dataLoss).toBe("since-last-backup");
  });
});

/**
 * Where Swift's builder put every replica of some partition, by rack and by availability zone,
 * beside where the model says it may: rings.sh run by python3-swift.
 */
function ringPlaces(m: LoadedSpec["model"]) {
  const layout = swiftRingLayout(m.storage.swift!);
  const rings = buildSwiftRings(swiftRingPlan(m).get("config/swift/rings.sh") as string, true);
  const storage = m.networks.find((n) => n.role === "storage")?.name as string;
  const nodeAt = new Map(m.nodes.map((n) => [n.addresses[storage], n]));
  const zoneOfRack = new Map(m.zones.flatMap((z) => z.racks.map((r) => [r, z.name])));
  const builders = Object.keys(rings).filter((k) => k.endsWith(".builder"));
  return (
    [
      ["rack", (ip: string) => nodeAt.get(ip)?.rack],
      ["zone", (ip: string) => zoneOfRack.get(nodeAt.get(ip)?.rack ?? "")],
    ] as const
  ).flatMap(([kind, placeOf]) => {
    const places = [...new Set(layout.nodeZones.map((n) => placeOf(nodeOf(m, n.node))))];
    if (places.length < 2) return [];
    const filled = new Set(
      builders.flatMap((b) =>
        (rings[b as `${string}.builder`].replicaHosts ?? []).flatMap((ips) => {
          const at = new Set(ips.map(placeOf));
          return at.size === 1 ? [...at] : [];
        }),
      ),
    );
    const mayHold = places.filter(
      (p) => ringLostWithPlace(layout, (node) => placeOf(nodeOf(m, node)) === p) !== undefined,
    );
    return [{ kind, filled: [...filled].sort(), mayHold }];
  });
}

/** A node's storage address. */
function nodeOf(m: LoadedSpec["model"], name: string): string {
  const storage = m.networks.find((n) => n.role === "storage")?.name as string;
  return m.nodes.find((n) => n.name === name)?.addresses[storage] as string;
}

describe("deploy/README.md's Ceph client files, as Kolla reads them", () => {
  test("ceph.conf without Ceph's leading tabs, which Kolla's INI parser refuses; keyrings where its roles look", () => {
    // GIVEN the README's commands, with ssh and scp answering as the bootstrap host would
    // (generate-minimal-conf indents with tabs) and Kolla's config folder in a scratch place
    const e = examples.find((x) => x.name === "enterprise-reference") as Example;
    const readme = e.files.get("deploy/README.md") as string;
    const block = readme
      .slice(readme.indexOf("private scratch folder:"))
      .split("```sh\n")[1]
      .split("\n```")[0];
    const dir = tempDir("sw-ceph-client-");
    const bin = path.join(dir, "bin");
    fs.mkdirSync(bin);
    fs.writeFileSync(
      path.join(bin, "ssh"),
      '#!/bin/sh\nprintf "# minimal ceph.conf for 1234\\n[global]\\n\\tfsid = 1234\\n\\tmon_host = [v2:10.20.3.34:3300/0,v1:10.20.3.34:6789/0]\\n"\n',
      { mode: 0o755 },
    );
    fs.writeFileSync(
      path.join(bin, "scp"),
      '#!/bin/sh\nname=${1##*/}; printf "[client.x]\\n\\tkey = secret\\n" > "$2/$name"\n',
      { mode: 0o755 },
    );
    const config = path.join(dir, "kolla-config");
    // WHEN they run
    execFileSync("sh", ["-euc", block.replaceAll("/etc/kolla/config", config)], {
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, TMPDIR: dir },
    });
    // THEN each service folder Kolla's external_ceph tasks read holds its files
    const found = (sub: string) => fs.readdirSync(path.join(config, sub)).sort();
    expect(found("glance")).toEqual(["ceph.client.glance.keyring", "ceph.conf"]);
    expect(found("cinder")).toEqual(["ceph.conf", "cinder-backup", "cinder-volume"]);
    expect(found("cinder/cinder-volume")).toEqual(["ceph.client.cinder.keyring"]);
    expect(found("cinder/cinder-backup")).toEqual([
      "ceph.client.cinder-backup.keyring",
      "ceph.client.cinder.keyring",
    ]);
    expect(found("nova")).toEqual(["ceph.client.cinder.keyring", "ceph.conf"]);
    // AND oslo.config's INI parser, which Kolla's merge_configs is built on, reads ceph.conf
    const parse = spawnSync(
      PYTHON,
      [
        "-c",
        "import sys\nfrom oslo_config import iniparser\nclass P(iniparser.BaseParser):\n  def assignment(self, k, v): print(k)\n  def new_section(self, s): print(s)\nP().parse(open(sys.argv[1]))",
        path.join(config, "glance", "ceph.conf"),
      ],
      { encoding: "utf8" },
    );
    expect([parse.status, parse.stderr.trim(), parse.stdout.split("\n")]).toEqual([
      0,
      "",
      ["global", "fsid", "mon_host", ""],
    ]);
    // AND the secrets' scratch folder is gone
    expect(fs.readdirSync(dir).sort()).toEqual(["bin", "kolla-config"]);
  });
});

describe("deploy/README.md's Octavia client certificate renewal, run by openssl against Kolla's CA", () => {
  test("the revoked certificate makes room for a new one of the same name, which Kolla then signs", () => {
    // GIVEN Kolla's client CA as `kolla-ansible octavia-certificates` leaves it (its own
    // openssl.cnf and commands), with the year's certificate signed
    const e = examples.find((x) => x.name === "public-cloud") as Example;
    expect(e.loaded.model.controlPlane.services).toContain("octavia");
    const readme = e.files.get("deploy/README.md") as string;
    const block = readme
      .slice(readme.indexOf("renew it before then"))
      .split("```sh\n")[1]
      .split("\n```")[0];
    const dir = tempDir("sw-octavia-ca-");
    const kolla = path.join(dir, "kolla");
    const work = path.join(kolla, "octavia-certificates");
    const ca = path.join(work, "client_ca");
    fs.mkdirSync(ca, { recursive: true });
    fs.copyFileSync(
      path.join(ROOT, "test/support/kolla-octavia-openssl.cnf"),
      path.join(work, "openssl.cnf"),
    );
    fs.writeFileSync(
      path.join(kolla, "passwords.yml"),
      "octavia_client_ca_password: 'p4ss w0rd'\n",
    );
    const openssl = (args: string, cwd = ca) =>
      execFileSync("sh", ["-euc", `openssl ${args}`], { cwd, stdio: "pipe" });
    fs.writeFileSync(path.join(ca, "index.txt"), "");
    fs.writeFileSync(path.join(ca, "serial"), "1000\n");
    openssl("genrsa -aes256 -out client_ca.key.pem -passout 'pass:p4ss w0rd' 2048");
    openssl(
      "req -new -x509 -config ../openssl.cnf -key client_ca.key.pem -days 3650 -out client_ca.cert.pem -subj /C=US/CN=client-ca -passin 'pass:p4ss w0rd' -batch",
    );
    // Kolla's client_cert.yml: each step only where its file is missing (`creates:`).
    const bin = path.join(dir, "bin");
    fs.mkdirSync(bin);
    fs.writeFileSync(
      path.join(bin, "kolla-ansible"),
      [
        "#!/bin/sh",
        "set -eu",
        `echo "$*" >> ${JSON.stringify(path.join(dir, "calls"))}`,
        '[ "$1" = octavia-certificates ] || exit 0',
        `cd ${JSON.stringify(ca)}`,
        "[ -e client.key.pem ] || openssl genrsa -out client.key.pem 2048 2>/dev/null",
        "[ -e client.csr.pem ] || openssl req -new -config ../openssl.cnf -key client.key.pem -out client.csr.pem -subj /C=US/CN=client.example.org -batch",
        "[ -e client.cert.pem ] || openssl ca -config ../openssl.cnf -name client_ca -days 365 -in client.csr.pem -out client.cert.pem -key 'p4ss w0rd' -notext -batch 2>/dev/null",
        "cat client.cert.pem client.key.pem > client.cert-and-key.pem",
        "",
      ].join("\n"),
      { mode: 0o755 },
    );
    const env = { ...process.env, PATH: `${bin}:${process.env.PATH}` };
    const kollaAnsible = () => execFileSync("kolla-ansible", ["octavia-certificates"], { env });
    kollaAnsible();
    const serial = () =>
      execFileSync("openssl", [
        "x509",
        "-noout",
        "-serial",
        "-in",
        path.join(ca, "client.cert.pem"),
      ])
        .toString()
        .trim();
    expect(serial()).toBe("serial=1000");
    // (without the README's steps, Kolla's signing is refused: one valid certificate per name)
    fs.renameSync(path.join(ca, "client.cert.pem"), path.join(dir, "old.pem"));
    expect(() => kollaAnsible()).toThrow();
    fs.renameSync(path.join(dir, "old.pem"), path.join(ca, "client.cert.pem"));
    // WHEN the README's renewal runs, from the output folder
    execFileSync("sh", ["-euc", block.replaceAll(KOLLA_CONFIG_DIR, kolla)], {
      env,
      cwd: dir,
      stdio: "pipe",
    });
    // THEN the old certificate is revoked, a new one signed and assembled, and Octavia reconfigured
    expect(serial()).toBe("serial=1001");
    const index = fs.readFileSync(path.join(ca, "index.txt"), "utf8").split("\n");
    expect(index.map((l) => l.split("\t")[0]).filter(Boolean)).toEqual(["R", "V"]);
    expect(fs.readFileSync(path.join(ca, "client.cert-and-key.pem"), "utf8")).toContain(
      fs.readFileSync(path.join(ca, "client.cert.pem"), "utf8"),
    );
    expect(fs.readFileSync(path.join(dir, "calls"), "utf8").split("\n")).toEqual([
      "octavia-certificates",
      "octavia-certificates",
      "octavia-certificates -i deploy/kolla/inventory",
      "reconfigure -i deploy/kolla/inventory -t octavia",
      "",
    ]);
    // AND the CA's password never reached a command line, and leaves with the subshell that
    // read it, as does its folder, whether the revocation works or not
    expect(block).not.toContain("-key ");
    const lines = block.split("\n");
    expect([lines[0], lines[lines.indexOf(")")]]).toEqual(["(", ")"]);
    expect(lines.slice(0, lines.indexOf(")")).join("\n")).toContain("export OCTAVIA_CA_PASS");
  });
});

describe("deploy/README.md's Swift proxies, as Keystone and keystonemiddleware take them", () => {
  test("a service user made with Kolla's admin credentials, and auth_token options keystonemiddleware defines", () => {
    // GIVEN the reference design's Swift section
    const e = examples.find((x) => x.name === "enterprise-reference") as Example;
    const readme = e.files.get("deploy/README.md") as string;
    const swift = readme.slice(readme.indexOf("## 3. Swift"));
    const shell = swift.split("```sh\n")[1].split("\n```")[0].split("\n");
    // THEN the commands run with the admin credentials post-deploy writes, make the proxies'
    // user (its password asked for, never written) before the service and endpoints
    expect(shell.slice(0, 7)).toEqual([
      ". /etc/kolla/admin-openrc.sh",
      "openstack user show --domain default swift >/dev/null 2>&1 ||",
      "  openstack user create --domain default --password-prompt swift",
      "openstack role create --or-show service",
      "openstack role add --project service --user swift --user-domain default service",
      "openstack service show object-store >/dev/null 2>&1 ||",
      "  openstack service create --name swift object-store",
    ]);
    // (and the command that changes a kept user's password names the user, as openstack needs)
    expect(swift).toContain(
      "`openstack user set --domain default --password-prompt swift`\nchanges it)",
    );
    // AND a second run doubles nothing: each endpoint is made only where none is listed, and
    // the block is shell bash reads
    expect(shell.filter((l) => l.includes("endpoint create"))).toHaveLength(2);
    for (const iface of ["internal", "public"])
      expect(shell).toContain(
        `[ -n "$(openstack endpoint list --service object-store --interface ${iface} --region 'RegionOne' -f value -c ID)" ] ||`,
      );
    expect(spawnSync("bash", ["-n"], { input: shell.join("\n"), encoding: "utf8" }).status).toBe(0);
    // (run twice against a stand-in openstack client that keeps what it made: each thing is
    // made once, the password asked for once)
    const dir = tempDir("sw-swift-register-");
    fs.writeFileSync(
      path.join(dir, "openstack"),
      [
        "#!/bin/bash",
        `state=${JSON.stringify(dir)}/state; mkdir -p "$state"; echo "$*" >> "$state/calls"`,
        'kind="$1 $2"',
        'case "$kind" in',
        '  "user show") [ -e "$state/user" ] ;;',
        '  "user create") touch "$state/user" ;;',
        '  "service show") [ -e "$state/service" ] ;;',
        '  "service create") touch "$state/service" ;;',
        '  "endpoint list") for a in "$@"; do [ "$prev" = --interface ] && i="$a"; prev="$a"; done; [ -e "$state/endpoint-$i" ] && echo id-$i; true ;;',
        '  "endpoint create") touch "$state/endpoint-$6" ;;',
        "  *) true ;;",
        "esac",
        "",
      ].join("\n"),
      { mode: 0o755 },
    );
    const block = shell.slice(1).join("\n");
    for (let run = 0; run < 2; run++)
      expect(
        spawnSync("bash", ["-e", "-c", block], {
          env: { ...process.env, PATH: `${dir}:${process.env.PATH}` },
          encoding: "utf8",
        }).status,
      ).toBe(0);
    const calls = fs.readFileSync(path.join(dir, "state", "calls"), "utf8").split("\n");
    const made = (what: string) => calls.filter((c) => c.startsWith(what)).length;
    expect([made("user create"), made("service create"), made("endpoint create")]).toEqual([
      1, 1, 2,
    ]);
    // AND every auth_token option is one keystonemiddleware or its password plugin defines
    const ini = swift.split("```ini\n")[1].split("\n```")[0];
    const check = spawnSync(
      PYTHON,
      [
        "-c",
        [
          "import sys",
          "from keystonemiddleware.auth_token import _opts",
          "from keystoneauth1 import loading",
          "known = {o.name for _, opts in _opts.list_opts() for o in opts}",
          "known |= {o.dest for o in loading.get_plugin_loader('password').get_options()}",
          "known |= {'paste.filter_factory'}",
          "section = None",
          "for line in sys.stdin.read().splitlines():",
          "  if line.startswith('['): section = line",
          "  elif '=' in line and section == '[filter:authtoken]':",
          "    name = line.split('=')[0].strip()",
          "    if name not in known: print(name)",
        ].join("\n"),
      ],
      { input: ini, encoding: "utf8" },
    );
    expect([check.status, check.stderr, check.stdout]).toEqual([0, "", ""]);
    expect(ini).toContain(`auth_url = ${e.loaded.model.deploy.swiftProxies?.keystoneUrl}\n`);
    expect(ini).toMatch(/^operator_roles = admin, member$/m);
    // AND the filters are in the pipeline, token check before the account check, no tempauth
    const pipeline = /^pipeline = (.*)$/m.exec(ini)?.[1].split(" ") ?? [];
    expect(pipeline.indexOf("authtoken")).toBeGreaterThan(0);
    expect(pipeline.indexOf("keystoneauth")).toBe(pipeline.indexOf("authtoken") + 1);
    expect(pipeline).not.toContain("tempauth");
    expect(pipeline[pipeline.length - 1]).toBe("proxy-server");
  });
});

test("versioned containers: the proxies allow object versioning, as Swift's filter reads it", () => {
  // GIVEN a design versioning containers (the provider sets X-Versions-Enabled, which Swift
  // ignores unless the proxies allow it, so Terraform would plan it again on every run)
  const e = examples.find((x) => x.name === "devtest-cloud") as Example;
  expect(e.loaded.model.storage.swift?.containers.some((c) => c.versioning)).toBe(true);
  const readme = e.files.get("deploy/README.md") as string;
  const ini = readme.slice(readme.indexOf("## 3. Swift")).split("```ini\n")[1].split("\n```")[0];
  // WHEN Swift's own versioned_writes filter is built from that section
  const check = spawnSync(
    PYTHON,
    [
      "-c",
      [
        "import configparser, sys",
        "from swift.common.middleware import versioned_writes",
        "from swift.common.registry import get_swift_info",
        "c = configparser.ConfigParser(interpolation=None); c.read_string(sys.stdin.read())",
        "conf = dict(c['filter:versioned_writes'])",
        "assert conf.pop('use') == 'egg:swift#versioned_writes'",
        "versioned_writes.filter_factory({}, **conf)",
        "print('object_versioning' in get_swift_info())",
      ].join("\n"),
    ],
    { input: ini, encoding: "utf8" },
  );
  // THEN it registers object versioning
  expect([check.stderr, check.stdout.trim()]).toEqual(["", "True"]);
  // AND a design without versioned containers leaves the sample's setting alone
  const plain = examples.find((x) => x.name === "enterprise-reference") as Example;
  expect(plain.files.get("deploy/README.md")).not.toContain("allow_object_versioning");
});

describe("deploy/kolla/config overrides, read by oslo.config", () => {
  test.each(SEED_BLUEPRINTS)("%s: every section and option is one the service defines", (name) => {
    const e = examples.find((x) => x.name === name) as Example;
    const configs = Object.fromEntries(
      [...e.files].filter(
        ([f]) => f.startsWith("deploy/kolla/config/") && !f.includes("/haproxy/"),
      ),
    );
    expect(Object.keys(configs).length).toBeGreaterThan(0);
    expect(unknownOptions(configs)).toEqual([]);
  });

  test("designs beyond the examples: GlusterFS, GRE, GPUs, Ceph with RADOS Gateways, raised quotas", () => {
    const configs: Record<string, string> = {};
    for (const [name, spec] of Object.entries(VARIANTS))
      for (const [file, content] of deployFiles(load(spec).model))
        if (file.startsWith("deploy/kolla/config/"))
          configs[file.replace("deploy/", `deploy/${name}/`)] = content;
    expect(Object.keys(configs).some((f) => f.includes("/cinder-volume.conf"))).toBe(true);
    expect(configs["deploy/gpu/kolla/config/nova.conf"]).toContain("[pci]\nalias = ");
    const quotas = `${configs["deploy/adminQuotas/kolla/config/neutron.conf"]}${configs["deploy/adminQuotas/kolla/config/nova/nova-api.conf"]}`;
    for (const option of [
      "max_routes",
      "max_subnet_host_routes",
      "quota_security_group_rule",
      "key_pairs",
    ])
      expect(quotas).toMatch(new RegExp(`^${option} = \\d+$`, "m"));
    expect(unknownOptions(configs)).toEqual([]);
    const ceph = deployFiles(load(VARIANTS.rgw).model).get("deploy/ceph/cluster.yaml") as string;
    expect(ceph).toContain("service_type: rgw");
    expect(parseCephSpecs({ rgw: ceph })).toEqual({ rgw: [] });
  });

  test("the check finds a misspelt option, an unknown section and a broken template", () => {
    expect(
      unknownOptions({
        "deploy/kolla/config/nova/h/nova.conf": "[DEFAULT]\ncpu_allocation_ration = 2\n",
        "deploy/kolla/config/neutron/ml2_conf.ini": "[ml2_type_vlans]\nnetwork_vlan_ranges = p\n",
        "deploy/kolla/config/cinder/cinder-volume.conf": "[b]\ntarget_helper = {{ no_such }}\n",
      }),
    ).toEqual([
      "deploy/kolla/config/nova/h/nova.conf [DEFAULT] cpu_allocation_ration",
      "deploy/kolla/config/neutron/ml2_conf.ini [ml2_type_vlans]",
      "deploy/kolla/config/neutron/ml2_conf.ini [ml2_type_vlans] network_vlan_ranges",
      expect.stringContaining("deploy/kolla/config/cinder/cinder-volume.conf: UndefinedError"),
    ]);
  });

  test.each(SEED_BLUEPRINTS)(
    "%s: nova.conf carries each pool's ratios and pinning, and the aggregates its compute hosts",
    (name) => {
      const e = examples.find((x) => x.name === name) as Example;
      const m = e.loaded.model;
      const parsed = readOverrides(
        Object.fromEntries([...e.files].filter(([f]) => /\/nova\/[^/]+\/nova\.conf$/.test(f))),
        {},
      ) as Record<string, any>;
      const values = (file: string) => {
        const text = e.files.get(file) as string;
        return Object.fromEntries(
          [...text.matchAll(/^([a-z_]+) = (.*)$/gm)].map((x) => [x[1], x[2]]),
        );
      };
      const computes = groupHosts(e.inventory, "compute");
      const zones = JSON.parse(
        synthStack((stack) => {
          for (const zone of m.zones)
            new ComputeZone(stack, zone.name, {
              zone,
              pools: m.pools.filter((p) => p.zone === zone.name),
              namingPrefix: m.naming.prefix,
            });
        }),
      );
      const aggregates = Object.values(zones.resource.openstack_compute_aggregate_v2) as any[];
      for (const pool of m.pools) {
        const hw = m.hardware.find((h) => h.name === pool.hardware);
        const aggregate = aggregates.find((a) => a.metadata.pool === pool.id);
        expect([...aggregate.hosts].sort()).toEqual(
          computes.filter((h) => pool.hostnames.includes(h)),
        );
        expect(pool.hostnames.every((h) => computes.includes(h))).toBe(true);
        let dedicated = 0;
        for (const host of pool.hostnames) {
          const file = `deploy/kolla/config/nova/${host}/nova.conf`;
          expect(parsed[file]?.DEFAULT).toEqual(
            expect.arrayContaining(["cpu_allocation_ratio", "ram_allocation_ratio"]),
          );
          const v = values(file);
          expect(Number(v.cpu_allocation_ratio)).toBe(pool.cpuAllocationRatio);
          expect(Number(v.ram_allocation_ratio)).toBe(pool.ramAllocationRatio);
          expect(Number(v.reserved_host_memory_mb)).toBe(pool.reservedHostMemoryGiB * 1024);
          if (pool.cpuPinning) {
            // Only pinned guests: no VCPU inventory (cpu_shared_set) beside the PCPU one, and
            // the reserved threads in no set
            const set = parseCpuList(v.cpu_dedicated_set);
            expect(v.cpu_shared_set).toBeUndefined();
            expect(set.length).toBeLessThanOrEqual((hw?.threads as number) - pool.reservedHostCpus);
            expect(Math.max(...set)).toBeLessThan(hw?.threads as number);
            dedicated += set.length;
          } else {
            expect(Number(v.reserved_host_cpus)).toBe(pool.reservedHostCpus);
            expect(v.cpu_dedicated_set).toBeUndefined();
          }
        }
        expect(dedicated).toBe(pool.capacity.dedicatedCpus);
      }
      const scheduler = e.files.get("deploy/kolla/config/nova/nova-scheduler.conf") as string;
      expect(scheduler).toMatch(/^enabled_filters = .*AggregateInstanceExtraSpecsFilter/m);
    },
  );
});

describe("deploy/ceph/pools.sh, read by the ceph CLI's argument parser", () => {
  test("every ceph osd command parses as the monitor declares it, erasure-coded designs too", () => {
    // GIVEN every example's pools.sh, and an erasure-coded design's (data pools, profiles)
    const files = Object.fromEntries([
      ...examples
        .filter((e) => e.files.has("deploy/ceph/pools.sh"))
        .map((e) => [e.name, e.files.get("deploy/ceph/pools.sh") as string]),
      ["erasure-coded", deployFiles(erasureCodedCeph()).get("deploy/ceph/pools.sh") as string],
      [
        "three-sites",
        deployFiles(load(cephAtSites(3)).model).get("deploy/ceph/pools.sh") as string,
      ],
    ]);
    expect(Object.keys(files).length).toBeGreaterThan(2);
    expect(Object.values(files).join("\n")).toContain(" --autoscale-mode=off");
    expect(Object.values(files).join("\n")).toContain(
      "ceph config set mon mon_osd_down_out_subtree_limit datacenter",
    );
    // WHEN ceph_argparse validates each line against the monitor's signatures
    // THEN none is refused
    expect(parseCephCommands(files)).toEqual(
      Object.fromEntries(Object.keys(files).map((k) => [k, []])),
    );
  });

  test("a host alone in its rack or site is marked out when down, so its data recovers", () => {
    const limit = (model: Parameters<typeof deployFiles>[0]) => [
      model.deploy.ceph?.downOutSubtreeLimit,
      (deployFiles(model).get("deploy/ceph/pools.sh") as string).match(
        /^ceph config set mon mon_osd_down_out_subtree_limit .*$/m,
      )?.[0],
    ];
    // GIVEN three sites of two racks, six OSD hosts by site: each site holds two, each rack one
    // THEN a host's loss takes its whole rack, which Ceph's default (rack) would wait for
    expect(limit(load(cephAtSites(3)).model)).toEqual([
      "datacenter",
      "ceph config set mon mon_osd_down_out_subtree_limit datacenter",
    ]);
    // AND four OSD hosts, one a site: a host's loss takes its site
    expect(limit(load(cephAtSites(4, { nodes: 4 })).model)[0]).toBe("root");
    // AND three, one a site, for three copies: no site to recover onto, so nothing is set
    expect(limit(load(cephAtSites(3, { nodes: 3 })).model)).toEqual([undefined, undefined]);
    // AND no spare site, but a host alone in its rack at a site of other hosts: CRUSH takes
    // that site again and another host there, so it is marked out (dc1's lone host is not)
    const pinned = cephAtSites(3) as any;
    pinned.hosts = ["r1", "r3", "r3", "r4", "r5", "r6"].map((rack, i) => ({
      name: `ceph-0${i + 1}`,
      rack,
    }));
    expect(limit(load(pinned).model)[0]).toBe("datacenter");
    // AND two OSD hosts in every rack: Ceph's default holds
    expect(limit(load(cephAtSites(3, { nodes: 12 })).model)).toEqual([undefined, undefined]);
    // AND hosts in no rack of the CRUSH map (failure domain host): nothing to hold back
    expect(limit(erasureCodedCeph())[0]).toBeUndefined();
  });

  test("the parser refuses a command the monitor would", () => {
    expect(
      parseCephCommands({
        bad: "ceph osd pool create p 64 64 replicated r --autoscale-mode=auto\n",
      }),
    ).toEqual({ bad: ["ceph osd pool create p 64 64 replicated r --autoscale-mode=auto"] });
    // (commands inside a shell condition are read too)
    const inLoop = `  if ceph osd pool ls | grep -qxF "$pool"; then ceph osd pool set "$pool" crush_rules r; fi`;
    expect(parseCephCommands({ loop: `${inLoop}\n` })).toEqual({ loop: [inLoop] });
  });
});

describe("deploy/ceph/cluster.yaml, read by cephadm's spec parser", () => {
  test("every example with Ceph has a cluster specification", () => {
    const withCeph = examples.filter((e) => e.loaded.model.storage.ceph).map((e) => e.name);
    expect(withCeph.length).toBeGreaterThan(0);
    for (const e of examples)
      expect([e.name, e.files.has("deploy/ceph/cluster.yaml")]).toEqual([
        e.name,
        Boolean(e.loaded.model.storage.ceph),
      ]);
  });

  test("each document is a valid service specification", () => {
    const files = Object.fromEntries([
      ...examples
        .filter((e) => e.files.has("deploy/ceph/cluster.yaml"))
        .map((e) => [e.name, e.files.get("deploy/ceph/cluster.yaml") as string]),
      // (hosts placed under their site's datacenter bucket and their rack)
      ["three-sites", deployFiles(load(cephAtSites(3)).model).get("deploy/ceph/cluster.yaml")],
    ]);
    const errors = parseCephSpecs(files);
    expect(errors).toEqual(Object.fromEntries(Object.keys(files).map((k) => [k, []])));
  });

  test("cephadm's size filter takes the profile's OSD disks as ceph-volume shows them, not the others", () => {
    // GIVEN each example's OSD spec and its Ceph hosts' disks, sized as ceph-volume prints them
    // (binary units labelled TB/GB: a 7.68 TB disk is "6.99 TB")
    const cases = examples.flatMap((e) => {
      const ceph = e.loaded.model.storage.ceph;
      if (!ceph) return [];
      const osd = (e.files.get("deploy/ceph/cluster.yaml") as string)
        .split("---\n")
        .map((d) => parse(d))
        .find((d) => d?.service_type === "osd" && d.service_id === ceph.deviceClass);
      const host = e.loaded.model.nodes.find((n) => n.name === ceph.nodes[0]);
      const hw = e.loaded.model.hardware.find((h) => h.name === host?.hardware);
      return (hw?.disks ?? []).map((d) => {
        const bytes = d.sizeGB * 1e9;
        const shown =
          bytes >= 2 ** 40
            ? `${(bytes / 2 ** 40).toFixed(2)} TB`
            : `${(bytes / 2 ** 30).toFixed(2)} GB`;
        const osdDisk =
          (d.kind === "hdd") === (ceph.deviceClass === "hdd") && d.sizeGB === ceph.osdSizeTB * 1000;
        return [e.name, osd.spec.data_devices.size, shown, osdDisk] as const;
      });
    });
    expect(cases.some((c) => c[3]) && cases.some((c) => !c[3])).toBe(true);
    // WHEN cephadm's own SizeMatcher compares them
    const script = [
      "import json, sys",
      "from ceph.deployment.drive_selection.matchers import SizeMatcher",
      "from ceph.deployment.inventory import Device",
      "cases = json.loads(sys.argv[1])",
      "print(json.dumps([SizeMatcher('size', c[1]).compare(Device('/dev/x', sys_api={'human_readable_size': c[2]})) for c in cases]))",
    ].join("\n");
    const matched = JSON.parse(
      execFileSync(PYTHON, ["-c", script, JSON.stringify(cases)], { encoding: "utf8" }),
    );
    // THEN exactly the disks the capacity counts match
    expect(cases.map((c, i) => [c[0], c[2], matched[i]])).toEqual(
      cases.map((c) => [c[0], c[2], c[3]]),
    );
  });

  test("the parser rejects a document cephadm would refuse", () => {
    const errors = parseCephSpecs({
      bad: "service_type: host\naddr: 10.0.0.1\n---\nservice_type: osd\nservice_id: x\nplacement: { hosts: [a] }\nspec: {}\n",
    });
    expect(errors.bad).toEqual([
      expect.stringContaining("document 0"),
      expect.stringContaining("document 1"),
    ]);
  });

  test("host names YAML 1.1 reads as booleans or null stay strings for cephadm", () => {
    // GIVEN Ceph hosts named as YAML 1.1, which PyYAML and so cephadm follow, spells true,
    // false and null
    const names = ["on", "off", "yes", "no", "null", "true"];
    const model = load(
      variant((s) => {
        s.storage = {
          ceph: {
            nodes: names.length,
            hostnames: names,
            hardware: "stor",
            osdsPerNode: 4,
            osdSizeTB: 4,
          },
          backends: [{ name: "rbd", kind: "ceph", volumeType: "standard" }],
        };
      }),
    ).model;
    // WHEN the cluster specification is written
    const cluster = deployFiles(model).get("deploy/ceph/cluster.yaml") as string;
    // THEN PyYAML reads back the documents the deployer wrote, every host name a string
    const docs = JSON.parse(
      execFileSync(
        PYTHON,
        [
          "-c",
          "import json, sys, yaml; json.dump([d for d in yaml.safe_load_all(sys.stdin) if d is not None], sys.stdout)",
        ],
        { input: cluster },
      ).toString(),
    ) as { service_type: string; hostname?: unknown; placement?: { hosts: unknown[] } }[];
    expect(docs.filter((d) => d.service_type === "host").map((d) => d.hostname)).toEqual(names);
    expect(docs.find((d) => d.service_type === "mon")?.placement?.hosts).toEqual([
      ...(model.deploy.ceph?.monitors ?? []),
    ]);
    for (const d of docs)
      for (const host of d.placement?.hosts ?? []) expect(names).toContain(host);
    expect(docs).toEqual(cephServiceSpecs(model.deploy.ceph!));
    expect(parseCephSpecs({ cluster })).toEqual({ cluster: [] });
  });

  test.each(SEED_BLUEPRINTS)("%s: hosts, monitors and pools are the model's", (name) => {
    const e = examples.find((x) => x.name === name) as Example;
    const ceph = e.loaded.model.storage.ceph;
    if (!ceph) return;
    const docs = (e.files.get("deploy/ceph/cluster.yaml") as string)
      .split(/^---$/m)
      .map((d) => parse(d))
      .filter(Boolean);
    const hosts = docs.filter((d) => d.service_type === "host");
    expect(hosts.map((h) => h.hostname)).toEqual(expect.arrayContaining([...ceph.nodes]));
    const mgmt = e.loaded.model.networks.find((n) => n.role === "management")?.name as string;
    for (const h of hosts)
      expect(h.addr).toBe(e.loaded.model.nodes.find((n) => n.name === h.hostname)?.addresses[mgmt]);
    expect(docs.find((d) => d.service_type === "mon").placement.hosts).toEqual([...ceph.monitors]);
    const pools = e.files.get("deploy/ceph/pools.sh") as string;
    for (const p of ceph.pools)
      expect(pools).toMatch(
        new RegExp(`^ceph osd pool create ${p.name} ${p.pgNum} ${p.pgNum} `, "m"),
      );
    if (ceph.protection.kind === "replicated")
      for (const p of ceph.pools)
        expect(pools).toContain(`ceph osd pool set ${p.name} size ${ceph.protection.size}\n`);
  });
});
