// Regression tests for facts that renderers used to derive on their own and got wrong: each
// reads the figure the model derives once.
import { UserError } from "../../core/errors";
import { runChecks } from "../../policy";
import {
  cephModel,
  fullestHostShare,
  hardwareModel,
  placeablePinnedCpus,
} from "../../model/capacity";
import { simulatedRecoveryFill } from "../../model/crush-recovery";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { documentViewModel, terraformInventory } from "../../documents/view-model";
import { architectureDocuments } from "../../documents/architecture";
import type { Model } from "../../model/types";
import { renderArchitecture } from "../support/documents";
import { synthesized } from "../support/synth-cache";
import { readCatalog, renderMarkdown, templateDirs } from "../../documents/render";
import { diagrams } from "../../documents/diagrams";
import { findBlueprint } from "../../blueprints/catalog";
import { keystoneDomainConfigs } from "../../artifacts/keystone-domains";
import { costDesign, unitCounts } from "../../proposal/costing";
import { priceBookSchema } from "../../proposal/price-book";
import { loadSpecFile, loadSpecText } from "../../model/load";
import { kollaGlobals } from "../../deployer/kolla/globals";
import {
  backupsApartFromVolumes,
  cephCluster,
  issuesOf,
  load,
  pathOf,
  swiftCluster,
  twoClassCeph,
  lvmBesideCeph,
  variant,
} from "../support/fixtures";
import { ROOT, resourcesOf, synthesizeExample } from "../support/blueprints";

/** A model's architecture document, as synth writes it (no findings). */
async function architectureOf(model: Model): Promise<string> {
  const stacks = await synthesized(findBlueprint(model.blueprint)!, model, "json");
  const files = await architectureDocuments(model, terraformInventory(stacks), [], {
    findings: [],
  });
  return String(files.get("docs/architecture.md"));
}

const ldap = {
  url: "ldap://dc.example.com",
  userTreeDn: "OU=Users,DC=example,DC=com",
  groupTreeDn: "OU=Groups,DC=example,DC=com",
};

describe("role assignments", () => {
  test("fails when a mapping names a tenant by its derived id and repeats one of its groups", () => {
    // GIVEN tenant "Retail Banking" (derived id retail-banking) with group ops as member
    const spec = variant((s) => {
      s.identity = {
        groupRoleMappings: [
          { domain: "default", group: "ops", role: "member", tenant: "retail-banking" },
        ],
      };
      s.tenants = [{ name: "Retail Banking", groups: [{ name: "ops", role: "member" }] }];
    });
    // WHEN / THEN: rejected exactly as when the mapping names the tenant by its name
    const issues = issuesOf(spec);
    expect(issues.map((i) => [pathOf(i), i.code])).toEqual([
      ["identity.groupRoleMappings[0]", "duplicate-name"],
    ]);
  });

  test("takes directory group names past Keystone's 64-character database column", () => {
    // GIVEN a 100-character group of an LDAP domain, and the same name in the built-in domain
    const long = "g".repeat(100);
    const ldapGroup = (domain: string) =>
      variant((s) => {
        s.identity = { domains: [{ name: "corp", ldap }] };
        s.tenants = [{ name: "a", domain, groups: [{ name: long, role: "member" }] }];
      });
    // THEN the directory's group loads; the database's could never exist
    expect(load(ldapGroup("corp")).model.tenants[0].groups[0].name).toBe(long);
    expect(issuesOf(ldapGroup("default")).map((i) => [pathOf(i), i.code])).toEqual([
      ["tenants[0].groups[0].name", "group-name-too-long"],
    ]);
  });

  test("resolves a mapping by derived id onto the tenant, once", async () => {
    // GIVEN a mapping by derived id that adds a role
    const model = load(
      variant((s) => {
        s.identity = {
          groupRoleMappings: [
            { domain: "default", group: "ops", role: "reader", tenant: "retail-banking" },
          ],
        };
        s.tenants = [{ name: "Retail Banking", groups: [{ name: "ops", role: "member" }] }];
      }),
    ).model;
    // THEN one assignment per group and role, both on the tenant's project
    expect(model.identity.assignments.map((a) => [a.group, a.role, a.tenant])).toEqual([
      ["ops", "member", "retail-banking"],
      ["ops", "reader", "retail-banking"],
    ]);
    expect(model.tenants[0].groups.map((g) => g.role)).toEqual(["member", "reader"]);
  });

  test("the devtest-cloud document lists every assignment once", async () => {
    // GIVEN the devtest-cloud example: 6 tenants with one own group each, 6 tenant mappings
    const example = await synthesizeExample("devtest-cloud");
    const model = example.loaded.model;
    const view = documentViewModel(model, { stacks: [] } as never);
    // THEN 12 rows for 12 Terraform role assignments
    const terraform = Object.values(example.stacks).flatMap((s) =>
      resourcesOf(s, "openstack_identity_role_assignment_v3"),
    );
    expect(view.identity.mappings).toHaveLength(12);
    expect(terraform).toHaveLength(12);
    const rows = view.identity.mappings.map((m) => JSON.stringify(m));
    expect(new Set(rows).size).toBe(rows.length);
  });

  test("a grant on a domain and one on a project of the same name read apart", async () => {
    // GIVEN a tenant named like its domain, and the same group granted on each
    const spec = loadSpecFile(path.join(ROOT, "examples/devtest-cloud.yaml")).spec as any;
    spec.tenants[0].name = "corp";
    spec.identity.groupRoleMappings.push(
      { domain: "corp", group: "ci-pipeline", role: "reader" },
      { domain: "corp", group: "ci-pipeline", role: "reader", tenant: spec.tenants[0].id },
    );
    const model = load(spec).model;
    // WHEN the document is rendered
    const doc = await architectureOf(model);
    // THEN the scope says which: a domain grant gives no access to the domain's projects
    expect(doc).toContain("| corp | ci-pipeline | reader | domain corp |");
    expect(doc).toContain("| corp | ci-pipeline | reader | project corp |");
  });
});

describe("LDAP connection", () => {
  test("ldap:// with tls uses StartTLS on 389 in Keystone, the port matrix and the security groups", () => {
    // GIVEN the default tls: true and an ldap:// URL
    const model = load(variant((s) => (s.identity = { domains: [{ name: "corp", ldap }] }))).model;
    // THEN one port, 389, everywhere
    expect(model.identity.domains[0].ldap).toMatchObject({
      servers: [{ host: "dc.example.com", port: 389 }],
      transport: "starttls",
    });
    expect(model.ports.filter((p) => p.service === "ldap").map((p) => p.port)).toEqual(["389"]);
    const rules = model.securityGroups.flatMap((g) => g.rules);
    expect(rules.some((r) => r.portMin === 636)).toBe(false);
    const conf = keystoneDomainConfigs(model).get("config/keystone/domains/keystone.corp.conf");
    expect(conf).toContain("url = ldap://dc.example.com");
    expect(conf).toContain("use_tls = true");
  });

  test("ldaps:// uses 636 and an explicit port wins", () => {
    const model = load(
      variant(
        (s) =>
          (s.identity = {
            domains: [
              { name: "a", ldap: { ...ldap, url: "ldaps://dc.example.com" } },
              { name: "b", ldap: { ...ldap, url: "ldap://gc.example.com:3268", tls: false } },
            ],
          }),
      ),
    ).model;
    expect(
      model.identity.domains.map((d) => [d.ldap?.servers.map((x) => x.port), d.ldap?.transport]),
    ).toEqual([
      [[636], "ldaps"],
      [[3268], "plain"],
    ]);
    expect(model.ports.filter((p) => p.service === "ldap").map((p) => p.port)).toEqual([
      "636",
      "3268",
    ]);
  });

  test("fails when an LDAP URL has no host or an impossible port", () => {
    const issues = issuesOf(
      variant(
        (s) =>
          (s.identity = {
            domains: [
              { name: "a", ldap: { ...ldap, url: "ldap:///x" } },
              { name: "b", ldap: { ...ldap, url: "ldap://dc.example.com:99999" } },
            ],
          }),
      ),
    );
    expect(issues.map((i) => [pathOf(i), i.code])).toEqual([
      ["identity.domains[0].ldap.url", "ldap-url"],
      ["identity.domains[1].ldap.url", "ldap-url"],
    ]);
  });

  test("several servers, as Keystone's url takes them, each with its port in the matrix", () => {
    // GIVEN two domain controllers, the second on the global catalog's port
    const url = "ldaps://dc1.example.com,ldaps://dc2.example.com:3269";
    const model = load(
      variant((s) => (s.identity = { domains: [{ name: "corp", ldap: { ...ldap, url } }] })),
    ).model;
    // THEN Keystone gets the list as written, and the controllers reach both ports
    expect(model.identity.domains[0].ldap?.servers).toEqual([
      { host: "dc1.example.com", port: 636 },
      { host: "dc2.example.com", port: 3269 },
    ]);
    expect(model.ports.filter((p) => p.service === "ldap").map((p) => p.port)).toEqual([
      "636",
      "3269",
    ]);
    const conf = keystoneDomainConfigs(model).get("config/keystone/domains/keystone.corp.conf");
    expect(conf).toContain(`url = ${url}`);
    // AND a connection to one that drops packets gives up, for the next to be tried (Keystone's
    // default, -1, waits for the kernel's TCP timeout): 30 s on pooled connections, where the
    // timeout bounds each bind and search too
    expect(conf).toContain(
      "\npool_connection_timeout = 30\npool_retry_max = 1\nconnection_timeout = 5\n",
    );
    // (a space after a comma too: python-ldap splits on commas and spaces)
    const spaced = load(
      variant(
        (s) =>
          (s.identity = {
            domains: [{ name: "corp", ldap: { ...ldap, url: url.replace(",", ", ") } }],
          }),
      ),
    ).model;
    expect(spaced.identity.domains[0].ldap?.servers).toEqual(
      model.identity.domains[0].ldap?.servers,
    );
    // (a space python-ldap does not split on, a no-break space say, is refused)
    expect(
      issuesOf(
        variant(
          (s) =>
            (s.identity = {
              domains: [{ name: "corp", ldap: { ...ldap, url: url.replace(",", ",\u00a0") } }],
            }),
        ),
      ).map((i) => pathOf(i)),
    ).toEqual(["identity.domains[0].ldap.url"]);
    // AND a list mixing ldap:// and ldaps:// is refused: one TLS setting covers them all
    const mixed = issuesOf(
      variant(
        (s) =>
          (s.identity = {
            domains: [{ name: "corp", ldap: { ...ldap, url: "ldaps://a.example.com,ldap://b" } }],
          }),
      ),
    );
    expect(mixed.map((i) => [pathOf(i), i.code])).toEqual([
      ["identity.domains[0].ldap.url", "ldap-url"],
    ]);
  });

  test("fails when an LDAP URL holds more than its server, never repeating it", () => {
    // GIVEN RFC 4516 URLs: a base DN, and an extension that carries a bind password
    const urls = [
      "ldaps://dc.example.com/dc=example,dc=com",
      "ldaps://dc.example.com/????X-BINDPW=hunter2",
      "ldap://dc.example.com:389/?uid",
      "ldaps://dc.example.com#x",
    ];
    const issues = issuesOf(
      variant(
        (s) =>
          (s.identity = {
            domains: urls.map((url, i) => ({ name: `d${i}`, ldap: { ...ldap, url } })),
          }),
      ),
    );
    // THEN each is refused at its path, and the message names the settings that hold the rest
    expect(issues.map((i) => [pathOf(i), i.code])).toEqual(
      urls.map((_, i) => [`identity.domains[${i}].ldap.url`, "ldap-url"]),
    );
    expect(JSON.stringify(issues)).not.toContain("hunter2");
    expect(issues[0].message).toContain("userTreeDn");
    // AND the server alone, with or without a slash, passes
    for (const url of ["ldaps://dc.example.com", "ldap://dc.example.com:3268/"])
      expect(() =>
        load(variant((s) => (s.identity = { domains: [{ name: "d", ldap: { ...ldap, url } }] }))),
      ).not.toThrow();
  });
});

