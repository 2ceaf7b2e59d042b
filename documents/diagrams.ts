import type { Model, NodeRole } from "../model/types";
import { ROLE_ORDER } from "../model/resolve";
import { GRAPHVIZ_FONT } from "./fonts";
import { hasWideText, textWidthEm } from "./private/text-width";

/** A diagram in two notations: DOT for the SVG Stackwright renders, Mermaid for Git hosting sites. */
export interface Diagram {
  readonly id: "logical" | "physical";
  readonly dot: string;
  readonly mermaid: string;
}

export type Labels = Readonly<Record<string, string>>;

/**
 * DOT string literal: quotes and backslashes escaped, line breaks as DOT's \n, and `&` as an
 * entity, since Graphviz decodes entities in labels (`&lt;` would be drawn as `<`).
 */
const dq = (s: string) =>
  `"${s
    .replace(/&/g, "&amp;")
    .replace(/\\/g, "\\\\")
    .replace(/"/g, '\\"')
    .replace(/\r\n?|\n/g, "\\n")}"`;
/**
 * Mermaid label: entity codes for the characters Mermaid would read as syntax, for `#`, which
 * starts a code Mermaid would decode in the user's own text (`#lt;` shows as `<`), and for `%`:
 * Mermaid reads a `%%{init: ...}%%` directive anywhere in a diagram, inside quotes too.
 */
const mq = (s: string) =>
  `"${s
    .replace(/#/g, "#35;")
    .replace(/%/g, "#37;")
    .replace(/&/g, "#amp;")
    .replace(/"/g, "#quot;")
    .replace(/</g, "#lt;")
    .replace(/>/g, "#gt;")
    .replace(/\r?\n/g, "<br/>")}"`;

/** Node label size and margins (points, inches) as the DOT header sets them. */
const NODE_FONT_SIZE = 10;
const NODE_MARGIN_X = 0.15;
const NODE_MARGIN_Y = 0.06;
/** How much wider than its label each shape must be for the label to fit inside. */
const SHAPE_FACTOR: Record<string, number> = { ellipse: 1.45, hexagon: 1.35 };

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

  cluster(
    key: string,
    label: string,
    body: () => void,
    style = "rounded",
    direction?: "LR" | "TB",
  ) {
    const id = this.id(`cluster:${key}`);
    this.lines.push(
      `subgraph cluster_${id} {`,
      `label=${dq(label)}; style=${style}; color="#7a869a";`,
    );
    this.mlines.push(`subgraph ${id}[${mq(label)}]`);
    if (direction) this.mlines.push(`direction ${direction}`);
    body();
    this.lines.push("}");
    this.mlines.push("end");
  }

  node(key: string, label: string, shape = "box", fill = "#e8f0fe") {
    const id = this.id(key);
    // Graphviz guesses 0.83 em for a CJK character that the browser draws 1 em wide.
    // Its glyphs also stand taller above the baseline than Graphviz's Latin metrics: the lines
    // keep Graphviz's spacing, and the box half a line more room above and below.
    const lines = label.split("\n");
    const width = hasWideText(label)
      ? ` width=${(
          ((Math.max(...lines.map(textWidthEm)) * NODE_FONT_SIZE) / 72 + 2 * NODE_MARGIN_X) *
          (SHAPE_FACTOR[shape] ?? 1)
        ).toFixed(2)}, height=${Math.max(
          0.5,
          ((lines.length * 1.2 + 1) * NODE_FONT_SIZE) / 72 + 2 * NODE_MARGIN_Y,
        ).toFixed(2)},`
      : "";
    this.lines.push(
      `${id} [label=${dq(label)},${width} shape=${shape}, style="filled,rounded", fillcolor="${fill}"];`,
    );
    this.mlines.push(shape === "cylinder" ? `${id}[(${mq(label)})]` : `${id}[${mq(label)}]`);
  }

  edge(from: string, to: string, label?: string, toCluster?: string) {
    const a = this.id(from);
    const b = this.id(to);
    const attrs = [
      ...(label ? [`label=${dq(label)}`] : []),
      ...(toCluster ? [`lhead=cluster_${this.id(`cluster:${toCluster}`)}`] : []),
    ];
    this.lines.push(`${a} -> ${b}${attrs.length ? ` [${attrs.join(", ")}]` : ""};`);
    const mb = toCluster ? this.id(`cluster:${toCluster}`) : b;
    this.mlines.push(label ? `${a} -->|${mq(label)}| ${mb}` : `${a} --> ${mb}`);
  }

  /** Puts nodes side by side across the rank direction (DOT only). */
  sameRank(...keys: string[]) {
    this.lines.push(`{ rank=same; ${keys.map((k) => this.id(k)).join("; ")}; }`);
  }

  /** Orders two nodes along the rank direction without drawing anything (DOT only). */
  order(from: string, to: string) {
    this.lines.push(`${this.id(from)} -> ${this.id(to)} [style=invis];`);
  }

  dot(name: string, rankdir: "LR" | "TB"): string {
    const f = GRAPHVIZ_FONT;
    return [
      `digraph ${name} {`,
      `graph [rankdir=${rankdir}, fontname="${f}", fontsize=11, nodesep=0.25, ranksep=0.4, compound=true, newrank=true];`,
      `node [fontname="${f}", fontsize=${NODE_FONT_SIZE}, margin="${NODE_MARGIN_X},${NODE_MARGIN_Y}"];`,
      `edge [fontname="${f}", fontsize=9, color="#5f6b7a"];`,
      ...this.lines,
      "}",
      "",
    ].join("\n");
  }

  mermaid(direction: "LR" | "TB"): string {
    return [`flowchart ${direction}`, ...this.mlines.map((l) => `  ${l}`)].join("\n");
  }
}

