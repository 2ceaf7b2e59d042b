import { type Spec } from "../schema";
import { Findings } from "./findings";
import { isHostDeviceName } from "../../core/host-devices";

/**
 * Port names go into netplan beside the devices host networking creates: a port listed twice, or
 * named like a bond, a Linux bridge, a veth or a VLAN device, would make two devices of one name.
 */
export function nicNames(spec: Spec, f: Findings) {
  spec.hardware.forEach((h, i) => {
    const seen = new Map<string, number>();
    (h.nicNames ?? []).forEach((name, j) => {
      const path = ["hardware", i, "nicNames", j];
      const first = seen.get(name);
      if (first !== undefined)
        f.error(
          "nic-name-duplicate",
          path,
          `port ${name} is already listed (hardware[${i}].nicNames[${first}]); a port joins one bond`,
        );
      else seen.set(name, j);
      if (isHostDeviceName(name))
        f.error(
          "nic-name-reserved",
          path,
          `${name} is a name host networking or Open vSwitch gives its own devices (bond0, brbond0, p-brbond0-phy, bond0.100, br-ex, br-int, br-tun, ovs-system, lo); give the port's kernel name, such as eno1 or ens1f0`,
        );
    });
    // Without names every Ethernet port joins bond0, and LACP aggregates ports of one speed only:
    // the slower or faster ones would idle while the switches are priced at the fastest.
    const ports = h.nics.reduce((n, nic) => n + nic.count, 0);
    if (h.nicNames && ports > 0 && h.nicNames.length > ports)
      f.error(
        "nic-names-count",
        ["hardware", i, "nicNames"],
        `${h.nicNames.length} port names for the ${ports} ports hardware ${h.name} declares (nics): a bond would wait on ports the servers do not have; list at most ${ports}, or declare the ports`,
      );
    const speeds = [...new Set(h.nics.map((n) => n.speedGbps))].sort((a, b) => a - b);
    if (!h.nicNames && speeds.length > 1)
      f.error(
        "nic-speeds-mixed",
        ["hardware", i, "nics"],
        `hardware ${h.name} has ports of ${speeds.join(" and ")} Gbit/s, and without nicNames every Ethernet port joins one bond, where LACP aggregates ports of one speed only; list the ports to bond in hardware[${i}].nicNames, or declare only the ports of one speed`,
      );
  });
}