describe("Keystone's default domain", () => {
  test("fails when identity.domains declares it, as a spec error with its path", () => {
    const issues = issuesOf(variant((s) => (s.identity = { domains: [{ name: "default" }] })));
    expect(issues.map((i) => [pathOf(i), i.code])).toEqual([
      ["identity.domains[0].name", "name-reserved"],
    ]);
  });
});

describe("capacity sold in the proposal", () => {
  test("counts the dedicated CPUs of pinned pools after N+1, as the model does", () => {
    // GIVEN the enterprise reference, whose pinned pools keep a spare host
    const model = loadSpecFile(path.join(ROOT, "examples/enterprise-reference.yaml")).model;
    const pinned = model.pools.filter((p) => p.cpuPinning);
    expect(pinned.length).toBeGreaterThan(0);
    expect(model.capacity.usableDedicatedCpus).toBeLessThan(model.capacity.dedicatedCpus);
    // WHEN it is costed
    const book = priceBookSchema.parse(
      parse(fs.readFileSync(path.join(ROOT, "examples/price-books/standard.yaml"), "utf8")),
    );
    const costing = costDesign(model, book);
    // THEN it sells what the model says is usable
    expect(costing.capacity.vcpus).toBe(
      model.capacity.usableVcpus + model.capacity.usableDedicatedCpus,
    );
    expect(costing.capacity.vcpus).toBe(model.capacity.usableCpus);
  });
});

describe("LVM and ZFS volume servers", () => {
  const lvmDesign = (disks: unknown[], backends: Record<string, unknown>[]) =>
    load(
      variant((s) => {
        s.hardware[2].disks = disks;
        s.storage = { backends, blockStorageNodes: { hosts: 2, hardware: "stor" } };
      }),
    ).model;

  test("count each backend's class of disks on its hosts, the system's disk set apart", async () => {
    // GIVEN cloud-in-a-box: three volume servers of 12 x 8 TB HDD and 4 x 3.84 TB NVMe, no disk
    // marked for the system, an HDD backend and an NVMe one
    const model = loadSpecFile(path.join(ROOT, "examples/cloud-in-a-box.yaml")).model;
    const of = (name: string) => model.storage.backends.find((b) => b.name === name)!.volumeDisks!;
    // THEN each takes its class, and the system one of the smallest disks (an NVMe)
    expect(of("lvm-iscsi")).toMatchObject({ rawTB: 288, largestVolumeTB: 96 });
    expect(of("lvm-iscsi").profiles[0].systemTakesOne).toBe(false);
    expect(of("lvm-iser").profiles[0]).toMatchObject({
      hosts: 3,
      disks: [{ count: 3, sizeGB: 3840, kind: "nvme" }],
      systemTakesOne: true,
      perHostTB: 11.52,
    });
    expect(model.storage.volumeServersTB).toBe(322.56);
    // AND the architecture document, the proposal and its costing show those figures
    const doc = await architectureOf(model);
    expect(doc).toContain("| lvm-iscsi | lvm | 3 | 12 x 8 TB hdd | 288 | 96 |");
    expect(doc).toMatch(
      /\| lvm-iser \| lvm \| 3 \| 3 x 3\.84 TB nvme \(one disk fewer .*\| 34\.56 \| 11\.52 \|/,
    );
    expect(doc).toContain("- Storage: lvm (lvm-iscsi, 288 TB raw), lvm (lvm-iser, 34.56 TB raw)");
    const book = priceBookSchema.parse(
      parse(fs.readFileSync(path.join(ROOT, "examples/price-books/standard.yaml"), "utf8")),
    );
    expect(costDesign(model, book).capacity).toMatchObject({ blockTB: 0, volumeServerTB: 322.56 });
  });

  test("a disk marked for the system stays out; two backends on the same disks are refused", () => {
    // GIVEN volume servers with a system SSD and 10 x 4 TB HDD behind a backend without a class
    const disks = [
      { count: 1, sizeGB: 480, kind: "ssd", use: "system" },
      { count: 10, sizeGB: 4000, kind: "hdd" },
    ];
    const model = lvmDesign(disks, [{ name: "lvm-a", kind: "lvm", volumeType: "a" }]);
    const [a] = model.storage.backends.map((x) => x.volumeDisks!);
    // THEN it stands on the 40 TB of HDDs per host
    expect(a).toMatchObject({ rawTB: 80, largestVolumeTB: 40 });
    expect(a.profiles[0].systemTakesOne).toBe(false);
    expect(model.storage.volumeServersTB).toBe(80);
    // AND a second backend on the same disks is refused: a disk joins one volume group
    const shared = issuesOf(
      variant((s) => {
        s.hardware[2].disks = disks;
        s.storage = {
          backends: [
            { name: "lvm-a", kind: "lvm", volumeType: "a" },
            { name: "zfs-b", kind: "zfs", volumeType: "b" },
          ],
          blockStorageNodes: { hosts: 2, hardware: "stor" },
        };
      }),
    ).find((i) => i.code === "volume-disks-shared");
    expect([shared?.path.join("."), shared?.message]).toEqual([
      "storage.backends.1.deviceClass",
      "backends lvm-a and zfs-b would take the same disks (no device class) on the same hosts, and a disk joins one volume group or zpool; give each its own device class",
    ]);
  });

  test("a backend with no disk of its class on its hosts is warned", () => {
    const loaded = load(
      variant((s) => {
        s.hardware[2].disks = [{ count: 2, sizeGB: 960, kind: "ssd" }];
        s.storage = {
          backends: [{ name: "bulk", kind: "lvm", volumeType: "bulk", deviceClass: "hdd" }],
          blockStorageNodes: { hosts: 2, hardware: "stor" },
        };
      }),
    );
    expect(loaded.model.storage.backends[0].volumeDisks?.rawTB).toBe(0);
    expect(loaded.warnings.find((w) => w.code === "volume-disks-missing")?.message).toBe(
      "hardware stor of the hosts serving lvm backend bulk lists no disk of class hdd outside those marked for the system or RocksDB: its volume group has nothing to stand on as designed; list the disks in hardware[].disks",
    );
  });

  test("a classless backend leaves another backend's class alone; Ceph and GlusterFS get none", () => {
    // GIVEN an NVMe backend, a classless one and a GlusterFS one beside spare SSDs for the system
    const model = lvmDesign(
      [
        { count: 2, sizeGB: 960, kind: "ssd" },
        { count: 4, sizeGB: 8000, kind: "hdd" },
        { count: 2, sizeGB: 3840, kind: "nvme" },
      ],
      [
        { name: "fast", kind: "zfs", volumeType: "fast", deviceClass: "nvme" },
        { name: "bulk", kind: "lvm", volumeType: "bulk" },
        { name: "gluster", kind: "glusterfs", volumeType: "g", shares: ["g1:/vol"] },
      ],
    );
    const of = (name: string) => model.storage.backends.find((b) => b.name === name)!;
    // THEN the NVMe backend takes its class, the classless one the rest, less one of the smallest
    // disks (an SSD): no disk is marked for the system nor left over
    expect(of("fast").volumeDisks).toMatchObject({ rawTB: 15.36 });
    expect(of("bulk").volumeDisks!.profiles[0]).toMatchObject({
      disks: [
        { count: 1, sizeGB: 960, kind: "ssd" },
        { count: 4, sizeGB: 8000, kind: "hdd" },
      ],
      systemTakesOne: true,
      perHostTB: 32.96,
    });
    expect(of("gluster").volumeDisks).toBeUndefined();
    expect(model.storage.volumeServersTB).toBe(81.28);
  });

  test("a design without them has no such figure, nor the proposal's row", async () => {
    const model = loadSpecFile(path.join(ROOT, "examples/enterprise-reference.yaml")).model;
    expect(model.storage.volumeServersTB).toBeUndefined();
    expect(model.storage.backends.every((b) => b.volumeDisks === undefined)).toBe(true);
  });
});

describe("default gateway", () => {
  test("fails when the external VIP is the default gateway of a /31, where the first host is offset 0", () => {
    // GIVEN an external /31 whose default gateway is 198.51.100.0 (there is no network address)
    const spec = variant((s) => {
      s.network.networks[4] = { name: "ext", role: "external", cidr: "198.51.100.0/31", vlan: 20 };
      s.controlPlane.vips.external = "198.51.100.0";
    });
    // THEN the VIP rule and the allocator agree on the gateway
    expect(issuesOf(spec).map((i) => [pathOf(i), i.code])).toEqual([
      ["controlPlane.vips.external", "vip-reserved"],
    ]);
  });
});

describe("API endpoints", () => {
  test("nova-metadata is internal only, in one table the port matrix and the VIPs read", () => {
    const model = load(variant(() => undefined)).model;
    const metadata = model.endpoints.find((e) => e.name === "nova-metadata");
    expect(metadata).toEqual({ service: "nova", name: "nova-metadata", port: 8775, public: false });
    const fromUsers = model.ports.filter((p) => p.from === "users").map((p) => p.service);
    expect(fromUsers).not.toContain("nova-metadata");
    expect(fromUsers).toEqual(
      expect.arrayContaining(model.endpoints.filter((e) => e.public).map((e) => e.name)),
    );
  });
});

describe("port matrix", () => {
  test("lets the controllers call Heat, Octavia and Manila: Horizon and heat-engine use the internal endpoints", () => {
    const base = load(
      variant((s) => {
        s.controlPlane.services = [...s.controlPlane.services, "heat", "manila"];
      }),
    ).model;
    const octavia = loadSpecFile(path.join(ROOT, "examples", "public-cloud.yaml")).model;
    const from = (model: typeof base, service: string) =>
      model.ports.filter((p) => p.service === service).map((p) => p.from);
    for (const [model, service] of [
      [base, "heat-api"],
      [base, "heat-api-cfn"],
      [base, "manila"],
      [octavia, "octavia"],
    ] as const)
      expect([service, from(model, service)]).toEqual([
        service,
        expect.arrayContaining(["users", "controllers"]),
      ]);
  });

  test("lets manila-share on network nodes reach the database; lists the APIs the VIP answers for", () => {
    // GIVEN Manila, whose share service Kolla runs on the network nodes, beside Ceilometer and
    // FWaaS (no API of their own: Gnocchi's, and Neutron's extension)
    const manila = load(
      variant((s) => {
        s.controlPlane.services = [...s.controlPlane.services, "manila", "fwaas"];
        s.controlPlane.networkNodes = 2;
      }),
    ).model;
    // THEN the network nodes reach the database as the controllers do (Manila has no conductor)
    expect(
      manila.ports.filter((p) => p.port === "3306" && p.to === "controllers").map((p) => p.from),
    ).toContain("network-nodes");
    // AND the runbook's check names the APIs behind the VIP, not the extensions
    const enabled = manila.lifecycle
      .flatMap((st) => st.prerequisites)
      .find((i) => i.kind === "services-enabled")!.params.services;
    expect(enabled).toContain("manila");
    expect(enabled).not.toContain("fwaas");
  });

  test("has no flow from servers the design does not have", () => {
    // GIVEN the base design: no Ceph, no Swift, no network nodes
    const model = load(variant(() => undefined)).model;
    // THEN no row starts or ends at their zones
    const zones = new Set(model.ports.flatMap((p) => [p.from, p.to]));
    for (const zone of ["ceph", "swift", "network-nodes"])
      expect(zones.has(zone as never)).toBe(false);
    // AND with Swift, its proxies reach Keystone and the controllers reach the proxies
    const swift = load(
      variant((s) => {
        s.controlPlane.services = [...s.controlPlane.services, "swift"];
        s.storage = { swift: swiftCluster() };
      }),
    ).model;
    expect(swift.ports).toContainEqual({
      service: "keystone",
      port: "5000",
      protocol: "tcp",
      from: "swift",
      to: "controllers",
    });
    // AND the flows every design needs: consoles, live migration, name resolution from each host
    const rows = (m: typeof model) =>
      m.ports.map((p) => `${p.service} ${p.port} ${p.from}>${p.to}`);
    expect(rows(model)).toEqual(
      expect.arrayContaining([
        "vnc-console 5900-65535 controllers>compute",
        "qemu-migration 49152-49215 compute>compute",
        "dns 53 compute>enterprise",
        // Kolla's defaults: placement_api_port, keystone_ssh_port (Fernet key pushes between
        // controllers), nova_ssh_port (resize and cold migration between computes)
        "placement 8780 compute>controllers",
        "keystone-ssh 8023 controllers>controllers",
        "nova-ssh 8022 compute>compute",
      ]),
    );
    expect(rows(model)).not.toContain("placement 8778 compute>controllers");
    expect(
      model.ports
        .filter((p) => p.service === "dns")
        .map((p) => p.protocol)
        .sort(),
    ).toEqual(expect.arrayContaining(["tcp", "udp"]));
    // AND a site's own registry, mirror and proxy are reached from the hosts that use them
    const ownCopies = (undercloud: Record<string, string>) =>
      rows(
        load(
          variant((s) => {
            s.controlPlane.containerRegistry = { address: "registry.example.net:5000" };
            s.cloud.undercloud = { cloud: "under", ...undercloud };
          }),
        ).model,
      ).filter((r) => /^(container-registry|package-)/.test(r));
    expect(ownCopies({ packageMirror: "http://mirror.example.net/ubuntu" })).toEqual([
      "container-registry 5000 controllers>enterprise",
      "container-registry 5000 compute>enterprise",
      "package-mirror 80 controllers>enterprise",
      "package-mirror 80 compute>enterprise",
    ]);
    // (apt reaches the mirror through the proxy where there is one)
    expect(
      ownCopies({
        packageMirror: "https://mirror.example.net/ubuntu",
        packageProxy: "http://proxy.example.net:3128",
      }).filter((r) => r.startsWith("package-")),
    ).toEqual([
      "package-proxy 3128 controllers>enterprise",
      "package-proxy 3128 compute>enterprise",
    ]);
    expect(rows(model).filter((r) => /^(container-registry|package-)/.test(r))).toEqual([]);
    // (Ceph's hosts pull cephadm's image from the registry too)
    const withCeph = load(
      variant((s) => {
        s.controlPlane.containerRegistry = { address: "registry.example.net" };
        s.storage = { ceph: cephCluster({}) };
      }),
    ).model;
    expect(rows(withCeph)).toContain("container-registry 443 ceph>enterprise");
    // AND block-storage hosts, when the design has them, reach the database, RabbitMQ and Keystone
    const withBlock = load(
      variant((s) => {
        s.storage = {
          backends: [{ name: "lvm", kind: "lvm", volumeType: "standard" }],
          blockStorageNodes: { hosts: 2, hardware: "stor" },
        };
      }),
    ).model;
    expect(rows(withBlock)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^(galera-sql|mariadb) 3306 block-storage>controllers$/),
        // cinder-volume reads images from Glance and tells Nova of volume events
        "glance 9292 block-storage>controllers",
        "nova-api 8774 block-storage>controllers",
        "rabbitmq-amqp 5672 block-storage>controllers",
        "keystone 5000 block-storage>controllers",
        "ntp 123 block-storage>controllers",
      ]),
    );
    expect(rows(model).some((r) => r.includes("block-storage"))).toBe(false);
    // (users reach the proxies through HAProxy on the controllers' VIPs, never directly)
    const proxy = swift.ports.filter((p) => p.service === "swift-proxy");
    expect(proxy.filter((p) => p.to === "swift").map((p) => p.from)).toEqual(["controllers"]);
    expect(proxy.filter((p) => p.from === "users").map((p) => p.to)).toEqual(["controllers"]);
  });
});

