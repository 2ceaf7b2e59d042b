import { withFigures } from "../model/figures";
import { KERNEL_MEMORY_SHARE } from "../model/capacity";
import type { FirewallRuleModel, LifecycleItem, Model } from "../model/types";
import { trunkedVlans } from "../model/switches";
import type { InspectedStack } from "../synth/app";
import Handlebars from "handlebars";
import { markdownCode, markdownParagraphs, markdownText } from "../core/markdown";
import type { DesignPoint } from "../blueprints/blueprint";
import type { Diagram } from "./diagrams";
import { designView } from "./design-view";
import { fmt, fmtAddresses } from "./numbers";
import { portText } from "../core/port-range";

export interface TerraformInventory {
  readonly stacks: readonly { name: string; file: string; resources: number }[];
  readonly byType: readonly { type: string; count: number }[];
  readonly total: number;
}

/** Counts the resources of the synthesized stacks by type, for the document's Terraform chapter. */
export function terraformInventory(stacks: readonly InspectedStack[]): TerraformInventory {
  const byType = new Map<string, number>();
  const rows = stacks.map((s) => {
    let resources = 0;
    const json = s.config as { resource?: Record<string, Record<string, unknown>> };
    for (const [type, items] of Object.entries(json.resource ?? {})) {
      const n = Object.keys(items).length;
      resources += n;
      byType.set(type, (byType.get(type) ?? 0) + n);
    }
    return { name: s.name, file: s.file, resources };
  });
  return {
    stacks: rows,
    byType: [...byType.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([type, count]) => ({ type, count })),
    total: rows.reduce((sum, r) => sum + r.resources, 0),
  };
}

/** What the logical diagram connects besides users and APIs, as catalog keys (`logical.part.*`). */
export function logicalParts(model: Model): string[] {
  const s = model.storage;
  return [
    "compute",
    ...(s.ceph || s.swift || s.backends.length ? ["storage"] : []),
    ...(model.identity.domains.some((d) => d.ldap) ? ["directory"] : []),
    ...(model.ntp ? ["ntp"] : []),
    ...(model.legacyUnix ? ["legacy"] : []),
  ].map((p) => `logical.part.${p}`);
}

/** Customer, project, version and author as every document shows them. */
export function metadataView(model: Model) {
  const md = markdownText;
  return {
    customer: md(model.metadata.customer),
    project: md(model.metadata.project),
    version: md(model.metadata.version),
    author: model.metadata.author ? md(model.metadata.author) : "",
  };
}

