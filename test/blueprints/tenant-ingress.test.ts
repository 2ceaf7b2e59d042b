import { enterpriseReference } from "../../blueprints/enterprise-reference";
import { renderArchitecture } from "../support/documents";
import { issuesOf, load, pathOf, variant } from "../support/fixtures";
import { synthesized } from "../support/synth-cache";

describe("services a tenant publishes through its router's firewall", () => {
  // GIVEN a portal tenant publishing HTTPS to the whole Internet (IPv4 and IPv6) and a UDP port
  // to a partner, behind the design's firewall
  const design = (firewall: boolean, network = true) =>
    variant((s: any) => {
      s.securityZones.firewall = firewall;
      s.tenants = [
        {
          name: "portal",
          ...(network ? { network: { cidr: "10.40.1.0/24" } } : {}),
          ingress: [
            { port: 443, sources: ["0.0.0.0/0", "::/0"] },
            { port: 1194, protocol: "udp", sources: ["203.0.113.7/24"] },
          ],
        },
        { name: "intranet", network: { cidr: "10.40.2.0/24" } },
      ];
    });

  test("each port and source is a rule of the tenant's own policy, in its stack", async () => {
    const model = load(design(true)).model;
    // THEN the model keeps each pair, the source as Neutron stores it
    expect(model.tenants.find((t) => t.name === "portal")?.ingress).toEqual([
      { protocol: "tcp", port: 443, cidr: "0.0.0.0/0" },
      { protocol: "tcp", port: 443, cidr: "::/0" },
      { protocol: "udp", port: 1194, cidr: "203.0.113.0/24" },
    ]);
    const stacks = await synthesized(enterpriseReference, model, "json");
    const tenant = JSON.parse(stacks.find((s) => s.name === "tenant-portal")!.content).resource;
    const rules = Object.entries(tenant.openstack_fw_rule_v2 as Record<string, any>)
      .filter(([address]) => address.includes("publish"))
      .map(([, r]) => [
        r.protocol,
        r.ip_version,
        r.source_ip_address,
        r.destination_port,
        r.action,
      ]);
    expect(rules.sort()).toEqual(
      [
        ["tcp", 4, "0.0.0.0/0", "443", "allow"],
        ["tcp", 6, "::/0", "443", "allow"],
        ["udp", 4, "203.0.113.0/24", "1194", "allow"],
      ].sort(),
    );
    // AND the tenant's ingress policy lists them after the platform's rules
    const [policy] = Object.values(tenant.openstack_fw_policy_v2 as Record<string, any>).filter(
      (p) => p.name.endsWith("ingress"),
    );
    expect(policy.rules).toHaveLength(
      model.securityZones.firewall!.tenantPolicies.find((p) => p.tenant === "portal")!.platformRules
        .length + 3,
    );
    expect(policy.description).toContain("the services it publishes");
    // AND the document's firewall matrix says whose they are
    const { markdown } = await renderArchitecture(model);
    expect(markdown).toContain(
      "| tcp | IPv4 | 0.0.0.0/0 | 443 | portal | TCP 443 from 0.0.0.0/0, published by the tenant |",
    );
  });

  test("a restricted tenant keeps the users' web ports out of its router's policy", async () => {
    // GIVEN the portal restricted (usersWeb: false) beside the intranet
    const model = load(
      variant((s: any) => {
        s.securityZones.firewall = true;
        s.securityZones.userCidrs = ["10.0.0.0/8"];
        s.tenants = [
          { name: "restricted", network: { cidr: "10.40.1.0/24" }, usersWeb: false },
          { name: "intranet", network: { cidr: "10.40.2.0/24" } },
        ];
      }),
    ).model;
    const policies = model.securityZones.firewall!.tenantPolicies;
    const rulesOf = (tenant: string) => policies.find((p) => p.tenant === tenant)!.platformRules;
    // THEN its policy holds no users' HTTP or HTTPS (nor admin SSH: it lists no SSH source);
    // the other's does
    expect(rulesOf("restricted")).toEqual([]);
    expect(rulesOf("intranet").filter((k) => k.startsWith("users-"))).toHaveLength(2);
    // AND its stack's policy lists the platform's rules it keeps, and those alone
    const stacks = await synthesized(enterpriseReference, model, "json");
    const tenant = JSON.parse(stacks.find((s) => s.name === "tenant-restricted")!.content);
    const [policy] = Object.values(tenant.resource.openstack_fw_policy_v2 as Record<string, any>);
    expect(policy.rules).toHaveLength(rulesOf("restricted").length);
    expect(JSON.stringify(policy.rules)).not.toContain("users");
    const intranet = JSON.parse(stacks.find((s) => s.name === "tenant-intranet")!.content);
    const [open] = Object.values(intranet.resource.openstack_fw_policy_v2 as Record<string, any>);
    expect(JSON.stringify(open.rules)).toContain("users");
  });

  test("without a firewall or a network, publishing changes nothing, and is said so", () => {
    const unused = (firewall: boolean, network: boolean) =>
      load(design(firewall, network))
        .warnings.filter((w) => w.code === "tenant-ingress-unused")
        .map((w) => [pathOf(w), w.message]);
    expect(unused(false, true)).toEqual([
      [
        "tenants[0].ingress",
        "tenant portal publishes services through its router's firewall, but the design has no firewall (securityZones.firewall): its router filters nothing, and its instances' security groups alone decide; remove ingress, or set securityZones.firewall: true",
      ],
    ]);
    expect(unused(true, false)[0][1]).toContain("it has no network of its own");
    expect(unused(true, true)).toEqual([]);
    // AND so for keeping the users' web ports out
    const open = load(
      variant((s: any) => {
        s.tenants = [{ name: "restricted", network: { cidr: "10.40.1.0/24" }, usersWeb: false }];
      }),
    ).warnings.filter((w) => w.code === "tenant-users-web-unused");
    expect(open.map((w) => pathOf(w))).toEqual(["tenants[0].usersWeb"]);
    // (and where the design lets no users in at all)
    const none = load(
      variant((s: any) => {
        s.securityZones.firewall = true;
        s.securityZones.userCidrs = [];
        s.tenants = [{ name: "restricted", network: { cidr: "10.40.1.0/24" }, usersWeb: false }];
      }),
    ).warnings.filter((w) => w.code === "tenant-users-web-unused");
    expect(none.map((w) => w.message)).toEqual([
      expect.stringContaining("the design lets no users in (securityZones.userCidrs is empty)"),
    ]);
  });
});

