import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parse, stringify } from "yaml";
import { netplanConfig, netplanConfigs, NETPLAN_FILE, nodeUserData } from "../../artifacts/netplan";
import { loadSpecFile, loadSpecText } from "../../model/load";
import { cephCluster, issuesOf, load, variant } from "../support/fixtures";
import { formatPath } from "../../core/errors";
import { ROOT, SEED_BLUEPRINTS } from "../support/blueprints";
import { findBlueprint } from "../../blueprints/catalog";
import { tempDir } from "../support/temp";
import { PYTHON } from "../support/consumers";

/** The generator `netplan generate` runs (it only passes --root-dir on), without its Python start. */
const GENERATOR = ["/usr/libexec/netplan/generate", "/lib/netplan/generate"].find((f) =>
  fs.existsSync(f),
);

/**
 * netplan's generator: NETPLAN_GENERATE names a `generate` binary of netplan 0.107 or later (built
 * from canonical/netplan), else the installed one runs.
 */
function runGenerate(root: string) {
  const own = process.env.NETPLAN_GENERATE ?? GENERATOR;
  const [cmd, args] = own
    ? [own, ["--root-dir", root]]
    : ["netplan", ["generate", "--root-dir", root]];
  const r = spawnSync(cmd, args, { encoding: "utf8" });
  if (r.error) throw r.error;
  return r;
}

let vethSupport: boolean | undefined;
/** Whether the generator knows `virtual-ethernets` (netplan 0.107+; Debian 12 has 0.106). */
function knowsVirtualEthernets(): boolean {
  vethSupport ??=
    generate("network: {version: 2, virtual-ethernets: {v-a: {peer: v-b}, v-b: {peer: v-a}}}\n")
      .status === 0;
  return vethSupport;
}

/**
 * The file as this netplan can check it: an older netplan gets each veth end as an Ethernet of
 * that name, so it still checks the bridges, bonds and VLANs around them; the pairing itself is
 * checked here, and by a newer netplan through NETPLAN_GENERATE.
 */
function forThisNetplan(yaml: string): string {
  if (knowsVirtualEthernets()) return yaml;
  const doc = parse(yaml) as { network: Record<string, Record<string, Record<string, unknown>>> };
  const veths = doc.network["virtual-ethernets"];
  if (!veths) return yaml;
  for (const [name, veth] of Object.entries(veths)) {
    expect(name.length).toBeLessThanOrEqual(15);
    expect(veths[veth.peer as string]?.peer).toBe(name);
    doc.network.ethernets[name] = Object.fromEntries(
      Object.entries(veth).filter(([k]) => k !== "peer"),
    );
  }
  delete doc.network["virtual-ethernets"];
  return stringify(doc);
}