describe("port matrix: tenant traffic and time", () => {
  const rows = (m: {
    ports: readonly { service: string; port: string; from: string; to: string }[];
  }) => m.ports.map((p) => `${p.service} ${p.port} ${p.from}>${p.to}`);

  test("OVN's databases on the controllers are reached by neutron-server and every chassis", () => {
    // GIVEN Geneve tenant networks (OVN), 3 controllers that are also the gateway chassis and
    // 7 computes
    const model = load(
      variant((s) => {
        s.network.tenantNetworkType = "geneve";
      }),
    ).model;
    // THEN the chassis reach the northbound database, and the southbound one through the first
    // relay (20.0.0 and later, which the runbook asks for), not directly; the clustered
    // databases replicate over Raft
    expect(rows(model).filter((r) => r.startsWith("ovn"))).toEqual([
      "ovn-nb 6641 controllers>controllers",
      "ovn-nb 6641 compute>controllers",
      "ovn-sb 6642 controllers>controllers",
      "ovn-sb-relay 16641 controllers>controllers",
      "ovn-sb-relay 16641 compute>controllers",
      "ovn-nb-raft 6643 controllers>controllers",
      "ovn-sb-raft 6644 controllers>controllers",
    ]);
    // AND with VPNaaS on network nodes, their OVN VPN agent reads the southbound one directly
    const vpn = load(
      variant((s) => {
        s.network.tenantNetworkType = "geneve";
        s.controlPlane.services.push("vpnaas");
        s.controlPlane.networkNodes = 2;
        s.controlPlane.networkNodeHardware = "ctrl";
      }),
    ).model;
    expect(rows(vpn).filter((r) => r.startsWith("ovn-sb "))).toEqual([
      "ovn-sb 6642 controllers>controllers",
      "ovn-sb 6642 network-nodes>controllers",
    ]);
    // AND the controllers' security group lets the computes' internal-API network reach them
    const controllers = model.securityGroups.find((g) => g.name.endsWith("controllers"));
    expect(controllers?.rules).toContainEqual(
      expect.objectContaining({
        protocol: "tcp",
        portMin: 16641,
        portMax: 16641,
        remoteIpPrefix: "10.0.1.0/24",
      }),
    );
    // AND the computes' OVN metadata agents reach Nova's metadata API
    expect(rows(model).filter((r) => r.startsWith("nova-metadata"))).toEqual([
      "nova-metadata 8775 controllers>controllers",
      "nova-metadata 8775 compute>controllers",
    ]);
    // AND an Open vSwitch design has none of these rows, and its computes no metadata flow
    const ovs = rows(load(variant(() => undefined)).model);
    expect(ovs.some((r) => r.startsWith("ovn"))).toBe(false);
    expect(ovs.filter((r) => r.startsWith("nova-metadata"))).toEqual([
      "nova-metadata 8775 controllers>controllers",
    ]);
  });

  /** OVN (Geneve) with 2 network nodes and this many hosts in the first pool. */
  const ovnDesign = (webHosts: number, edit: (s: any) => void = () => undefined) =>
    load(
      variant((s) => {
        s.network.tenantNetworkType = "geneve";
        s.controlPlane.networkNodes = 2;
        s.controlPlane.networkNodeHardware = "ctrl";
        s.zones[0].pools[0].hosts = webHosts;
        edit(s);
      }),
    ).model;

  test("OVN gets one southbound relay per 50 chassis, reached by the chassis only", () => {
    // GIVEN OVN with 2 network nodes and 120 computes: 122 chassis
    const model = ovnDesign(117);
    // THEN three relay ports, reached by the chassis only
    const relay = model.ports.filter((p) => p.service === "ovn-sb-relay");
    expect(relay.map((p) => `${p.port} ${p.from}`)).toEqual([
      "16641-16643 network-nodes",
      "16641-16643 compute",
    ]);
    // AND Geneve runs between the chassis, not to the controllers
    expect(rows(model).filter((r) => r.startsWith("geneve"))).toEqual([
      "geneve 6081 network-nodes>network-nodes",
      "geneve 6081 compute>network-nodes",
      "geneve 6081 network-nodes>compute",
      "geneve 6081 compute>compute",
    ]);
  });

  test("OVN keeps at most nine relays: larger designs give each relay more chassis", () => {
    // GIVEN OVN with 2 network nodes and 478 computes: 480 chassis, ten relays at Kolla's 50
    // (host networks widened to /22 for them)
    const model = ovnDesign(475, (s) => {
      s.network.networks.slice(0, 4).forEach((n: { cidr: string }, i: number) => {
        n.cidr = `10.${i}.0.0/22`;
      });
      s.controlPlane.vips.internal = "10.1.0.10";
    });
    // THEN nine relays of 54 chassis each (Kolla-Ansible 21.x would put a tenth on port 166410)
    expect(model.deploy.neutron.ovnRelays).toEqual({ count: 9, chassisPerRelay: 54 });
    expect(
      model.ports.filter((p) => p.service === "ovn-sb-relay").map((p) => `${p.port} ${p.from}`),
    ).toEqual(["16641-16649 network-nodes", "16641-16649 compute"]);
    // AND globals.yml tells Kolla so, which it leaves out at 50 per relay
    expect(kollaGlobals(model)).toContainEqual(["ovn_sb_db_relay_compute_per_relay", 54]);
    const small = load(variant((s) => void (s.network.tenantNetworkType = "geneve"))).model;
    expect(small.deploy.neutron.ovnRelays).toEqual({ count: 1, chassisPerRelay: 50 });
    expect(kollaGlobals(small).map(([k]) => k)).not.toContain("ovn_sb_db_relay_compute_per_relay");
  });

  test("NTP rows follow the chrony sources: the controllers' or the servers' own", () => {
    // GIVEN the base design, whose nodes ask the controllers
    const viaControllers = load(variant(() => undefined)).model;
    expect(rows(viaControllers).filter((r) => r.startsWith("ntp"))).toEqual([
      "ntp 123 controllers>enterprise",
      // (the controllers poll one another: chrony's orphan mode)
      "ntp 123 controllers>controllers",
      "ntp 123 compute>controllers",
    ]);
    // WHEN every node asks the servers directly
    const direct = load(
      variant((s) => {
        s.ntp.clients = "servers";
      }),
    ).model;
    // THEN the computes reach the servers, not the controllers
    expect(rows(direct).filter((r) => r.startsWith("ntp"))).toEqual([
      "ntp 123 controllers>enterprise",
      "ntp 123 compute>enterprise",
    ]);
    expect(direct.ntp?.sources.compute).toEqual(["10.9.0.123", "10.9.1.123"]);
    // AND a design without NTP configures no time flow
    const none = load(
      variant((s) => {
        delete s.ntp;
      }),
    ).model;
    expect(rows(none).some((r) => r.startsWith("ntp"))).toBe(false);
  });
});

