import * as fs from "fs";
import * as path from "path";
import { stringify } from "yaml";
import { findBlueprint } from "../../blueprints/catalog";
import { formatPath } from "../../core/errors";
import { resourcesOf } from "../support/blueprints";
import { cli, tmp } from "../support/cli";
import { renderArchitecture } from "../support/documents";
import { issuesOf, load, variant } from "../support/fixtures";
import { synthesized } from "../support/synth-cache";

/** Tenant shop with a network, web reached from the users' proxies, app from web, db from app. */
const tiered = (edit: (t: any) => void = () => {}) =>
  variant((s) => {
    const shop: any = {
      name: "shop",
      network: { cidr: "172.30.0.0/24" },
      sshCidrs: ["10.99.0.0/24"],
      tiers: [
        { name: "web", ingress: [{ port: 443, sources: ["10.20.0.0/16"] }] },
        { name: "app", ingress: [{ port: 8080, fromTiers: ["web"] }] },
        { name: "db", ingress: [{ port: 5432, fromTiers: ["app", "db"] }] },
      ],
    };
    edit(shop);
    s.tenants = [shop];
  });

describe("application tiers (tenants[].tiers)", () => {
  test("each tier is a group admitting what its ingress names; the base group stops admitting all", async () => {
    const { model } = load(tiered());
    const stacks = await synthesized(findBlueprint(model.blueprint)!, model);
    const stack = JSON.parse(stacks.find((s) => s.name === "tenant-shop")!.content);
    const groups = Object.entries(stack.resource.openstack_networking_secgroup_v2).map(
      ([key, g]: [string, any]) => [key, g.name],
    );
    expect(groups.map(([, name]) => name).sort()).toEqual([
      "sw-shop-base",
      "sw-shop-tier-app",
      "sw-shop-tier-db",
      "sw-shop-tier-web",
    ]);
    const ref = (tier: string) =>
      `\${openstack_networking_secgroup_v2.${groups.find(([, n]) => n === `sw-shop-tier-${tier}`)![0]}.id}`;
    const rules = resourcesOf(stack, "openstack_networking_secgroup_rule_v2");
    const of = (tier: string) =>
      rules
        .filter((r) => r.security_group_id === ref(tier))
        .map((r) => [
          r.ethertype,
          r.protocol,
          r.port_range_min,
          r.remote_group_id ?? r.remote_ip_prefix,
        ]);
    // THEN db admits PostgreSQL from app and from itself, IPv4 and IPv6 as the base group's rule
    // inside it did (instances may share provider networks of either version)
    expect(
      of("db")
        .map((r) => r.join(" "))
        .sort(),
    ).toEqual(
      [
        ["IPv4", "tcp", 5432, ref("app")],
        ["IPv4", "tcp", 5432, ref("db")],
        ["IPv6", "tcp", 5432, ref("app")],
        ["IPv6", "tcp", 5432, ref("db")],
      ].map((r) => r.join(" ")),
    );
    expect(of("web")).toEqual([["IPv4", "tcp", 443, "10.20.0.0/16"]]);
    // AND the base group keeps SSH and ICMP from the admin sources, no remote-group rule
    const base = rules.filter((r) => !r.security_group_id.includes("tier"));
    expect(base.map((r) => r.remote_group_id)).toEqual([undefined, undefined]);
    // AND the stack outputs the groups' ids, which servers launch with
    expect(stack.output.shop_security_group_ids.value).toEqual({
      base: "${openstack_networking_secgroup_v2.shop_base_security_group.id}",
      tiers: { app: ref("app"), db: ref("db"), web: ref("web") },
    });
    // AND the tenant's quota check counts the groups and their rules
    expect(model.tenants[0].stackUsage).toMatchObject({
      securityGroups: 5,
      // default group 4, egress 2 x 4 groups, base SSH and ICMP 2, tier rules 1 + 2 + 4
      securityGroupRules: 21,
    });
  });

  test("tiers not yet enforced keep the base group open, and say so", () => {
    const warned = (edit: (t: any) => void) =>
      load(tiered(edit)).warnings.map((w) => [w.code, formatPath(w.path)]);
    const { model } = load(tiered((t) => (t.tiersEnforced = false)));
    // (two rules inside the base group, IPv4 and IPv6, beside SSH and ICMP from one source)
    expect(model.tenants[0].baseGroupOpen).toBe(true);
    expect(model.tenants[0].baseRules).toHaveLength(4);
    expect(warned((t) => (t.tiersEnforced = false))).toContainEqual([
      "tiers-not-enforced",
      "tenants[0].tiersEnforced",
    ]);
    expect(
      warned((t) => {
        delete t.tiers;
        t.tiersEnforced = false;
      }),
    ).toContainEqual(["tiers-enforced-unused", "tenants[0].tiersEnforced"]);
  });

  test("a tenant without tiers keeps its base group as it was", () => {
    const { model } = load(tiered((t) => delete t.tiers));
    expect(model.tenants[0].tiers).toBeUndefined();
    expect(model.tenants[0].baseRules).toHaveLength(4);
  });

  test("the document lists each tier's ingress", async () => {
    const { markdown } = await renderArchitecture(load(tiered()).model);
    expect(markdown).toContain(
      "### Tier db of tenant shop: sw-shop-tier-db, beside sw-shop-base\n\n| Protocol | Port | IP | Source |",
    );
    expect(markdown).toContain("and without the project's default group");
    expect(markdown).toContain("| tcp | 5432 | IPv4 | tier app |");
    expect(markdown).toContain("| tcp | 443 | IPv4 | 10.20.0.0/16 |");
  });

  test("mistakes are refused where they are written", () => {
    const found = (edit: (t: any) => void) =>
      issuesOf(tiered(edit)).map((i) => [i.code, formatPath(i.path)]);
    expect(found((t) => (t.tiers[1].ingress[0].fromTiers = ["front"]))).toEqual([
      ["unknown-reference", "tenants[0].tiers[1].ingress[0].fromTiers[0]"],
    ]);
    expect(found((t) => (t.tiers[1].ingress = [{ port: 8080 }]))).toEqual([
      ["tier-ingress-empty", "tenants[0].tiers[1].ingress[0]"],
    ]);
    expect(found((t) => (t.tiers[2].name = "web"))).toContainEqual([
      "duplicate-name",
      "tenants[0].tiers[2].name",
    ]);
    // (a database port open to the internet, as published ingress is held)
    expect(found((t) => (t.tiers[2].ingress[0].sources = ["0.0.0.0/0"]))).toEqual([
      ["ingress-open", "tenants[0].tiers[2].ingress[0].sources[0]"],
    ]);
  });

  test("a tier's name cannot make another's Terraform id, and IPv6 sources keep theirs apart", async () => {
    // GIVEN a tier named like another's rule, and two IPv6 sources Terraform names alike
    const { model } = load(
      tiered((t) => {
        t.tiers[0].ingress = [
          { port: 443, fromTiers: ["app"], sources: ["2001:db8::32/128", "2001:db8:32::/128"] },
        ];
        t.tiers.push({ name: "web-tcp-443-ipv4-tier-app", ingress: [] });
      }),
    );
    const stacks = await synthesized(findBlueprint(model.blueprint)!, model);
    const stack = JSON.parse(stacks.find((s) => s.name === "tenant-shop")!.content);
    expect(Object.keys(stack.resource.openstack_networking_secgroup_v2)).toHaveLength(5);
    const sources = resourcesOf(stack, "openstack_networking_secgroup_rule_v2").map(
      (r) => r.remote_ip_prefix,
    );
    expect(sources).toContain("2001:db8::32/128");
    expect(sources).toContain("2001:db8:32::/128");
    // (by a digest of each: neither takes a suffix another's name would shift on day 2)
    const keys = Object.keys(stack.resource.openstack_networking_secgroup_rule_v2);
    expect(keys.filter((k) => /v6_[0-9a-f]{8}$/.test(k))).toHaveLength(2);
    expect(keys.filter((k) => /_2$/.test(k))).toEqual([]);
  });

  test("another tenant's network as a source is warned: its traffic arrives through SNAT", () => {
    // GIVEN tenant prod's web tier taking HTTPS from a source, beside tenant dev's network
    const warned = (source: string) =>
      load(
        variant((s) => {
          s.tenants = [
            { name: "dev", network: { cidr: "172.30.0.0/24" } },
            {
              name: "prod",
              network: { cidr: "172.31.0.0/24" },
              tiers: [{ name: "web", ingress: [{ port: 443, sources: [source] }] }],
            },
          ];
        }),
      )
        .warnings.filter((w) => w.code === "tier-source-other-tenant")
        .map((w) => formatPath(w.path));
    // THEN dev's network is warned, and a wider network that holds it, the users' say, is not
    expect(warned("172.30.0.0/24")).toEqual(["tenants[1].tiers[0].ingress[0].sources[0]"]);
    expect(warned("172.16.0.0/12")).toEqual([]);
  });

  test("with router firewalls, a tier source outside the project is warned unless published", () => {
    const firewalled = (edit: (t: any) => void) =>
      load(
        variant((s) => {
          s.network.networks.push({
            name: "partner",
            role: "provider",
            cidr: "10.30.0.0/24",
            vlan: 40,
            physicalNetwork: "physnet-ext",
          });
          s.securityZones = { ...s.securityZones, firewall: true, userCidrs: ["10.20.0.0/16"] };
          s.tenants = [
            {
              name: "shop",
              network: { cidr: "172.30.0.0/24" },
              tiers: [{ name: "web", ingress: [{ port: 8443, sources: ["10.20.0.0/16"] }] }],
            },
          ];
          edit(s.tenants[0]);
        }),
      )
        .warnings.filter((w) => w.code === "tier-source-firewalled")
        .map((w) => [formatPath(w.path), w.message]);
    // GIVEN 8443 from the users' network, which the router lets in only on 80 and 443
    expect(firewalled(() => {})).toEqual([
      [
        "tenants[0].tiers[0].ingress[0].sources[0]",
        "tier web admits TCP 8443 from 10.20.0.0/16, which reaches the tenant's network through its router, whose firewall (securityZones.firewall) lets in only what the tenant publishes; publish it in tenants[0].ingress",
      ],
    ]);
    // THEN none once published, for the users' HTTPS, or from the project's own subnet
    expect(firewalled((t) => (t.ingress = [{ port: 8443, sources: ["10.20.0.0/16"] }]))).toEqual(
      [],
    );
    expect(firewalled((t) => (t.tiers[0].ingress[0].port = 443))).toEqual([]);
    // (the admin network's SSH passes only a router whose tenant names it among its sshCidrs)
    const adminSsh = (t: any) => (t.tiers[0].ingress[0] = { port: 22, sources: ["10.9.100.0/24"] });
    expect(firewalled(adminSsh)).toHaveLength(1);
    expect(
      firewalled((t) => {
        adminSsh(t);
        t.sshCidrs = ["10.9.100.0/24"];
      }),
    ).toEqual([]);
    expect(firewalled((t) => (t.tiers[0].ingress[0].sources = ["172.30.0.0/24"]))).toEqual([]);
    // (nor from a provider network of the project's, which reaches its ports without the router)
    expect(
      firewalled((t) => {
        t.providerNetworks = ["partner"];
        t.tiers[0].ingress[0].sources = ["10.30.0.0/24"];
      }),
    ).toEqual([]);
  });

  test("a service a tiered tenant publishes that no tier admits is warned", () => {
    const warned = (tierSource: string) =>
      load(
        tiered((t) => {
          t.ingress = [{ port: 443, sources: ["10.20.0.0/16"] }];
          t.tiers[0].ingress[0].sources = [tierSource];
        }),
      )
        .warnings.filter((w) => w.code === "ingress-no-tier")
        .map((w) => [formatPath(w.path), w.message]);
    // GIVEN HTTPS published to 10.20.0.0/16 while web admits it from elsewhere only
    expect(warned("10.30.0.0/16")).toEqual([
      [
        "tenants[0].ingress[0].sources[0]",
        "tenant shop publishes TCP 443 to 10.20.0.0/16 through its router, but no tier's group admits it, and with tiers the base group admits nothing but SSH and ICMP; add it to the ingress of the tier that serves it",
      ],
    ]);
    // THEN none once web admits it, from the same network or a wider one
    expect(warned("10.20.0.0/16")).toEqual([]);
    expect(warned("10.0.0.0/8")).toEqual([]);
  });

  test("a port range reaches the group's rule, the router's firewall and the document as one", async () => {
    // GIVEN app servers on 8000-8100 from web, published with the firewall on 9000-9010
    const design = (edit: (t: any) => void = () => {}) =>
      variant((s) => {
        s.securityZones = { ...s.securityZones, firewall: true, userCidrs: ["10.20.0.0/16"] };
        const shop: any = {
          name: "shop",
          network: { cidr: "172.30.0.0/24" },
          ingress: [{ port: 9000, toPort: 9010, sources: ["10.20.0.0/16"] }],
          tiers: [
            {
              name: "web",
              ingress: [{ port: 9000, toPort: 9010, sources: ["10.20.0.0/16"] }],
            },
            { name: "app", ingress: [{ port: 8000, toPort: 8100, fromTiers: ["web"] }] },
          ],
        };
        edit(shop);
        s.tenants = [shop];
      });
    const loaded = load(design());
    // (the published range is admitted by web's and passes the router: nothing to warn)
    expect(loaded.warnings.map((w) => w.code)).not.toContain("ingress-no-tier");
    expect(loaded.warnings.map((w) => w.code)).not.toContain("tier-source-firewalled");
    const stacks = await synthesized(findBlueprint(loaded.model.blueprint)!, loaded.model);
    const stack = JSON.parse(stacks.find((x) => x.name === "tenant-shop")!.content);
    // THEN the group's rule spans the range (Neutron's port_range_min and _max), its id too
    const app = Object.entries(stack.resource.openstack_networking_secgroup_rule_v2).filter(
      ([key]) => key === "shop_tier_app_tcp_8000_8100_ipv4_tier_web",
    );
    expect(app).toHaveLength(1);
    expect(app[0][1]).toMatchObject({ port_range_min: 8000, port_range_max: 8100 });
    // (and every port, 1 to 65535, as Neutron stores it: no range, which the provider reads back
    // as 0-0 and would replace on every apply otherwise)
    const every = design(
      (t) => (t.tiers[1].ingress[0] = { port: 1, toPort: 65535, fromTiers: ["web"] }),
    );
    const all = JSON.parse(
      (await synthesized(findBlueprint(loaded.model.blueprint)!, load(every).model)).find(
        (x) => x.name === "tenant-shop",
      )!.content,
    ).resource.openstack_networking_secgroup_rule_v2.shop_tier_app_tcp_1_65535_ipv4_tier_web;
    expect(all).toMatchObject({ protocol: "tcp", direction: "ingress" });
    expect(all).not.toHaveProperty("port_range_min");
    expect(all).not.toHaveProperty("port_range_max");
    // AND the firewall rule takes neutron-lib's first:last form
    const published = resourcesOf(stack, "openstack_fw_rule_v2").filter(
      (r) => r.source_ip_address === "10.20.0.0/16" && r.protocol === "tcp",
    );
    expect(published.map((r) => r.destination_port)).toEqual(["9000:9010"]);
    const { markdown } = await renderArchitecture(loaded.model);
    expect(markdown).toContain("| tcp | 8000-8100 | IPv4 | tier web |");
    expect(markdown).toContain(
      "| tcp | IPv4 | 10.20.0.0/16 | 9000-9010 | every one | TCP 9000-9010",
    );
    // AND mistakes are refused: a range written backwards, a range holding a database port
    // opened to the internet, a published range wider than any tier admits
    const found = (edit: (t: any) => void) =>
      issuesOf(design(edit)).map((i) => [i.code, formatPath(i.path)]);
    expect(found((t) => (t.tiers[1].ingress[0].toPort = 7999))).toEqual([
      ["port-range", "tenants[0].tiers[1].ingress[0].toPort"],
    ]);
    expect(
      found((t) => t.tiers[0].ingress.push({ port: 5000, toPort: 6000, sources: ["0.0.0.0/0"] })),
    ).toEqual([["ingress-open", "tenants[0].tiers[0].ingress[1].sources[0]"]]);
    const wider = load(design((t) => (t.ingress[0].toPort = 9020)));
    expect(wider.warnings.find((w) => w.code === "ingress-no-tier")?.message).toContain(
      "publishes TCP 9000-9020 to 10.20.0.0/16",
    );
    // (none where two rules admit the range together)
    const split = load(
      design((t) => {
        t.ingress[0].toPort = 9020;
        t.tiers[1].ingress.push({ port: 9011, toPort: 9020, sources: ["10.0.0.0/8"] });
      }),
    );
    expect(split.warnings.map((w) => w.code)).not.toContain("ingress-no-tier");
  });

  test("tiers leaving a running tenant are refused until its instances leave their groups", async () => {
    const dir = tmp();
    const out = path.join(dir, "out");
    const file = path.join(dir, "spec.yaml");
    fs.writeFileSync(file, stringify(tiered()));
    expect((await cli(["synth", file, "--out", out, "-q"])).code).toBe(0);
    fs.writeFileSync(file, stringify(tiered((t) => (t.tiers = t.tiers.slice(0, 2)))));
    const r = await cli(["synth", file, "--out", out, "-q"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      "tenants[0].tiers: tenant shop's tier db leaves the design: Neutron refuses to delete a security group a port still uses",
    );
    expect(r.stderr).toContain("openstack server remove security group <server> sw-shop-tier-db");
    expect((await cli(["synth", file, "--out", out, "-q", "--destroy-removed"])).code).toBe(0);
  });

  test("tiers come to a running tenant in two steps: groups first, then the base group closes", async () => {
    const dir = tmp();
    const out = path.join(dir, "out");
    const file = path.join(dir, "spec.yaml");
    const synth = async (spec: object, ...flags: string[]) => {
      fs.writeFileSync(file, stringify(spec));
      return cli(["synth", file, "--out", out, "-q", ...flags]);
    };
    const intra = () =>
      Object.keys(
        JSON.parse(fs.readFileSync(path.join(out, "terraform/tenant-shop/cdk.tf.json"), "utf8"))
          .resource.openstack_networking_secgroup_rule_v2,
      ).filter((k) => k.includes("intra_group"));
    expect((await synth(tiered((t) => delete t.tiers))).code).toBe(0);
    // WHEN tiers come at once: the apply would cut the running instances apart before any can
    // be in a tier's group, so it is refused, saying the way in two steps
    const cut = await synth(tiered());
    expect(cut.code).toBe(2);
    expect(cut.stderr).toContain(
      "tenants[0].tiers: tenant shop's tiers would cut its running instances off from each other at once",
    );
    expect(cut.stderr).toContain("Set tenants[0].tiersEnforced: false for this synth");
    // THEN step one makes the groups and keeps the base group's rules inside it, saying so
    const moving = await synth(tiered((t) => (t.tiersEnforced = false)));
    expect(moving.code).toBe(0);
    expect(moving.stderr).toContain(
      "tenant shop's tier groups come with the next apply of terraform/tenant-shop, its base group still admitting all traffic between its instances (tiersEnforced: false): add each running instance to its tier's group (openstack server add security group <server> sw-shop-tier-<tier>), then remove tiersEnforced: false",
    );
    expect(intra()).toHaveLength(2);
    expect(fs.readFileSync(path.join(out, "docs/architecture.md"), "utf8")).toContain(
      "its base group sw-shop-base still admits all traffic between them",
    );
    // AND closing it while a tier comes too is refused: that tier's group holds no one yet
    const withCache = await synth(
      tiered((t) => t.tiers.push({ name: "cache", ingress: [{ port: 6379, fromTiers: ["app"] }] })),
    );
    expect(withCache.code).toBe(2);
    expect(withCache.stderr).toContain(
      "tenant shop's tiers would cut its running instances off from each other at once",
    );
    // AND step two closes the base group, asking to check the instances are in their groups
    const closed = await synth(tiered());
    expect(closed.code).toBe(0);
    expect(closed.stderr).toContain(
      "that apply drops the base group's rules that let them all talk; check that each running instance is in its tier's group first",
    );
    expect(intra()).toEqual([]);
    // AND the cut at once is taken with --destroy-removed (as tiers leaving are)
    expect(
      (
        await synth(
          tiered((t) => delete t.tiers),
          "--destroy-removed",
        )
      ).code,
    ).toBe(0);
    expect((await synth(tiered(), "--destroy-removed")).code).toBe(0);
  });
});

test("an IPv6 tier source of a tenant with IPv4 networks only is said to match nothing", () => {
  const warned = load(
    variant((s) => {
      s.securityZones = { ...s.securityZones, firewall: true };
      s.tenants = [
        {
          name: "shop",
          network: { cidr: "172.30.0.0/24" },
          tiers: [{ name: "web", ingress: [{ port: 443, sources: ["2001:db8::/48"] }] }],
        },
      ];
    }),
  ).warnings.map((w) => [w.code, formatPath(w.path)]);
  // (not the firewall's warning, whose fix would publish what matches nothing either)
  expect(warned).toContainEqual([
    "tier-source-ip-version",
    "tenants[0].tiers[0].ingress[0].sources[0]",
  ]);
  expect(warned.map(([code]) => code)).not.toContain("tier-source-firewalled");
});