function generate(yaml: string) {
  const root = tempDir("sw-netplan-");
  try {
    fs.mkdirSync(path.join(root, "etc", "netplan"), { recursive: true });
    fs.writeFileSync(path.join(root, NETPLAN_FILE), yaml, { mode: 0o600 });
    const r = runGenerate(root);
    const out = path.join(root, "run", "systemd", "network");
    const units: Record<string, string> = fs.existsSync(out)
      ? Object.fromEntries(
          fs.readdirSync(out).map((f) => [f, fs.readFileSync(path.join(out, f), "utf8")]),
        )
      : {};
    return { status: r.status, stderr: r.stderr, units };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** Runs netplan's generator on one file; returns the networkd files it writes, by name. */
function netplanGenerate(yaml: string): Record<string, string> {
  const r = generate(forThisNetplan(yaml));
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  return r.units;
}

/** networkd's unit for a device, `.network` or `.netdev`. */
const unit = (units: Record<string, string>, device: string, kind = "network") =>
  units[`10-netplan-${device}.${kind}`] ?? "";

describe("host netplan", () => {
  const model = load(variant(() => {})).model;

  test("netplan accepts a network host's file: bond, Linux bridge and veth, VLANs on the bridge", () => {
    // GIVEN the first controller of the base spec, which also runs the network agents (br-ex)
    const ctrl = model.nodes.find((n) => n.name === "ctrl-01")!;
    // WHEN netplan generates its networkd units
    const units = netplanGenerate(netplanConfig(model, ctrl));
    // THEN the bond takes every port and joins the Linux bridge, with no address of its own
    expect(unit(units, "ports")).toMatch(/Name=en\[!x\]\*[\s\S]*Bond=bond0/);
    // AND that glob (fnmatch, as networkd reads it) takes every Ethernet port but the USB NICs
    // Ubuntu names by MAC (a BMC's host interface)
    const names = [
      ...["eno1", "ens1f0", "enp3s0f1", "enP2p1s0", "enp1s0f0np0", "enX0", "enc600", "end0"],
      ...["enx0a1b2c3d4e5f", "wlp2s0", "lo"],
    ];
    const glob = /Name=(\S+)/.exec(unit(units, "ports"))![1];
    const matched = spawnSync(
      PYTHON,
      [
        "-c",
        "import fnmatch,sys; print(*fnmatch.filter(sys.argv[2:], sys.argv[1]))",
        glob,
        ...names,
      ],
      { encoding: "utf8" },
    );
    expect(matched.stdout.trim()).toBe(
      "eno1 ens1f0 enp3s0f1 enP2p1s0 enp1s0f0np0 enX0 enc600 end0",
    );
    expect(unit(units, "bond0", "netdev")).toMatch(/MTUBytes=9000[\s\S]*Mode=802.3ad/);
    expect(unit(units, "bond0")).toContain("Bridge=brbond0");
    expect(unit(units, "bond0")).not.toContain("Address=");
    // AND the veth's phy end is the bridge's other port, its OVS end is in no Linux bridge
    expect(unit(units, "p-brbond0-phy")).toContain("Bridge=brbond0");
    expect(unit(units, "p-brbond0-ovs")).toMatch(/MTUBytes=9000[\s\S]*LinkLocalAddressing=no/);
    expect(unit(units, "p-brbond0-ovs")).not.toMatch(/Bridge=|Address=/);
    expect(unit(units, "brbond0", "netdev")).toMatch(/MTUBytes=9000[\s\S]*Kind=bridge/);
    // AND the host's addresses sit on VLAN devices of the bridge, the external one too
    expect(unit(units, "brbond0")).toMatch(/VLAN=brbond0.11[\s\S]*VLAN=brbond0.20/);
    expect(unit(units, "brbond0.20")).toContain("Address=198.51.100.11/24");
    expect(unit(units, "brbond0.20")).toContain("Gateway=198.51.100.1");
    expect(unit(units, "brbond0.20", "netdev")).toMatch(/MTUBytes=1500[\s\S]*Id=20/);
    expect(unit(units, "brbond0.11")).toContain("Address=10.0.1.11/24");
  });

  test("netplan accepts three-node's network host: its address on its bond's bridge, public bare", () => {
    // GIVEN net-01 of three-node: untagged management on bond0, untagged public on bond1, both
    // bonds feeding Open vSwitch bridges
    const m = loadSpecFile(path.join(ROOT, "examples", "three-node.yaml")).model;
    const net = m.nodes.find((n) => n.name === "net-01")!;
    // WHEN netplan generates its networkd units
    const units = netplanGenerate(netplanConfig(m, net));
    // THEN the address and the default route are on a Linux bridge, never on a bond; the public
    // network's bridge holds none (its routers reach it through Open vSwitch)
    expect(unit(units, "brbond0")).toContain(`Address=${net.addresses.private}/24`);
    expect(unit(units, "brbond0")).toContain("Gateway=172.16.0.1");
    expect(net.addresses.public).toBeUndefined();
    expect(unit(units, "brbond1")).not.toMatch(/Address=|Gateway=/);
    for (const [bond, bridge] of [
      ["bond0", "brbond0"],
      ["bond1", "brbond1"],
    ]) {
      expect(unit(units, bond)).toContain(`Bridge=${bridge}`);
      expect(unit(units, bond)).not.toContain("Address=");
      expect(unit(units, `p-${bridge}-phy`)).toContain(`Bridge=${bridge}`);
    }
  });

  test("no device takes a router advertisement beside the addresses the design plans", () => {
    // GIVEN public-cloud with an IPv6 amphora network, where Kolla gives Neutron's router radvd
    const spec = parse(
      fs.readFileSync(path.join(ROOT, "examples", "public-cloud.yaml"), "utf8"),
    ) as any;
    spec.network.networks.find((n: any) => n.role === "octavia").cidr = "fd00:60:8::/64";
    const m = loadSpecText(JSON.stringify(spec), "spec.json").model;
    const ctrl = m.nodes.find((n) => n.role === "controller")!;
    // WHEN netplan generates the controller's networkd units
    const units = netplanGenerate(netplanConfig(m, ctrl));
    // THEN the octavia VLAN keeps its planned address only: no SLAAC address for Kolla's
    // kolla_address to take first, no default route from the amphora router
    const octavia = ctrl.interfaces.find((i) => i.network === "lb-mgmt")!;
    expect(octavia.address).toContain(":");
    expect(unit(units, octavia.device)).toContain("IPv6AcceptRA=no");
    // AND so does every other device, IPv4-only ones included: an upstream IPv6 router's
    // advertisement would give them an address and a default route the design never planned
    for (const device of new Set([
      ...ctrl.interfaces.map((i) => i.device),
      ...ctrl.links.map((l) => l.device),
    ]))
      expect([device, unit(units, device)]).toEqual([
        device,
        expect.stringContaining("IPv6AcceptRA=no"),
      ]);
  });

  test("a host with a single port, unnamed, gets no LACP bond", () => {
    // GIVEN compute hosts whose profile has one port and no nicNames
    const m = load(variant((s) => (s.hardware[1].nics = [{ count: 1, speedGbps: 25 }]))).model;
    const cmp = m.nodes.find((n) => n.role === "compute")!;
    // WHEN netplan generates its networkd units
    const units = netplanGenerate(netplanConfig(m, cmp));
    // THEN the bond runs active-backup (LACP would wait for a partner the port has not)
    expect(unit(units, "bond0", "netdev")).toContain("Mode=active-backup");
    expect(cmp.links[0].mode).toBe("active-backup");
  });

  test("a controller reaches the enterprise's services and answers admins by management", () => {
    // GIVEN enterprise-reference: controllers route by default to the public gateway, and the
    // DNS and time servers are on the corporate network behind the management gateway
    const m = loadSpecFile(path.join(ROOT, "examples/enterprise-reference.yaml")).model;
    const ctrl = m.nodes.find((n) => n.name === "ctrl-01")!;
    expect(ctrl.defaultGateway).toEqual({ network: "public", address: "203.0.113.1" });
    // WHEN netplan generates its networkd units
    const units = netplanGenerate(netplanConfig(m, ctrl));
    const mgmt = unit(units, ctrl.interfaces.find((i) => i.network === "mgmt")!.device);
    // THEN the enterprise's network (network.enterpriseCidrs), where those servers and the
    // directory given by name are, goes by the management gateway, and so does whatever leaves
    // from the management address (SSH answers to the admins), by a table of its own
    expect(mgmt).toContain(`[Route]\nDestination=10.1.0.0/16\nGateway=10.20.0.1\n`);
    expect(ctrl.routes.map((r) => r.to)).toEqual(["10.1.0.0/16"]);
    expect(mgmt).toContain("[Route]\nDestination=0.0.0.0/0\nGateway=10.20.0.1\nTable=100\n");
    // (from the whole subnet: the internal VIP, where keepalived puts it, answers that way too)
    expect(mgmt).toContain("[RoutingPolicyRule]\nFrom=10.20.0.0/24\nTable=100\n");
    // AND in that table its own subnets stay on-link: its neighbours are not reached through the
    // gateway (the deployment host's SSH, the computes' time queries)
    expect(mgmt).toContain("[Route]\nDestination=10.20.0.0/24\nScope=link\nTable=100\n");
    const api = unit(units, ctrl.interfaces.find((i) => i.network === "api")!.device);
    expect(api).toContain("[Route]\nDestination=10.20.1.0/24\nScope=link\nTable=100\n");
    // AND the DNS servers sit on the management link, which systemd-resolved then asks them
    // through, not on the public one
    expect(mgmt).toContain("DNS=10.1.0.53\nDNS=10.1.1.53\n");
    const pub = unit(units, ctrl.interfaces.find((i) => i.network === "public")!.device);
    expect(pub).not.toContain("DNS=");
    // AND what leaves from the public network (the external VIP's answers to admins and users
    // inside the enterprise's block) goes back by the public gateway, as it came, by a table of
    // its own: not out of the management network, where a stateful firewall would drop it
    expect(pub).toContain("[RoutingPolicyRule]\nFrom=203.0.113.0/24\nTable=101\n");
    expect(pub).toContain("[Route]\nDestination=0.0.0.0/0\nGateway=203.0.113.1\nTable=101\n");
    expect(pub).toContain("[Route]\nDestination=203.0.113.0/24\nScope=link\nTable=101\n");
    // AND a compute, whose default route is management's already, gets neither
    const cmp = m.nodes.find((n) => n.role === "compute")!;
    expect([cmp.routes, cmp.managementReplies]).toEqual([[], undefined]);
  });

  test("without an external VIP the internal VIP answers users by its network's gateway", () => {
    // GIVEN enterprise-reference without its external VIP, its API network given a gateway
    const spec = (gateway?: string) =>
      loadSpecText(
        JSON.stringify(
          (() => {
            const s = parse(
              fs.readFileSync(path.join(ROOT, "examples/enterprise-reference.yaml"), "utf8"),
            ) as any;
            delete s.controlPlane.vips.external;
            if (gateway) s.network.networks.find((n: any) => n.name === "api").gateway = gateway;
            return s;
          })(),
        ),
        "spec.json",
      );
    const loaded = spec("10.20.1.1");
    const m = loaded.model;
    const ctrl = m.nodes.find((n) => n.name === "ctrl-01")!;
    // WHEN netplan generates the controller's networkd units
    const units = netplanGenerate(netplanConfig(m, ctrl));
    const api = unit(units, ctrl.interfaces.find((i) => i.network === "api")!.device);
    // THEN the default route is management's, and what leaves from the API network (the VIP's
    // answers to users) goes back by its gateway, by a table of its own
    expect(ctrl.defaultGateway).toEqual({ network: "mgmt", address: "10.20.0.1" });
    expect(api).toContain("[RoutingPolicyRule]\nFrom=10.20.1.0/24\nTable=102\n");
    expect(api).toContain("[Route]\nDestination=0.0.0.0/0\nGateway=10.20.1.1\nTable=102\n");
    // AND the computes, which hold no VIP, keep their routes
    expect(m.nodes.find((n) => n.role === "compute")?.apiReplies).toBeUndefined();
    // AND without that gateway the design is warned: users outside the segment reach no API
    expect(
      spec()
        .warnings.filter((w) => w.code === "internal-vip-unrouted")
        .map((w) => formatPath(w.path)),
    ).toEqual(["network.networks[1].gateway"]);
    expect(loaded.warnings.map((w) => w.code)).not.toContain("internal-vip-unrouted");
  });

  test("servers outside the enterprise's networks get routes of their own; a directory by name is warned where the default route is public", () => {
    // GIVEN enterprise-reference without its enterprise network: DNS and NTP by address, its
    // directory ad.example.com by name, the controllers' default route public (203.0.113.1)
    const spec = (enterpriseCidrs: string[]) =>
      loadSpecText(
        fs
          .readFileSync(path.join(ROOT, "examples/enterprise-reference.yaml"), "utf8")
          .replace(
            "enterpriseCidrs: [10.1.0.0/16]",
            `enterpriseCidrs: ${JSON.stringify(enterpriseCidrs)}`,
          ),
      );
    const bare = spec([]);
    const ctrl = bare.model.nodes.find((n) => n.name === "ctrl-01")!;
    // THEN each server given by address gets a host route by the management gateway
    expect(ctrl.routes.map((r) => [r.to, r.via])).toEqual(
      ["10.1.0.53", "10.1.1.53", "10.1.0.123", "10.1.1.123"].map((a) => [`${a}/32`, "10.20.0.1"]),
    );
    // AND the directory given by name, which would leave by the public gateway, is warned
    expect(
      bare.warnings.filter((w) => w.code === "ldap-public-route").map((w) => [w.path, w.message]),
    ).toEqual([
      [
        ["identity", "domains", 0, "ldap", "url"],
        "domain corp's directory server ad.example.com is given by name: the controllers (ctrl-01, ctrl-02, ctrl-03) send it by their default route, through public (203.0.113.1, a public address), not by the management gateway as a server given by address; list the enterprise's networks in network.enterpriseCidrs, or give its address where its certificate names it (TLS checks the URL's host against the certificate, and a domain controller's usually names DNS names only)",
      ],
    ]);
    // AND a time server named inside the enterprise (the example's are addresses) is warned,
    // a public one not
    const named = (servers: string[]) =>
      loadSpecText(
        fs
          .readFileSync(path.join(ROOT, "examples/enterprise-reference.yaml"), "utf8")
          .replace("enterpriseCidrs: [10.1.0.0/16]", "enterpriseCidrs: []")
          .replace(
            /^ntp:\n {2}servers: \[[^\]]*\]/m,
            `ntp:\n  servers: ${JSON.stringify(servers)}`,
          ),
      ).warnings.filter((w) => w.code === "ntp-public-route");
    expect(named(["ntp3.nb.local", "0.pool.ntp.org"]).map((w) => [w.path, w.message])).toEqual([
      [
        ["ntp", "servers"],
        "time server ntp3.nb.local is named inside the enterprise but given by name: ctrl-01, ctrl-02, ctrl-03 send it by the default route, through public (203.0.113.1, a public address), not by the management gateway as a server given by address; give its address, or list the enterprise's networks in network.enterpriseCidrs",
      ],
    ]);
    expect(named(["0.pool.ntp.org"])).toEqual([]);
    // AND a block holding some of them takes their host routes' place, the others keep theirs
    const some = spec(["10.1.0.0/24"]);
    expect(some.model.nodes.find((n) => n.name === "ctrl-01")!.routes.map((r) => r.to)).toEqual([
      "10.1.0.0/24",
      "10.1.1.53/32",
      "10.1.1.123/32",
    ]);
    expect(some.warnings.map((w) => w.code)).not.toContain("ldap-public-route");
    // AND blocks that are every address, inside a design network, of the other IP version or
    // listed twice are refused
    expect(
      issuesOf(
        variant(
          (s) =>
            (s.network.enterpriseCidrs = [
              "0.0.0.0/0",
              "10.0.0.128/25",
              "2001:db8::/32",
              "10.9.0.0/16",
              "10.9.0.0/16",
            ]),
        ),
      )
        .filter((i) => i.path[1] === "enterpriseCidrs")
        .map((i) => [formatPath(i.path), i.code]),
    ).toEqual([
      ["network.enterpriseCidrs[0]", "enterprise-cidr-default"],
      ["network.enterpriseCidrs[1]", "enterprise-cidr-inside"],
      ["network.enterpriseCidrs[2]", "enterprise-cidr-family"],
      ["network.enterpriseCidrs[4]", "duplicate-cidr"],
    ]);
  });

  test("a host lists the DNS servers its routes reach, and one reaching none is refused", () => {
    // GIVEN an IPv4 and an IPv6 DNS server, and hosts routing by IPv4 management
    const m = load(variant((s) => (s.network.dnsServers = ["10.9.0.53", "fd00:53::53"]))).model;
    const cmp = m.nodes.find((n) => n.role === "compute")!;
    // THEN a compute's resolver gets the IPv4 one only: the other would only time out
    expect(cmp.nameservers).toEqual([{ address: "10.9.0.53", network: "mgmt" }]);
    const units = netplanGenerate(netplanConfig(m, cmp));
    const dns = Object.values(units).join("\n");
    expect(dns).toContain("DNS=10.9.0.53");
    expect(dns).not.toContain("fd00:53::53");
    // AND a server on a network the host joins goes on that network's link, which reaches it
    const onApi = load(variant((s) => (s.network.dnsServers = ["10.0.1.53"]))).model;
    const ctrl = onApi.nodes.find((n) => n.role === "controller")!;
    expect(ctrl.nameservers).toEqual([{ address: "10.0.1.53", network: "api" }]);
    const apiDevice = ctrl.interfaces.find((i) => i.network === "api")!.device;
    expect(unit(netplanGenerate(netplanConfig(onApi, ctrl)), apiDevice)).toContain("DNS=10.0.1.53");
    // AND with only the IPv6 server, the design is refused, naming the hosts and their route
    const issues = issuesOf(variant((s) => (s.network.dnsServers = ["fd00:53::53"])));
    expect(issues.map((i) => [i.code, formatPath(i.path), i.message.split(", of ")[0]])).toEqual([
      ["dns-unreachable", "network.dnsServers", "ctrl-01, ctrl-02, ctrl-03 route by network ext"],
      [
        "dns-unreachable",
        "network.dnsServers",
        "az1-web-01, az1-web-02, az1-web-03 and 4 more route by network mgmt",
      ],
    ]);
  });

  test.each(SEED_BLUEPRINTS)("netplan accepts every node's file of %s", (name) => {
    const m = loadSpecFile(path.join(ROOT, findBlueprint(name)!.example)).model;
    const files = netplanConfigs(m);
    expect([...files.keys()]).toEqual(m.nodes.map((n) => `config/netplan/${n.name}.yaml`));
    // One node per role and hardware keeps the run short; they share their layout.
    const seen = new Set<string>();
    for (const n of m.nodes) {
      const key = `${n.role}/${n.hardware}/${n.roles.join(",")}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const units = netplanGenerate(files.get(`config/netplan/${n.name}.yaml`)!);
      // Every address on the device the model names, which is never a bond OVS shares.
      for (const f of n.interfaces)
        expect(unit(units, f.device)).toContain(`Address=${f.address}/${f.prefixLength}`);
      for (const l of n.links.filter((k) => k.bridge)) {
        expect(unit(units, l.device)).toContain(`Bridge=${l.bridge!.device}`);
        expect(unit(units, l.device)).not.toContain("Address=");
        expect(unit(units, l.bridge!.patch)).toContain(`Bridge=${l.bridge!.device}`);
      }
    }
  });
});

describe("bare-metal user data", () => {
  const model = load(variant((s) => (s.cloud.undercloud = { cloud: "under" }))).model;
  const node = model.nodes.find((n) => n.name === "az1-web-01")!;
  const text = nodeUserData(model, node);

  test("cloud-init accepts it as valid cloud-config", () => {
    const dir = tempDir("sw-cloud-init-");
    try {
      const file = path.join(dir, "user-data");
      fs.writeFileSync(file, text);
      const r = spawnSync("cloud-init", ["schema", "--config-file", file], { encoding: "utf8" });
      if (r.error) throw r.error;
      expect(`${r.stdout}${r.stderr}`).toContain("Valid cloud-config");
      expect(r.status).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a site without the internet: apt takes the spec's mirror and proxy, as cloud-init reads them", () => {
    // GIVEN an undercloud naming a package mirror and a proxy
    const offline = load(
      variant(
        (s) =>
          (s.cloud.undercloud = {
            cloud: "under",
            packageMirror: "http://mirror.example.net/ubuntu",
            packageProxy: "http://proxy.example.net:3128",
          }),
      ),
    ).model;
    const doc = parse(
      nodeUserData(
        offline,
        offline.nodes.find((n) => n.name === "az1-web-01")!,
      ),
    );
    // THEN both archives point at the mirror, and apt goes through the proxy
    const archive = [{ arches: ["default"], uri: "http://mirror.example.net/ubuntu" }];
    expect(doc.apt).toEqual({
      primary: archive,
      security: archive,
      proxy: "http://proxy.example.net:3128",
      https_proxy: "http://proxy.example.net:3128",
    });
    // AND cloud-init takes it
    const dir = tempDir("sw-cloud-init-");
    try {
      const file = path.join(dir, "user-data");
      fs.writeFileSync(file, nodeUserData(offline, offline.nodes[0]));
      const r = spawnSync("cloud-init", ["schema", "--config-file", file], { encoding: "utf8" });
      expect(`${r.stdout}${r.stderr}`).toContain("Valid cloud-config");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    // AND without them the image's own archives stay
    expect(parse(text).apt).toBeUndefined();
    // AND a proxy with credentials, or a query string, is refused
    const refused = (proxy: string) =>
      issuesOf(variant((s) => (s.cloud.undercloud = { cloud: "under", packageProxy: proxy }))).map(
        (i) => i.code,
      );
    expect(refused("http://user:secret@proxy.example.net:3128")).toContain("url-credentials");
    expect(refused("http://proxy.example.net:3128/?x=1")).toContain("schema-invalid-format");
    // AND a mirror or proxy on port 0, which no client connects to, is refused
    const zero = variant(
      (s) =>
        (s.cloud.undercloud = {
          cloud: "under",
          packageMirror: "http://mirror.example.net:0/ubuntu",
          packageProxy: "http://proxy.example.net:0",
        }),
    );
    expect(issuesOf(zero).map((i) => [formatPath(i.path), i.message])).toEqual([
      ["cloud.undercloud.packageMirror", "the port must be from 1 to 65535"],
      ["cloud.undercloud.packageProxy", "the port must be from 1 to 65535"],
    ]);
  });

  test("a controller VM keeps cloud-init's DHCP on its one undercloud port: no host plan", () => {
    // GIVEN controllers as VMs on the undercloud, whose profile has bonds and VLANs
    const vms = load(
      variant((s) => {
        s.cloud.undercloud = { cloud: "under", keyPair: "ops" };
        s.controlPlane.deployment = "vm";
      }),
    ).model;
    const ctrl = vms.nodes.find((n) => n.role === "controller")!;
    expect(ctrl.virtual).toBe(true);
    const doc = parse(nodeUserData(vms, ctrl)) as {
      hostname: string;
      write_files?: { path: string }[];
      runcmd: string[][];
    };
    // THEN its user data neither turns cloud-init's networking off nor applies a netplan
    expect(doc.hostname).toBe(ctrl.name);
    expect((doc.write_files ?? []).map((f) => f.path)).not.toContain(NETPLAN_FILE);
    expect(JSON.stringify(doc)).not.toMatch(/netplan|config: disabled/);
    // AND a compute host of the same design still gets its plan
    const compute = vms.nodes.find((n) => n.role === "compute")!;
    expect(nodeUserData(vms, compute)).toContain(NETPLAN_FILE);
    // AND the runbook's bare-metal stage says the VMs' netplan is the operator's to install
    const baremetal = vms.lifecycle.find((st) => st.id === "baremetal")!.prerequisites;
    expect(baremetal).toContainEqual({
      kind: "controller-vms-netplan",
      params: { vms: 3, folder: "config/netplan" },
    });
  });

  test("a host named like a YAML 1.1 boolean keeps its name for cloud-init (PyYAML)", () => {
    const named = load(
      variant((s) => {
        s.cloud.undercloud = { cloud: "under" };
        s.controlPlane.hostnames = ["yes", "on", "off"];
      }),
    ).model;
    for (const name of ["yes", "on", "off"]) {
      const data = nodeUserData(
        named,
        named.nodes.find((n) => n.name === name)!,
      );
      const r = spawnSync(
        PYTHON,
        ["-c", "import sys,yaml; d=yaml.safe_load(sys.stdin); print(repr(d['hostname']))"],
        { input: data, encoding: "utf8" },
      );
      expect(r.stdout.trim()).toBe(`'${name}'`);
    }
  });

  test("sets the host name, replaces the provisioning DHCP with the node's netplan, syncs time", () => {
    const doc = parse(text) as {
      hostname: string;
      fqdn: string;
      write_files: { path: string; permissions: string; content: string }[];
      runcmd: string[][];
    };
    expect([doc.hostname, doc.fqdn]).toEqual(["az1-web-01", "az1-web-01.sw.internal"]);
    const files = Object.fromEntries(doc.write_files.map((f) => [f.path, f]));
    expect(files[NETPLAN_FILE].permissions).toBe("0600");
    expect(parse(files[NETPLAN_FILE].content)).toEqual(
      parse(netplanConfig(model, node).replace(/^#.*\n/, "")),
    );
    expect(files["/etc/chrony/chrony.conf"].content).toContain("server 10.0.0.11 iburst");
    // (packages once the planned network is up: cloud-init's package step runs before runcmd,
    // on the provisioning network; the chrony.conf written above stays)
    expect(doc.runcmd).toEqual([
      [
        "sh",
        "-c",
        "mv /etc/netplan/50-cloud-init.yaml /run/stackwright-50-cloud-init.yaml 2>/dev/null; if netplan generate; then netplan apply; else mv /etc/netplan/60-stackwright.yaml /etc/netplan/60-stackwright.yaml.rejected; mv /run/stackwright-50-cloud-init.yaml /etc/netplan/50-cloud-init.yaml 2>/dev/null; netplan generate; exit 1; fi",
      ],
      // (tried again while the bond negotiates; apt's lock awaited, unattended-upgrades may hold it)
      [
        "sh",
        "-c",
        "for i in $(seq 30); do apt-get -o DPkg::Lock::Timeout=600 update && exit 0; sleep 10; done; exit 1",
      ],
      [
        "sh",
        "-c",
        "for i in $(seq 10); do DEBIAN_FRONTEND=noninteractive UCF_FORCE_CONFFOLD=1 apt-get -o DPkg::Lock::Timeout=600 -o Dpkg::Options::=--force-confold install -y chrony && exit 0; sleep 10; done; exit 1",
      ],
      ["systemctl", "restart", "chrony"],
      // (last: cloud-init reports the run failed when netplan refused the plan)
      ["test", "!", "-e", "/etc/netplan/60-stackwright.yaml.rejected"],
    ]);
    expect(doc).not.toHaveProperty("packages");
    // AND no password login, and root stays closed on a host that runs no Ceph (cephadm and
    // deploy/README.md log in as root on the Ceph hosts only)
    expect(doc).toMatchObject({ disable_root: true, ssh_pwauth: false });
  });

  test("an apt step that fails while the network comes up is tried again, and gives up", () => {
    // GIVEN the user data's apt update, run with an apt-get that fails twice, then succeeds
    // (and a sleep that returns at once)
    const doc = parse(text) as { runcmd: string[][] };
    const update = doc.runcmd.find((c) => c.join(" ").includes(" update "))!;
    const bin = tempDir("sw-apt-");
    const count = path.join(bin, "count");
    fs.writeFileSync(
      path.join(bin, "apt-get"),
      `#!/bin/sh\nn=$(cat ${count} 2>/dev/null || echo 0); n=$((n + 1)); echo $n > ${count}; [ $n -gt ${"$"}{FAILS} ]\n`,
      { mode: 0o755 },
    );
    fs.writeFileSync(path.join(bin, "sleep"), "#!/bin/sh\nexit 0\n", { mode: 0o755 });
    const run = (fails: number) => {
      fs.rmSync(count, { force: true });
      const r = spawnSync(update[0], update.slice(1), {
        env: { PATH: `${bin}:/usr/bin:/bin`, FAILS: String(fails) },
      });
      return [r.status, Number(fs.readFileSync(count, "utf8"))];
    };
    // THEN it succeeds on the third try, and gives up after its 30 with an error
    expect(run(2)).toEqual([0, 3]);
    expect(run(100)).toEqual([1, 30]);
    fs.rmSync(bin, { recursive: true, force: true });
  });

  test("a plan netplan rejects is set aside and the provisioning DHCP kept", () => {
    // GIVEN the user data's network step, run in a scratch root with a netplan that rejects the
    // planned file when told to
    const doc = parse(text) as { runcmd: string[][] };
    const step = doc.runcmd[0];
    const root = tempDir("sw-netplan-");
    const etc = path.join(root, "etc/netplan");
    fs.mkdirSync(path.join(root, "run"));
    const log = path.join(root, "log");
    fs.writeFileSync(
      path.join(root, "netplan"),
      `#!/bin/sh\necho "$1 $(ls ${etc} | tr '\\n' ' ')" >> ${log}\n[ "$1" = generate ] && [ -f ${etc}/60-stackwright.yaml ] && exit ${"$"}{REJECT}\nexit 0\n`,
      { mode: 0o755 },
    );
    const run = (reject: number) => {
      fs.rmSync(etc, { recursive: true, force: true });
      fs.rmSync(log, { force: true });
      fs.mkdirSync(etc, { recursive: true });
      fs.writeFileSync(path.join(etc, "50-cloud-init.yaml"), "dhcp");
      fs.writeFileSync(path.join(etc, "60-stackwright.yaml"), "plan");
      const script = step[2].replaceAll("/etc/netplan", etc).replaceAll("/run/", `${root}/run/`);
      const r = spawnSync(step[0], [step[1], script], {
        env: { PATH: `${root}:/usr/bin:/bin`, REJECT: String(reject) },
      });
      return {
        status: r.status,
        files: fs.readdirSync(etc).sort(),
        calls: fs
          .readFileSync(log, "utf8")
          .split("\n")
          .filter(Boolean)
          .map((l) => l.trim()),
      };
    };
    // THEN an accepted plan replaces the DHCP file and is applied
    expect(run(0)).toEqual({
      status: 0,
      files: ["60-stackwright.yaml"],
      calls: ["generate 60-stackwright.yaml", "apply 60-stackwright.yaml"],
    });
    // AND a rejected one is set aside, the DHCP file comes back, nothing is applied, and the step
    // fails (cloud-init reports it)
    expect(run(1)).toEqual({
      status: 1,
      files: ["50-cloud-init.yaml", "60-stackwright.yaml.rejected"],
      calls: [
        "generate 60-stackwright.yaml",
        "generate 50-cloud-init.yaml 60-stackwright.yaml.rejected",
      ],
    });
    fs.rmSync(root, { recursive: true, force: true });
  });

  test("Ceph hosts get what cephadm needs: containers and LVM, and cephadm on the bootstrap host", () => {
    // GIVEN Ceph on the storage hosts of a design an undercloud provisions
    const ceph = load(
      variant((s) => {
        s.cloud.undercloud = { cloud: "under" };
        s.storage = { ceph: cephCluster() };
      }),
    ).model;
    const packages = (name: string) =>
      (
        parse(
          nodeUserData(
            ceph,
            ceph.nodes.find((n) => n.name === name)!,
          ),
        ) as { runcmd: string[][] }
      ).runcmd
        .find((c) => c.join(" ").includes(" install -y "))?.[2]
        .split(" install -y ")[1]
        .split(" && ")[0]
        .split(" ");
    const hosts = ceph.deploy.ceph?.hosts.map((h) => h.name) ?? [];
    expect(hosts.length).toBeGreaterThan(1);
    // THEN cephadm bootstraps on the first, adds the others over SSH; nobody else gets them
    expect(packages(hosts[0])).toEqual(["cephadm", "chrony", "lvm2", "podman"]);
    for (const host of hosts.slice(1))
      expect([host, packages(host)]).toEqual([host, ["chrony", "lvm2", "podman"]]);
    expect(packages("az1-web-01")).toEqual(["chrony"]);
    // AND root takes the key pair's key on the Ceph hosts alone
    const rootLogin = (name: string) =>
      (
        parse(
          nodeUserData(
            ceph,
            ceph.nodes.find((n) => n.name === name)!,
          ),
        ) as any
      ).disable_root;
    for (const host of hosts) expect([host, rootLogin(host)]).toEqual([host, false]);
    for (const n of ceph.nodes.filter((x) => !hosts.includes(x.name)))
      expect([n.name, rootLogin(n.name)]).toEqual([n.name, true]);
  });
});
