import type { Model } from "../../model/types";
import type { DeployHost } from "../../model/deploy";
import { KOLLA_CHILD_GROUPS, KOLLA_GROUPS } from "../../core/kolla-groups";

/**
 * Kolla's child groups as this design places them: the upstream file runs HAProxy and keepalived
 * on the network hosts; here the VIPs live on the controllers, as the design's HA plan says.
 */
const CHILD_OVERRIDES: Readonly<Record<string, readonly string[]>> = {
  loadbalancer: ["control"],
};

/** The groups Kolla chooses cinder-volume's and cinder-backup's hosts from, LVM on or off. */
const CINDER_VOLUME_GROUPS = new Set(
  ["volume", "backup"].flatMap((s) => [`cinder-${s}`, `cinder-${s}-lvm`, `cinder-${s}-multiple`]),
);

/** group_vars/all/neutron.yml's neutron_external_interface. */
const KOLLA_DEFAULT_EXTERNAL_INTERFACE = "eth1";

/** Ansible variables per host: the address to reach it, its device per network role, its bridges. */
export function hostVariables(host: DeployHost): [string, string][] {
  const i = host.interfaces;
  return [
    ["ansible_host", host.address],
    ...(i.management ? [["network_interface", i.management] as [string, string]] : []),
    ...(i.api ? [["api_interface", i.api] as [string, string]] : []),
    ...(i.tunnel ? [["tunnel_interface", i.tunnel] as [string, string]] : []),
    ...(i.externalVip ? [["kolla_external_vip_interface", i.externalVip] as [string, string]] : []),
    // Octavia's health manager binds here and the amphorae report to it (controller_ip_port_list).
    ...(i.octavia ? [["octavia_network_interface", i.octavia] as [string, string]] : []),
    // tgtd's portal, where cinder.conf's target_ip_address sends the hypervisors.
    ...(host.iscsiTarget ? [["tgtd_interface_address", host.iscsiTarget] as [string, string]] : []),
    // Per host, never in globals.yml: a compute maps only the physical networks instances use.
    ...(host.bridges.length
      ? ([
          // Quoted for Python: Ansible reads INI values as literals, so `1,2` became a list of
          // numbers, which Kolla's bridge mappings cannot split.
          [
            "neutron_physical_networks",
            `'"${host.bridges.map((b) => b.physicalNetwork).join(",")}"'`,
          ],
          ["neutron_bridge_name", host.bridges.map((b) => b.bridge).join(",")],
          ["neutron_external_interface", host.bridges.map((b) => b.device).join(",")],
        ] as [string, string][])
      : []),
  ];
}

/**
 * `deploy/kolla/inventory`: Kolla-Ansible's multinode inventory with the design's hosts in the
 * top-level groups and the per-host variables (Kolla reads interface names per host, so they are
 * not in globals.yml, whose extra-vars would override them).
 */
export function kollaInventory(model: Model): string {
  const deploy = model.deploy;
  const byName = new Map(deploy.hosts.map((h) => [h.name, h]));
  const out = [
    "# Kolla-Ansible multinode inventory, written by Stackwright from the design.",
    "# Host variables: ansible_host is the management address; the *_interface variables name the",
    "# Linux device of each network on that host (see the host networking of the design).",
  ];
  const written = new Set<string>();
  for (const group of KOLLA_GROUPS) {
    out.push("", `[${group}]`);
    // The host kolla-ansible runs on, as Kolla's own inventory has it: its prechecks skip the
    // port and time checks of this group's members, which a controller running it must pass.
    if (group === "deployment") {
      out.push("localhost ansible_connection=local");
      continue;
    }
    for (const name of deploy.kollaGroups[group]) {
      const host = byName.get(name);
      if (!host) continue;
      // Ansible merges a host's variables across groups: write them once, at its first group.
      if (written.has(name)) {
        out.push(name);
        continue;
      }
      written.add(name);
      out.push([name, ...hostVariables(host).map(([k, v]) => `${k}=${v}`)].join(" "));
    }
  }
  const volumeGroups = deploy.cinder.volumeGroups;
  for (const [group, children] of KOLLA_CHILD_GROUPS) {
    // A single database or broker: its hosts, not every controller's cluster.
    const own = deploy.serviceHosts[group as keyof typeof deploy.serviceHosts];
    if (own) {
      out.push("", `[${group}]`, ...own);
      continue;
    }
    const placed = !volumeGroups.length
      ? undefined
      : CINDER_VOLUME_GROUPS.has(group)
        ? volumeGroups
        : group === "iscsid"
          ? deploy.cinder.iscsid.groups
          : group === "tgtd"
            ? // The iSCSI target runs where cinder-volume exports LVM volumes.
              [...new Set([...children, ...volumeGroups])]
            : undefined;
    out.push("", `[${group}:children]`, ...(placed ?? CHILD_OVERRIDES[group] ?? children));
  }
  // Kolla-Ansible 22.0.0 lost this default (a typo in group_vars/all/neutron.yml, mended in
  // 22.1.0), and its neutron prechecks read it on the first controller, which may have no bridge.
  out.push(
    "",
    "[all:vars]",
    "# Kolla-Ansible's own default, which 22.0.0 lost (a typo mended in 22.1.0) while its neutron",
    "# prechecks read it on the first controller; other releases' group_vars set it and take",
    "# precedence over this line. Hosts with bridges set their own above: change it there.",
    `neutron_external_interface=${KOLLA_DEFAULT_EXTERNAL_INTERFACE}`,
  );
  return `${out.join("\n")}\n`;
}