/** The data the templates see: figures straight from the model, user text escaped for Markdown. */
export function documentViewModel(
  model: Model,
  inventory: TerraformInventory,
  designPoints: readonly DesignPoint[] = [],
  diagramList: readonly Diagram[] = [],
  /** The document language's punctuation: between names of a list, a count and its size, clauses. */
  punct: { list: string; times: string; semicolon: string } = {
    list: ", ",
    times: " x ",
    semicolon: "; ",
  },
) {
  const sep = punct.list;
  const md = markdownText;
  const hardware = new Map(model.hardware.map((h) => [h.name, h]));
  const design = designView(model);
  return {
    ...design,
    meta: {
      ...metadataView(model),
      description: model.metadata.description ? markdownParagraphs(model.metadata.description) : "",
      blueprint: model.blueprint,
      cloud: md(model.cloud.cloud),
      region: md(model.cloud.region),
    },
    summary: {
      zones: model.capacity.availabilityZones,
      pools: model.pools.length,
      controllers: model.controlPlane.controllers.length,
      ha: model.controlPlane.ha,
      computeHosts: fmt(model.capacity.hosts),
      nodes: fmt(model.nodes.length),
      networks: model.networks.length,
      vcpus: fmt(model.capacity.schedulableVcpus),
      usableVcpus: fmt(model.capacity.usableVcpus),
      dedicatedCpus: fmt(model.capacity.dedicatedCpus),
      // (the figure the proposal states)
      hasDedicated: model.capacity.dedicatedCpus > 0,
      usableDedicatedCpus: fmt(model.capacity.usableDedicatedCpus),
      ramGiB: fmt(model.capacity.schedulableRamGiB),
      usableRamGiB: fmt(model.capacity.usableRamGiB),
      cephUsableTB: model.storage.ceph ? fmt(model.storage.ceph.usableTB) : "",
      swiftUsableTB: model.storage.swift ? fmt(model.storage.swift.usableTB) : "",
      resources: fmt(inventory.total),
      diskPools: model.pools.filter((p) => p.capacity.diskBound?.caps).map((p) => p.id),
      devicePools: model.pools.filter((p) => p.capacity.deviceBound?.binds).map((p) => p.id),
    },
    sites: model.sites.map((site) => ({
      name: site.name,
      region: site.region === undefined ? "" : md(site.region),
      description: site.description === undefined ? "" : md(site.description),
      zones: site.zones,
      racks: site.racks,
      servers: fmt(site.servers),
    })),
    // The share of installed memory the capacity counts, as the kernel reports it.
    memoryVisiblePercent: fmt(Math.round((1 - KERNEL_MEMORY_SHARE) * 100)),
    zones: model.zones.map((z) => ({
      name: z.name,
      site: z.site ?? "",
      racks: z.racks.join(sep),
      pools: model.pools
        .filter((p) => p.zone === z.name)
        .map((p) => ({
          id: p.id,
          name: p.name,
          purposeKind: p.purpose.kind,
          purposeValue: md(p.purpose.value),
          purposeStage: p.purpose.stage ?? "",
          hosts: fmt(p.capacity.hosts),
          spare: fmt(p.capacity.spareHosts),
          hardware: p.hardware,
          cores: fmt(p.capacity.physicalCores),
          threads: fmt(p.capacity.threads),
          // (a pinned pool's guests take dedicated CPUs one to one: no ratio applies)
          cpuRatio: p.cpuPinning ? "—" : fmt(p.cpuAllocationRatio),
          ramRatio: fmt(p.ramAllocationRatio),
          vcpus: fmt(p.capacity.schedulableVcpus),
          dedicated: fmt(p.capacity.dedicatedCpus),
          ramGiB: fmt(p.capacity.schedulableRamGiB),
          usableVcpus: fmt(p.capacity.usableCpus),
          usableRamGiB: fmt(p.capacity.usableRamGiB),
          pinning: p.cpuPinning,
          flavors: p.flavors.map((f) => ({
            ...f,
            ramGiB: fmt(f.ramMiB / 1024),
            accelerators: (f.accelerators ?? [])
              .map((a) => `${fmt(a.count)} × ${a.name}`)
              .join(sep),
          })),
          acceleratedFlavors: p.flavors.some((f) => f.accelerators),
          numaNodes: p.capacity.numaNodes && numaView(p.capacity.numaNodes),
          diskCaps: p.capacity.diskBound?.caps ?? false,
          diskBound: p.capacity.diskBound
            ? {
                vcpus: fmt(p.capacity.diskBound.vcpus),
                ramGiB: fmt(p.capacity.diskBound.ramGiB),
                diskGiB: fmt(p.capacity.diskBound.diskGiB),
                devices: Boolean(p.capacity.deviceBound),
              }
            : undefined,
          // (said where the devices hold the guests back: deviceBound.binds)
          deviceBound: p.capacity.deviceBound?.binds
            ? {
                vcpus: fmt(p.capacity.deviceBound.vcpus),
                ramGiB: fmt(p.capacity.deviceBound.ramGiB),
              }
            : undefined,
          // (the devices as the hardware names them: alias, model, PCI ids)
          accelerators: (p.capacity.accelerators ?? []).map((a) => {
            const device = hardware.get(p.hardware)?.accelerators?.find((d) => d.name === a.name);
            return {
              name: a.name,
              model: device?.model ? md(device.model) : "",
              ids: device ? `${device.vendorId}:${device.productId}` : "",
              perHost: fmt(a.perHost),
              total: fmt(a.total),
              usable: fmt(a.usable),
            };
          }),
        })),
    })),
    // What the design says each network is for, listed under the IP plan (too wide for a column).
    networkPurposes: model.networks.some((n) => n.description),
    networks: model.networks.map((n) => ({
      name: n.name,
      description: n.description ? md(n.description) : "",
      role: n.role,
      cidr: n.cidr,
      vlan: n.vlan ?? "",
      physicalNetwork: n.physicalNetwork ?? "",
      type: n.networkType,
      gateway: n.gateway ?? "",
      mtu: n.mtu,
      routable: n.routable,
      pool: n.allocationPool ? `${n.allocationPool.start} - ${n.allocationPool.end}` : "",
      reservations: n.reservations.map((r) => ({
        address: r.address,
        kind: r.kind,
        subject: md(r.subject ?? ""),
      })),
      allocated: fmt(n.allocatedAddresses),
      usable: fmtAddresses(n.usableAddresses),
    })),
    // Who may attach to each provider network: everyone, the tenants given it, or the admin alone.
    providerAccess: model.networks
      .filter((n) => n.role === "provider")
      .map((n) => {
        const legacy = n.name === model.legacyUnix?.network;
        const tenants = legacy
          ? model.tenants.filter((t) => t.legacyGroups.length)
          : model.tenants.filter((t) => n.tenants.includes(t.id));
        return {
          name: n.name,
          kind: n.shared
            ? tenants.length
              ? "sharedListed"
              : "shared"
            : !tenants.length
              ? "admin"
              : legacy
                ? "legacy"
                : "tenants",
          tenants: tenants.map((t) => md(t.name)),
        };
      }),
    tenantNetwork: {
      type: model.network.tenantNetworkType,
      mtu: model.network.tenantMtu,
      overhead: model.network.encapsulationOverhead,
      tunnel: model.network.tunnelMtu,
      ...tenantSegments(model.network),
    },
    vips: model.vips,
    nodes: model.nodes.map((n) => ({
      name: n.name,
      fqdn: n.fqdn,
      role: n.role,
      roles: n.roles,
      zone: n.zone ?? "",
      pool: n.pool ?? "",
      rack: n.rack ?? "",
      hardware: n.hardware,
      addresses: Object.entries(n.addresses)
        .map(([net, a]) => `${net} ${a}`)
        .join(sep),
    })),
    inventory: model.inventory.map((row) => {
      const h = hardware.get(row.hardware);
      return {
        ...row,
        count: fmt(row.count),
        colocated: Object.entries(row.colocated).map(([role, count]) => ({
          role,
          count: fmt(count),
        })),
        spec: h
          ? `${h.vendorModel ? `${markdownText(h.vendorModel)}, ` : ""}${h.sockets}x${h.coresPerSocket}C/${h.threads}T, ${h.memoryGiB} GiB${(h.accelerators ?? []).map((a) => `, ${a.count}x ${a.model ? markdownText(a.model) : a.name}`).join("")}`
          : "",
      };
    }),
    controlPlane: {
      ...model.controlPlane,
      controllers: model.controlPlane.controllers.join(sep),
      services: model.controlPlane.services.join(sep),
      flavor: md(model.controlPlane.flavor),
      // The flavor and image are the undercloud's; without one the hosts already exist.
      booted: model.undercloud !== undefined,
      image: md(model.controlPlane.image),
    },
    // Several controllers: their services live only as long as the database's and queue's quorums.
    quorumBound:
      model.controlPlane.controllers.length > 1 ? model.deploy.neutron.mechanism : undefined,
    ha: model.ha.map((r, i) => ({
      ...r,
      nodes: fmt(r.nodes),
      component: md(r.component),
      params: { ...r.params },
      availability: design.haAvailability[i],
    })),
    ports: model.ports.map((p) => ({ ...p, service: md(p.service) })),
    ceph: model.storage.ceph
      ? {
          ...model.storage.ceph,
          protection: { ...model.storage.ceph.protection },
          rawTB: fmt(model.storage.ceph.rawTB),
          usableTB: fmt(model.storage.ceph.usableTB),
          osdList: model.storage.ceph.deviceClasses
            .map((c) => `${fmt(c.osds)}${punct.times}${fmt(c.osdSizeTB)} TB (${c.deviceClass})`)
            .join(sep),
          deviceClasses: model.storage.ceph.deviceClasses.map((c) => ({
            ...c,
            osds: fmt(c.osds),
            rawTB: fmt(c.rawTB),
            usableTB: fmt(c.usableTB),
          })),
          usableAtNearfullTB: fmt(model.storage.ceph.usableAtNearfullTB),
          usableToRecoverTB:
            model.storage.ceph.usableToRecoverTB === undefined
              ? undefined
              : fmt(model.storage.ceph.usableToRecoverTB),
          nodeCount: model.storage.ceph.nodes.length,
          // The pools pools.sh makes: on erasure-coded Ceph an RBD pool keeps its images'
          // metadata, replicated, and their data in an erasure-coded pool of its own.
          pools: model.storage.ceph.pools.flatMap((p) => {
            const made = model.deploy.ceph?.pools.find((d) => d.name === p.name);
            const protection = made?.protection ?? model.storage.ceph?.protection;
            const row = {
              name: p.name,
              application: p.application,
              osdClass: p.osdClass,
              dataShare: made?.dataPool ? "" : p.dataShare,
              protection: { ...protection },
              pgNum: made?.pgNum ?? p.pgNum,
              ...(made?.dataPool ? { metadataOf: made.dataPool.name } : {}),
            };
            const data = made?.dataPool;
            return data
              ? [
                  row,
                  {
                    name: data.name,
                    application: p.application,
                    osdClass: p.osdClass,
                    dataShare: p.dataShare,
                    protection: { ...data.protection },
                    pgNum: data.pgNum,
                  },
                ]
              : [row];
          }),
          // Where the spinning OSDs keep RocksDB: the disks their spec takes, or their own.
          rocksDb: model.deploy.ceph?.osdSpecs
            .filter((o) => o.rotational)
            .map((o) => ({
              deviceClass: o.deviceClass,
              disks: (o.dbDisks ?? []).map(
                (d) => `${fmt(d.count)}${punct.times}${fmt(d.sizeGB)} GB ${d.kind}`,
              ),
              perOsdGB: o.dbGBPerOsd === undefined ? undefined : fmt(o.dbGBPerOsd),
            })),
        }
      : undefined,
    swift: model.storage.swift
      ? {
          ...model.storage.swift,
          rawTB: fmt(model.storage.swift.rawTB),
          usableTB: fmt(model.storage.swift.usableTB),
          proxyCount: model.storage.swift.proxies.length,
          storageCount: model.storage.swift.storageNodes.length,
          containers: model.storage.swift.containers.map((c) => ({ ...c, name: md(c.name) })),
        }
      : undefined,
    backends: model.storage.backends.map((b) => ({
      ...b,
      volumeType: md(b.volumeType),
      description: b.description ? md(b.description) : "",
    })),
    // LVM and ZFS volume groups: the disks each takes per host, as the model counts them.
    volumeServers: model.storage.backends.flatMap((b) =>
      b.volumeDisks
        ? [
            {
              name: b.name,
              kind: b.kind,
              hosts: fmt(b.hosts.length),
              disks: b.volumeDisks.profiles
                .map((p) =>
                  [
                    ...p.disks.map(
                      (d) => `${fmt(d.count)}${punct.times}${fmt(d.sizeGB / 1000)} TB ${d.kind}`,
                    ),
                    ...(p.disks.length ? [] : ["0"]),
                  ].join(" + "),
                )
                .join(punct.semicolon),
              systemTakesOne: b.volumeDisks.profiles.some((p) => p.systemTakesOne),
              rawTB: fmt(b.volumeDisks.rawTB),
              largestVolumeTB: fmt(b.volumeDisks.largestVolumeTB),
            },
          ]
        : [],
    ),
    storageChoices: {
      image: model.storage.imageBackend,
      ephemeral: model.storage.ephemeralBackend,
    },
    terraform: inventory,
    scopeStacks: inventory.stacks.map((s) => s.name).join(sep),
    identity: {
      // Only a directory-backed domain has a Keystone domain file to speak of.
      directories: model.identity.domains.some((d) => d.ldap),
      domains: model.identity.domains.map((d) => ({
        name: d.name,
        description: d.description ? md(d.description) : "",
        ldap: d.ldap
          ? {
              url: md(d.ldap.url),
              userTreeDn: md(d.ldap.userTreeDn),
              groupTreeDn: md(d.ldap.groupTreeDn),
              tls: d.ldap.transport !== "plain",
              activeDirectory: d.ldap.activeDirectory,
            }
          : undefined,
      })),
      // Who a directory admits, where the design narrows it.
      filters: model.identity.domains.flatMap((d) =>
        d.ldap?.userFilter || d.ldap?.groupFilter
          ? [
              {
                domain: d.name,
                // Markdown already: the catalog helper fills it in as it is.
                ...(d.ldap.userFilter
                  ? { userFilter: new Handlebars.SafeString(markdownCode(d.ldap.userFilter)) }
                  : {}),
                ...(d.ldap.groupFilter
                  ? { groupFilter: new Handlebars.SafeString(markdownCode(d.ldap.groupFilter)) }
                  : {}),
              },
            ]
          : [],
      ),
      mappings: model.identity.assignments.map((a) => ({
        domain: a.groupDomain,
        group: md(a.group),
        role: md(a.role),
        // A grant on a domain gives no access to its projects: the kind is said with the name.
        scopeKind: a.tenant === undefined ? "domain" : "project",
        scope:
          a.tenant === undefined
            ? (a.domain ?? a.groupDomain)
            : md(model.tenants.find((t) => t.id === a.tenant)?.name ?? a.tenant),
      })),
    },
    ntp: model.ntp
      ? {
          servers: model.ntp.servers.join(sep),
          orphan: model.ntp.peers.length > 0,
          sources: Object.entries(model.ntp.sources).map(([role, sources]) => ({
            role,
            sources: (sources ?? []).join(sep),
          })),
        }
      : undefined,
    legacy: model.legacyUnix
      ? {
          network: model.legacyUnix.network,
          subnets: model.legacyUnix.subnets.join(sep),
          nextHop: model.legacyUnix.nextHop,
          subnetGateway: model.legacyUnix.subnetGateway,
          routerAddress: model.legacyUnix.routerAddress,
          hostRoutes: model.legacyUnix.hostRoutes,
          systems: model.legacyUnix.systems.map((x) => ({
            ...x,
            os: md(x.os),
            description: x.description ? md(x.description) : "",
          })),
          flows: model.legacyUnix.flows.map((f) => ({
            ...f,
            systems: f.systems.join(sep),
            pools: f.pools.length ? f.pools.join(sep) : "*",
          })),
          vpn: model.legacyUnix.vpn
            ? {
                peerAddress: model.legacyUnix.vpn.peerAddress,
                peerCidrs: model.legacyUnix.vpn.peerCidrs.join(sep),
                localSubnet: model.legacyUnix.vpn.localSubnet,
                ike: model.legacyUnix.vpn.ike,
                ipsec: model.legacyUnix.vpn.ipsec,
                dpd: model.legacyUnix.vpn.dpd,
              }
            : undefined,
        }
      : undefined,
    // Volume quotas only where Cinder runs: without it the stacks set none.
    tenantVolumes: model.controlPlane.services.includes("cinder"),
    // Octavia's quota, which each tenant's stack sets (Octavia's own default is unlimited).
    tenantLoadBalancers: model.controlPlane.services.includes("octavia"),
    // What the design says each tenant is for, listed under the table (too wide for a column).
    tenantPurposes: model.tenants.some((t) => t.description),
    tenants: model.tenants.map((t) => ({
      id: t.id,
      name: md(t.name),
      description: t.description ? md(t.description) : "",
      domain: t.domain ?? "default",
      pool: t.pool ?? "",
      stack: t.stack,
      // Its own subnet, then the provider networks it is given, and the legacy bridge where its
      // pools take part in a flow.
      networks: [
        ...(t.network ? [t.network.cidr] : []),
        ...t.providerNetworks,
        ...(t.legacyGroups.length && model.legacyUnix ? [model.legacyUnix.network] : []),
      ],
      // Grouped as every other figure of the document (40,000 GiB, not 40000).
      instances: fmt(t.quota.instances),
      cores: fmt(t.quota.cores),
      ramGiB: fmt(t.quota.ramGiB),
      volumes: fmt(t.quota.volumes),
      volumeGiB: fmt(t.quota.volumeGiB),
      floatingIps: fmt(t.quota.floatingIps),
      loadBalancers: fmt(t.quota.loadBalancers),
      groups: t.groups.map((g) => `${md(g.name)} (${md(g.role)})`).join(sep),
      baseGroup: t.baseGroup,
      tiersOpen: (t.tiers ?? []).length > 0 && t.baseGroupOpen,
      tiers: (t.tiers ?? []).map((g) => ({
        name: g.name,
        group: g.neutronName ?? g.name,
        rules: g.rules.map((r) => ({
          protocol: r.protocol,
          port: r.portMin === undefined ? "*" : portText({ port: r.portMin, toPort: r.portMax }),
          ethertype: r.ethertype,
          source: r.remoteIpPrefix ?? "",
          sourceTier: r.remoteGroup ?? "",
        })),
      })),
    })),
    tenantTiers: model.tenants.some((t) => t.tiers),
    securityGroups: model.securityGroups.map((g) => ({
      name: md(g.neutronName ?? g.name),
      rules: g.rules.map((r) => ({
        ...r,
        ports:
          r.portMin === undefined
            ? "*"
            : r.portMin === r.portMax
              ? String(r.portMin)
              : `${r.portMin}-${r.portMax}`,
        source: r.remoteIpPrefix ?? "",
        // (by its name in Neutron, as its heading gives it)
        sourceGroup: md(
          model.securityGroups.find((o) => o.name === r.remoteGroup)?.neutronName ??
            r.remoteGroup ??
            "",
        ),
        description: md(r.description),
      })),
    })),
    // Each tenant's base group, as its stack makes it.
    tenantGroups: model.tenants.map((t) => ({
      tenant: md(t.name),
      group: md(t.baseGroup),
      rules: t.baseRules.map((r) => ({
        protocol: r.protocol ?? "",
        port: r.port === undefined ? "*" : String(r.port),
        ethertype: r.ethertype,
        source: r.remoteIpPrefix ?? "",
      })),
    })),
    legacyGroups: (model.legacyUnix?.groups ?? []).map((g) => ({
      name: md(g.neutronName),
      direction: g.direction,
      pools: g.pools.join(sep),
      poolCount: g.pools.length,
      rules: (model.legacyUnix?.rules ?? [])
        .filter((r) => r.group === g.key)
        .map((r) => ({
          protocol: r.protocol,
          port: String(r.port),
          address: r.remoteIpPrefix,
          systems: r.systems.map(md).join(sep),
          flows: r.flows.map(md).join(sep),
        })),
    })),
    firewall: firewallView(model, md, sep),
    diagrams: Object.fromEntries(diagramList.map((d) => [d.id, { id: d.id, mermaid: d.mermaid }])),
    logicalParts: logicalParts(model),
    designPoints: designPoints.map((d) => {
      const text =
        (model.metadata.language !== "en" && d.translations?.[model.metadata.language]) || d;
      return {
        id: d.id,
        title: md(withFigures(text.title, model)),
        realization: md(withFigures(text.realization, model)),
        landsIn: d.landsIn,
        // The blueprint's reference design may hold more than this spec: say what is missing.
        unmet: md((d.needs?.(model) ?? []).join(sep)),
      };
    }),
    lifecycle: lifecycleView(model, sep),
    hostBonds: hostBondsView(model, sep),
    hostNetworking: hostNetworkingView(model),
    hostRoutes: hostRoutesView(model, sep),
    ovsUplinks: ovsUplinksView(model, sep),
    switchesNative: model.switches.some((s) => s.native),
    switches: model.switches.map((s) => ({
      name: s.name,
      rack: s.rack ?? "",
      link: s.link,
      networks: s.networks.map((name) => ({
        name,
        untagged: s.untagged?.includes(name) ?? false,
        roles: s.native?.find((x) => x.network === name)?.roles ?? [],
      })),
      vlans: trunkedVlans([s]).join(sep) || "-",
      hostPorts: s.hostPorts,
      portSpeed: s.portSpeedGbps ? `${s.portSpeedGbps} Gb/s` : "-",
      mtu: s.mtu,
    })),
  };
}