/** The model's role order; roles it does not list (yet) follow by name. */
const byRole = (a: NodeRole, b: NodeRole) => {
  const rank = (r: NodeRole) =>
    ROLE_ORDER.includes(r) ? ROLE_ORDER.indexOf(r) : ROLE_ORDER.length;
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
};

/** Splits a list into lines of a few items, so a long list makes a tall box, not a wide one. */
const wrap = (items: readonly string[], perLine: number) =>
  Array.from({ length: Math.ceil(items.length / perLine) }, (_, i) =>
    items.slice(i * perLine, (i + 1) * perLine).join(", "),
  ).join("\n");

/** Beyond these counts diagrams summarize instead of drawing every pool, zone, system or rack. */
const MAX_POOL_NODES = 40;
const MAX_ZONE_NODES = 30;
const MAX_LEGACY_NODES = 30;
const MAX_RACK_NODES = 48;
/** Racks drawn side by side before the next row starts. */
const RACKS_PER_ROW = 3;
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
    `${t[model.controlPlane.ha ? "diagram.controlPlane" : "diagram.controlPlaneSingle"]}${t["punct.open"]}${model.controlPlane.controllers.length}${t["punct.close"]}`,
    () => {
      g.node(
        "vip",
        `keepalived + HAProxy\n${model.vips.map((v) => v.address).join(" / ")}`,
        "box",
        "#e6f4ea",
      );
      // (Swift's API runs on proxies of its own, drawn with its storage)
      const onProxies = (model.storage.swift?.proxies.length ?? 0) > 0;
      g.node(
        "apis",
        wrap(
          model.controlPlane.services.filter((s) => !(onProxies && s === "swift")),
          4,
        ),
        "box",
      );
      g.node(
        "db",
        model.controlPlane.database === "galera" ? "MariaDB Galera" : "MariaDB",
        "cylinder",
        "#e8f0fe",
      );
      g.node(
        "mq",
        model.controlPlane.messaging === "rabbitmq-cluster" ? t["diagram.mqCluster"] : "RabbitMQ",
        "box",
      );
    },
  );
  // Large estates are drawn per zone (and beyond that as one box) so the layout stays readable.
  const perPool = model.pools.length <= MAX_POOL_NODES;
  // (a zone of racks only, a witness's or storage room's, holds no pool to draw)
  const computeZones = model.zones.filter((z) => z.pools.length);
  const shownZones = computeZones.slice(0, MAX_ZONE_NODES);
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
          `${t["diagram.zone"]} ${zone.name}\n${t["diagram.zoneSummary"]
            .replace("{pools}", String(pools.length))
            .replace("{hosts}", String(zone.hosts))}`,
        );
        continue;
      }
      g.cluster(`zone:${zone.name}`, `${t["diagram.zone"]} ${zone.name}`, () => {
        for (const pool of pools) {
          g.node(
            `pool:${pool.id}`,
            `${pool.name} (${[pool.purpose.value, ...(pool.purpose.stage ? [pool.purpose.stage] : [])].join(", ")})\n${pool.capacity.hosts}${t["punct.times"]}${pool.hardware}`,
          );
        }
      });
    }
    if (computeZones.length > shownZones.length) {
      const rest = computeZones.length - shownZones.length;
      g.node("zones:rest", `+${rest}${t["punct.times"]}${t["diagram.zone"]}`);
    }
  });
  const ceph = model.storage.ceph;
  const swift = model.storage.swift;
  if (ceph || swift || model.storage.backends.length) {
    g.cluster("storage", t["diagram.storage"], () => {
      if (ceph) g.node("ceph", `Ceph ${ceph.usableTB} TB`, "cylinder", "#fce8e6");
      for (const b of model.storage.backends.filter((x) => x.kind !== "ceph"))
        g.node(`backend:${b.name}`, `${b.kind}: ${b.volumeType}`, "cylinder", "#fce8e6");
      if (swift)
        g.node(
          "swift",
          `Swift ${swift.usableTB} TB${swift.proxies.length ? `\n${t["diagram.swiftProxies"].replace("{count}", String(swift.proxies.length))}` : ""}`,
          "cylinder",
          "#fce8e6",
        );
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
  // Compute hosts attach volumes from every Cinder backend.
  const backends = model.storage.backends.filter((x) => x.kind !== "ceph");
  for (const node of new Set(model.pools.map(poolNode))) {
    g.edge(node, "mq");
    if (ceph) g.edge(node, "ceph");
    for (const b of backends) g.edge(node, `backend:${b.name}`);
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

/**
 * The physical topology: one cluster per zone and per rack with the node roles it holds, and
 * the internal networks as one switched fabric (a bus) that every rack is cabled to, instead of
 * an edge from every rack to every network.
 */
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
  // (a rack several zones list is drawn in the first by name, as the model places its hosts)
  const zoneOfRack = new Map<string, string>();
  for (const r of full.racks) if (r.zones.length) zoneOfRack.set(r.name, r.zones[0]);
  // Role counts per rack; nodes without a rack count towards their zone, or the control room.
  const groups = new Map<string, Map<NodeRole, number>>();
  // Controllers running as VMs stand on the undercloud's hypervisors, in none of the racks.
  const groupOf = (n: Model["nodes"][number]) =>
    n.virtual
      ? "undercloud"
      : n.rack
        ? `rack:${n.rack}`
        : n.zone
          ? `zonehosts:${n.zone}`
          : "unracked";
  for (const n of model.nodes) {
    const counts = groups.get(groupOf(n)) ?? new Map<NodeRole, number>();
    counts.set(n.role, (counts.get(n.role) ?? 0) + 1);
    groups.set(groupOf(n), counts);
  }
  // A rack is drawn as its elevation: one line per role with the number of nodes.
  const groupNode = (group: string, cluster: string, title: string) => {
    const counts = groups.get(group) as Map<NodeRole, number>;
    const lines = [...counts.keys()]
      .sort(byRole)
      .map((r) => `${t[`role.${r}`] ?? r} × ${counts.get(r)}`);
    g.cluster(cluster, title, () => g.node(group, lines.join("\n"), "box3d"), "rounded", "LR");
    return group;
  };
  const rackTitle = (r: string) => `${t["diagram.rack"]} ${r}`;
  const netLine = (n: Model["networks"][number]) =>
    `${n.name}: ${n.cidr}${n.vlan ? `, VLAN ${n.vlan}` : ""}`;
  /** Racks side by side in rows of a few, so the drawing keeps a page's proportions. */
  const rows = (nodes: readonly string[]) => {
    nodes.forEach((n, i) => {
      if (i % RACKS_PER_ROW !== 0) g.order(nodes[i - 1], n);
    });
  };

  const external = model.networks.filter((x) => x.external);
  // Outside above the fabric rather than beside it: the drawing stays narrow enough to print.
  if (external.length) {
    g.node(
      "external",
      [t["diagram.outsideRouter"], ...external.map(netLine)].join("\n"),
      "box",
      "#fff4e5",
    );
  }
  const internal = model.networks.filter((x) => !x.external);
  g.node("fabric", [t["diagram.fabric"], ...internal.map(netLine)].join("\n"), "box", "#eceff1");
  if (external.length) {
    g.edge("external", "fabric");
    g.sameRank("external", "fabric");
  }

  // One trunk from the fabric to each zone (and to racks outside any zone).
  const trunks: { first: string; cluster: string }[] = [];
  for (const z of model.zones) {
    const zoneRacks = [...groups.keys()]
      .filter((k) => k.startsWith("rack:") && zoneOfRack.get(k.slice(5)) === z.name)
      .sort();
    const members = [
      ...zoneRacks,
      ...(groups.has(`zonehosts:${z.name}`) ? [`zonehosts:${z.name}`] : []),
    ];
    if (!members.length) continue;
    const cluster = `zone:${z.name}`;
    g.cluster(
      cluster,
      `${t["diagram.zone"]} ${z.name}${z.site ? `${t["punct.open"]}${z.site}${t["punct.close"]}` : ""}`,
      () => {
        rows(
          members.map((m) =>
            m.startsWith("rack:")
              ? groupNode(m, `c${m}`, rackTitle(m.slice(5)))
              : groupNode(m, `c${m}`, t["diagram.noRack"]),
          ),
        );
      },
    );
    trunks.push({ first: members[0], cluster });
  }
  const other = [...groups.keys()]
    .filter((k) => k.startsWith("rack:") && !zoneOfRack.has(k.slice(5)))
    .sort();
  if (groups.has("unracked")) other.push("unracked");
  if (other.length) {
    g.cluster(
      "other",
      t["diagram.otherRacks"],
      () => {
        rows(
          other.map((m) =>
            groupNode(m, `c${m}`, m === "unracked" ? t["diagram.noRack"] : rackTitle(m.slice(5))),
          ),
        );
      },
      "dashed",
    );
    trunks.push({ first: other[0], cluster: "other" });
  }
  if (groups.has("undercloud")) {
    groupNode("undercloud", "cundercloud", t["diagram.undercloudVms"]);
    trunks.push({ first: "undercloud", cluster: "cundercloud" });
  }
  if (hiddenZones > 0) {
    g.node("zones:rest", `+${hiddenZones}${t["punct.times"]}${t["diagram.zone"]}`, "box3d");
    g.edge("fabric", "zones:rest");
  }
  for (const d of trunks) g.edge("fabric", d.first, undefined, d.cluster);
  return { id: "physical", dot: g.dot("physical", "LR"), mermaid: g.mermaid("LR") };
}

export function diagrams(model: Model, labels: Labels): Diagram[] {
  return [logicalDiagram(model, labels), physicalDiagram(model, labels)];
}
