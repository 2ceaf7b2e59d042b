import { someOf } from "../core/lists";
import { IRONIC_ROOT_MIN_GB, ironicGiB } from "../core/ironic";
import type { Spec } from "../spec/schema";
import type { SpecIssue } from "../core/errors";
import {
  addressToBigInt,
  canonicalAddress,
  contains,
  firstHostOffset,
  isValidCidr,
  lastHostOffset,
  offsetOf,
  parseCidr,
  subnetGateway,
  handedOutRange,
} from "../core/net";
import { enterpriseServerAddresses } from "./addressing";
import { gatewaysJoinApi, networksOfNode, planNodes, type PlannedNode } from "./nodes";
import { controllerQuorumSite } from "./ha";
import type { NodeModel } from "./types";
import { RACKS_FIELD } from "../spec/hosts";

type Path = SpecIssue["path"];

/**
 * Fixed addresses of existing hosts (`hosts`): each names a server of the design, a network its
 * roles join, an address inside that network that nothing else holds and Neutron never hands out.
 */
export function fixedAddressIssues(spec: Spec): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const f = {
    error: (code: string, path: Path, message: string) =>
      issues.push({ code, path, message, severity: "error" }),
    warn: (code: string, path: Path, message: string) =>
      issues.push({ code, path, message, severity: "warning" }),
  };
  fixedAddresses(spec, f);
  return issues;
}

/**
 * Nova on the undercloud deploys a host on any free Ironic node of its flavor, whatever the site:
 * over several sites only a named node keeps a host at the site its rack or zone plans.
 */
export function undercloudSiteIssues(spec: Spec, nodes: readonly PlannedNode[]): SpecIssue[] {
  const uc = spec.cloud.undercloud;
  if (!uc) return [];
  const sites = [...new Set(spec.zones.flatMap((z) => (z.site ? [z.site] : [])))].sort();
  const pinned = new Set(spec.hosts.flatMap((h) => (h.baremetalNode ? [h.name] : [])));
  const machines = onIronic(spec, nodes);
  const loose = machines.filter((n) => !pinned.has(n.name));
  if (!loose.length) return [];
  const named = loose.slice(0, 3).map((n) => n.name);
  const racks = [...new Set(machines.flatMap((n) => (n.rack ? [n.rack] : [])))].sort();
  // Within one site the racks are what the placement plans: Ceph's CRUSH locations, Swift's
  // zones, the controllers' spread and the availability zones' hosts.
  if (sites.length < 2)
    return racks.length < 2
      ? []
      : [
          {
            code: "undercloud-racks-unpinned",
            path: ["cloud", "undercloud"],
            severity: "warning",
            message: `the hosts stand in ${racks.length} racks (${someOf(racks, 4)}), but the undercloud ${uc.cloud} deploys each on any free Ironic node of its flavor, whatever its rack, and ${loose.length} name no node (${named.join(", ")}${loose.length > named.length ? ", ..." : ""}): a host may stand in another rack than planned, where Ceph's CRUSH map, Swift's zones, the controllers' spread and the availability zones place it; name each one's machine in hosts[].baremetalNode`,
          },
        ];
  return [
    {
      code: "undercloud-sites-unpinned",
      path: ["cloud", "undercloud"],
      severity: "warning",
      message: `the hosts stand at ${sites.length} sites (${sites.join(", ")}), but the undercloud ${uc.cloud} deploys each on any free Ironic node of its flavor, whatever its site, and ${loose.length} name no node (${named.join(", ")}${loose.length > named.length ? ", ..." : ""}): a host may land at another site than its zone, rack, quorum and copies are planned at; name each one's machine in hosts[].baremetalNode`,
    },
  ];
}

/**
 * Controllers over several sites, one holding their quorum's majority, survive no site's loss
 * that keeping them all at that site would not, and every Galera write waits on the link between
 * the sites (Galera certifies each commit on every node).
 */
