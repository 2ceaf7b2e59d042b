import type { Model, NodeRole } from "../model/types";

/**
 * chrony configuration for every node role of the design, keyed by output path
 * (`config/chrony/<role>.conf`): controllers sync from the enterprise servers and, when the
 * others ask them, serve the management network; the other roles use the sources the model
 * gives them. Controllers get the same file through cloud-init; the other nodes are installed
 * outside Terraform and need these.
 * Empty when the design declares no NTP. How many sources are enough is policy SW-HA-005's call.
 */
export function chronyConfigs(model: Model): Map<string, string> {
  const files = new Map<string, string>();
  const ntp = model.ntp;
  if (!ntp) return files;
  const roles = [...new Set(model.nodes.map((n) => n.role))];
  for (const role of roles)
    files.set(
      `config/chrony/${role}.conf`,
      `${header(role, role === "controller" && ntp.peers.length > 0)}${roleChronyConf(model, role)}`,
    );
  return files;
}

/**
 * chrony.conf of a role's hosts, as config/chrony and the bare-metal user data write it: its
 * sources, and the controllers serving time to the management network when the others ask them.
 */
export function roleChronyConf(model: Model, role: NodeRole): string {
  const management = model.networks.find((n) => n.role === "management");
  const serving = role === "controller" && model.ntp?.clients === "controllers";
  return chronyConf(
    model.ntp?.sources[role] ?? [],
    serving && management ? [management.cidr] : [],
    serving ? (model.ntp?.peers ?? []) : [],
  );
}

/** No host count: a file that changes only when the sources do tells day 2 what to restart. */
function header(role: NodeRole, peers: boolean): string {
  return [
    `# chrony for every ${role} node, written by Stackwright.`,
    "# Install as /etc/chrony/chrony.conf (Debian, Ubuntu) or /etc/chrony.conf (RHEL) and restart chronyd.",
    ...(peers
      ? [
          "# The controllers poll one another (each ignores its own address) and keep one time in",
          "# orphan mode while the upstream servers are out of reach.",
        ]
      : []),
    "",
  ].join("\n");
}

/** A name of the NTP pool resolves to several servers, which chrony's `pool` uses as many. */
const POOL_NAME = /(^|\.)pool\.ntp\.org\.?$/i;

/**
 * chrony.conf with the given time sources; `serveCidrs` may query this node. `peers` are the
 * servers that serve the same clients: each polls the others and, with `local ... orphan`,
 * they keep one time when every upstream source is lost (chrony.conf(5), local).
 */
export function chronyConf(
  sources: readonly string[],
  serveCidrs: readonly string[],
  peers: readonly string[] = [],
): string {
  const lines = [
    ...sources.map((s) => `${POOL_NAME.test(s) ? "pool" : "server"} ${s} iburst`),
    ...peers.filter((p) => !sources.includes(p)).map((p) => `server ${p} iburst`),
    ...(peers.length ? ["local stratum 10 orphan"] : []),
    "driftfile /var/lib/chrony/chrony.drift",
    "makestep 1.0 3",
    "rtcsync",
    ...serveCidrs.map((c) => `allow ${c}`),
  ];
  return `${lines.join("\n")}\n`;
}