/**
 * The segment ids tenant networks draw from: VNIs of an overlay, VLANs of a physical network.
 * The kind names a label (`networks.segments.*`); the ids and physical network follow it.
 */
function tenantSegments(n: Model["network"]): {
  segmentsKind: "vlan" | "gre" | "vni" | "";
  segments: string;
} {
  const physnet = n.tenantPhysicalNetwork ? `(${markdownText(n.tenantPhysicalNetwork)})` : "";
  const join = (...parts: string[]) => parts.filter(Boolean).join(" ");
  if (n.tenantNetworkType === "vlan")
    return {
      segmentsKind: "vlan",
      segments: join(
        n.tenantVlanRange ? `${n.tenantVlanRange.min}-${n.tenantVlanRange.max}` : "",
        physnet,
      ),
    };
  if (n.tenantNetworkType === "flat") return { segmentsKind: "", segments: physnet };
  // GRE has tunnel keys (Neutron's tunnel_id_ranges), VXLAN and Geneve VNIs.
  return {
    segmentsKind: n.tenantNetworkType === "gre" ? "gre" : "vni",
    segments: `${n.vniRange.min}-${n.vniRange.max}`,
  };
}

/**
 * Code spans of lifecycle items, built from their parameters: inside one, a Markdown escape
 * shows as a backslash (`Region\_One`), so the span is made around the text as it is.
 */
