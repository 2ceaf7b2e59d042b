import type { ConstructRule, Violation } from "../../rule";
import { contains, parseCidr } from "../../../core/net";

/**
 * With keepalived, each controller port on a VIP's network allows the VIP as an address pair;
 * otherwise port security drops the VIP's traffic after a failover.
 */
export const vipAddressPairs: ConstructRule = {
  id: "SW-HA-007",
  scope: "construct",
  severity: "error",
  title: "Controller ports allow the keepalived VIPs as address pairs",
  help:
    "keepalived moves a VIP between controllers, but Neutron's port security drops traffic to " +
    "an address the port does not own. Every controller port on a VIP's network must list the " +
    "VIP in allowed_address_pairs, or failover silently blackholes the APIs.",
  check(node, stack, model) {
    if (node.type !== "openstack_compute_instance_v2" || node.kind !== "resource") return [];
    const metadata = node.body.metadata as Record<string, unknown> | undefined;
    if (metadata?.role !== "controller") return [];
    if (model.controlPlane.controllers.length < 2) return [];
    const nics = Array.isArray(node.body.network) ? node.body.network : [];
    const ports = nics
      .map((nic) => stack.resolve((nic as Record<string, unknown> | null)?.port))
      .filter((p) => p?.type === "openstack_networking_port_v2");
    const out: Violation[] = [];
    for (const vip of model.vips) {
      const network = model.networks.find((n) => n.name === vip.network);
      if (!network) continue;
      const cidr = parseCidr(network.cidr);
      const port = ports.find((p) =>
        fixedAddresses(p?.body).some((address) => contains(cidr, address)),
      );
      if (!port) continue;
      const pairs = (
        Array.isArray(port.body.allowed_address_pairs) ? port.body.allowed_address_pairs : []
      )
        .map((pair) => (pair as Record<string, unknown> | null)?.ip_address)
        .filter((a): a is string => typeof a === "string");
      if (!pairs.some((a) => a === vip.address || a === `${vip.address}/32`)) {
        out.push({
          target: port.path,
          message: `controller port on ${vip.network} does not allow the ${vip.name} VIP ${vip.address}; after a failover its traffic is dropped`,
          fix: `add { ip_address: ${vip.address} } to the port's allowed_address_pairs`,
          values: { address: vip.address },
        });
      }
    }
    return out;
  },
};

function fixedAddresses(body: Readonly<Record<string, unknown>> | undefined): string[] {
  const fixed = Array.isArray(body?.fixed_ip) ? body.fixed_ip : [];
  return fixed
    .map((f) => (f as Record<string, unknown> | null)?.ip_address)
    .filter((a): a is string => typeof a === "string");
}
