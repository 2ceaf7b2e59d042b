/**
 * Puts the legacy UNIX bridge on a spec: provider network unix-bridge (10.20.50.0/24, VLAN 50 on
 * physnet-ext) and a legacyUnix section on it, next hop 10.20.50.254, with the given rest.
 */
export function withLegacyBridge(s: any, legacy: Record<string, unknown>): void {
  s.network.networks.push({
    name: "unix-bridge",
    role: "provider",
    cidr: "10.20.50.0/24",
    vlan: 50,
    physicalNetwork: "physnet-ext",
  });
  s.legacyUnix = { network: "unix-bridge", nextHop: "10.20.50.254", ...legacy };
}

/** The legacy bridge to one AIX system (192.168.50.10) with the given flows. */
export function withLegacyFlows(s: any, flows: readonly Record<string, unknown>[]): void {
  withLegacyBridge(s, {
    subnets: ["192.168.50.0/24"],
    systems: [{ name: "aix-a", architecture: "ppc64", os: "AIX 7.2", address: "192.168.50.10" }],
    flows,
  });
}