const LIFECYCLE_CODE: Readonly<
  Record<string, Readonly<Record<string, (p: LifecycleItem["params"]) => string>>>
> = {
  "kolla-passwords": {
    ownDir: (p) => `sudo mkdir -p ${p.dir} && sudo chown $USER:$USER ${p.dir}`,
    privateFile: (p) => `chmod 600 ${p.dir}/passwords.yml`,
  },
  "clouds-entry": {
    // A script file (deploy/clouds-entry.py): a long command copied from a PDF breaks.
    command: (p) => `python3 ${p.script}`,
  },
  // (a variable name keeps its underscores in code, where Markdown escapes would show)
  "octavia-heartbeat-key": { variableCode: (p) => String(p.variable) },
  "container-registry-ceph": {
    bootstrap: (p) => `cephadm --image ${p.address}/ceph/ceph:<tag> bootstrap ...`,
  },
  "application-credential": {
    // Without --role it carries every role of its creator's token: an operator who is also in
    // the project would hand the stack admin, which the default policies read as cloud-wide.
    // (an expiry bounds a leaked secret; a date a year ahead is the operator's to pick)
    createCommand: (p) =>
      `openstack application credential create --role member --expiration <YYYY-MM-DDTHH:MM:SS> ${p.credential}`,
    regionSetting: (p) => `region_name: ${p.region}`,
  },
};

