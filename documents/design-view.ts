import type { Model } from "../model/types";
import { markdownText } from "../core/markdown";
import { NODE_ROLES } from "../core/vocabulary";
import { fmt, fmtAddresses } from "./numbers";
import { STAGE_FOLDERS } from "../model/lifecycle";

/** A share as a percentage with just enough digits to tell 99.9 % from 99.99 %. */
const pct = (share: number, digits = 1) => `${(share * 100).toFixed(digits)}%`;
/** Rounded down: 99.9985 % must not read as 99.999 %, a nine the design does not have. */
const floorPct = (share: number, digits: number) =>
  `${(Math.floor(share * 100 * 10 ** digits + 1e-9) / 10 ** digits).toFixed(digits)}%`;
// The margin keeps products like 1 - 0.001² (0.9999990000000001) at 99.9999 %.
const nines = (a: number) =>
  a > 0.999999 + 1e-12 ? "> 99.9999%" : floorPct(a, a >= 0.99999 ? 4 : a >= 0.9999 ? 3 : 2);

/** The glossary's terms (catalog keys `glossary.<term>` and `glossary.<term>.text`). */
/** The glossary's terms, each where the document uses it: by what the design builds. */
const GLOSSARY: readonly (readonly [string, (model: Model) => boolean])[] = [
  ["az", () => true],
  ["aggregate", () => true],
  ["flavor", () => true],
  ["spec", () => true],
  ["rack", () => true],
  ["allocation", () => true],
  ["n1", () => true],
  ["vip", () => true],
  ["quorum", (m) => m.controlPlane.controllers.length > 1 || m.storage.ceph !== undefined],
  ["bonding", () => true],
  ["tunnels", () => true],
  ["numa", (m) => m.capacity.dedicatedCpus > 0],
  ["osd", (m) => m.storage.ceph !== undefined],
  ["pg", (m) => m.storage.ceph !== undefined],
  ["crush", (m) => m.storage.ceph !== undefined],
  [
    "ec",
    (m) =>
      m.storage.ceph?.protection.kind === "erasure-coded" ||
      (m.storage.swift?.policies ?? []).some((p) => p.erasureCoding !== undefined),
  ],
  ["overlay", (m) => ["vxlan", "gre", "geneve"].includes(m.network.tenantNetworkType)],
  ["provider", (m) => m.networks.some((n) => n.role === "provider")],
  ["fwaas", (m) => m.securityZones.firewall !== undefined],
  [
    "rbac",
    (m) => m.tenants.some((t) => t.providerNetworks.length > 0 || t.legacyGroups.length > 0),
  ],
  ["ipsec", (m) => m.legacyUnix?.vpn !== undefined],
  ["domain", () => true],
];

/** Racks per elevation table, so a table still fits a page's width. */
const RACKS_PER_TABLE = 6;

/**
 * The chapters of a deliverable beyond the inventory: scope, alternatives, rack elevations,
 * growth headroom, availability, recovery, assumptions and risks. Figures come from the model's
 * design facts; this only formats them.
 */
