// The promise "a design that validates always synthesizes", as a property: random specs that
// load (what `validate` checks) go through every renderer in-process without an internal error.
import * as fc from "fast-check";
import * as fs from "fs";
import * as path from "path";
import { parse, stringify } from "yaml";
import { BLUEPRINTS, findBlueprint } from "../../blueprints/catalog";
import { chronyConfigs, keystoneDomainConfigs, swiftRingPlan } from "../../artifacts";
import { deployFiles } from "../../deployer";
import { UserError } from "../../core/errors";
import { documentViewModel, terraformInventory } from "../../documents/view-model";
import { readCatalog, renderMarkdown, templateDirs } from "../../documents/render";
import { diagrams } from "../../documents/diagrams";
import { loadSpecText } from "../../model/load";
import { runChecks } from "../../policy";
import { costDesign } from "../../proposal/costing";
import { priceBookSchema } from "../../proposal/price-book";
import { synthesizeTerraform } from "../../synth/app";
import { ROOT } from "../support/blueprints";
import { CORE_SERVICES, baseSpec } from "../support/fixtures";

/** The standard price book, with a price for each hardware profile of the design. */
const bookInput = parse(
  fs.readFileSync(path.join(ROOT, "examples/price-books/standard.yaml"), "utf8"),
);
const bookFor = (profiles: readonly string[]) =>
  priceBookSchema.parse({
    ...bookInput,
    hardware: profiles.map((profile) => ({ profile, unitPrice: 10000 })),
  });

const ldapUrl = fc.constantFrom(
  "ldap://dc.example.com",
  "ldaps://dc.example.com",
  "ldap://gc.example.com:3268",
  "ldaps://[2001:db8::5]:3269",
);
const tenantName = fc.constantFrom("Retail Banking", "ops", "租户", "Web Shop", "a-b");

/** A design bent along the axes the renderers branch on; most samples are valid. */
const design = fc.record({
  blueprint: fc.constantFrom(...BLUEPRINTS.map((b) => b.name)),
  controllers: fc.constantFrom(1, 3, 5),
  networkNodes: fc.constantFrom(0, 1, 2),
  octavia: fc.boolean(),
  pinning: fc.boolean(),
  spareHosts: fc.constantFrom(0, 1),
  webHosts: fc.integer({ min: 1, max: 8 }),
  ceph: fc.boolean(),
  swift: fc.boolean(),
  firewall: fc.boolean(),
  /** Which optional networks the design leaves out. */
  without: fc.subarray(["internal-api", "tunnel", "storage"]),
  tenantType: fc.constantFrom("vxlan", "geneve", "vlan"),
  singleStack: fc.boolean(),
  ntpClients: fc.constantFrom("servers", "controllers"),
  ntpServers: fc.constantFrom(1, 2, 3),
  domains: fc.array(fc.record({ ldap: fc.option(ldapUrl), tls: fc.boolean() }), { maxLength: 2 }),
  tenants: fc.uniqueArray(
    fc.record({
      name: tenantName,
      explicitId: fc.boolean(),
      network: fc.boolean(),
      group: fc.boolean(),
    }),
    { maxLength: 3, selector: (t) => t.name },
  ),
  mappings: fc.array(
    fc.record({
      key: fc.constantFrom("name", "id", "derived", "none"),
      tenant: fc.nat(2),
      role: fc.constantFrom("member", "reader"),
    }),
    { maxLength: 3 },
  ),
});

type Design = typeof design extends fc.Arbitrary<infer T> ? T : never;