/** The lifecycle stages, user text in their parameters escaped. */
function lifecycleView(model: Model, sep: string) {
  const item = (i: LifecycleItem) => ({
    kind: i.kind,
    params: Object.fromEntries([
      ...Object.entries(i.params).map(([k, v]) => [
        k,
        typeof v === "number" ? v : typeof v === "string" ? markdownText(v) : v.map(markdownText),
      ]),
      // Markdown already: the catalog helper fills it in as it is.
      ...Object.entries(LIFECYCLE_CODE[i.kind] ?? {}).map(([k, f]) => [
        k,
        new Handlebars.SafeString(markdownCode(f(i.params))),
      ]),
    ]),
  });
  return model.lifecycle.map((s) => ({
    id: s.id,
    tool: s.tool,
    cloud: s.clouds.map(markdownText).join(sep),
    folders: s.folders.join(sep),
    prerequisites: s.prerequisites.map(item),
    commands: s.commands,
    skipped: s.skipped ? item(s.skipped) : undefined,
  }));
}

/**
 * Host routes by role: the default route, and what goes by the management gateway when the
 * default leaves by another network (the enterprise's servers, answers from the management address).
 */
function hostRoutesView(model: Model, sep: string) {
  const rows = new Map<
    string,
    {
      role: string;
      gateway: string;
      defaultReplies: boolean;
      /** The network whose gateway takes the internal VIP's answers (table 102), when any. */
      apiReplies: string;
      management: string;
      replies: boolean;
      hosts: number;
    }
  >();
  for (const n of model.nodes) {
    const gateway = n.defaultGateway
      ? `${markdownText(n.defaultGateway.network)} (${n.defaultGateway.address})`
      : "-";
    const management = n.routes.map((r) => r.to).join(sep);
    const replies = n.managementReplies !== undefined;
    const defaultReplies = n.defaultReplies !== undefined;
    const apiReplies = n.apiReplies
      ? `${markdownText(n.apiReplies.network)} (${n.apiReplies.via})`
      : "";
    const key = `${n.role}\u0000${gateway}\u0000${management}\u0000${replies}\u0000${defaultReplies}\u0000${apiReplies}`;
    const row = rows.get(key) ?? {
      role: n.role,
      gateway,
      defaultReplies,
      apiReplies,
      management,
      replies,
      hosts: 0,
    };
    row.hosts++;
    rows.set(key, row);
  }
  return [...rows.values()];
}

