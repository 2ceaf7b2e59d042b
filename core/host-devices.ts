/**
 * The names of the Linux devices host networking creates: bonds, Kayobe's Linux bridges and veth
 * pairs for Open vSwitch, VLAN devices. One owner, so the model names them and the spec rules
 * keep port names (`hardware[].nicNames`) clear of them.
 */

/** Longest Linux interface name (IFNAMSIZ less the terminating NUL). */
export const IFNAMSIZ = 15;

/** The i-th bond: `bond0`, `bond1`, ... */
export const bondName = (i: number) => `bond${i}`;

/** Kayobe's name for the Linux bridge over a bond: `brbond0`. */
export const linuxBridgeName = (bond: string) => `br${bond}`;

/**
 * Kayobe's veth names (`network_patch_prefix` + bridge + `network_patch_suffix_phy`/`_ovs`),
 * the bridge name cut so the whole fits the IFNAMSIZ limit.
 */
export function vethName(bridge: string, suffix: "-phy" | "-ovs"): string {
  const prefix = "p-";
  return `${prefix}${bridge.slice(0, IFNAMSIZ - prefix.length - suffix.length)}${suffix}`;
}

/** A VLAN device on a bond or bridge: `bond0.110`. */
export const vlanDeviceName = (parent: string, vlan: number) => `${parent}.${vlan}`;

/** The i-th physical network's Open vSwitch bridge (Kolla's neutron_bridge_name): br-ex, br-ex2... */
export const ovsBridgeName = (i: number) => (i === 0 ? "br-ex" : `br-ex${i + 1}`);

/**
 * Devices every host has or Open vSwitch and the kernel make beside the design's: the loopback,
 * the integration and tunnel bridges, OVS's datapath and its tunnel ports.
 */
const SYSTEM_DEVICES: ReadonlySet<string> = new Set([
  "lo",
  "br-int",
  "br-tun",
  "ovs-system",
  "vxlan_sys_4789",
  "genev_sys_6081",
  "gre_sys",
]);

/** Whether a name is one host networking gives its own devices, so no port may carry it. */
export function isHostDeviceName(name: string): boolean {
  return (
    /^(br)?bond\d+$/.test(name) ||
    /^p-.*-(phy|ovs)$/.test(name) ||
    /\.\d+$/.test(name) ||
    /^br-ex\d*$/.test(name) ||
    SYSTEM_DEVICES.has(name)
  );
}

/**
 * Bytes of the Ethernet frame that carries an IP packet of `mtu` bytes: the header, and an
 * 802.1Q tag where the link carries VLANs (switches count their MTU in frames).
 */
export const ethernetFrame = (mtu: number, tagged: boolean) => mtu + 14 + (tagged ? 4 : 0);