export function quorumSiteIssues(
  nodes: readonly Pick<NodeModel, "name" | "role" | "site" | "virtual">[],
): SpecIssue[] {
  const quorum = controllerQuorumSite(nodes);
  if (!quorum || quorum.bySite.size < 2) return [];
  const { site: majority, bySite } = quorum;
  const controllers = nodes.filter((n) => n.role === "controller");
  const sites = [...bySite.keys()].sort();
  const at = sites.map((s) => `${s} (${(bySite.get(s) as string[]).length})`);
  return [
    {
      code: "quorum-sites",
      path: ["controlPlane", "controllers"],
      severity: "warning",
      message: `the ${controllers.length} controllers stand at sites ${at.join(", ")}, and the loss of ${majority} stops their quorum: spread over the sites they survive no site's loss that all of them at ${majority} would not, while every Galera write waits on the link between the sites; keep them at one site (controlPlane.racks, or each one's hosts[].rack: ${controllers.map((n) => n.name).join(", ")}), or spread them over ${sites.length < 3 ? "three sites" : "the sites"} so that none holds a majority`,
    },
  ];
}

/** The servers the undercloud deploys on Ironic nodes: none without one, no VM controller. */
function onIronic(spec: Spec, nodes: readonly PlannedNode[]): PlannedNode[] {
  if (!spec.cloud.undercloud) return [];
  const vms = spec.controlPlane.deployment === "vm";
  return nodes.filter((n) => !(vms && n.role === "controller"));
}

/**
 * Without a root device hint Ironic's agent installs the system onto the smallest disk of 4 GiB
 * or more: where a profile marks its system disk (use: system) and another disk is as small or
 * smaller, the system may land on a data disk (a Swift device, a volume group's, an instance
 * disk's), which the design counts. The Ceph hosts' profile has a check of its own.
 */
export function bootDiskHintIssues(spec: Spec, nodes: readonly PlannedNode[]): SpecIssue[] {
  const deployed = new Map<string, Set<string>>();
  for (const n of onIronic(spec, nodes))
    deployed.set(n.hardware, (deployed.get(n.hardware) ?? new Set()).add(n.role));
  return spec.hardware.flatMap((h, i) => {
    const roles = deployed.get(h.name);
    if (!roles || h.name === spec.storage.ceph?.hardware) return [];
    const system = h.disks.filter((d) => d.use === "system");
    if (!system.length) return [];
    const rootSize = Math.min(...system.map((d) => d.sizeGB));
    const rival = h.disks
      .filter((d) => d.use !== "system" && d.sizeGB >= IRONIC_ROOT_MIN_GB && d.sizeGB <= rootSize)
      .sort((a, b) => a.sizeGB - b.sizeGB)[0];
    if (!rival) return [];
    const gib = ironicGiB(system[0].sizeGB);
    const bySize =
      rival.sizeGB === rootSize
        ? " (its size names it no better than the others of that size)"
        : `, or by its size as Ironic reports it, ${gib} GiB for a standard ${system[0].sizeGB} GB drive ('{"size": ${gib}}')`;
    return [
      {
        code: "boot-disk-hint",
        severity: "warning" as const,
        path: ["hardware", i, "disks"],
        message: `hardware profile ${h.name}'s ${rival.kind} ${rival.sizeGB} GB disks are ${rival.sizeGB < rootSize ? "smaller than" : "as small as"} its system disk (${system.map((d) => `${d.kind} ${d.sizeGB} GB`).join(", ")}), and Ironic installs the system onto the smallest disk unless told otherwise: on the ${[...roles].sort().join(", ")} hosts of this profile it could take one of those instead; give their Ironic nodes a root device hint naming the system disk by its serial or WWN (openstack baremetal node set --property root_device='{"serial": "<serial>"}')${bySize}`,
      },
    ];
  });
}

/**
 * A bare-metal flavor requests one Ironic resource class, its hardware profile's: servers of two
 * profiles sharing a flavor would land on either's nodes (or find none).
 */
