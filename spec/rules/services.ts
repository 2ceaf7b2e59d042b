import type { Spec } from "../schema";
import { formatPath } from "../../core/errors";
import type { Findings, Path } from "./findings";
import { neutronMechanism } from "../../core/neutron";

const SERVICES_PATH: Path = ["controlPlane", "services"];

/** What each gated service is called in messages. */
const SERVICE_NAMES: Readonly<Record<string, string>> = {
  cinder: "Cinder (block storage)",
  swift: "Swift (object storage)",
  fwaas: "Neutron FWaaS v2",
  vpnaas: "Neutron VPNaaS",
  octavia: "Octavia (load balancing)",
  manila: "Manila (shared file systems)",
};

/**
 * The services every design builds on: Kolla-Ansible deploys a region with its own Keystone, and
 * the platform's pools, flavors, networks and images are theirs.
 */
const CORE_SERVICES: Readonly<Record<string, string>> = {
  keystone:
    "every service and tenant project authenticates with it (Stackwright deploys a region with its own Keystone; regions sharing one are not supported)",
  nova: "the compute pools' hosts, aggregates and flavors are Nova's",
  placement: "Nova schedules every instance through it",
  neutron: "the tenants' networks, routers and security groups are Neutron's",
  glance: "instances and Octavia's amphorae boot from its images",
};

/**
 * Resources of a service the cloud does not run cannot be applied: the endpoint or Neutron
 * extension is missing. Each use names its own path and `controlPlane.services`.
 */
export function services(spec: Spec, f: Findings): void {
  const running = new Set<string>(spec.controlPlane.services);
  for (const [service, why] of Object.entries(CORE_SERVICES))
    if (!running.has(service))
      f.error(
        "service-core-missing",
        SERVICES_PATH,
        `${formatPath(SERVICES_PATH)} does not list ${service}, which the design cannot do without: ${why}; add ${service}`,
      );
  // Cinder comes with a volume backend (cinder-backend-missing): adding it alone would not do.
  const withBackend = (service: string) =>
    service === "cinder" && !spec.storage.backends.length
      ? " with a volume backend in storage.backends"
      : "";
  const need = (service: string, path: Path, what: string) => {
    if (running.has(service)) return;
    f.error(
      "service-missing",
      path,
      `${what} needs ${SERVICE_NAMES[service] ?? service}, which ${formatPath(SERVICES_PATH)} does not list; add ${service} to ${formatPath(SERVICES_PATH)}${withBackend(service)} or remove ${formatPath(path)}`,
    );
  };

  if (spec.storage.backends.length)
    need("cinder", ["storage", "backends"], "a Cinder backend (volume type)");
  const backup = spec.storage.backup;
  if (backup) {
    need("cinder", ["storage", "backup", "service"], "volume backup (cinder-backup)");
    if (backup.service === "swift")
      need("swift", ["storage", "backup", "service"], "backup to Swift");
  }
  if (spec.storage.swift?.containers.length)
    need("swift", ["storage", "swift", "containers"], "a Swift container");
  if (spec.securityZones.firewall)
    need("fwaas", ["securityZones", "firewall"], "a firewall group on every tenant router");
  // neutron-fwaas's OVN driver writes allow-stateless ACLs: replies to what instances start come
  // back as new traffic, which the inside-ingress policy drops.
  if (neutronMechanism(spec.network) === "ovn") {
    if (spec.securityZones.firewall)
      f.error(
        "firewall-ovn-stateless",
        ["securityZones", "firewall"],
        "with OVN, neutron-fwaas's firewall is stateless (its driver writes allow-stateless ACLs): replies to every connection an instance opens would be dropped at its router, and the firewall mixes badly with the stateful security groups; set firewall: false (OVN's security groups filter each port, statefully), or run Open vSwitch agents (network.mechanism: ovs, with vxlan, gre or vlan tenant networks)",
      );
    else if (running.has("fwaas"))
      f.warn(
        "fwaas-ovn-stateless",
        [...SERVICES_PATH, spec.controlPlane.services.indexOf("fwaas")],
        "with OVN, neutron-fwaas's firewall groups are stateless: a tenant's group needs rules for the replies of every connection it allows (by source port), and mixes badly with stateful security groups; the design creates none",
      );
  }
  if (spec.legacyUnix?.vpn)
    need("vpnaas", ["legacyUnix", "vpn"], "the IPsec VPN to the legacy site");

  spec.tenants.forEach((t, i) => {
    const q = t.quota;
    for (const field of ["volumes", "volumeGiB", "perVolumeType"] as const) {
      if (q[field] !== undefined)
        need("cinder", ["tenants", i, "quota", field], `tenant ${t.name}'s volume quota`);
    }
    if (t.volumeTypes.length)
      need("cinder", ["tenants", i, "volumeTypes"], `tenant ${t.name}'s volume types`);
    if (q.loadBalancers !== undefined)
      need(
        "octavia",
        ["tenants", i, "quota", "loadBalancers"],
        `tenant ${t.name}'s load-balancer quota`,
      );
  });
}