/**
 * The firewall's rules by direction, each with the tenant routers whose policy holds it: every
 * one, those of the tenants it was declared for (a legacy flow's pools, a tenant's own SSH
 * sources), or none (a flow no tenant's pool takes part in: inside-ingress only).
 */
function firewallView(model: Model, md: (text: string) => string, sep: string) {
  const firewall = model.securityZones.firewall;
  if (!firewall) return undefined;
  const policies = firewall.tenantPolicies;
  const row = (r: FirewallRuleModel, tenants: readonly string[]) => ({
    protocol: r.protocol,
    ipVersion: r.ipVersion,
    // Where from (outside to inside), or where to (a restricted tenant's inside to outside).
    peer: r.destinationIpAddress ?? r.sourceIpAddress ?? "*",
    port:
      r.destinationPort === undefined
        ? "*"
        : portText({ port: r.destinationPort, toPort: r.destinationPortMax }),
    description: md(r.description),
    every: policies.length > 0 && tenants.length === policies.length,
    none: tenants.length === 0,
    tenants: md(tenants.join(sep)),
  });
  const byKey = (rules: (p: (typeof policies)[number]) => readonly FirewallRuleModel[]) => {
    const out = new Map<string, { rule: FirewallRuleModel; tenants: string[] }>();
    for (const p of policies)
      for (const r of rules(p)) {
        const entry = out.get(r.key) ?? { rule: r, tenants: [] };
        entry.tenants.push(p.tenant);
        out.set(r.key, entry);
      }
    return out;
  };
  const own = byKey((p) => p.ownRules);
  const ownEgress = byKey((p) => p.egress ?? []);
  return [
    {
      direction: "ingress",
      rules: [
        ...firewall.ingress.map((r) =>
          row(
            r,
            policies.filter((p) => p.platformRules.includes(r.key)).map((p) => p.tenant),
          ),
        ),
        ...[...own.values()].map((e) => row(e.rule, e.tenants)),
      ],
    },
    {
      direction: "egress",
      rules: [
        // (a tenant restricting what its instances open holds its own rules instead)
        ...firewall.egress.map((r) =>
          row(
            r,
            policies.filter((p) => !p.egress).map((p) => p.tenant),
          ),
        ),
        ...[...ownEgress.values()].map((e) => row(e.rule, e.tenants)),
      ],
      // (restricted tenants of no rule at all, not even DNS: no row names them)
      closed: md(
        policies
          .filter((p) => p.egress?.length === 0)
          .map((p) => p.tenant)
          .join(sep),
      ),
    },
  ];
}

