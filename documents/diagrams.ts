import type { Model, NodeRole } from "../model/types";
import { ROLE_ORDER } from "../model/resolve";

/** A diagram in two notations: DOT for the SVG Stackwright renders, Mermaid for Git hosting sites. */
export interface Diagram {
  readonly id: "logical" | "physical";
  readonly dot: string;
  readonly mermaid: string;
}

export type Labels = Readonly<Record<string, string>>;

/** DOT string literal: quotes and backslashes escaped, line breaks as DOT's \n. */
const dq = (s: string) =>
  `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\r?\n/g, "\\n")}"`;
/** Mermaid label: entity codes for the characters Mermaid would read as syntax. */
const mq = (s: string) =>
  `"${s
    .replace(/&/g, "#amp;")
    .replace(/"/g, "#quot;")
    .replace(/</g, "#lt;")
    .replace(/>/g, "#gt;")
    .replace(/\r?\n/g, "<br/>")}"`;

class Graph {
  private readonly lines: string[] = [];
  private readonly mlines: string[] = [];
  private next = 0;
  private readonly ids = new Map<string, string>();

  /** Opaque ids, so no user text ever becomes DOT or Mermaid syntax. */
  id(key: string): string {
    let id = this.ids.get(key);
    if (!id) {
      id = `n${this.next++}`;
      this.ids.set(key, id);
    }
    return id;
  }

  cluster(key: string, label: string, body: () => void, style = "rounded") {
    const id = this.id(`cluster:${key}`);
    this.lines.push(
      `subgraph cluster_${id} {`,
      `label=${dq(label)}; style=${style}; color="#7a869a";`,
    );
    this.mlines.push(`subgraph ${id}[${mq(label)}]`);
    body();
    this.lines.push("}");
    this.mlines.push("end");
  }

  node(key: string, label: string, shape = "box", fill = "#e8f0fe") {
    const id = this.id(key);
    this.lines.push(
      `${id} [label=${dq(label)}, shape=${shape}, style="filled,rounded", fillcolor="${fill}"];`,
    );
    this.mlines.push(shape === "cylinder" ? `${id}[(${mq(label)})]` : `${id}[${mq(label)}]`);
  }

  edge(from: string, to: string, label?: string) {
    const a = this.id(from);
    const b = this.id(to);
    this.lines.push(`${a} -> ${b}${label ? ` [label=${dq(label)}]` : ""};`);
    this.mlines.push(label ? `${a} -->|${mq(label)}| ${b}` : `${a} --> ${b}`);
  }

  dot(name: string, rankdir: "LR" | "TB"): string {
    return [
      `digraph ${name} {`,
      `graph [rankdir=${rankdir}, fontname="Helvetica", fontsize=11, nodesep=0.35, ranksep=0.6, compound=true, newrank=true];`,
      'node [fontname="Helvetica", fontsize=10, margin="0.15,0.06"];',
      'edge [fontname="Helvetica", fontsize=9, color="#5f6b7a"];',
      ...this.lines,
      "}",
      "",
    ].join("\n");
  }

  mermaid(direction: "LR" | "TB"): string {
    return [`flowchart ${direction}`, ...this.mlines.map((l) => `  ${l}`)].join("\n");
  }
}

/** Beyond these counts diagrams summarize instead of drawing every pool, zone, system or rack. */
const MAX_POOL_NODES = 40;
const MAX_ZONE_NODES = 30;
const MAX_LEGACY_NODES = 30;
const MAX_RACK_NODES = 48;
const MAX_FLOW_EDGES = 120;

