/** Neutron mechanism: Open vSwitch agents or OVN. */
export type NeutronMechanism = "ovs" | "ovn";

/**
 * The mechanism a design runs: the one it names, else OVN for Geneve tenant networks (only OVN
 * speaks Geneve) and Open vSwitch agents otherwise. The deployer and the port matrix read it.
 */
export function neutronMechanism(network: {
  readonly mechanism?: NeutronMechanism;
  readonly tenantNetworkType: string;
}): NeutronMechanism {
  return network.mechanism ?? (network.tenantNetworkType === "geneve" ? "ovn" : "ovs");
}

/**
 * Chassis (ovn-controller hosts) per OVN southbound relay: Kolla-Ansible's
 * ovn_sb_db_relay_compute_per_relay. Relay n listens on 16640 + n (ovn_sb_db_relay_port_prefix).
 */
export const OVN_CHASSIS_PER_RELAY = 50;
export const OVN_SB_RELAY_PORT_BASE = 16640;
