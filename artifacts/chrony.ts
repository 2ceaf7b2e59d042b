import type { Model, NodeRole } from "../model/types";

/**
 * chrony configuration for every node role of the design, keyed by output path
 * (`config/chrony/<role>.conf`): controllers sync from the enterprise servers and serve the
 * management network; the other roles use the sources the model gives them. Controllers get the
 * same file through cloud-init; the other nodes are installed outside Terraform and need these.
 * Empty when the design declares no NTP. How many sources are enough is policy SW-HA-005's call.
 */
export function chronyConfigs(model: Model): Map<string, string> {
  const files = new Map<string, string>();
  const ntp = model.ntp;
  if (!ntp) return files;
  const roles = [...new Set(model.nodes.map((n) => n.role))];
  for (const role of roles)
    files.set(`config/chrony/${role}.conf`, `${header(role)}${roleChronyConf(model, role)}`);
  return files;
}

/**
 * chrony.conf of a role's hosts, as config/chrony and the bare-metal user data write it: its
 * sources, and the controllers serving time to the management network.
 */
export function roleChronyConf(model: Model, role: NodeRole): string {
  const management = model.networks.find((n) => n.role === "management");
  return chronyConf(
    model.ntp?.sources[role] ?? [],
    role === "controller" && management ? [management.cidr] : [],
  );
}

/** No host count: a file that changes only when the sources do tells day 2 what to restart. */
function header(role: NodeRole): string {
  return [
    `# chrony for every ${role} node, written by Stackwright.`,
    "# Install as /etc/chrony/chrony.conf (Debian, Ubuntu) or /etc/chrony.conf (RHEL) and restart chronyd.",
    "",
  ].join("\n");
}

/** chrony.conf with the given time sources; `serveCidrs` may query this node. */
export function chronyConf(sources: readonly string[], serveCidrs: readonly string[]): string {
  const lines = [
    ...sources.map((s) => `server ${s} iburst`),
    "driftfile /var/lib/chrony/chrony.drift",
    "makestep 1.0 3",
    "rtcsync",
    ...serveCidrs.map((c) => `allow ${c}`),
  ];
  return `${lines.join("\n")}\n`;
}
