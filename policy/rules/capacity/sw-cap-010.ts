import type { ModelRule } from "../../rule";
import { specPath } from "../../private/targets";
import { nodeUserData } from "../../../artifacts/netplan";

/**
 * Nova's API takes user data base64-encoded, at most 65535 characters (its servers schema):
 * 49149 bytes of text. gophercloud encodes the provider's text, so the text itself is measured.
 */
export const NOVA_USER_DATA_BYTES = Math.floor(65535 / 4) * 3;

/**
 * A bare-metal server's user data fits what Nova accepts, or the apply fails on that server.
 * Measured on the text the bare-metal stack writes (the same function), so `validate` tells it.
 */
export const userDataSize: ModelRule = {
  id: "SW-CAP-010",
  scope: "model",
  severity: "error",
  title: "Every server's user data fits Nova's limit of 65535 base64 characters",
  help:
    "Nova refuses a server whose user data, base64-encoded, is longer than 65535 characters " +
    "(HTTP 400): about 48 KiB of text. The bare-metal servers' user data holds their netplan, " +
    "chrony and cloud-init configuration, which grows with routes, time servers and networks.",
  check(model) {
    if (!model.undercloud) return [];
    return model.nodes.flatMap((node) => {
      const bytes = Buffer.byteLength(nodeUserData(model, node));
      return bytes <= NOVA_USER_DATA_BYTES
        ? []
        : [
            {
              target: specPath("cloud", "undercloud"),
              message: `${node.name}'s user data is ${bytes} bytes, ${Math.ceil(bytes / 3) * 4} base64 characters; Nova accepts at most 65535 (${NOVA_USER_DATA_BYTES} bytes)`,
              fix: "use fewer time servers, routes or networks on the host",
            },
          ];
    });
  },
};