/** The logical architecture: who talks to which service, from the model's components. */
export function logicalDiagram(model: Model, t: Labels): Diagram {
  const g = new Graph();
  g.cluster("outside", t["diagram.outside"], () => {
    g.node("users", t["diagram.users"], "ellipse", "#fff4e5");
    if (model.securityZones.adminCidrs.length)
      g.node("admins", t["diagram.admins"], "ellipse", "#fff4e5");
  });
  const hasEnterprise = model.identity.domains.some((d) => d.ldap) || model.ntp;
  if (hasEnterprise) {
    g.cluster("enterprise", t["diagram.enterprise"], () => {
      if (model.identity.domains.some((d) => d.ldap))
        g.node("ldap", t["diagram.ldap"], "box", "#f3e8fd");
      if (model.ntp) g.node("ntp", `NTP\n${model.ntp.servers.join(", ")}`, "box", "#f3e8fd");
    });
  }
  g.cluster(
    "control",
    `${t["diagram.controlPlane"]} (${model.controlPlane.controllers.length})`,
    () => {
      g.node(
        "vip",
        `${model.controlPlane.loadBalancer === "octavia" ? "Octavia" : "keepalived + HAProxy"}\n${model.vips.map((v) => v.address).join(" / ")}`,
        "box",
        "#e6f4ea",
      );
      g.node("apis", model.controlPlane.services.join(", "), "box");
      g.node(
        "db",
        model.controlPlane.database === "galera" ? "MariaDB Galera" : "MariaDB",
        "cylinder",
        "#e8f0fe",
      );
      g.node(
        "mq",
        model.controlPlane.messaging === "rabbitmq-cluster" ? "RabbitMQ cluster" : "RabbitMQ",
        "box",
      );
    },
  );
  // Large estates are drawn per zone (and beyond that as one box) so the layout stays readable.
  const perPool = model.pools.length <= MAX_POOL_NODES;
  const shownZones = model.zones.slice(0, MAX_ZONE_NODES);
  const poolNode = (p: Model["pools"][number]) =>
    perPool
      ? `pool:${p.id}`
      : shownZones.some((z) => z.name === p.zone)
        ? `zone:${p.zone}`
        : "zones:rest";
  g.cluster("compute", t["diagram.compute"], () => {
    for (const zone of shownZones) {
      const pools = model.pools.filter((p) => p.zone === zone.name);
      if (!perPool) {
        g.node(
          `zone:${zone.name}`,
          `${t["diagram.zone"]} ${zone.name}\n${pools.length} x pool, ${zone.hosts} x host`,
        );
        continue;
      }
      g.cluster(`zone:${zone.name}`, `${t["diagram.zone"]} ${zone.name}`, () => {
        for (const pool of pools) {
          g.node(
            `pool:${pool.id}`,
            `${pool.name} (${pool.purpose.value})\n${pool.capacity.hosts} x ${pool.hardware}`,
          );
        }
      });
    }
    if (model.zones.length > shownZones.length) {
      const rest = model.zones.length - shownZones.length;
      g.node("zones:rest", `+${rest} x ${t["diagram.zone"]}`);
    }
  });
  const ceph = model.storage.ceph;
  const swift = model.storage.swift;
  if (ceph || swift || model.storage.backends.length) {
    g.cluster("storage", t["diagram.storage"], () => {
      if (ceph) g.node("ceph", `Ceph ${ceph.usableTB} TB`, "cylinder", "#fce8e6");
      for (const b of model.storage.backends.filter((x) => x.kind !== "ceph"))
        g.node(`backend:${b.name}`, `${b.kind}: ${b.volumeType}`, "cylinder", "#fce8e6");
      if (swift) g.node("swift", `Swift ${swift.usableTB} TB`, "cylinder", "#fce8e6");
    });
  }
  const legacy = model.legacyUnix;
  const shownSystems = legacy?.systems.slice(0, MAX_LEGACY_NODES) ?? [];
  const systemNode = (name: string) =>
    shownSystems.some((x) => x.name === name) ? `legacy:${name}` : "legacy:rest";
  if (legacy) {
    g.cluster("legacy", t["diagram.legacy"], () => {
      for (const s of shownSystems)
        g.node(`legacy:${s.name}`, `${s.name}\n${s.architecture} ${s.os}`, "box3d", "#fef7e0");
      if (legacy.systems.length > shownSystems.length) {
        g.node(
          "legacy:rest",
          `+${legacy.systems.length - shownSystems.length}`,
          "box3d",
          "#fef7e0",
        );
      }
    });
  }

  g.edge("users", "vip", "HTTPS / API");
  if (model.securityZones.adminCidrs.length) g.edge("admins", "vip", "SSH / API");
  g.edge("vip", "apis");
  g.edge("apis", "db");
  g.edge("apis", "mq");
  if (model.identity.domains.some((d) => d.ldap)) g.edge("apis", "ldap", "LDAP(S)");
  if (model.ntp) g.edge("apis", "ntp", "NTP");
  for (const node of new Set(model.pools.map(poolNode))) {
    g.edge(node, "mq");
    if (ceph) g.edge(node, "ceph");
  }
  if (swift) g.edge("apis", "swift");
  // One edge per pool, system and direction, labelled with its ports.
  const flows = new Map<string, { from: string; to: string; ports: string[] }>();
  for (const flow of legacy?.flows ?? []) {
    const pools = model.pools.filter(
      (p) => flow.pools.length === 0 || flow.pools.includes(p.name) || flow.pools.includes(p.id),
    );
    for (const sys of flow.systems) {
      for (const node of new Set(pools.map(poolNode))) {
        const [from, to] =
          flow.direction === "to-legacy" ? [node, systemNode(sys)] : [systemNode(sys), node];
        const key = `${from}\u0000${to}`;
        const entry = flows.get(key) ?? { from, to, ports: [] };
        const port = `${flow.protocol}/${flow.port}`;
        if (!entry.ports.includes(port)) entry.ports.push(port);
        flows.set(key, entry);
      }
    }
  }
  // Too many pool-system pairs: one edge per system and direction from all pools together.
  if (flows.size > MAX_FLOW_EDGES) {
    const merged = new Map<string, { from: string; to: string; ports: string[] }>();
    for (const f of flows.values()) {
      const toLegacy = f.to.startsWith("legacy:");
      const [from, to] = toLegacy ? ["pools:all", f.to] : [f.from, "pools:all"];
      const entry = merged.get(`${from}\u0000${to}`) ?? { from, to, ports: [] };
      for (const p of f.ports) if (!entry.ports.includes(p)) entry.ports.push(p);
      merged.set(`${from}\u0000${to}`, entry);
    }
    g.node("pools:all", t["diagram.compute"]);
    flows.clear();
    for (const [k, v] of merged) flows.set(k, v);
  }
  for (const { from, to, ports } of flows.values()) {
    const label =
      ports.length > 3 ? `${ports.slice(0, 3).join(", ")} +${ports.length - 3}` : ports.join(", ");
    g.edge(from, to, label);
  }
  return { id: "logical", dot: g.dot("logical", "LR"), mermaid: g.mermaid("LR") };
}

