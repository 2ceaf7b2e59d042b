import * as fs from "fs";
import * as path from "path";
import { enterpriseReference } from "../../blueprints/enterprise-reference";
import { cli, tmp } from "../support/cli";
import { renderArchitecture } from "../support/documents";
import { issuesOf, load, pathOf, variant } from "../support/fixtures";
import { synthesized } from "../support/synth-cache";

describe("what a tenant's instances may open through its router's firewall", () => {
  // GIVEN a cardholder data environment that opens HTTPS to its acquirer and PostgreSQL to a
  // replica range, beside an intranet tenant that lets everything out
  const design = (edit: (cde: any) => void = () => {}) =>
    variant((s: any) => {
      s.securityZones.firewall = true;
      const cde: any = {
        name: "cde",
        network: { cidr: "10.40.1.0/24" },
        egress: [
          { port: 443, destinations: ["203.0.113.0/24"] },
          { port: 5432, toPort: 5433, destinations: ["10.50.0.0/24"] },
        ],
      };
      edit(cde);
      s.tenants = [cde, { name: "intranet", network: { cidr: "10.40.2.0/24" } }];
    });

  test("a restricted tenant's router holds an egress policy of its own: DNS, then what it lists", async () => {
    const model = load(design()).model;
    const policy = model.securityZones.firewall!.tenantPolicies.find((p) => p.tenant === "cde")!;
    // THEN its rules are DNS to the subnet's server (UDP and TCP), then each port and destination
    expect(
      policy.egress!.map((r) => [
        r.protocol,
        r.destinationIpAddress,
        r.destinationPort,
        r.destinationPortMax,
      ]),
    ).toEqual([
      ["udp", "10.9.0.53/32", 53, undefined],
      ["tcp", "10.9.0.53/32", 53, undefined],
      ["tcp", "203.0.113.0/24", 443, undefined],
      ["tcp", "10.50.0.0/24", 5432, 5433],
    ]);
    // AND the other tenant keeps the platform's shared policy, which lets everything out
    expect(
      model.securityZones.firewall!.tenantPolicies.find((p) => p.tenant === "intranet")!.egress,
    ).toBeUndefined();
    const stacks = await synthesized(enterpriseReference, model, "json");
    const tenant = JSON.parse(stacks.find((s) => s.name === "tenant-cde")!.content).resource;
    const egress = Object.values(tenant.openstack_fw_policy_v2 as Record<string, any>).find((p) =>
      p.name.endsWith("egress"),
    );
    expect(egress.rules).toHaveLength(4);
    const [group] = Object.values(tenant.openstack_fw_group_v2 as Record<string, any>);
    expect(group.egress_firewall_policy_id).toMatch(
      /^\$\{openstack_fw_policy_v2\.cde_firewall_egress\.id\}$/,
    );
    const rules = Object.values(tenant.openstack_fw_rule_v2 as Record<string, any>).filter(
      (r) => r.destination_ip_address === "10.50.0.0/24",
    );
    expect(rules.map((r) => [r.protocol, r.destination_port, r.ip_version])).toEqual([
      ["tcp", "5432:5433", 4],
    ]);
    const intranet = JSON.parse(stacks.find((s) => s.name === "tenant-intranet")!.content).resource;
    const [shared] = Object.values(intranet.openstack_fw_group_v2 as Record<string, any>);
    expect(shared.egress_firewall_policy_id).toContain("terraform_remote_state.platform");
    // AND the document's egress table names the destinations and whose they are
    const { markdown } = await renderArchitecture(model);
    expect(markdown).toContain(
      "| tcp | IPv4 | 203.0.113.0/24 | 443 | cde | TCP 443 to 203.0.113.0/24, opened by the tenant |",
    );
    expect(markdown).toContain("| any | IPv4 | * | * | intranet |");
  });

  test("a tenant that lets nothing out, not even DNS, is named under the egress table", async () => {
    // GIVEN a restricted tenant listing nothing, on a subnet without DNS servers
    const model = load(
      design((t) => {
        t.name = "cde & co";
        t.egress = [];
        t.network.dnsServers = [];
      }),
    ).model;
    expect(model.securityZones.firewall!.tenantPolicies[0].egress).toEqual([]);
    // THEN the document says its router lets nothing out
    const { markdown } = await renderArchitecture(model);
    expect(markdown).toContain(
      "Tenant routers that let nothing out (the tenant's egress lists nothing, and its subnet has no DNS server of its IP version): cde-co.",
    );
    // AND with DNS servers its router lets DNS out, as the table says
    const dns = await renderArchitecture(load(design((t) => (t.egress = []))).model);
    expect(dns.markdown).not.toContain("let nothing out (");
    expect(dns.markdown).toContain("| udp | IPv4 | 10.9.0.53/32 | 53 | cde |");
  });

  test("mistakes are refused or warned where they are written", () => {
    const found = (edit: (cde: any) => void) =>
      issuesOf(design(edit)).map((i) => [i.code, pathOf(i)]);
    expect(
      found((t) => t.egress.push({ port: 443, destinations: ["203.0.113.9/24"] })),
    ).toContainEqual(["duplicate-cidr", "tenants[0].egress[2].destinations[0]"]);
    expect(found((t) => (t.egress[1].toPort = 5000))).toEqual([
      ["port-range", "tenants[0].egress[1].toPort"],
    ]);
    // (past neutron-fwaas's rule quota by the destinations: said there, DNS counted once)
    expect(
      found((t) =>
        t.egress.push({
          port: 22,
          destinations: Array.from({ length: 93 }, (_, i) => `10.60.${i}.0/24`),
        }),
      ),
    ).toEqual([["firewall-rules-quota", "tenants[0].egress"]]);
    // (a listed DNS rule is the model's own DNS rule: at exactly the quota, it loads)
    const atQuota = load(
      design((t) =>
        t.egress.push(
          { port: 53, protocol: "udp", destinations: ["10.9.0.53/32"] },
          { port: 22, destinations: Array.from({ length: 92 }, (_, i) => `10.60.${i}.0/24`) },
        ),
      ),
    ).model.securityZones.firewall!.tenantPolicies[0];
    expect(atQuota.egress).toHaveLength(96);
    const warned = (edit: (s: any) => void) =>
      load(
        variant((s: any) => {
          s.tenants = [
            {
              name: "cde",
              network: { cidr: "10.40.1.0/24" },
              egress: [{ port: 443, destinations: ["2001:db8::/48"] }],
            },
          ];
          edit(s);
        }),
      ).warnings.map((w) => [w.code, pathOf(w)]);
    // (a destination with host bits opens its block)
    expect(
      load(design((t) => (t.egress[0].destinations = ["203.0.113.9/24"]))).warnings.map((w) => [
        w.code,
        pathOf(w),
      ]),
    ).toContainEqual(["source-host-bits", "tenants[0].egress[0].destinations[0]"]);
    // (a rule inside another of its list adds nothing but takes a rule of the quota: warned at it)
    const covering = load(
      design((t) => {
        t.egress.push({ port: 443, destinations: ["203.0.113.128/25", "198.51.100.0/24"] });
        t.ingress = [
          { port: 8000, toPort: 9000, sources: ["10.0.0.0/8"] },
          { port: 8443, sources: ["10.1.0.0/16"] },
          { port: 8443, protocol: "udp", sources: ["10.1.0.0/16"] },
        ];
      }),
    ).warnings.filter((w) => w.code === "firewall-rule-covered");
    expect(covering.map((w) => [pathOf(w), w.message])).toEqual([
      [
        "tenants[0].ingress[1].sources[0]",
        'TCP 8443 from "10.1.0.0/16" is inside TCP 8000-9000 from "10.0.0.0/8" at tenants[0].ingress[0].sources[0]: it adds nothing to tenant cde\'s router firewall, yet takes one of its project\'s firewall rules; remove it',
      ],
      [
        "tenants[0].egress[2].destinations[0]",
        'TCP 443 to "203.0.113.128/25" is inside TCP 443 to "203.0.113.0/24" at tenants[0].egress[0].destinations[0]: it adds nothing to tenant cde\'s router firewall, yet takes one of its project\'s firewall rules; remove it',
      ],
    ]);
    // (no firewall: nothing holds the rules; an IPv6 destination of an IPv4 network)
    expect(warned(() => {})).toContainEqual(["tenant-egress-unused", "tenants[0].egress"]);
    expect(warned((s) => (s.securityZones.firewall = true))).toContainEqual([
      "tenant-egress-ip-version",
      "tenants[0].egress[0].destinations[0]",
    ]);
  });

  test.each([
    ["without egress", design((t) => delete t.egress)],
    // (its egress listed before the firewall joined restricted nothing)
    [
      "before the firewall joined",
      (() => {
        const s = design() as any;
        s.securityZones.firewall = false;
        return s;
      })(),
    ],
  ])(
    "a running tenant that starts restricting is told its connections stop (%s)",
    async (_, before) => {
      const dir = tmp();
      const out = path.join(dir, "out");
      const file = path.join(dir, "spec.json");
      fs.writeFileSync(file, JSON.stringify(before));
      expect((await cli(["synth", file, "--out", out, "-q"])).code).toBe(0);
      fs.writeFileSync(file, JSON.stringify(design()));
      const run = await cli(["synth", file, "--out", out, "-q"]);
      expect(run.code).toBe(0);
      expect(run.stderr).toContain(
        "from the next apply of terraform/tenant-cde, tenant cde's router lets its instances open only DNS to its subnet's DNS servers and what its egress lists",
      );
      expect(run.stderr).toContain(
        "open ones included (the L3 agent clears their connection tracking)",
      );
    },
  );
});
