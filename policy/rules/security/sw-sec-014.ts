import type { ConstructRule } from "../../rule";
import { asBool, literalText } from "../../private/targets";

const KINDS: Readonly<Record<string, string>> = {
  openstack_compute_flavor_v2: "flavor",
  openstack_blockstorage_volume_type_v3: "volume type",
};

/**
 * No flavor or volume type the design keeps to some projects is made every project's by hand:
 * a private flavor is how a pool's hosts (pinned, GPU, a business stage) stay its tenants'.
 */
export const noUndesignedPublicFlavor: ConstructRule = {
  id: "SW-SEC-014",
  scope: "construct",
  severity: "warning",
  title: "No flavor or volume type is public unless the design makes it public",
  help:
    "A private flavor boots only in the projects given access to it, which is how a pool's hosts " +
    "(pinned CPUs, a tier, a business stage) stay its tenants'; a private volume type keeps a " +
    "backend to the tenants that list it. A flavor or volume type made public by hand, or added " +
    "public, lets every project use it.",
  check(node, stack) {
    const kind = node.kind === "resource" ? KINDS[node.type] : undefined;
    // The provider sends is_public false when it is unset.
    if (!kind || asBool(node.body.is_public) !== true) return [];
    const designed = stack.designed(node);
    if (designed && asBool(designed.is_public) === true) return [];
    const name = typeof node.body.name === "string" ? literalText(node.body.name) : node.name;
    return [
      {
        target: node.path,
        message: `${kind} ${name} is public, every project's to use, ${designed ? "where the design keeps it to the projects it gives access" : "and the design has no such " + kind}`,
        fix: "set is_public to false and grant it through the spec (tenants[].flavors, tenants[].volumeTypes), or make it public there (flavors[].public, storage.backends[].public)",
      },
    ];
  },
};