/** Bonds by role and hardware: their ports (all Ethernet ports without nicNames), mode and MTU. */
function hostBondsView(model: Model, sep: string) {
  const rows = new Map<
    string,
    {
      role: string;
      hardware: string;
      bond: string;
      ports: string;
      everyPort: boolean;
      lacp: boolean;
      mtu: number;
      hosts: number;
    }
  >();
  for (const n of model.nodes)
    for (const l of n.links) {
      const ports = l.members.join(sep);
      const key = `${n.role}\u0000${n.hardware}\u0000${l.device}\u0000${ports}\u0000${l.mode}\u0000${l.mtu}`;
      const row = rows.get(key) ?? {
        role: n.role,
        hardware: markdownText(n.hardware),
        bond: l.device,
        ports: markdownText(ports),
        everyPort: l.members.length === 0,
        lacp: l.mode === "802.3ad",
        mtu: l.mtu,
        hosts: 0,
      };
      row.hosts++;
      rows.set(key, row);
    }
  return [...rows.values()];
}

/** Host interfaces by role: the device each network rides on, its VLAN, MTU and prefix. */
function hostNetworkingView(model: Model) {
  const rows = new Map<
    string,
    {
      role: string;
      network: string;
      device: string;
      vlan: string;
      mtu: number;
      prefix: number;
      hosts: number;
    }
  >();
  for (const n of model.nodes) {
    for (const f of n.interfaces) {
      const key = `${n.role}\u0000${f.network}\u0000${f.device}`;
      const row = rows.get(key) ?? {
        role: n.role,
        network: f.network,
        device: f.device,
        vlan: f.vlan === undefined ? "-" : String(f.vlan),
        mtu: f.mtu,
        prefix: f.prefixLength,
        hosts: 0,
      };
      row.hosts++;
      rows.set(key, row);
    }
  }
  return [...rows.values()];
}