describe("port matrix: storage back ends and the legacy VPN", () => {
  const rows = (m: {
    ports: readonly { service: string; port: string; protocol: string; from: string; to: string }[];
  }) => m.ports.map((p) => `${p.service} ${p.port}/${p.protocol} ${p.from}>${p.to}`);

  test("iSER targets take RoCEv2's UDP port beside iSCSI's, once per zone of targets", () => {
    // GIVEN the cloud-in-a-box: an iSCSI and an iSER LVM backend on three block-storage hosts
    const model = loadSpecFile(path.join(ROOT, "examples", "cloud-in-a-box.yaml")).model;
    // THEN the hypervisors reach the targets on 3260 (one row for both backends) and on UDP 4791
    expect(rows(model).filter((r) => /^(iscsi|iser)/.test(r))).toEqual([
      "iscsi 3260/tcp compute>block-storage",
      "iser-rocev2 4791/udp compute>block-storage",
    ]);
    // AND an iSCSI-only design on the controllers has no RoCEv2 row
    const iscsi = load(
      variant((s) => {
        s.storage = { backends: [{ name: "lvm", kind: "lvm", volumeType: "standard" }] };
      }),
    ).model;
    expect(rows(iscsi).filter((r) => /^(iscsi|iser)/.test(r))).toEqual([
      "iscsi 3260/tcp compute>controllers",
    ]);
  });

  test("GlusterFS volumes are mounted over NFSv4 from cinder-volume's hosts and the hypervisors", () => {
    // GIVEN a GlusterFS backend on the controllers
    const model = load(
      variant((s) => {
        s.storage = {
          backends: [
            { name: "gluster", kind: "glusterfs", volumeType: "shared", shares: ["gl1:/vols"] },
          ],
        };
      }),
    ).model;
    // THEN both reach the Gluster servers' NFS export, and nothing of iSCSI is opened
    expect(rows(model).filter((r) => /^(nfs|iscsi)/.test(r))).toEqual([
      "nfs 2049/tcp controllers>enterprise",
      "nfs 2049/tcp compute>enterprise",
    ]);
  });

  test("cephadm's monitoring stack and dashboard have their flows", () => {
    const model = load(
      variant((s) => {
        s.storage = {
          backends: [{ name: "rbd", kind: "ceph", volumeType: "standard" }],
          ceph: cephCluster(),
        };
      }),
    ).model;
    expect(rows(model)).toEqual(
      expect.arrayContaining([
        "ceph-node-exporter 9100/tcp ceph>ceph",
        "ceph-mgr-prometheus 9283/tcp ceph>ceph",
        "ceph-exporter 9926/tcp ceph>ceph",
        "ceph-prometheus 9095/tcp ceph>ceph",
        "ceph-alertmanager 9093/tcp ceph>ceph",
        "ceph-dashboard 8443/tcp admin>ceph",
        "ceph-grafana 3000/tcp admin>ceph",
      ]),
    );
    // AND none of them reaches the controllers' security group
    const controllers = model.securityGroups.find((g) => g.name.endsWith("controllers"));
    expect(controllers?.rules.filter((r) => [9100, 9283, 8443].includes(r.portMin ?? 0))).toEqual(
      [],
    );
  });

  test("the legacy site's VPN gateway and the bridge router reach each other with IKE, NAT-T and ESP", () => {
    const model = loadSpecFile(path.join(ROOT, "examples", "enterprise-reference.yaml")).model;
    // (the connection is bi-directional: either end starts IKE)
    expect(rows(model).filter((r) => r.startsWith("ipsec"))).toEqual([
      "ipsec-ike 500/udp legacy>routers",
      "ipsec-nat-t 4500/udp legacy>routers",
      "ipsec-esp -/esp legacy>routers",
      "ipsec-ike 500/udp routers>legacy",
      "ipsec-nat-t 4500/udp routers>legacy",
      "ipsec-esp -/esp routers>legacy",
    ]);
    // AND the flows run between the instances' bridge ports and the legacy systems
    expect(rows(model).filter((r) => /legacy-bridge/.test(r))).toEqual(
      model.legacyUnix!.flows.map((f) =>
        f.direction === "to-legacy"
          ? `${f.name} ${f.port}/${f.protocol} legacy-bridge>legacy`
          : `${f.name} ${f.port}/${f.protocol} legacy>legacy-bridge`,
      ),
    );
    expect(rows(model).filter((r) => /compute>legacy|legacy>compute/.test(r))).toEqual([]);
    // AND a design without the VPN has none
    expect(rows(load(variant(() => undefined)).model).some((r) => r.startsWith("ipsec"))).toBe(
      false,
    );
  });
});