export function designView(model: Model) {
  const av = model.availability;
  // The racks as built: controllers running as VMs on the undercloud stand in none.
  const racks = model.racks
    .map((r) => ({ ...r, nodes: r.nodes.filter((n) => !n.virtual) }))
    .filter((r) => r.nodes.length > 0);
  const groups = Array.from({ length: Math.ceil(racks.length / RACKS_PER_TABLE) }, (_, i) =>
    racks.slice(i * RACKS_PER_TABLE, (i + 1) * RACKS_PER_TABLE),
  );
  const storage = [
    ...(model.storage.ceph ? [`Ceph ${fmt(model.storage.ceph.usableTB)} TB`] : []),
    ...(model.storage.swift ? [`Swift ${fmt(model.storage.swift.usableTB)} TB`] : []),
    ...model.storage.backends
      .filter((b) => b.kind !== "ceph")
      .map((b) =>
        b.volumeDisks
          ? `${b.kind} (${b.name}, ${fmt(b.volumeDisks.rawTB)} TB raw)`
          : `${b.kind} (${b.name})`,
      ),
  ];
  const h = model.headroom;
  return {
    scope: {
      blueprint: model.blueprint,
      // (lists: the catalog helper joins them by the language's punctuation)
      services: [...model.controlPlane.services],
      // Servers by primary role, as the bill of materials counts them: they add up to `nodes`;
      // controllers running as VMs on the undercloud are no servers and are said apart.
      nodes: fmt(model.inventory.filter((r) => !r.virtual).reduce((n, r) => n + r.count, 0)),
      // (empty, so the template leaves the line out, when none is: "0" would be truthy there)
      virtualControllers: ((count) => (count ? fmt(count) : ""))(
        model.inventory.filter((r) => r.virtual).reduce((n, r) => n + r.count, 0),
      ),
      roles: NODE_ROLES.map((role) => ({
        key: `scope.role.${role}`,
        count: model.inventory
          .filter((r) => r.role === role && !r.virtual)
          .reduce((n, r) => n + r.count, 0),
      }))
        .filter((r) => r.count > 0)
        .map((r) => ({ ...r, count: fmt(r.count) })),
      pools: fmt(model.pools.length),
      zones: fmt(model.capacity.availabilityZones),
      storage,
      networks: fmt(model.networks.length),
      // Figures as text ("1,400"), so the templates test presence by the flags.
      tenants: fmt(model.tenants.length),
      hasTenants: model.tenants.length > 0,
      // What the tenants come with: quotas always, networks and directory groups where any has.
      tenantNetworks: model.tenants.filter((t) => t.network).length,
      tenantParts: `quotas${model.tenants.some((t) => t.network) ? "-networks" : ""}${model.tenants.some((t) => t.groups.length) ? "-groups" : ""}`,
      identity: model.identity.domains.some((d) => d.ldap),
      legacySystems: fmt(model.legacyUnix?.systems.length ?? 0),
      hasLegacySystems: (model.legacyUnix?.systems.length ?? 0) > 0,
    },
    alternatives: model.alternatives.map((a) => ({
      decision: a.decision,
      options: a.options.map((o) => ({ key: `${a.decision}.${o}`, chosen: o === a.chosen })),
    })),
    elevations: groups.map((group) => ({
      racks: group.map((r) => ({
        name: r.name,
        // (zones joined by the language's list punctuation, the site after its semicolon)
        zones: r.zones,
        site: r.site ?? "",
        where: r.zones.length > 0 || r.site !== undefined,
      })),
      rows: Array.from({ length: Math.max(...group.map((r) => r.nodes.length)) }, (_, i) => ({
        slot: i + 1,
        cells: group.map((r) => r.nodes[i] ?? { name: "", role: "", hardware: "" }),
      })),
    })),
    availability: {
      node: pct(av.nodeAvailability),
      composite: nines(av.composite),
      downtime: av.downtimeHoursPerYear.toFixed(1),
      weakest: av.weakest >= 0 ? av.rows[av.weakest] : undefined,
    },
    haAvailability: av.rows.map((r) => nines(r.availability)),
    headroom: {
      pools: h.pools.map((p) => ({
        pool: p.pool,
        usableVcpus: fmt(p.usableVcpus),
        quotaVcpus: fmt(p.quotaVcpus),
        vcpuHeadroom: pct(p.vcpuHeadroom),
        usableRamGiB: fmt(p.usableRamGiB),
        quotaRamGiB: fmt(p.quotaRamGiB),
        ramHeadroom: pct(p.ramHeadroom),
      })),
      // Figures as the model has them: the factor is the spec's, its products the model's.
      overcommitted: h.pools.flatMap((p) =>
        p.overcommit
          ? [
              {
                pool: p.pool,
                factor: String(p.overcommit.factor),
                vcpus: fmt(p.overcommit.quotableVcpus),
                ram: fmt(p.overcommit.quotableRamGiB),
                below: p.vcpuHeadroom < 0 || p.ramHeadroom < 0,
              },
            ]
          : [],
      ),
      imageBoot: h.pools.flatMap((p) =>
        p.imageBoot
          ? [
              {
                pool: p.pool,
                cpus: fmt(p.imageBoot.cpus),
                disk: fmt(p.imageBoot.diskGiB),
                claimed: fmt(p.imageBoot.claimed),
                over: p.imageBoot.over,
                amphorae: Boolean(p.amphorae),
              },
            ]
          : [],
      ),
      amphorae: h.pools.flatMap((p) =>
        p.amphorae
          ? [
              {
                pool: p.pool,
                count: fmt(p.amphorae.count),
                vcpus: fmt(p.amphorae.vcpus),
                ram: fmt(p.amphorae.ramGiB),
              },
            ]
          : [],
      ),
      unpinned:
        h.unpinned.quotaVcpus || h.unpinned.quotaRamGiB || h.unpinned.amphorae
          ? {
              quotas: h.unpinned.quotaVcpus > 0 || h.unpinned.quotaRamGiB > 0,
              vcpus: fmt(h.unpinned.quotaVcpus),
              ram: fmt(h.unpinned.quotaRamGiB),
              ...(h.unpinned.amphorae
                ? {
                    amphorae: {
                      count: fmt(h.unpinned.amphorae.count),
                      vcpus: fmt(h.unpinned.amphorae.vcpus),
                      ram: fmt(h.unpinned.amphorae.ramGiB),
                    },
                  }
                : {}),
            }
          : undefined,
      networks: h.networks.map((n) => ({
        network: n.network,
        usable: fmtAddresses(n.usable),
        planned: fmt(n.planned),
        free: fmtAddresses(n.free),
      })),
      block: h.blockStorage
        ? {
            usable: fmt(h.blockStorage.usableGiB),
            quota: fmt(h.blockStorage.quotaGiB),
            backups: h.blockStorage.backupGiB ? fmt(h.blockStorage.backupGiB) : "",
            instanceDisks: h.blockStorage.instanceDiskGiB
              ? fmt(h.blockStorage.instanceDiskGiB)
              : "",
            free: pct(h.blockStorage.headroom),
            classes: (h.blockStorage.classes ?? []).map((c) => ({
              deviceClass: c.deviceClass,
              types: c.volumeTypes.map(markdownText),
              usable: fmt(c.usableGiB),
              quota: fmt(c.quotaGiB),
              backups: c.backupGiB ? fmt(c.backupGiB) : "",
              instanceDisks: c.instanceDiskGiB ? fmt(c.instanceDiskGiB) : "",
              free: pct(c.headroom),
            })),
          }
        : undefined,
    },
    recovery: model.recovery.map((r) => ({
      ...r,
      params: { ...r.params },
      // The catalog text of what a place's Swift nodes lose: of some partitions or of every one.
      swiftLossKey: `recovery.swiftLoss.${r.params.swiftLoss === undefined ? "none" : `${String(r.params.swiftLoss)}${["every", "policies"].includes(String(r.params.swiftLoss)) && r.params.ec ? "-ec" : ""}`}`,
    })),
    galeraRecovery:
      model.controlPlane.database === "galera"
        ? { inventory: `${STAGE_FOLDERS.kolla}/inventory` }
        : undefined,
    risks: model.risks.map((r) => ({
      kind: r.kind,
      params: Object.fromEntries(
        Object.entries(r.params).map(([k, v]) => [
          k,
          typeof v === "number" ? v : typeof v === "string" ? markdownText(v) : v.map(markdownText),
        ]),
      ),
    })),
    backupDeclared: Boolean(model.storage.backup),
    glossary: GLOSSARY.filter(([, used]) => used(model)).map(([term]) => term),
    underlayMtu: model.network.underlayMtu,
    // Neutron hands out their addresses (by DHCPv6, or for a config drive without DHCP): an
    // address an instance makes itself from an autonomous prefix is one its port drops.
    ipv6ManagedCount: model.networks.filter(
      (n) => n.neutron && n.ipVersion === 6 && n.role === "provider",
    ).length,
    ipv6Managed: model.networks
      .filter((n) => n.neutron && n.ipVersion === 6 && n.role === "provider")
      .map((n) => markdownText(n.name))
      .join(", "),
  };
}