export function baremetalFlavorIssues(spec: Spec, nodes: readonly PlannedNode[]): SpecIssue[] {
  if (!spec.cloud.undercloud) return [];
  const vms = spec.controlPlane.deployment === "vm";
  const profiles = new Map<string, Set<string>>();
  for (const n of onIronic(spec, nodes)) {
    const set = profiles.get(n.baremetalFlavor) ?? new Set<string>();
    set.add(n.hardware);
    profiles.set(n.baremetalFlavor, set);
  }
  return [...profiles].flatMap(([flavor, hardware]) => {
    if (hardware.size < 2) return [];
    const cp = spec.controlPlane.flavor === flavor && !vms;
    const i = spec.hardware.findIndex((h) => h.baremetalFlavor === flavor);
    return [
      {
        code: "baremetal-flavor-mixed",
        path: cp
          ? ["controlPlane", "flavor"]
          : i >= 0
            ? ["hardware", i, "baremetalFlavor"]
            : ["hardware"],
        severity: "error" as const,
        message: `bare-metal flavor ${flavor} would deploy servers of hardware ${[...hardware].sort().join(" and ")}, but a flavor requests one Ironic resource class (its hardware profile's): give each profile a flavor of its own`,
      },
    ];
  });
}

function fixedAddresses(
  spec: Spec,
  f: {
    error(code: string, path: Path, message: string): void;
    warn(code: string, path: Path, message: string): void;
  },
) {
  if (!spec.hosts.length) return;
  const nodes = new Map(planNodes(spec, 0).map((n) => [n.name, n]));
  const networks = new Map(spec.network.networks.map((n) => [n.name, n]));
  const used = new Map<string, Path>();
  const reserved = new Map<string, string>();
  // The gateways the plan gives (declared, or the default of roles that route), in one form.
  for (const n of spec.network.networks) {
    const gateway = isValidCidr(n.cidr)
      ? subnetGateway(parseCidr(n.cidr), n.role, n.gateway)
      : n.gateway;
    if (gateway) reserved.set(canonicalAddress(gateway), `the gateway of ${n.name}`);
  }
  // A host pinned at an enterprise server's address may be that server (a deployment host
  // running the DNS or time service): kept, and said.
  const served = new Map(
    enterpriseServerAddresses(spec).map((e) => [canonicalAddress(e.address), e.purpose]),
  );
  reserved.set(canonicalAddress(spec.controlPlane.vips.internal), "the internal VIP");
  if (spec.controlPlane.vips.external)
    reserved.set(canonicalAddress(spec.controlPlane.vips.external), "the external VIP");
  const names = new Set<string>();
  const racks = new Set(spec.zones.flatMap((z) => z.racks));
  const machines = new Map<string, number>();
  spec.hosts.forEach((h, i) => {
    const node = nodes.get(h.name);
    if (!node) {
      f.error(
        "unknown-host",
        ["hosts", i, "name"],
        `no server of the design is named ${JSON.stringify(h.name)}; fixed addresses belong to host names the design has (e.g. ${[...nodes.keys()].slice(0, 3).join(", ")})`,
      );
      return;
    }
    if (names.has(h.name))
      f.error("duplicate-name", ["hosts", i, "name"], `host ${h.name} is listed twice in hosts`);
    names.add(h.name);
    if (h.baremetalNode !== undefined) {
      const key = h.baremetalNode.toLowerCase();
      const first = machines.get(key);
      if (first !== undefined)
        f.error(
          "baremetal-node-duplicate",
          ["hosts", i, "baremetalNode"],
          `Ironic node ${h.baremetalNode} is already ${spec.hosts[first].name}'s (hosts[${first}]); one machine runs one host`,
        );
      else machines.set(key, i);
      if (!spec.cloud.undercloud)
        f.error(
          "baremetal-node-unused",
          ["hosts", i, "baremetalNode"],
          "an Ironic node is named, but no undercloud deploys the hosts (cloud.undercloud); remove it or declare the undercloud",
        );
      else if (node.role === "controller" && spec.controlPlane.deployment === "vm")
        f.error(
          "baremetal-node-unused",
          ["hosts", i, "baremetalNode"],
          `${h.name} is a controller, which runs as a virtual machine (controlPlane.deployment vm): Nova cannot place it on an Ironic node; remove the node`,
        );
    }
    if (h.rack !== undefined && !racks.has(h.rack))
      f.error(
        "unknown-reference",
        ["hosts", i, "rack"],
        `rack ${JSON.stringify(h.rack)} is not declared (declared: ${[...racks].sort().join(", ") || "none"}); ${node.zone ? `declare it in the racks of zone ${node.zone}, which ${h.name} stands in (zones[].racks)` : `declare it in a zone's racks (zones[].racks), or remove ${h.name}'s rack to let the plan place it`}`,
      );
    else if (h.rack !== undefined && !node.racks.includes(h.rack)) {
      // (a pool keeps its hosts to its racks, else its zone's; other groups to the racks named)
      const ofZone = spec.zones.find((z) => z.name === node.zone)?.racks.includes(h.rack);
      const field = node.pool ? undefined : RACKS_FIELD[node.role];
      f.error(
        "host-rack",
        ["hosts", i, "rack"],
        `${h.name} stands in a rack of its ${node.pool ? `pool ${node.pool}` : `${node.role} hosts`} (${node.racks.join(", ") || "none"}), not ${h.rack}: ${field ? `add ${h.rack} to ${field} or choose one of them` : ofZone ? (node.pool ? `the pool keeps its hosts to those racks of zone ${node.zone}; add ${h.rack} to the pool's racks or choose one of them` : `the ${node.role} hosts stand in those racks of zone ${node.zone}; choose one of them`) : "another zone's rack would put it at another place than its zone"}`,
      );
    }
    const joins = networksOfNode(
      node.roles,
      spec.controlPlane.vips.external !== undefined,
      gatewaysJoinApi(spec),
    );
    for (const [netName, address] of Object.entries(h.addresses).sort(([a], [b]) =>
      a < b ? -1 : 1,
    )) {
      const path: Path = ["hosts", i, "addresses", netName];
      const net = networks.get(netName);
      if (!net) {
        f.error(
          "unknown-reference",
          path,
          `network ${JSON.stringify(netName)} is not declared (declared: ${[...networks.keys()].sort().join(", ")})`,
        );
        continue;
      }
      if (!joins.has(net.role)) {
        f.error(
          "host-not-on-network",
          path,
          net.role === "external" && networksOfNode(node.roles, true).has("external")
            ? `${h.name} (${node.roles.join(", ")}) takes no address on the external network ${netName}: hosts stand there only for controlPlane.vips.external, which the design does not declare; remove this address, or declare the external VIP`
            : net.role === "external" && node.roles.includes("network")
              ? `${h.name} (${node.roles.join(", ")}) takes no address on the external network ${netName}: its routers reach it through Open vSwitch, and only the hosts of the external VIP (the controllers) stand there; remove this address (a running host keeps it until its new netplan is installed)`
              : `${h.name} (${node.roles.join(", ")}) does not join the ${net.role} network ${netName}; remove this address`,
        );
        continue;
      }
      const block = parseCidr(net.cidr);
      if (!contains(block, address)) {
        f.error("address-outside-subnet", path, `${address} is not in ${netName} (${net.cidr})`);
        continue;
      }
      const offset = offsetOf(block, address);
      if (offset < firstHostOffset(block) || offset > lastHostOffset(block)) {
        f.error(
          "address-not-host",
          path,
          `${address} is the ${offset === 0n ? "network" : "broadcast"} address of ${netName} (${net.cidr}), which no host can hold; give ${h.name} another address`,
        );
        continue;
      }
      const key = canonicalAddress(address);
      const server = served.get(key);
      if (server)
        f.warn(
          "host-at-enterprise-address",
          path,
          `${address} is the address the design gives the enterprise's ${server}: right only if ${h.name} is that server (the IP plan then leaves it to the host); else give ${h.name} another address`,
        );
      const clash = reserved.get(key);
      const other = used.get(key);
      if (clash || other)
        f.error(
          "duplicate-address",
          path,
          `${address} is already ${clash ?? `the address at ${other?.join(".")}`}; give ${h.name} another address`,
        );
      used.set(key, path);
      const range = handedOutRange(net);
      if (range && inRange(address, range.start, range.end))
        f.error(
          "address-in-floating-range",
          path,
          `${address} lies in ${netName}'s ${range.words} ${range.start}-${range.end}; Neutron would hand it out`,
        );
    }
  });
}

function inRange(address: string, start: string, end: string): boolean {
  if (address.includes(":")) return false;
  const a = addressToBigInt(address);
  return a >= addressToBigInt(start) && a <= addressToBigInt(end);
}
