import { type Spec } from "../schema";
import { poolId } from "../../core/naming";
import { addressToBigInt, contains, overlaps, parseCidr, subnetGateway } from "../../core/net";
import { cidrKey, parsed } from "./private/helpers";
import { duplicates, Findings } from "./findings";

export function legacy(spec: Spec, f: Findings) {
  const l = spec.legacyUnix;
  if (!l) return;
  // The routes go through nextHop, so every legacy subnet has its IP version.
  const hopVersion = l.nextHop.includes(":") ? 6 : 4;
  l.subnets.forEach((s, i) => {
    const version = s.includes(":") ? 6 : 4;
    if (version !== hopVersion)
      f.error(
        "legacy-ip-version",
        ["legacyUnix", "subnets", i],
        `IPv${version} subnet ${s} cannot be routed through the IPv${hopVersion} next hop ${l.nextHop}; list subnets of one IP version`,
      );
  });
  const ni = spec.network.networks.findIndex((n) => n.name === l.network);
  // The remote site's subnets are reached through the tunnel, and the bridge subnet gives its
  // ports a route to each: one on the bridge or beside a legacy subnet would send that traffic
  // the wrong way (or, for 0.0.0.0/0, take every bridge port's default route).
  if (l.vpn) {
    const local = [
      ...l.subnets.map((text) => ({ text, what: "legacy subnet" })),
      ...(ni >= 0 ? [{ text: spec.network.networks[ni].cidr, what: "bridge network" }] : []),
    ].flatMap(({ text, what }) => {
      try {
        return [{ block: parseCidr(text), text, what }];
      } catch {
        return [];
      }
    });
    l.vpn.peerCidrs.forEach((c, i) => {
      const path = ["legacyUnix", "vpn", "peerCidrs", i];
      const peer = parsed(c, path, f);
      const clash = peer && local.find((b) => overlaps(b.block, peer));
      if (clash)
        f.error(
          "legacy-vpn-peer-overlap",
          path,
          `peer CIDR ${c} overlaps the ${clash.what} ${clash.text}: the tunnel and the bridge's routes would both claim it; list the remote site's own subnets`,
        );
    });
  }
  // VPNaaS refuses an endpoint group listing one endpoint twice (_check_endpoints_unique).
  if (l.vpn)
    duplicates(
      l.vpn.peerCidrs,
      cidrKey,
      f,
      (i) => ["legacyUnix", "vpn", "peerCidrs", i],
      "peer CIDR",
      { code: "duplicate-cidr", show: (c) => c },
    );
  // VPNaaS wants every endpoint of a connection, the local subnet and the peer CIDRs, in one IP
  // version: the bridge network's when it is known, else the first peer CIDR's.
  if (l.vpn) {
    const bridge = ni >= 0 ? spec.network.networks[ni].cidr : undefined;
    const reference = bridge ?? l.vpn.peerCidrs[0];
    const expected = reference.includes(":") ? 6 : 4;
    l.vpn.peerCidrs.forEach((c, i) => {
      const version = c.includes(":") ? 6 : 4;
      if (version !== expected)
        f.error(
          "legacy-ip-version",
          ["legacyUnix", "vpn", "peerCidrs", i],
          `IPv${version} peer CIDR ${c}, but the ${bridge ? `local subnet ${bridge}` : `first peer CIDR ${reference}`} is IPv${expected}; VPNaaS needs every endpoint of a connection in one IP version`,
        );
    });
  }
  if (ni < 0) return;
  const net = spec.network.networks[ni];
  if (net.role !== "provider")
    f.error(
      "legacy-network-role",
      ["legacyUnix", "network"],
      `the legacy bridge network ${net.name} must have role provider (a VLAN that reaches the UNIX systems), not ${net.role}`,
    );
  // The flows' security groups are shared with the flows' tenants alone: a bridge every project
  // may attach to would reach the legacy subnets past them.
  if (net.shared)
    f.error(
      "legacy-network-shared",
      ["network", "networks", ni, "shared"],
      `the legacy bridge network ${net.name} is shared with every project: any project's instance could attach there and reach the legacy subnets past the declared flows; remove shared: true (the tenants of the flows get it by RBAC)`,
    );
  if (net.vlan === undefined)
    f.warn(
      "legacy-network-vlan",
      ["network", "networks", ni, "vlan"],
      `the legacy bridge network ${net.name} has no VLAN; it will be a flat network`,
    );
  try {
    const c = parseCidr(net.cidr);
    if (!contains(c, l.nextHop))
      f.error(
        "address-outside-network",
        ["legacyUnix", "nextHop"],
        `next hop ${l.nextHop} is outside the bridge network ${net.name} (${net.cidr})`,
      );
    // The cloud's legacy router takes the bridge subnet's gateway address for its interface.
    const gateway = subnetGateway(c, net.role, net.gateway);
    if (gateway !== undefined && addressToBigInt(gateway) === addressToBigInt(l.nextHop))
      f.error(
        "legacy-next-hop",
        ["legacyUnix", "nextHop"],
        `next hop ${l.nextHop} is the gateway of the bridge network ${net.name}, which the cloud's legacy router takes; set nextHop to the legacy side's router`,
      );
  } catch {
    /* reported by the CIDR rule */
  }
  // Terraform keeps a sensitive variable's value in the state as it is: the local backend's
  // state file lies in the output folder.
  if (l.vpn && spec.output.backend.type === "local")
    f.warn(
      "legacy-vpn-psk-state",
      ["legacyUnix", "vpn"],
      "the IPsec pre-shared key is a sensitive variable, but Terraform stores its value in plain text in the platform stack's state, which the local backend keeps in the output folder (terraform/platform/terraform.tfstate); set output.backend to a remote one whose store encrypts at rest and limits who reads it",
    );
  // Reading remote state takes the whole state object: the tenants' network stacks read the
  // platform's outputs so, and whoever may read them reads the key too.
  const stacks = spec.output.tenantStacks;
  if (l.vpn && typeof stacks === "object" && stacks.networkCredentials === "project")
    f.warn(
      "legacy-vpn-psk-project-stacks",
      ["output", "tenantStacks", "networkCredentials"],
      "the tenants' network stacks, applied by members of their projects, read the platform stack's outputs through its state (terraform_remote_state), and access to a state is to all of it: the platform's state holds the IPsec pre-shared key in plain text, so whoever runs a network stack can read the key; apply the network stacks with the admin entry (networkCredentials: admin), or accept that their runners are trusted with the key",
    );
  if (l.vpn && !spec.network.networks.some((n) => n.role === "external"))
    f.error(
      "network-missing",
      ["legacyUnix", "vpn"],
      "the legacy VPN runs on a router with an external gateway; declare a network with role external",
    );
  // A flow naming no pools is every tenant's: the widest grant, by leaving a field out.
  // (by zone and name: two zones may each have a pool of one name)
  const pools = spec.zones.flatMap((z) => z.pools.map((p) => poolId(z.name, p.name))).sort();
  if (pools.length > 1)
    l.flows.forEach((flow, fi) => {
      if (flow.pools.length === 0)
        f.warn(
          "legacy-flow-every-pool",
          ["legacyUnix", "flows", fi],
          `flow ${flow.name} names no pools, so the tenants of every pool (${pools.join(", ")}) get the bridge network and its security group, and reach ${flow.systems.join(", ")} on ${flow.protocol} ${flow.port}; name the pools whose workloads take part (pools)`,
        );
    });
  // A router with the bridge's gateway routes the legacy subnets for its instances, and with a
  // gateway for the VPN it routes them for whatever reaches it there too: Neutron's routers
  // forward between all their ports, and a project may route to it (an extra route).
  if (l.vpn && l.subnetGateway)
    f.warn(
      "legacy-router-open",
      ["legacyUnix", "subnetGateway"],
      `the legacy router holds the bridge subnet's gateway, so it routes the legacy subnets ${l.subnets.join(", ")} to the next hop, and it has a gateway on the external network for the VPN: anything there that sends to it reaches those subnets past the flows' security groups (a project's router by an extra route through the legacy router's address, which Neutron lets a project member add), from that network's addresses; admit at the legacy side's firewall only the declared flows from the bridge network's subnet, or drop subnetGateway (the instances then reach the next hop by their host routes, and the router routes nothing to the legacy subnets)`,
    );
  // Systems stand on the legacy subnets, or at the remote site behind the tunnel: the bridge's
  // routes and the flows' groups reach both alike.
  const reached = [...l.subnets, ...(l.vpn?.peerCidrs ?? [])];
  const subnets = reached.flatMap((s) => {
    try {
      return [parseCidr(s)];
    } catch {
      return [];
    }
  });
  // A tunnel no flow uses carries nothing: the flows' groups open ports to systems alone.
  if (l.vpn) {
    const remote = l.vpn.peerCidrs.flatMap((t) => {
      try {
        return [parseCidr(t)];
      } catch {
        return [];
      }
    });
    const behind = new Set(
      l.systems.filter((s) => remote.some((c) => contains(c, s.address))).map((s) => s.name),
    );
    if (!l.flows.some((fl) => fl.systems.some((name) => behind.has(name))))
      f.warn(
        "legacy-vpn-unused",
        ["legacyUnix", "vpn"],
        `no flow reaches a system behind the VPN (${l.vpn.peerCidrs.join(", ")}): the flows' security groups open ports to their systems alone, so the tunnel carries nothing; declare the remote site's systems and their flows, or remove the VPN`,
      );
  }
  l.systems.forEach((s, i) => {
    if (!subnets.some((c) => contains(c, s.address))) {
      f.error(
        "address-outside-network",
        ["legacyUnix", "systems", i, "address"],
        `${s.name} at ${s.address} is outside the legacy subnets ${l.subnets.join(", ")}${l.vpn ? ` and the VPN's peer CIDRs ${l.vpn.peerCidrs.join(", ")}` : ""}`,
      );
    }
  });
}
