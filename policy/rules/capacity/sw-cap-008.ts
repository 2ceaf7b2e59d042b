import type { ModelRule, Violation } from "../../rule";
import { specPath } from "../../private/targets";

/** Tenant networks are overlays: their MTU is the underlay's minus the encapsulation. */
export const tenantMtuWithinOverlay: ModelRule = {
  id: "SW-CAP-008",
  scope: "model",
  severity: "error",
  title: "Tenant networks fit the overlay MTU (underlay minus encapsulation)",
  help:
    "VXLAN, Geneve and GRE add a header to every tenant frame. A tenant network whose MTU is " +
    "above the underlay MTU minus that overhead sends frames the underlay drops: SSH works, " +
    "large transfers hang. Keep tenant MTUs at or below the overlay MTU.",
  check(model) {
    const net = model.network;
    const overlay = net.underlayMtu - net.encapsulationOverhead;
    const out: Violation[] = [];
    if (net.tenantMtu > overlay) {
      out.push({
        target: specPath("network", "underlayMtu"),
        message: `tenant networks get MTU ${net.tenantMtu}, above the ${net.tenantNetworkType} overlay MTU ${overlay} (${net.underlayMtu} - ${net.encapsulationOverhead})`,
        fix: `raise network.underlayMtu to at least ${net.tenantMtu + net.encapsulationOverhead}`,
      });
    }
    const limit = Math.min(net.tenantMtu, overlay);
    for (const t of model.tenants) {
      if (t.network && t.network.mtu > limit) {
        out.push({
          target: specPath("tenants", t.id, "network", "mtu"),
          message: `tenant ${t.id}'s network asks for MTU ${t.network.mtu}, above the overlay MTU ${limit}`,
          fix: `set the tenant's network.mtu to at most ${limit}, or leave it unset`,
        });
      }
    }
    return out;
  },
};
