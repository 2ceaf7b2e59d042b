import { type Spec } from "../schema";
import { encapsulationOverhead, overlayIpVersion, overlayPathMtu } from "../../core/neutron";
import { Findings } from "./findings";

export function mtu(spec: Spec, f: Findings) {
  const under = spec.network.underlayMtu;
  spec.network.networks.forEach((n, i) => {
    if (n.mtu !== undefined && n.mtu > under) {
      f.error(
        "mtu-too-large",
        ["network", "networks", i, "mtu"],
        `network ${n.name} asks for MTU ${n.mtu}, above the underlay MTU ${under}`,
      );
    }
  });
  const overIpv6 = overlayIpVersion(spec.network.networks) === 6;
  const overhead = encapsulationOverhead(spec.network.tenantNetworkType, overIpv6 ? 6 : 4);
  // Tunnels carry what their own network's MTU allows.
  const path = overhead > 0 ? overlayPathMtu(spec.network.networks, under) : under;
  const overlay = path - overhead;
  // The headers' bytes, and why there are 20 more when tunnels run over the IPv6 network.
  const why = `${path} - ${overhead}${overIpv6 && overhead > 0 ? ", tunnels over IPv6" : ""}`;
  spec.tenants.forEach((t, i) => {
    if (t.network?.mtu !== undefined && t.network.mtu > overlay) {
      f.error(
        "mtu-too-large",
        ["tenants", i, "network", "mtu"],
        `tenant ${t.name} asks for MTU ${t.network.mtu}, above the ${spec.network.tenantNetworkType} overlay MTU ${overlay} (${why})`,
      );
    }
  });
  if (overlay < 1280 && ["vxlan", "gre", "geneve"].includes(spec.network.tenantNetworkType)) {
    f.warn(
      "mtu-small",
      ["network", "underlayMtu"],
      `tenant networks get MTU ${overlay} (${why}), below IPv6's minimum 1280; raise the underlay MTU`,
    );
  }
}