describe("Ceph pools", () => {
  test("Gnocchi's replicated pool counts its copies in an erasure-coded cluster's capacity", () => {
    // GIVEN k=2+m=2 on 4 equal hosts, 30 % of the data in Gnocchi's pool, which the deploy model
    // keeps replicated (3 copies): erasure-coded pools hold no omap keys
    const ec = (metrics: boolean) =>
      load(
        variant((s) => {
          if (metrics) s.controlPlane.services.push("ceilometer");
          s.storage = {
            backends: [{ name: "rbd", kind: "ceph", volumeType: "standard" }],
            ceph: cephCluster({
              protection: { erasureCoded: { k: 2, m: 2 } },
              pools: [
                { name: "volumes", application: "volumes", dataShare: 0.6 },
                { name: "images", application: "images", dataShare: 0.1 },
                ...(metrics ? [{ name: "metrics", application: "metrics", dataShare: 0.3 }] : []),
              ],
            }),
          };
        }),
      ).model;
    const model = ec(true);
    const ceph = model.storage.ceph!;
    expect(model.deploy.ceph?.pools.find((p) => p.name === "metrics")?.protection).toMatchObject({
      kind: "replicated",
      size: 3,
    });
    // THEN 160 TB raw hold 0.7 at half and 0.3 at a third: 160 / (0.7 / 0.5 + 0.3 x 3)
    expect(ceph.rawTB).toBe(160);
    expect(ceph.usableTB).toBe(Math.round((160 / (0.7 / 0.5 + 0.3 * 3)) * 100) / 100);
    // AND a cluster without such a pool keeps the erasure-coded figure, k / (k + m)
    expect(ec(false).storage.ceph?.usableTB).toBe(80);
  });

  test("objects in RADOS Gateway pools leave the rest for volumes, in the document and the proposal", () => {
    // GIVEN Ceph with a quarter of its data in an RGW pool
    const model = load(
      variant((s) => {
        s.controlPlane.services.push("swift");
        s.storage = {
          backends: [{ name: "rbd", kind: "ceph", volumeType: "standard" }],
          ceph: cephCluster({
            pools: [
              { name: "volumes", application: "volumes", dataShare: 0.65 },
              { name: "images", application: "images", dataShare: 0.1 },
              { name: "objects", application: "rgw", dataShare: 0.25 },
            ],
          }),
        };
      }),
    ).model;
    const ceph = model.storage.ceph!;
    expect(ceph.objectShare).toBe(0.25);
    // THEN volume quotas are held against three quarters of the usable capacity, as the
    // proposal sells it
    expect(model.headroom.blockStorage?.usableGiB).toBe(
      Math.floor((ceph.usableAtNearfullTB * 0.75 * 1e12) / 2 ** 30),
    );
    expect(unitCounts(model)["block-tb"]).toBe(Math.round(ceph.usableTB * 0.75 * 100) / 100);
  });

  test("objects take their own class's capacity: a cluster-wide share would put them on another's", () => {
    // GIVEN RADOS Gateway objects and images on HDD OSDs, volumes on SSD OSDs
    const model = load(
      twoClassCeph(
        {
          pools: [
            { name: "volumes", application: "volumes", dataShare: 0.3, deviceClass: "ssd" },
            { name: "images", application: "images", dataShare: 0.1 },
            { name: "objects", application: "rgw", dataShare: 0.4 },
          ],
        },
        [{ name: "rbd", kind: "ceph", volumeType: "standard", deviceClass: "ssd" }],
        (s) => s.controlPlane.services.push("swift"),
      ),
    ).model;
    const ceph = model.storage.ceph!;
    const hdd = ceph.deviceClasses.find((c) => c.deviceClass === "hdd")!;
    // THEN the objects are 0.4 of the HDD class's 0.5, whatever the SSD class holds
    expect(ceph.objectTB).toBeCloseTo(hdd.usableTB * 0.8, 2);
    const counts = unitCounts(model);
    expect(counts["object-tb"]).toBe(ceph.objectTB);
    expect(counts["block-tb"]).toBeCloseTo(ceph.usableTB - ceph.objectTB, 2);
    // AND the data each part holds is the model's, filled as far as Ceph may be
    const fill = (ceph.usableToRecoverTB ?? ceph.usableAtNearfullTB) / ceph.usableTB;
    expect(model.storage.served).toEqual({
      blockTB: counts["block-tb"],
      objectTB: ceph.objectTB,
      heldBlockTB: Math.round(counts["block-tb"] * fill * 100) / 100,
      heldObjectTB: Math.round(ceph.objectTB * fill * 100) / 100,
    });
    expect([counts.heldBlockTB, counts.heldObjectTB]).toEqual([
      model.storage.served.heldBlockTB,
      model.storage.served.heldObjectTB,
    ]);
  });

  test("racks priced are the racks the servers stand in, the unracked ones' counted once", () => {
    // GIVEN both zones racked, the base design (its second zone unracked) and no rack at all
    const racked = load(variant((s) => (s.zones[1].racks = ["r4"]))).model;
    const partly = load(variant(() => {})).model;
    const none = load(variant((s) => (s.zones[0].racks = []))).model;
    const rackSwitches = (m: typeof racked) =>
      new Set(m.switches.map((w) => w.rack ?? w.site ?? "")).size;
    // THEN each named rack counts, and the unracked servers stand in one more (the switch plan
    // gives them a pair of their own), as the proposal prices a line per rack
    expect([racked.racksUsed, partly.racksUsed, none.racksUsed]).toEqual([4, 4, 1]);
    expect(partly.nodes.filter((n) => n.zone === "az2").every((n) => !n.rack)).toBe(true);
    // AND unracked servers at two sites (beside a racked one) stand at each apart, with
    // switches of their own
    const threeSites = (third: string) =>
      load(
        variant((s) => {
          s.sites = [{ name: "dc1" }, { name: "dc2" }, { name: third }];
          s.zones[0].site = "dc1";
          s.zones[1].site = "dc2";
          s.zones.push({
            name: "az3",
            site: third,
            pools: [{ name: "db", purpose: { tier: "db" }, hosts: 2, hardware: "cmp" }],
          });
        }),
      ).model;
    const twoSites = threeSites("dc3");
    expect(twoSites.switches.map((w) => [w.name, w.site])).toEqual(
      expect.arrayContaining([
        ["dc2-sw-0a", "dc2"],
        ["dc3-sw-0a", "dc3"],
      ]),
    );
    expect(twoSites.racksUsed).toBe(5);
    // AND a site named as a rack keeps switch names apart
    const clash = threeSites("r1");
    const names = clash.switches.map((w) => w.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain("r1-unracked-sw-0a");
    for (const m of [racked, partly, none, twoSites]) expect(m.racksUsed).toBe(rackSwitches(m));
  });

  test("a failed host's data recovers only below the fill its rack-mates or the other hosts can take", () => {
    const cephOf = (nodes: number) =>
      load(
        variant((s) => {
          s.storage = {
            ceph: cephCluster({ nodes }),
            backends: [{ name: "rbd", kind: "ceph", volumeType: "standard" }],
          };
        }),
      ).model.storage.ceph!;
    // GIVEN six OSD hosts over the three racks, two each: a host's data goes to its rack-mate
    const racked = cephOf(6);
    expect([racked.failureDomain, racked.spareFailureDomain]).toEqual(["rack", true]);
    // THEN the cluster recovers a host while under 45 % full (backfillfull 0.90 x 1/2), which
    // comes before nearfull: the document sells no more than that with room to recover
    expect(racked.recoveryFillRatio).toBe(0.45);
    expect(racked.usableToRecoverTB).toBeCloseTo(racked.usableTB * 0.45, 2);
    // AND the HA table says it
    const row = load(
      variant((s) => {
        s.storage = {
          ceph: cephCluster({ nodes: 6 }),
          backends: [{ name: "rbd", kind: "ceph", volumeType: "standard" }],
        };
      }),
    ).model.ha.find((r) => r.kind === "ceph-osd-hosts-fill");
    expect(row?.mechanism).toContain("while the cluster is under 45 % full");
    // GIVEN four hosts over three racks (two, one, one): no spare rack, no recovery figure
    expect(cephOf(4).recoveryFillRatio).toBeUndefined();
    // AND the two in one rack recover onto each other (CRUSH takes their rack again); the
    // two alone in theirs stay degraded, as the HA row and the recovery table say
    const fourOnThree = load(
      variant((s) => {
        s.storage = {
          ceph: cephCluster({ nodes: 4 }),
          backends: [{ name: "rbd", kind: "ceph", volumeType: "standard" }],
        };
      }),
    ).model;
    expect(fourOnThree.storage.ceph!.hostsAlone).toEqual(["ceph-02", "ceph-03"]);
    expect(fourOnThree.ha.find((r) => r.kind.startsWith("ceph-osd"))?.mechanism).toBe(
      "40 OSDs; a failed host's placement groups recover onto the other hosts of its rack, but with no spare rack those of a host alone in its rack (ceph-02, ceph-03) stay degraded until it returns",
    );
    expect(fourOnThree.recovery.find((r) => r.scenario === "host-storage")?.outcome).toBe(
      "stays-degraded-alone",
    );
    // AND by host, the data spreads over the other hosts: 0.90 x 3/4 for four hosts in one rack
    const byHost = load(
      variant((s) => {
        s.zones[0].racks = ["r1"];
        s.storage = {
          ceph: cephCluster({ nodes: 4 }),
          backends: [{ name: "rbd", kind: "ceph", volumeType: "standard" }],
        };
      }),
    ).model.storage.ceph!;
    expect([byHost.failureDomain, byHost.recoveryFillRatio]).toEqual(["host", 0.67]);
    // AND with more racks than copies, where CRUSH puts a failed host's copies is estimated by
    // mapping placement groups as its rules do: five racks of one host, 3 copies, about 0.72
    // (crushtool 16.2 on the same map: 0.715)
    const enterprise = loadSpecFile(path.join(ROOT, "examples", "enterprise-reference.yaml"));
    const ceph = enterprise.model.storage.ceph!;
    expect([ceph.failureDomain, ceph.failureDomains, ceph.nodes.length]).toEqual(["rack", 5, 5]);
    expect([ceph.recoveryFillRatio, ceph.recoveryFillEstimated]).toEqual([0.72, true]);
    expect(ceph.usableToRecoverTB).toBeCloseTo(ceph.usableTB * 0.72, 2);
    expect(enterprise.model.ha.find((r) => r.kind.startsWith("ceph-osd"))?.mechanism).toBe(
      "60 OSDs; Ceph recovers a failed host's placement groups onto the other hosts while the cluster is under about 72 % full (each OSD stops taking backfill at 90 %; estimated from where CRUSH moves a failed host's placement groups, its rack-mates taking the most: crushtool --test on the cluster's map tells exactly)",
    );
    // AND six racks of two: the rack-mate takes about a fifth of the data (not the even 1/11)
    const twelve = (() => {
      const text = fs
        .readFileSync(path.join(ROOT, "examples", "public-cloud.yaml"), "utf8")
        .replace(/^( {4}nodes: )9$/m, "$112");
      return loadSpecText(text, "twelve.yaml").model.storage.ceph!;
    })();
    expect([twelve.nodes.length, twelve.failureDomains]).toEqual([12, 6]);
    expect([twelve.recoveryFillRatio, twelve.recoveryFillEstimated]).toEqual([0.73, true]);
    // AND racks of 2, 2, 2, 1, 1, 1: a lone host's copies bind (crushtool: 0.68)
    const publicCloud = loadSpecFile(path.join(ROOT, "examples", "public-cloud.yaml")).model;
    expect(publicCloud.storage.ceph!.failureDomains).toBe(6);
    expect(publicCloud.storage.ceph!.recoveryFillRatio).toBe(0.68);
    expect(publicCloud.ha.find((r) => r.kind.startsWith("ceph-osd"))?.mechanism).toContain(
      "under about 68 % full",
    );
  });

  test.each([
    // racks' hosts, copies or chunks, rule, crushtool 16.2's fill on the same map (jewel tunables)
    [[1, 1, 1, 1, 1], 3, "firstn", 0.715],
    [[1, 1, 1, 1, 1, 1, 1, 1, 1], 3, "firstn", 0.783],
    [[2, 2, 2, 2, 2, 2], 3, "firstn", 0.726],
    [[3, 3, 3, 3], 3, "firstn", 0.71],
    [[2, 2, 2, 1, 1, 1], 3, "firstn", 0.68],
    [[2, 2, 2, 2, 2, 2, 2, 2], 6, "indep", 0.457],
    [[2, 2, 2, 2, 2, 2], 4, "indep", 0.459],
    [[2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2], 3, "firstn", 0.818],
    [[6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6], 3, "indep", 0.749],
    [[1, 1, 1, 6], 3, "firstn", 0.3],
    [[3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 2], 3, "firstn", 0.818],
  ] as const)(
    "the recovery fill of racks %j for %d copies (%s) is crushtool's within 0.02",
    (racks, width, rule, crushtool) => {
      expect(Math.abs(simulatedRecoveryFill(racks, width, rule, 0.9)! - crushtool)).toBeLessThan(
        0.02,
      );
    },
  );

  test("the recovery estimate holds for a thousand racks and for their order", () => {
    // (every host of a mapping fails in turn: the figure does not rest on one host's few copies)
    const pairs = (n: number) => Array.from({ length: n }, () => 2);
    expect(simulatedRecoveryFill(pairs(1000), 3, "firstn", 0.9)).toBeGreaterThan(0.89);
    const a = simulatedRecoveryFill([...pairs(13), 3], 3, "firstn", 0.9)!;
    const b = simulatedRecoveryFill([3, ...pairs(13)], 3, "firstn", 0.9)!;
    expect(Math.abs(a - b)).toBeLessThan(0.02);
    // AND a short rack among many is mapped often enough to count (crushtool: 0.89)
    const eights = Array.from({ length: 30 }, () => 8);
    for (const racks of [
      [...eights, 7],
      [7, ...eights],
    ])
      expect(Math.abs(simulatedRecoveryFill(racks, 3, "firstn", 0.9)! - 0.89)).toBeLessThan(0.02);
    // AND where CRUSH finds no place for some copies, nothing recovers them
    expect(simulatedRecoveryFill([1, 1, 1, 12], 3, "firstn", 0.9)).toBeUndefined();
  });

  test("the block capacity before nearfull is the sum of the classes the quotas reach", () => {
    // GIVEN volumes on the SSD OSDs and backups on the HDD ones: both classes listed
    const block = load(backupsApartFromVolumes({ volumeGiB: 100, backupGiB: 100 })).model.headroom
      .blockStorage!;
    expect(block.classes!.map((c) => c.deviceClass).sort()).toEqual(["hdd", "ssd"]);
    // THEN the total adds up from the rows the document prints
    expect(block.usableGiB).toBe(block.classes!.reduce((t, c) => t + c.usableGiB, 0));
    // AND with volumes alone on the SSD OSDs (images on the HDD ones, instance disks local),
    // the HDD capacity no quota reaches is not counted
    const ssdOnly = load(
      twoClassCeph(
        {
          pools: [
            { name: "volumes", application: "volumes", dataShare: 0.5, deviceClass: "ssd" },
            { name: "images", application: "images", dataShare: 0.5 },
          ],
        },
        [{ name: "rbd", kind: "ceph", volumeType: "fast", deviceClass: "ssd" }],
        (s) => (s.tenants = [{ name: "a", quota: { volumeGiB: 100 } }]),
      ),
    ).model.headroom.blockStorage!;
    expect(ssdOnly.classes!.map((c) => [c.deviceClass, c.usableGiB])).toEqual([
      ["ssd", ssdOnly.usableGiB],
    ]);
  });

  test("volume quotas past Ceph's block capacity before nearfull are warned, within it not", () => {
    // GIVEN Ceph's four hosts (16 x 8 TB, three copies) and tenants allowed 60,000 GiB of volumes
    const quotas = (volumeGiB: number) =>
      twoClassCeph({}, [{ name: "rbd", kind: "ceph", volumeType: "standard" }], (s) => {
        s.tenants = [
          { name: "a", quota: { volumeGiB } },
          { name: "b", quota: { volumeGiB } },
        ];
      });
    const over = load(quotas(30000));
    const block = over.model.headroom.blockStorage!;
    // (and the document's risks list it)
    expect(over.model.risks.map((r) => r.kind)).toContain("block-quota");
    // THEN past the block part before nearfull the tenants are warned with both figures
    expect(block.quotaGiB).toBe(60000);
    expect(block.usableGiB).toBeLessThan(60000);
    expect(
      over.warnings
        .filter((w) => w.code === "volume-quota-exceeds-ceph")
        .map((w) => w.message.split(":")[0]),
    ).toEqual([
      `tenant volume quotas that can reach Ceph add up to 60000 GiB, and their backup quotas, whose backups cinder-backup keeps in Ceph, to 60000 GiB more, but Ceph holds ${block.usableGiB} GiB of volumes, backups, images and instance disks before nearfull`,
    ]);
    // AND backups kept in Ceph count beside the volumes: volumes within it, backups past it
    const withBackups = (backupGiB: number) =>
      load(
        twoClassCeph({}, [{ name: "rbd", kind: "ceph", volumeType: "standard" }], (s) => {
          s.tenants = [
            { name: "a", quota: { volumeGiB: 10000, backupGiB } },
            { name: "b", quota: { volumeGiB: 10000, backupGiB } },
          ];
        }),
      );
    const backedUp = withBackups(10000);
    expect(backedUp.model.headroom.blockStorage).toMatchObject({
      quotaGiB: 20000,
      backupGiB: 20000,
    });
    expect(backedUp.model.deploy.cinder.backup?.driver).toBe("ceph");
    expect(backedUp.warnings.map((w) => w.code)).toContain("volume-quota-exceeds-ceph");
    expect(withBackups(0).warnings.map((w) => w.code)).not.toContain("volume-quota-exceeds-ceph");
    // AND volumes that cannot reach Ceph are not counted: on LVM alone (Ceph keeping images), or
    // beyond a tenant's limits for its Ceph volume types, and a default quota is said to be one
    const beside = (perVolumeType?: Record<string, { gigabytes: number }>) =>
      load(
        variant((s) => {
          const base = lvmBesideCeph([{ count: 4, sizeGB: 8000, kind: "hdd" }]) as any;
          s.storage = base.storage;
          s.hardware = base.hardware;
          if (perVolumeType) {
            s.storage.backends.push({ name: "rbd", kind: "ceph", volumeType: "fast" });
            s.tenants = [{ name: "a", quota: { volumeGiB: 30000, perVolumeType } }, { name: "b" }];
          } else s.tenants = [{ name: "a", quota: { volumeGiB: 30000 } }];
        }),
      );
    const lvm = beside();
    expect(lvm.model.headroom.blockStorage?.quotaGiB).toBe(0);
    expect(lvm.warnings.map((w) => w.code)).not.toContain("volume-quota-exceeds-ceph");
    const limited = beside({ fast: { gigabytes: 100 } });
    // (a: 100 GiB of its Ceph type; b: the default 1,000 GiB, unlimited per type)
    expect(limited.model.headroom.blockStorage?.quotaGiB).toBe(1100);
    // AND a private Ceph type counts only for the tenants that list it
    const only = (granted: boolean) =>
      load(
        variant((s) => {
          const base = lvmBesideCeph([{ count: 4, sizeGB: 8000, kind: "hdd" }]) as any;
          s.storage = base.storage;
          s.hardware = base.hardware;
          s.storage.backends.push({
            name: "rbd",
            kind: "ceph",
            volumeType: "fast",
            public: false,
          });
          s.tenants = [
            {
              name: "a",
              quota: { volumeGiB: 30000 },
              ...(granted ? { volumeTypes: ["fast"] } : {}),
            },
          ];
        }),
      ).model.headroom.blockStorage?.quotaGiB;
    expect([only(false), only(true)]).toEqual([0, 30000]);
    // AND quotas within it, with the backups of each volume (Cinder's default backup quota), are not
    const within = Math.floor(block.usableGiB / 4);
    expect(load(quotas(within)).warnings.map((w) => w.code)).not.toContain(
      "volume-quota-exceeds-ceph",
    );
    expect(load(quotas(within)).model.risks.map((r) => r.kind)).not.toContain("block-quota");
  });

  test("backups kept in Ceph count on the class of its backups pool", () => {
    // GIVEN HDD and SSD volume types, and the backups pool on the HDD OSDs
    const model = load(
      twoClassCeph(
        {
          pools: [
            { name: "volumes", application: "volumes", dataShare: 0.5 },
            { name: "volumes-ssd", application: "volumes", dataShare: 0.2, deviceClass: "ssd" },
            { name: "images", application: "images", dataShare: 0.2 },
            { name: "backups", application: "backups", dataShare: 0.1 },
          ],
        },
        [
          { name: "ceph-hdd", kind: "ceph", volumeType: "standard" },
          { name: "ceph-ssd", kind: "ceph", volumeType: "fast", deviceClass: "ssd" },
        ],
        (s) => {
          s.tenants = [
            {
              name: "a",
              quota: {
                volumeGiB: 3000,
                backupGiB: 2000,
                perVolumeType: { standard: { gigabytes: 2000 }, fast: { gigabytes: 1000 } },
              },
            },
          ];
        },
      ),
    ).model;
    const block = model.headroom.blockStorage!;
    // THEN the total and the HDD class count the 2,000 GiB of backups, the SSD class not
    expect(block.backupGiB).toBe(2000);
    const byClass = Object.fromEntries((block.classes ?? []).map((c) => [c.deviceClass, c]));
    expect(byClass.hdd).toMatchObject({ quotaGiB: 2000, backupGiB: 2000 });
    expect(byClass.hdd.headroom).toBeCloseTo(
      (byClass.hdd.usableGiB - 4000) / byClass.hdd.usableGiB,
      6,
    );
    expect(byClass.ssd.backupGiB).toBeUndefined();
  });

  test("a device class holding only the backups pool gets its own line and warning", () => {
    // GIVEN volumes on the SSD OSDs alone, the backups pool on the HDD ones, and backup quotas
    // past what the HDD OSDs hold
    const loaded = load(backupsApartFromVolumes({ volumeGiB: 1000, backupGiB: 60000 }));
    const classes = loaded.model.headroom.blockStorage?.classes ?? [];
    // THEN the HDD class has its line with the backups alone
    const hdd = classes.find((c) => c.deviceClass === "hdd")!;
    expect(hdd).toMatchObject({ volumeTypes: [], quotaGiB: 0, backupGiB: 60000 });
    expect(hdd.headroom).toBeLessThan(0);
    // AND its warning says the backups fill it
    expect(
      loaded.warnings.filter((w) => w.code === "volume-quota-exceeds-ceph").map((w) => w.message),
    ).toContain(
      `the tenants' backup quotas, whose backups cinder-backup keeps on the hdd OSDs, add up to 60000 GiB, but the hdd OSDs hold ${hdd.usableGiB} GiB of their pools' block data before nearfull: volumes are thin and Cinder admits them, so Ceph fills and stops writes before the quotas stop anyone; lower the quotas or add OSD hosts`,
    );
  });

  test("a volume type's limits draw on its own class's capacity, not the cluster's", () => {
    // GIVEN HDD and SSD volume types, and a tenant allowed 20,000 GiB of the SSD one
    const design = (ssdPublic: boolean, tenants: Record<string, unknown>[]) =>
      load(
        twoClassCeph(
          {
            pools: [
              { name: "volumes", application: "volumes", dataShare: 0.6 },
              { name: "volumes-ssd", application: "volumes", dataShare: 0.2, deviceClass: "ssd" },
              { name: "images", application: "images", dataShare: 0.2 },
            ],
          },
          [
            { name: "ceph-hdd", kind: "ceph", volumeType: "standard" },
            {
              name: "ceph-ssd",
              kind: "ceph",
              volumeType: "fast",
              deviceClass: "ssd",
              public: ssdPublic,
            },
          ],
          (s) => (s.tenants = tenants),
        ),
      );
    const loaded = design(true, [
      { name: "a", quota: { volumeGiB: 24000, perVolumeType: { fast: { gigabytes: 20000 } } } },
    ]);
    const { model } = loaded;
    const ceph = model.storage.ceph!;
    const ssd = ceph.deviceClasses.find((c) => c.deviceClass === "ssd")!;
    // THEN the SSD class's line holds the limit against the SSD OSDs alone (8 x 3.84 TB, three
    // copies, to nearfull), which it exceeds while the cluster's total does not
    const classes = model.headroom.blockStorage?.classes;
    // (the standard type, without a limit of its own, may take the whole volume quota)
    expect(classes?.map((c) => [c.deviceClass, c.volumeTypes, c.quotaGiB])).toEqual([
      ["hdd", ["standard"], 24000],
      ["ssd", ["fast"], 20000],
    ]);
    const usable = Math.floor((ssd.usableTB * ceph.nearfullRatio * 1e12) / 2 ** 30);
    expect(classes?.[1].usableGiB).toBe(usable);
    expect(classes?.[1].headroom).toBeLessThan(0);
    expect(model.headroom.blockStorage?.headroom).toBeGreaterThan(0);
    // (a private type's limit counts only for the tenants that list it, within each one's volume
    // quota: as the total counts them)
    const privateSsd = design(false, [
      {
        name: "a",
        volumeTypes: ["fast"],
        quota: { volumeGiB: 20000, perVolumeType: { fast: { gigabytes: 30000 } } },
      },
      { name: "b", quota: { volumeGiB: 30000, perVolumeType: { fast: { gigabytes: 30000 } } } },
    ]).model;
    expect(privateSsd.headroom.blockStorage?.classes?.[1].quotaGiB).toBe(20000);
    // AND the design is warned for that class alone: thin volumes fill it before the limit stops
    expect(
      loaded.warnings
        .filter((w) => w.code === "volume-quota-exceeds-ceph")
        .map((w) => [w.path, w.message]),
    ).toEqual([
      [
        ["tenants"],
        `the tenants' volumes of type fast may take 20000 GiB (their limits for that type, else their volume quotas), but the ssd OSDs hold ${usable} GiB of their pools' block data before nearfull: volumes are thin and Cinder admits them, so Ceph fills and stops writes before the quotas stop anyone; lower the quotas or add OSD hosts`,
      ],
    ]);
    // AND the document says so under the total
    const labels = readCatalog(templateDirs(), "en");
    const view = {
      ...documentViewModel(model, terraformInventory([]), [], diagrams(model, labels)),
      findings: [],
    };
    const doc = renderMarkdown("architecture", view, "en");
    expect(doc).toContain(
      `- ssd OSDs: ${usable.toLocaleString("en")} GiB before nearfull; what the tenants' volumes of fast may take (their limits for those types, else their volume quotas): 20,000 GiB; headroom`,
    );
  });

  test("by default, one per use the design makes of Ceph, with shares adding up to 1", () => {
    // GIVEN the enterprise example: Ceph volumes and images, instance disks local, backups in Swift
    const enterprise = loadSpecFile(path.join(ROOT, "examples", "enterprise-reference.yaml")).model;
    // THEN no pool for instance disks or backups, and none of their placement groups or keyrings
    expect(enterprise.storage.ceph?.pools.map((p) => [p.name, p.dataShare])).toEqual([
      ["images", 0.17],
      ["volumes", 0.83],
    ]);
    expect(enterprise.deploy.ceph?.kollaPools).toEqual({ volumes: "volumes", images: "images" });
    // AND a design keeping everything in Ceph gets all four, at their usual shares
    const desktop = loadSpecFile(path.join(ROOT, "examples", "desktop-cloud.yaml")).model;
    expect(desktop.storage.ceph?.pools.map((p) => [p.name, p.dataShare])).toEqual([
      ["backups", 0.1],
      ["images", 0.1],
      ["vms", 0.3],
      ["volumes", 0.5],
    ]);
  });
});

describe("FWaaS rules", () => {
  test("are resolved in the model, so the document shows what the construct applies", () => {
    // GIVEN a design with the firewall on
    const model = load(
      variant((s) => {
        s.securityZones.firewall = true;
        s.securityZones.userCidrs = ["203.0.113.0/24"];
      }),
    ).model;
    // THEN the model holds every rule
    const firewall = model.securityZones.firewall;
    expect(
      firewall?.ingress.map((r) => [r.protocol, r.sourceIpAddress, r.destinationPort]),
    ).toEqual([
      ["tcp", "10.9.100.0/24", 22],
      ["icmp", "10.9.100.0/24", undefined],
      ["tcp", "203.0.113.0/24", 80],
      ["tcp", "203.0.113.0/24", 443],
    ]);
    expect(firewall?.egress.map((r) => r.ipVersion)).toEqual([4, 6]);
    // AND the document lists them
    const view = documentViewModel(model, { stacks: [] } as never);
    expect(view.firewall?.[0].rules.map((r) => `${r.peer}:${r.port}`)).toEqual([
      "10.9.100.0/24:22",
      "10.9.100.0/24:*",
      "203.0.113.0/24:80",
      "203.0.113.0/24:443",
    ]);
  });
});

describe("design points", () => {
  test("print the design's own addresses, not the example's", () => {
    // GIVEN the three-node example with other public and private blocks
    const example = loadSpecFile(path.join(ROOT, "examples/three-node.yaml"));
    const model = {
      ...example.model,
      networks: example.model.networks.map((n) =>
        n.role === "external"
          ? { ...n, cidr: "192.0.2.0/24" }
          : n.role === "management"
            ? { ...n, cidr: "10.77.0.0/24" }
            : n,
      ),
    };
    // WHEN the document's design points are rendered
    const view = documentViewModel(
      model,
      { stacks: [] } as never,
      findBlueprint("three-node")?.designPoints,
    );
    const titles = view.designPoints.map((d) => d.title).join("\n");
    // THEN
    expect(titles).toContain("Public switch 192.0.2.0/24");
    expect(titles).toContain("Private switch 10.77.0.0/24");
    expect(titles).not.toContain("10.10.0.0/24");
    expect(titles).not.toContain("{cidr:");
  });
});

test("a rule from the controllers' group takes the ethertype of the network the flow runs on", () => {
  // GIVEN tunnels on an IPv6 network, everything else IPv4
  const model = load(
    variant((s) => {
      s.network.networks.find((n: { role: string }) => n.role === "tunnel").cidr = "fd00:20:2::/64";
    }),
  ).model;
  const fromGroup = (port: number) =>
    model.securityGroups[0].rules
      .filter((r) => r.remoteGroup === "controllers" && r.portMin === port)
      .map((r) => `${r.protocol}/${r.portMin} ${r.ethertype}`);
  // THEN the controllers' VXLAN among themselves is admitted over IPv6 (a group's rule admits its
  // members' addresses of its ethertype alone), and the database's over IPv4 as before
  expect(fromGroup(4789)).toEqual(["udp/4789 IPv6"]);
  expect(fromGroup(3306)).toEqual(["tcp/3306 IPv4"]);
});

describe("day-2 stability", () => {
  test("controller rules keep their description when another role joins their source network", () => {
    // GIVEN the base design, then the same with two network nodes on the same networks
    const before = load(variant(() => undefined)).model;
    const after = load(
      variant((s) => {
        s.controlPlane.networkNodes = 2;
        s.controlPlane.networkNodeHardware = "ctrl";
      }),
    ).model;
    const rules = (m: typeof before) =>
      new Map(
        m.securityGroups[0].rules.map((r) => [
          [r.protocol, r.portMin, r.portMax, r.remoteIpPrefix, r.remoteGroup].join("|"),
          r.description,
        ]),
      );
    // THEN every rule both have reads the same (Neutron replaces a rule whose description changes)
    const [a, b] = [rules(before), rules(after)];
    const shared = [...a.keys()].filter((k) => b.has(k));
    expect(shared.length).toBeGreaterThan(10);
    for (const k of shared) expect([k, b.get(k)]).toEqual([k, a.get(k)]);
    expect(a.get("tcp|5000|5000|10.0.1.0/24|")).toBe("keystone from network api");
  });
});

test("Gnocchi's replicated pool under erasure coding costs copies in its own device class alone", () => {
  // GIVEN 4+2 over six hosts of HDD and SSD OSDs, volumes on SSD, images and metrics on HDD
  const classes = (metrics: boolean) =>
    load(
      twoClassCeph(
        {
          nodes: 6,
          protection: { erasureCoded: { k: 4, m: 2 } },
          pools: [
            { name: "volumes", application: "volumes", dataShare: 1, deviceClass: "ssd" },
            { name: "images", application: "images", dataShare: metrics ? 0.7 : 1 },
            ...(metrics ? [{ name: "gnocchi", application: "metrics", dataShare: 0.3 }] : []),
          ],
        },
        [{ name: "rbd", kind: "ceph", volumeType: "fast", deviceClass: "ssd" }],
      ),
    ).model.storage.ceph!.deviceClasses.map((c) => [c.deviceClass, c.usableTB]);
  // THEN the SSD class keeps 4/6 of its 46.08 TB either way, and the HDD class's 192 TB holds
  // 0.7 at 6/4 and 0.3 at three copies: 192 / (0.7 x 1.5 + 0.3 x 3) = 98.46 TB
  expect(classes(false)).toEqual([
    ["hdd", 128],
    ["ssd", 30.72],
  ]);
  expect(classes(true)).toEqual([
    ["hdd", 98.46],
    ["ssd", 30.72],
  ]);
});

test("reordering a zone's racks moves no host", () => {
  const racksOf = (racks: string[]) =>
    load(variant((s) => (s.zones[0].racks = racks))).model.nodes.map((n) => [n.name, n.rack]);
  expect(racksOf(["r3", "r1", "r2"])).toEqual(racksOf(["r1", "r2", "r3"]));
});

describe("the fullest OSD host's share of a pool's PGs", () => {
  test("even failure domains share every PG's copies alike", () => {
    // 6 hosts, 3 copies: each host keeps a copy of half the PGs
    expect(fullestHostShare([1, 1, 1, 1, 1, 1], 3)).toBeCloseTo(0.5);
    expect(fullestHostShare([2, 2, 2], 3)).toBeCloseTo(0.5);
  });

  test("a rack of one host among three keeps a copy of every PG", () => {
    // (CRUSH puts each copy in another rack: racks of 3, 1 and 1 hosts hold one copy each)
    expect(fullestHostShare([3, 1, 1], 3)).toBe(1);
  });

  test("a large rack takes one copy of every PG, the rest spread by hosts", () => {
    // racks of 6, 2, 2, 2 hosts and 3 copies: the large rack is full at one copy per PG, the
    // other two copies go over 6 hosts
    expect(fullestHostShare([6, 2, 2, 2], 3)).toBeCloseTo(2 / 6);
  });
});

describe("PG copies on the fullest OSD", () => {
  const ceph = (nodes: number, osdsPerNode: number, size: number) =>
    ({
      nodes,
      hardware: "stor",
      osdsPerNode,
      osdSizeTB: 4,
      deviceClass: "hdd",
      protection: { replicated: size },
      nearfullRatio: 0.85,
    }) as unknown as Parameters<typeof cephModel>[0];
  const pools = [{ name: "volumes", application: "volumes" as const, dataShare: 1 }];

  test("are not given where even domains of three OSDs or more hold the monitors' figure", () => {
    // GIVEN three single-host racks of two OSDs each, three copies
    const m = cephModel(
      ceph(3, 2, 3),
      pools,
      ["s1", "s2", "s3"],
      ["r1", "r2", "r3"],
      [],
      false,
      new Map(),
      [],
    );
    // THEN every OSD keeps the monitors' figure: none beside it
    expect(m.deviceClasses[0].pgsOnFullestOsd).toBeUndefined();
  });

  test("are given for a class of fewer than three OSDs, which the monitors count as three", () => {
    // GIVEN two single-host racks of one OSD each, two copies
    const m = cephModel(ceph(2, 1, 2), pools, ["s1", "s2"], ["r1", "r2"], [], false, new Map(), []);
    const [c] = m.deviceClasses;
    const pgs = m.pools[0].pgNum;
    // THEN each OSD holds a copy of every PG (and .mgr's, two copies), above the monitors' count
    expect(c.pgsOnFullestOsd).toBe(pgs + 1);
    expect(c.pgsPerOsd).toBe(Math.ceil((pgs * 2 + 2) / 3));
  });

  test("are given for the hosts of a rack smaller than its share", () => {
    // GIVEN four hosts in racks of 2, 1 and 1, three copies
    const m = cephModel(
      ceph(4, 2, 3),
      pools,
      ["s1", "s2", "s3", "s4"],
      ["r1", "r2", "r3", "r1"],
      [],
      false,
      new Map(),
      [],
    );
    const [c] = m.deviceClasses;
    const pgs = m.pools[0].pgNum;
    // THEN the single-host racks' OSDs keep a copy of every PG between their two OSDs
    expect(c.pgsOnFullestOsd).toBe(Math.ceil(pgs / 2 + (1 * 3) / 8));
    expect(c.pgsPerOsd).toBe(Math.ceil((pgs * 3 + 1 * 3) / 8));
  });
});

describe("the tenant network line of the document", () => {
  const network = (type: string, locale?: string) =>
    variant((s) => {
      s.network.tenantNetworkType = type;
      if (locale) s.metadata = { ...s.metadata, language: locale };
    });
  const line = (type: string, locale?: string) => {
    const model = load(network(type, locale)).model;
    const labels = readCatalog(templateDirs(), model.metadata.language);
    const view = {
      ...documentViewModel(model, terraformInventory([]), [], diagrams(model, labels)),
      findings: [],
    };
    const doc = renderMarkdown("architecture", view, model.metadata.language);
    return doc.split("\n").find((l) => l.startsWith(locale ? "租户网络" : "Tenant networks"));
  };

  test("names GRE's tunnel keys as such, VXLAN's VNIs as VNIs, in the document's language", () => {
    // (Neutron: [ml2_type_gre] tunnel_id_ranges, [ml2_type_vxlan] vni_ranges)
    expect(line("gre")).toMatch(/, GRE key 1000-65535\.$/);
    expect(line("vxlan")).toMatch(/, VNI 1000-65535\.$/);
    expect(line("gre", "zh-CN")).toContain("GRE 密钥 1000-65535");
    expect(line("gre", "zh-CN")).not.toContain("GRE key");
  });

  test("GRE keys take 32 bits: a range past VXLAN's 24 loads for GRE", () => {
    // (neutron_lib MAX_GRE_ID 2**32-1, MAX_VXLAN_VNI 2**24-1)
    const gre = load(
      variant((s) => {
        s.network.tenantNetworkType = "gre";
        s.network.vniRange = { min: 1, max: 4_294_967_295 };
      }),
    );
    expect(gre.model.network.vniRange).toEqual({ min: 1, max: 4_294_967_295 });
    // (warned: neutron-server writes a row per ID at start, building them all in memory)
    expect(gre.warnings.map((w) => w.code)).toContain("vni-range-large");
  });

  test("the tenant range holds the networks the stacks make, and warns below what quotas allow", () => {
    // GIVEN three tenants with a network each, five segment IDs, three network hosts (the
    // controllers) and Open vSwitch: each project's HA routers take one more (Neutron's
    // l3_hamode_db makes a network per project from the tenant range)
    const design = (edit: (s: any) => void) =>
      variant((s) => {
        s.network.vniRange = { min: 1000, max: 1004 };
        s.tenants = ["a", "b", "c"].map((name, i) => ({
          name,
          network: { cidr: `192.168.${i}.0/24` },
        }));
        edit(s);
      });
    const [small] = issuesOf(design(() => {}));
    expect(small).toMatchObject({
      code: "segment-range-small",
      path: ["network", "vniRange"],
      message: expect.stringContaining(
        "holds 5 segment IDs, and the design's stacks take 6: 3 tenant networks and 3 HA router networks",
      ),
    });
    // WHEN OVN routes (no HA networks): the stacks fit, the quotas' 15 networks do not
    const ovn = load(design((s) => (s.network.tenantNetworkType = "geneve")));
    expect(ovn.warnings.find((w) => w.code === "segment-range-quota")?.message).toContain(
      "let their projects make 15 networks (quota.networks), 15 in all",
    );
    // AND quotas within the range warn nothing
    const fits = load(
      design((s) => {
        s.network.tenantNetworkType = "geneve";
        for (const t of s.tenants) t.quota = { networks: 1 };
      }),
    );
    expect(fits.warnings.map((w) => w.code)).not.toContain("segment-range-quota");
  });
});

test("instance root disks Nova keeps in Ceph count in the block headroom, at each tenant's largest bootable root disk", async () => {
  // GIVEN Ceph keeping volumes and instance disks (12,665 GiB before nearfull), flavors of 40
  // and 0 GiB root disks (web-small public, app-medium listed by no one: public too)
  const design = (instances: number) =>
    load(
      variant((s) => {
        s.storage = {
          ceph: { nodes: 3, hardware: "stor", osdsPerNode: 4, osdSizeTB: 4 },
          ephemeral: "ceph",
          backends: [{ name: "rbd", kind: "ceph", volumeType: "standard" }],
        };
        s.zones[0].pools[0].flavors[0].diskGiB = 40;
        s.tenants = [{ name: "t", quota: { instances, volumeGiB: 1000, backupGiB: 0 } }];
      }),
    );
  // THEN 100 instances may take 4,000 GiB of root disks, beside the 1,000 GiB of volumes
  const { model } = design(100);
  expect(model.headroom.blockStorage).toMatchObject({
    usableGiB: 12665,
    quotaGiB: 1000,
    instanceDiskGiB: 4000,
  });
  expect(model.headroom.blockStorage?.headroom).toBeCloseTo((12665 - 5000) / 12665, 6);
  const { markdown } = await renderArchitecture(model);
  expect(markdown).toContain(
    "Instance root disks Nova keeps there (storage.ephemeral: ceph) may take 4,000 GiB, each tenant's instance quota times the largest root disk of the flavors it may boot: the headroom counts them.",
  );
  // AND 300 instances (12,000 GiB) pass Ceph's capacity with the volumes: warned, saying why
  expect(
    design(300).warnings.find((w) => w.code === "volume-quota-exceeds-ceph")?.message,
  ).toContain(
    "tenant volume quotas that can reach Ceph add up to 1000 GiB, and instance root disks Nova keeps there 12000 GiB more (each tenant's instance quota times the largest root disk of the flavors it may boot), but Ceph holds 12665 GiB",
  );
});

test("a pinned pool's usable CPUs are what its flavors place, NUMA node by NUMA node", () => {
  // GIVEN enterprise-reference's db pool: 4 compute-2s hosts (1 spare) of 46 and 48 dedicated
  // CPUs a socket, pinned flavors of 16 vCPUs: 2 and 3 guests a socket, 80 CPUs a host
  const text = fs.readFileSync(path.join(ROOT, "examples/enterprise-reference.yaml"), "utf8");
  const pool = (flavors: string) =>
    loadSpecText(
      text.replace(
        "          - { name: db-pinned-16, vcpus: 16, ramGiB: 96, diskGiB: 100, dedicated: true }",
        flavors,
      ),
      "spec.yaml",
    ).model.pools.find((p) => p.capacity.dedicatedCpus > 0)!.capacity;
  const sixteen =
    "          - { name: db-pinned-16, vcpus: 16, ramGiB: 96, diskGiB: 100, dedicated: true }";
  // THEN Placement offers 94 a host, the guests take 80: 3 usable hosts, 240
  expect(pool(sixteen)).toMatchObject({ dedicatedCpus: 4 * 94, usableDedicatedCpus: 3 * 80 });
  // AND a 14-vCPU flavor beside it fills the 46 of the first socket (16 + 16 + 14): all 94
  const both = `${sixteen}\n          - { name: db-pinned-14, vcpus: 14, ramGiB: 64, diskGiB: 100, dedicated: true }`;
  expect(pool(both)).toMatchObject({ usableDedicatedCpus: 3 * 94, quotableCpus: 3 * 94 });
  // AND Core Banking's 250 cores on the db pool pass what the guests take: refused, saying why
  let message = "";
  try {
    loadSpecText(
      text.replace("quota: { instances: 20, cores: 160,", "quota: { instances: 20, cores: 250,"),
      "spec.yaml",
    );
  } catch (err) {
    message = (err as UserError).issues.find((i) => i.code === "quota-exceeds-capacity")!.message;
  }
  expect(message).toContain(
    "but it offers 240 dedicated CPUs after allocation ratios and N+1 headroom: its flavors' pinned guests take 240 of the 282 dedicated CPUs of its usable hosts, each guest's CPUs and memory on whole NUMA nodes (sockets)",
  );
  // AND their memory is what those guests take: 5 of 96 GiB a host, not the hosts' 744.64 GiB
  expect(pool(sixteen)).toMatchObject({ usableRamGiB: 3 * 480, quotableRamGiB: 3 * 480 });
  // AND with a mix, the memory its guests fit of each socket: one of 200 GiB and 15 of 2 GiB
  // (46 of 47 CPUs, 230 GiB), 462 GiB a host, not 80 CPUs times 200 / 16 GiB
  const mixed = loadSpecText(
    text
      .replace(
        sixteen,
        "          - { name: db-pinned-16, vcpus: 16, ramGiB: 200, diskGiB: 100, dedicated: true }\n          - { name: db-y, vcpus: 2, ramGiB: 2, diskGiB: 100, dedicated: true }",
      )
      .replace(
        /quota: \{ instances: 20, cores: 160,[^}]*\}/,
        "quota: { instances: 20, cores: 16, ramGiB: 64 }",
      ),
    "spec.yaml",
  ).model.pools.find((p) => p.cpuPinning)!.capacity;
  expect(mixed.usableRamGiB).toBe(3 * 462);
  // AND a RAM ratio there, which Nova never applies to pinned guests, adds none of it
  const overcommitted = loadSpecText(
    text.replace("cpuPinning: true", "cpuPinning: true\n        ramAllocationRatio: 1.5"),
    "spec.yaml",
  ).model;
  const db = overcommitted.pools.find((p) => p.cpuPinning)!;
  expect(db.capacity.usableRamGiB).toBe(3 * 480);
  expect(runChecks(overcommitted, []).filter((f) => f.ruleId === "SW-CAP-002")).toContainEqual(
    expect.objectContaining({
      target: "zones.zone-b.pools.db.ramAllocationRatio",
      message:
        "pool zone-b-db sets RAM ratio 1.5x on pinned hosts, where Nova overcommits no guest's memory (each guest's NUMA nodes must hold it): Placement offers memory no guest can take",
    }),
  );
});

test("pinned guests are placed as Nova fits them: spanning and single-node guests together, each node's whole memory", () => {
  const host = (coresPerSocket: number, threadsPerCore: number, memoryGiB: number) =>
    hardwareModel({
      name: "h",
      sockets: 2,
      coresPerSocket,
      threadsPerCore,
      memoryGiB,
      disks: [],
      nics: [],
      accelerators: [],
    } as any);
  const flavor = (vcpus: number, ramGiB: number) => ({ vcpus, ramGiB });
  // GIVEN 2 x 32 cores, 1 reserved (31 and 32 dedicated): a 40-vCPU guest spans both nodes
  // (20 a node), two 11-vCPU guests fill what it leaves (11 and 12): 62, as Nova places them
  expect(placeablePinnedCpus([flavor(40, 64), flavor(11, 16)], 1, 0, host(32, 1, 1024))).toBe(62);
  // AND memory checked against each node's whole 512 GiB, the 128 reserved against the host's:
  // seven 8-vCPU guests of 120 GiB (896 of 896 GiB), 56 CPUs
  expect(placeablePinnedCpus([flavor(8, 120)], 1, 128, host(32, 1, 1024))).toBe(56);
});
