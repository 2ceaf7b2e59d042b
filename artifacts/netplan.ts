import { stringify } from "yaml";

/**
 * netplan (libyaml) and cloud-init (PyYAML) read YAML 1.1: written by its rules, a string it
 * would take for something else (host name `yes` or `on`) is quoted.
 */
const YAML_1_1 = { lineWidth: 0, version: "1.1" } as const;
import type { Model, NodeModel } from "../model/types";
import { roleChronyConf } from "./chrony";

/** Netplan file every node's host networking is written to. */
export const NETPLAN_FILE = "/etc/netplan/60-stackwright.yaml";

/** netplan's id for "every Ethernet port" when the hardware names no ports. */
const ALL_PORTS = "ports";

/**
 * Every Ethernet port by systemd's names but the USB NICs Ubuntu names by MAC (`enx`), such as a
 * BMC's host interface, which would join the bond (fnmatch, as networkd reads it).
 */
const ALL_PORTS_MATCH = "en[!x]*";

/**
 * A node's host networking as a netplan v2 document: its bonds, the Linux bridges and veth pairs
 * where Open vSwitch shares a bond, the VLAN devices, the planned addresses, MTUs, default route
 * and DNS. Built as data and serialized by the YAML library, so nothing from the spec can change
 * its structure. `virtual-ethernets` needs netplan 0.107 or later (Ubuntu 23.10 and later).
 */
export function netplanDocument(model: Model, node: NodeModel): object {
  const ethernets: Record<string, object> = {};
  const bonds: Record<string, Record<string, unknown>> = {};
  const bridges: Record<string, Record<string, unknown>> = {};
  const veths: Record<string, Record<string, unknown>> = {};
  const vlans: Record<string, Record<string, unknown>> = {};
  for (const link of node.links) {
    const members = link.members.length ? [...link.members] : [ALL_PORTS];
    if (link.members.length) for (const m of link.members) ethernets[m] = {};
    else ethernets[ALL_PORTS] = { match: { name: ALL_PORTS_MATCH } };
    bonds[link.device] = {
      interfaces: members,
      mtu: link.mtu,
      parameters:
        link.mode === "802.3ad"
          ? {
              mode: "802.3ad",
              "lacp-rate": "fast",
              "mii-monitor-interval": 100,
              "transmit-hash-policy": "layer3+4",
            }
          : { mode: "active-backup", "mii-monitor-interval": 100 },
    };
    const bridge = link.bridge;
    if (!bridge) continue;
    bridges[bridge.device] = {
      interfaces: [link.device, bridge.patch],
      mtu: link.mtu,
      // netplan's default is STP on; a bridge with one uplink has no loop to break.
      parameters: { stp: false },
    };
    veths[bridge.patch] = { peer: bridge.ovsPatch, mtu: link.mtu };
    // The OVS end carries no address, not even an IPv6 link-local one.
    veths[bridge.ovsPatch] = { peer: bridge.patch, mtu: link.mtu, "link-local": [] };
  }
  const carriers = { ...bonds, ...bridges };
  for (const iface of node.interfaces) {
    const device: Record<string, unknown> =
      iface.vlan !== undefined
        ? (vlans[iface.device] = { id: iface.vlan, link: iface.parent, mtu: iface.mtu })
        : carriers[iface.parent];
    if (iface.address) device.addresses = [`${iface.address}/${iface.prefixLength}`];
    // Answers by the way they came: from management, and from the default route's network.
    const tables = [node.managementReplies, node.defaultReplies, node.apiReplies].flatMap(
      (t) => t ?? [],
    );
    const routes = [
      ...(node.defaultGateway?.network === iface.network
        ? [{ to: "default", via: node.defaultGateway.address }]
        : []),
      ...node.routes.filter((r) => r.network === iface.network).map(({ to, via }) => ({ to, via })),
      ...tables.flatMap((replies) => [
        ...replies.onLink
          .filter((r) => r.network === iface.network)
          // (networkd ignores, and logs, a scope on an IPv6 route: one without a gateway is on-link)
          .map((r) => ({
            to: r.to,
            ...(r.to.includes(":") ? {} : { scope: "link" }),
            table: replies.table,
          })),
        ...(replies.network === iface.network
          ? [{ to: "default", via: replies.via, table: replies.table }]
          : []),
      ]),
    ];
    if (routes.length) device.routes = routes;
    const policies = tables.filter((t) => t.network === iface.network);
    if (policies.length)
      device["routing-policy"] = policies.map((t) => ({ from: t.from, table: t.table }));
    // systemd-resolved asks a link's servers through that link only.
    const servers = node.nameservers.filter((s) => s.network === iface.network);
    if (servers.length)
      device.nameservers = { addresses: servers.map((s) => s.address), search: [model.domain] };
  }
  // The design plans every address and route: a router advertisement (Neutron's radvd on the
  // amphora network, an upstream IPv6 router) would add a SLAAC address Kolla may take for the
  // host's own, and a default route, on IPv4-only devices too.
  for (const device of [
    ...Object.values(bonds),
    ...Object.values(bridges),
    ...Object.values(vlans),
  ])
    device["accept-ra"] = false;
  return {
    network: {
      version: 2,
      renderer: "networkd",
      ethernets,
      bonds,
      ...(Object.keys(bridges).length ? { bridges } : {}),
      ...(Object.keys(vlans).length ? { vlans } : {}),
      ...(Object.keys(veths).length ? { "virtual-ethernets": veths } : {}),
    },
  };
}

/** The netplan file of one node. */
export function netplanConfig(model: Model, node: NodeModel): string {
  return `# Host networking of ${node.fqdn}, written by Stackwright. Install as ${NETPLAN_FILE}.\n${stringify(netplanDocument(model, node), YAML_1_1)}`;
}

