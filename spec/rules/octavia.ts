import { poolId } from "../../core/naming";
import { type Spec } from "../schema";
import { Findings } from "./findings";
import { isValidCidr, parseCidr } from "../../core/net";

/**
 * Octavia's amphorae and the controllers' health managers must share a network. Kolla-Ansible's
 * default is a tenant network no controller reaches (every load balancer goes to ERROR), so the
 * design declares the VLAN: the controllers join it, the computes and network hosts bridge it.
 */
export function octavia(spec: Spec, f: Findings) {
  const running = spec.controlPlane.services.includes("octavia");
  topology(spec, f, running);
  octaviaPoolUnused(spec, f, running);
  amphoraeOnDevices(spec, f, running);
  const i = spec.network.networks.findIndex((n) => n.role === "octavia");
  if (i < 0) {
    if (running)
      f.error(
        "octavia-network-missing",
        ["network", "networks"],
        "Octavia's amphorae report to the health managers on the controllers over a network both reach; declare one in network.networks with role octavia, a cidr of its own and a VLAN id (e.g. { name: lb-mgmt, role: octavia, cidr: 10.1.0.0/24, vlan: 110 }): the controllers get an address on it, the computes and network hosts bridge it for the amphorae",
      );
    return;
  }
  spec.network.networks.forEach((n, j) => {
    if (j > i && n.role === "octavia")
      f.error(
        "octavia-network-duplicate",
        ["network", "networks", j, "role"],
        `network ${n.name} is a second octavia network; Kolla-Ansible puts the amphorae on one (network.networks[${i}], ${spec.network.networks[i].name})`,
      );
  });
  const net = spec.network.networks[i];
  if (!running)
    f.warn(
      "octavia-network-unused",
      ["network", "networks", i, "role"],
      `network ${net.name} has role octavia but controlPlane.services does not list octavia; add octavia to the services or remove the network`,
    );
  // Kolla gives an IPv6 amphora subnet SLAAC from its router, which Neutron allows on a /64 only.
  const cidr = isValidCidr(net.cidr) ? parseCidr(net.cidr) : undefined;
  if (cidr?.version === 6 && cidr.prefix !== 64)
    f.error(
      "octavia-network-prefix",
      ["network", "networks", i, "cidr"],
      `the octavia network ${net.name} is a /${cidr.prefix}; its amphorae take SLAAC addresses, which Neutron allows on a /64 only: use a /64`,
    );
  if (net.vlan === undefined)
    f.error(
      "octavia-network-vlan",
      ["network", "networks", i, "vlan"],
      `the octavia network ${net.name} needs a VLAN id (network.networks[${i}].vlan): the controllers join it as a VLAN device and Neutron puts the amphorae on the same VLAN, a provider segment of the computes' Open vSwitch bridge`,
    );
}

/**
 * An active-standby pair boots on two compute hosts (Octavia's hard anti-affinity): hosts of
 * pinned pools offer Nova no shared CPUs, so the unpinned pools must hold two.
 */
function topology(spec: Spec, f: Findings, running: boolean) {
  const chosen = spec.controlPlane.octaviaTopology;
  if (chosen === undefined) return;
  const path = ["controlPlane", "octaviaTopology"];
  if (!running) {
    f.warn(
      "octavia-topology-unused",
      path,
      "controlPlane.octaviaTopology is set but controlPlane.services does not list octavia; add octavia to the services or remove the setting",
    );
    return;
  }
  if (chosen !== "active-standby") return;
  // The amphorae boot on their pool where the design names one, else on any pool of shared CPUs.
  const key = spec.controlPlane.octaviaPool;
  const named = spec.zones.flatMap((z) =>
    z.pools.filter((p) => key !== undefined && (p.name === key || poolId(z.name, p.name) === key)),
  );
  // (a named pool that pins CPUs is refused as such: octavia-pool)
  if (named.length === 1 && named[0].cpuPinning) return;
  const hosts = (named.length === 1 ? named : spec.zones.flatMap((z) => z.pools))
    .filter((p) => !p.cpuPinning)
    .reduce((n, p) => n + p.hosts, 0);
  if (hosts < 2)
    f.error(
      "octavia-standby-hosts",
      path,
      named.length === 1
        ? `an active-standby pair of amphorae needs two compute hosts apart (Nova anti-affinity), and pool ${key}, where controlPlane.octaviaPool keeps them, has ${hosts}; use single, add hosts, or name a larger pool`
        : `an active-standby pair of amphorae needs two compute hosts apart (Nova anti-affinity), and the pools without CPU pinning, where amphorae can boot, have ${hosts}; use single or add hosts`,
    );
}

/**
 * Kolla's amphora flavor asks for no pool unless octaviaPool names one, and a flavor without
 * the aggregate key passes AggregateInstanceExtraSpecsFilter on every host: the amphorae may
 * take the CPUs and memory of hosts bought for their passthrough devices.
 */
function amphoraeOnDevices(spec: Spec, f: Findings, running: boolean) {
  if (!running || spec.controlPlane.octaviaPool !== undefined) return;
  const devices = new Set(spec.hardware.filter((h) => h.accelerators.length).map((h) => h.name));
  const pools = spec.zones.flatMap((z) =>
    z.pools
      .filter((p) => !p.cpuPinning && devices.has(p.hardware))
      .map((p) => poolId(z.name, p.name)),
  );
  if (pools.length && spec.zones.some((z) => z.pools.some((p) => !devices.has(p.hardware))))
    f.warn(
      "octavia-amphorae-devices",
      ["controlPlane", "services"],
      `Octavia's amphora flavor names no pool (controlPlane.octaviaPool), so Nova may boot amphorae on the hosts of ${pools.length === 1 ? "pool" : "pools"} ${pools.join(", ")}, bought for their passthrough devices, where they take CPUs and memory the devices' guests need; set controlPlane.octaviaPool to a pool without devices`,
    );
}

/** A pool for amphorae where no Octavia runs is a setting that does nothing. */
function octaviaPoolUnused(spec: Spec, f: Findings, running: boolean) {
  if (spec.controlPlane.octaviaPool !== undefined && !running)
    f.warn(
      "octavia-pool-unused",
      ["controlPlane", "octaviaPool"],
      "controlPlane.octaviaPool is set but controlPlane.services does not list octavia; add octavia to the services or remove the setting",
    );
}