/** The physical topology: sites and zones, racks with their node roles, the switches (networks). */
export function physicalDiagram(full: Model, t: Labels): Diagram {
  const g = new Graph();
  // Large estates: zones instead of racks, and the first zones only.
  const rackCount = new Set(full.nodes.map((n) => n.rack).filter(Boolean)).size;
  const summary = rackCount > MAX_RACK_NODES || full.zones.length > MAX_ZONE_NODES;
  const shown = new Set(full.zones.slice(0, MAX_ZONE_NODES).map((z) => z.name));
  const hiddenZones = full.zones.length - shown.size;
  const model: Model = summary
    ? {
        ...full,
        zones: full.zones.filter((z) => shown.has(z.name)).map((z) => ({ ...z, racks: [] })),
        nodes: full.nodes
          .filter((n) => !n.zone || shown.has(n.zone))
          .map(({ rack: _rack, ...n }) => n),
      }
    : full;
  const racks = new Map<string, Map<NodeRole, number>>();
  const unracked = new Map<NodeRole, number>();
  for (const n of model.nodes) {
    const counts = n.rack ? (racks.get(n.rack) ?? new Map<NodeRole, number>()) : unracked;
    counts.set(n.role, (counts.get(n.role) ?? 0) + 1);
    if (n.rack) racks.set(n.rack, counts);
  }
  const label = (counts: Map<NodeRole, number>) =>
    ROLE_ORDER.filter((r) => counts.has(r))
      .map((r) => `${t[`role.${r}`]} x ${counts.get(r)}`)
      .join("\n");
  const zoneOfRack = new Map<string, string>();
  for (const z of model.zones) for (const r of z.racks) zoneOfRack.set(r, z.name);

  g.cluster(
    "outside",
    t["diagram.outside"],
    () => {
      for (const n of model.networks.filter((x) => x.external)) {
        g.node(
          `net:${n.name}`,
          `${n.name}\n${n.cidr}${n.vlan ? ` VLAN ${n.vlan}` : ""}`,
          "hexagon",
          "#fff4e5",
        );
      }
    },
    "dashed",
  );
  g.cluster("inside", t["diagram.inside"], () => {
    for (const n of model.networks.filter((x) => !x.external)) {
      g.node(
        `net:${n.name}`,
        `${n.name} (${n.role})\n${n.cidr}${n.vlan ? ` VLAN ${n.vlan}` : ""}`,
        "hexagon",
        n.routable ? "#e6f4ea" : "#eceff1",
      );
    }
    for (const z of model.zones) {
      const zoneRacks = [...racks.keys()].filter((r) => zoneOfRack.get(r) === z.name).sort();
      g.cluster(
        `zone:${z.name}`,
        `${t["diagram.zone"]} ${z.name}${z.site ? ` (${z.site})` : ""}`,
        () => {
          for (const r of zoneRacks)
            g.node(
              `rack:${r}`,
              `${t["diagram.rack"]} ${r}\n${label(racks.get(r) as Map<NodeRole, number>)}`,
              "box3d",
            );
          if (zoneRacks.length === 0) {
            const counts = new Map<NodeRole, number>();
            for (const n of model.nodes.filter((x) => x.zone === z.name))
              counts.set(n.role, (counts.get(n.role) ?? 0) + 1);
            g.node(`zonehosts:${z.name}`, label(counts), "box3d");
          }
        },
      );
    }
    const other = [...racks.keys()].filter((r) => !zoneOfRack.has(r)).sort();
    for (const r of other)
      g.node(
        `rack:${r}`,
        `${t["diagram.rack"]} ${r}\n${label(racks.get(r) as Map<NodeRole, number>)}`,
        "box3d",
      );
    if (hiddenZones > 0) g.node("zones:rest", `+${hiddenZones} x ${t["diagram.zone"]}`, "box3d");
    const rest = new Map([...unracked].filter(([role]) => role !== "compute"));
    if (rest.size) g.node("unracked", label(rest), "box3d");
  });
  // Each rack connects to the switches (networks) its nodes join.
  const netsOf = (pred: (n: Model["nodes"][number]) => boolean) =>
    [...new Set(model.nodes.filter(pred).flatMap((n) => Object.keys(n.addresses)))].sort();
  for (const r of [...racks.keys()].sort())
    for (const net of netsOf((n) => n.rack === r)) g.edge(`rack:${r}`, `net:${net}`);
  for (const z of model.zones) {
    if (z.racks.length === 0)
      for (const net of netsOf((n) => n.zone === z.name && !n.rack))
        g.edge(`zonehosts:${z.name}`, `net:${net}`);
  }
  if (unracked.size && [...unracked.keys()].some((r) => r !== "compute")) {
    for (const net of netsOf((n) => !n.rack && n.role !== "compute"))
      g.edge("unracked", `net:${net}`);
  }
  return { id: "physical", dot: g.dot("physical", "LR"), mermaid: g.mermaid("LR") };
}

export function diagrams(model: Model, labels: Labels): Diagram[] {
  return [logicalDiagram(model, labels), physicalDiagram(model, labels)];
}
