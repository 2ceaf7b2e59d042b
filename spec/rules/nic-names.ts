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
          `${name} is a name host networking gives its own devices (bond0, brbond0, p-brbond0-phy, bond0.100); give the port's kernel name, such as eno1 or ens1f0`,
        );
    });
  });
}