/** `config/netplan/<host>.yaml` for every node: for hosts installed outside Stackwright. */
export function netplanConfigs(model: Model): Map<string, string> {
  return new Map(
    model.nodes.map((n) => [`config/netplan/${n.name}.yaml`, netplanConfig(model, n)]),
  );
}

/**
 * cloud-init user data for a node the undercloud deploys: its host name and FQDN, its host
 * networking as netplan (replacing the provisioning network's DHCP configuration; not for a
 * controller VM) and chrony with the planned time sources. The services themselves come from
 * the deployer, not from here.
 */
export function nodeUserData(model: Model, node: NodeModel): string {
  // A controller VM has one port on the undercloud network, not its profile's bonds and VLANs:
  // the plan would cut it off at first boot, so cloud-init's DHCP on that port stays.
  const planned = !node.virtual;
  const files: { path: string; permissions: string; content: string }[] = planned
    ? [
        {
          path: "/etc/cloud/cloud.cfg.d/99-stackwright-network.cfg",
          permissions: "0644",
          content: "network: {config: disabled}\n",
        },
        {
          path: NETPLAN_FILE,
          // netplan warns about, and newer versions refuse, world-readable files.
          permissions: "0600",
          content: stringify(netplanDocument(model, node), YAML_1_1),
        },
      ]
    : [];
  const timed = Boolean(model.ntp?.sources[node.role]?.length);
  if (timed)
    files.push({
      path: "/etc/chrony/chrony.conf",
      permissions: "0644",
      content: roleChronyConf(model, node.role),
    });
  // cephadm runs Ceph's daemons in containers and makes OSDs on LVM (its host requirements);
  // the bootstrap host also runs cephadm itself.
  const ceph = model.deploy.ceph;
  const cephHost = ceph?.hosts.some((h) => h.name === node.name) ?? false;
  const packages = [
    ...(timed ? ["chrony"] : []),
    ...(cephHost ? ["lvm2", "podman"] : []),
    ...(ceph?.bootstrapHost === node.name ? ["cephadm"] : []),
  ].sort();
  const doc = {
    hostname: node.name,
    fqdn: node.fqdn,
    prefer_fqdn_over_hostname: false,
    // Kolla-Ansible's bootstrap-servers writes /etc/hosts for every host of the inventory.
    manage_etc_hosts: false,
    // cephadm and deploy/README.md log in to the Ceph hosts as root, with the key pair's key
    // only; cloud-init gives every other host's root a key that only says to use the image's user.
    disable_root: !cephHost,
    ssh_pwauth: false,
    // A site without the internet: apt's archives from its mirror, through its proxy.
    ...(aptConfig(model) ? { apt: aptConfig(model) } : {}),
    write_files: files,
    // Packages after the planned network is up (cloud-init's own package step runs before
    // runcmd, on the provisioning network), keeping the chrony.conf written above. netplan apply
    // returns before the bond has negotiated, and unattended-upgrades may hold apt's lock at first
    // boot: each step waits for the lock and is tried again for some minutes.
    runcmd: [
      ...(planned ? [planNetwork()] : []),
      ...(packages.length
        ? [
            retried(30, "apt-get -o DPkg::Lock::Timeout=600 update"),
            retried(
              10,
              `DEBIAN_FRONTEND=noninteractive UCF_FORCE_CONFFOLD=1 apt-get -o DPkg::Lock::Timeout=600 -o Dpkg::Options::=--force-confold install -y ${packages.join(" ")}`,
            ),
          ]
        : []),
      ...(timed ? [["systemctl", "restart", "chrony"]] : []),
      // Last, so cloud-init reports the run failed (`cloud-init status`) when netplan refused
      // the plan: the earlier step's exit status is lost in the middle of runcmd.
      ...(planned ? [["test", "!", "-e", `${NETPLAN_FILE}.rejected`]] : []),
    ],
  };
  return `#cloud-config\n${stringify(doc, YAML_1_1)}`;
}

/**
 * Replaces the provisioning DHCP with the planned networking only if netplan takes the plan: a
 * rejected file would leave the host with no network from the next boot, reachable only from
 * its console, while Nova shows it active. Rejected, the plan is set aside and DHCP stays.
 */
function planNetwork(): string[] {
  const dhcp = "/etc/netplan/50-cloud-init.yaml";
  const aside = "/run/stackwright-50-cloud-init.yaml";
  return [
    "sh",
    "-c",
    `mv ${dhcp} ${aside} 2>/dev/null; if netplan generate; then netplan apply; else mv ${NETPLAN_FILE} ${NETPLAN_FILE}.rejected; mv ${aside} ${dhcp} 2>/dev/null; netplan generate; exit 1; fi`,
  ];
}

/** A shell command tried up to `times` times, 10 seconds apart, until it succeeds. */
function retried(times: number, command: string): string[] {
  return ["sh", "-c", `for i in $(seq ${times}); do ${command} && exit 0; sleep 10; done; exit 1`];
}

/** cloud-init's apt settings for the undercloud's package mirror and proxy, when it names them. */
function aptConfig(model: Model): Record<string, unknown> | undefined {
  const uc = model.undercloud;
  if (!uc?.packageMirror && !uc?.packageProxy) return undefined;
  // (two lists, not one shared: the YAML would otherwise carry an alias)
  const archive = () => [{ arches: ["default"], uri: uc.packageMirror }];
  return {
    ...(uc.packageMirror ? { primary: archive(), security: archive() } : {}),
    // (cloud-init's proxy is apt's http one; an https archive goes through https_proxy)
    ...(uc.packageProxy ? { proxy: uc.packageProxy, https_proxy: uc.packageProxy } : {}),
  };
}