/** Bonds Open vSwitch shares, by role: the Linux bridge holding the host's side, the veth to OVS. */
function ovsUplinksView(model: Model, sep: string) {
  const bridgeOf = new Map(model.deploy.neutron.physicalNetworks.map((p) => [p.name, p.bridge]));
  const rows = new Map<
    string,
    { role: string; link: string; bridge: string; veth: string; ovs: string; hosts: number }
  >();
  for (const n of model.nodes)
    for (const l of n.links) {
      if (!l.bridge) continue;
      const ovs = l.bridge.physicalNetworks.map((p) => `${bridgeOf.get(p) ?? p} (${p})`).join(sep);
      const key = `${n.role}\u0000${l.device}\u0000${ovs}`;
      const row = rows.get(key) ?? {
        role: n.role,
        link: l.device,
        bridge: l.bridge.device,
        veth: `${l.bridge.patch} / ${l.bridge.ovsPatch}`,
        ovs,
        hosts: 0,
      };
      row.hosts++;
      rows.set(key, row);
    }
  return [...rows.values()];
}

/** A pinned pool's NUMA nodes as its sentence says them: one figure where the sockets agree. */
function numaView(nodes: { readonly cpus: readonly number[]; readonly memoryGiB: number }) {
  const even = nodes.cpus.every((c) => c === nodes.cpus[0]);
  return {
    count: nodes.cpus.length,
    even,
    // (socket by socket where they differ: the reserved CPUs are the first sockets')
    cpus: even ? [fmt(nodes.cpus[0])] : nodes.cpus.map(fmt),
    memory: fmt(nodes.memoryGiB),
  };
}
