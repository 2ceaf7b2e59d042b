import { type Spec } from "../schema";
import { overlayFigures } from "../../core/neutron";
import { Findings } from "./findings";

export function mtu(spec: Spec, f: Findings) {
  const under = spec.network.underlayMtu;
  // Linux turns IPv6 off on a link below 1280 bytes (RFC 8200's minimum).
  const ipv6Below = (cidr: string, mtu: number) => cidr.includes(":") && mtu < 1280;
  spec.network.networks.forEach((n, i) => {
    if (ipv6Below(n.cidr, n.mtu ?? under))
      f.error(
        "mtu-ipv6-minimum",
        ["network", "networks", i, n.mtu !== undefined ? "mtu" : "cidr"],
        `network ${n.name} is IPv6 with MTU ${n.mtu ?? under}, below IPv6's minimum 1280: its hosts would have no IPv6 on it`,
      );
    if (n.mtu !== undefined && n.mtu > under) {
      f.error(
        "mtu-too-large",
        ["network", "networks", i, "mtu"],
        `network ${n.name} asks for MTU ${n.mtu}, above the underlay MTU ${under}`,
      );
    }
  });
  const { ipVersion, overhead, pathMtu: path, tenantMtu: overlay } = overlayFigures(spec.network);
  const overIpv6 = ipVersion === 6;
  const why = `${path} - ${overhead}${overIpv6 && overhead > 0 ? ", tunnels over IPv6" : ""}`;
  spec.tenants.forEach((t, i) => {
    if (t.network && ipv6Below(t.network.cidr, t.network.mtu ?? overlay))
      f.error(
        "mtu-ipv6-minimum",
        ["tenants", i, "network", t.network.mtu !== undefined ? "mtu" : "cidr"],
        `tenant ${t.name}'s network is IPv6 with MTU ${t.network.mtu ?? overlay}, below IPv6's minimum 1280: its instances would have no IPv6${t.network.mtu === undefined ? ` (${why}); raise the underlay MTU` : ""}`,
      );
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