function specOf(d: Design): any {
  const s: any = structuredClone(baseSpec());
  s.blueprint = d.blueprint;
  s.controlPlane.controllers = d.controllers;
  s.controlPlane.networkNodes = d.networkNodes;
  const services = [...CORE_SERVICES, "cinder", "horizon"];
  if (d.octavia) services.push("octavia");
  if (d.swift) services.push("swift");
  // The firewall is a Neutron extension the cloud must run (service gating).
  if (d.firewall) services.push("fwaas");
  s.controlPlane.services = services;
  const web = s.zones[0].pools[0];
  web.hosts = d.webHosts;
  web.spareHosts = Math.min(d.spareHosts, d.webHosts - 1);
  web.cpuPinning = d.pinning;
  web.flavors = [{ name: "m1", vcpus: 2, ramGiB: 4, dedicated: d.pinning }];
  s.network.networks = s.network.networks.filter((n: any) => !d.without.includes(n.role));
  // Octavia's amphorae need their management VLAN (octavia-network-missing).
  if (d.octavia)
    s.network.networks.push({ name: "lb-mgmt", role: "octavia", cidr: "10.0.8.0/24", vlan: 30 });
  s.network.tenantNetworkType = d.tenantType;
  if (d.tenantType === "vlan") s.network.tenantVlanRange = { min: 1000, max: 1999 };
  s.ntp = {
    servers: ["10.9.0.123", "10.9.1.123", "10.9.2.123"].slice(0, d.ntpServers),
    clients: d.ntpClients,
  };
  s.securityZones.firewall = d.firewall;
  s.output = { tenantStacks: d.singleStack ? "single" : "per-tenant" };
  s.storage = { backends: [{ name: "standard", kind: "lvm", volumeType: "standard" }] };
  if (d.ceph) s.storage.ceph = { nodes: 3, hardware: "stor", osdsPerNode: 4, osdSizeTB: 4 };
  // Glance keeps images in Ceph when there is Ceph, else in Swift, whose images container then
  // names Glance's containers.
  const imagesInSwift = d.swift && !d.ceph;
  if (d.swift)
    s.storage.swift = {
      proxies: 2,
      proxyHardware: "ctrl",
      storageNodes: 3,
      storageHardware: "stor",
      disksPerNode: 4,
      diskSizeTB: 4,
      zones: 3,
      containers: imagesInSwift ? [{ name: "images", purpose: "images" }] : [],
    };
  s.identity = {
    domains: d.domains.map((x, i) => ({
      name: `dir${i}`,
      ...(x.ldap
        ? {
            ldap: {
              url: x.ldap,
              tls: x.tls,
              userTreeDn: "OU=Users,DC=example,DC=com",
              groupTreeDn: "OU=Groups,DC=example,DC=com",
            },
          }
        : {}),
    })),
    groupRoleMappings: [],
  };
  s.tenants = d.tenants.map((t, i) => ({
    name: t.name,
    ...(t.explicitId ? { id: `t${i}` } : {}),
    quota: { cores: 8, ramGiB: 16 },
    ...(t.network ? { network: { cidr: `10.${50 + i}.0.0/24` } } : {}),
    ...(t.group ? { groups: [{ name: "ops", role: "member" }] } : {}),
  }));
  for (const m of d.mappings) {
    const t = s.tenants[m.tenant];
    const mapping: any = { domain: "default", group: "ops", role: m.role };
    if (m.key !== "none" && t)
      mapping.tenant =
        m.key === "name" ? t.name : m.key === "id" ? (t.id ?? t.name) : t.name.toLowerCase();
    s.identity.groupRoleMappings.push(mapping);
  }
  return s;
}

describe("validate exit 0 implies synth exit 0", () => {
  test("every renderer accepts every spec that loads", async () => {
    const samples = fc.sample(design, { seed: 20261202, numRuns: 60 });
    let valid = 0;
    for (const d of samples) {
      let loaded;
      try {
        loaded = loadSpecText(stringify(specOf(d)), "property.yaml");
      } catch (err) {
        // Rejected designs must be rejected as user errors, never as crashes.
        expect(err).toBeInstanceOf(UserError);
        continue;
      }
      valid++;
      const model = loaded.model;
      const blueprint = findBlueprint(model.blueprint);
      expect(blueprint).toBeDefined();
      // WHEN everything synth writes is produced THEN nothing throws
      const stacks = await synthesizeTerraform(blueprint!, model, "json");
      runChecks(model, stacks);
      keystoneDomainConfigs(model);
      chronyConfigs(model);
      swiftRingPlan(model);
      deployFiles(model);
      const labels = readCatalog(templateDirs(), model.metadata.language);
      const view = {
        ...documentViewModel(
          model,
          terraformInventory(stacks),
          blueprint!.designPoints,
          diagrams(model, labels),
        ),
        findings: [],
      };
      expect(renderMarkdown("architecture", view, model.metadata.language)).toContain("#");
      costDesign(model, bookFor(model.hardware.map((h) => h.name)));
    }
    // The property is not vacuous: a good share of the samples are valid designs.
    expect(valid).toBeGreaterThanOrEqual(20);
  });
});
