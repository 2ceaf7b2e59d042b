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

/** A public key Nova loads, for key pairs in bulk. */
export const TEST_KEY =
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJqJ5Xc0vTq7Yb2l8lP3b2k5m6n7o8p9q0r1s2t3u4v5";

/**
 * A large legacy estate on the bridge: 35 AIX systems on 40 subnets, and a flow per port from
 * or to every system for pool app (the first `fromLegacy` ports from the systems).
 */
export function withLegacyEstate(s: any, ports: readonly number[], fromLegacy: number): void {
  withLegacyBridge(s, {
    subnets: Array.from({ length: 40 }, (_, i) => `192.168.${50 + i}.0/24`),
    systems: Array.from({ length: 35 }, (_, i) => ({
      name: `aix-${i}`,
      architecture: "ppc64",
      os: "AIX 7.2",
      address: `192.168.50.${10 + i}`,
    })),
    flows: ports.map((port, i) => ({
      name: `f${port}`,
      port,
      direction: i < fromLegacy ? "from-legacy" : "to-legacy",
      systems: Array.from({ length: 35 }, (_, j) => `aix-${j}`),
      pools: ["app"],
    })),
  });
}