test("a published remote shell or database port is held to the admin sources' breadth", () => {
  const tenant = (ingress: object[]) =>
    variant((s: any) => {
      s.securityZones.firewall = true;
      s.tenants = [{ name: "portal", network: { cidr: "10.40.1.0/24" }, ingress }];
    });
  // GIVEN SSH to the world and MySQL to an IPv6 /8
  expect(
    issuesOf(
      tenant([
        { port: 22, sources: ["0.0.0.0/0"] },
        { port: 3306, sources: ["2000::/8"] },
        { port: 443, sources: ["0.0.0.0/0"] },
      ]),
    ).map((i) => [i.code, pathOf(i), i.message]),
  ).toEqual([
    [
      "ingress-open",
      "tenants[0].ingress[0].sources[0]",
      "0.0.0.0/0 opens TCP port 22 to the whole internet, a port of remote shells, databases, message queues or storage back ends; publish it to the networks that need it",
    ],
    [
      "ingress-open",
      "tenants[0].ingress[1].sources[0]",
      "2000::/8 opens TCP port 3306 to a large part of the internet (broader than /16), a port of remote shells, databases, message queues or storage back ends; publish it to the networks that need it",
    ],
  ]);
  // AND a bastion network may have SSH; an IPv6 source on an IPv4 network is warned
  const { warnings } = load(tenant([{ port: 22, sources: ["198.51.100.0/24", "2001:db8::/48"] }]));
  expect(
    warnings.filter((w) => w.code === "tenant-ingress-ip-version").map((w) => pathOf(w)),
  ).toEqual(["tenants[0].ingress[0].sources[1]"]);
});

test("a port published twice from one block is refused where it repeats, as SSH sources are", () => {
  // GIVEN HTTPS from 198.51.100.0/24, again as 198.51.100.7/24 (Neutron keeps the block), and
  // again in a second entry; UDP 443 from the same block is another rule
  const spec = variant((s: any) => {
    s.securityZones.firewall = true;
    s.tenants = [
      {
        name: "portal",
        network: { cidr: "10.40.1.0/24" },
        ingress: [
          { port: 443, sources: ["198.51.100.0/24", "198.51.100.7/24"] },
          { port: 443, protocol: "udp", sources: ["198.51.100.0/24"] },
          { port: 443, sources: ["198.51.100.0/24"] },
        ],
      },
    ];
  });
  expect(issuesOf(spec).map((i) => [i.code, pathOf(i), i.message])).toEqual([
    [
      "duplicate-cidr",
      "tenants[0].ingress[0].sources[1]",
      'TCP 443 from "198.51.100.7/24" is already published at tenants[0].ingress[0].sources[0] from "198.51.100.0/24", the same block',
    ],
    [
      "duplicate-cidr",
      "tenants[0].ingress[2].sources[0]",
      'TCP 443 from "198.51.100.0/24" is already published at tenants[0].ingress[0].sources[0]',
    ],
  ]);
});
