import type { ModelRule } from "../../rule";
import { specPath } from "../../private/targets";

/** A provider network cannot carry frames larger than the physical underlay. */
export const networkMtuWithinUnderlay: ModelRule = {
  id: "SW-CAP-007",
  scope: "model",
  severity: "error",
  title: "No network's MTU exceeds the underlay MTU",
  help:
    "Frames larger than the switches' MTU are dropped, not fragmented: connections hang " +
    "after the handshake (large packets only). Every network's MTU must fit " +
    "network.underlayMtu; raise the underlay (jumbo frames end to end) or lower the network.",
  check(model) {
    const underlay = model.network.underlayMtu;
    return model.networks
      .filter((n) => n.mtu > underlay)
      .map((n) => ({
        target: specPath("network", "networks", n.name, "mtu"),
        message: `network ${n.name} has MTU ${n.mtu}, above the underlay MTU ${underlay}; large frames are dropped`,
        fix: `set the MTU of network ${n.name} to at most ${underlay}, or raise network.underlayMtu`,
      }));
  },
};
