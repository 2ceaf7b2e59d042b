import { NODE_ROLES } from "../core/vocabulary";
/** Node roles a price book may price: the model's roles. */
export { NODE_ROLES };

export type PricedRole = (typeof NODE_ROLES)[number];

/** How the commercial alternative treats the nodes of a role. */
export interface RoleCosting {
  /** Replaced by commercial block arrays or an object store; otherwise bought on both sides. */
  readonly replacedBy?: "block" | "object";
  /** Its CPU sockets carry virtualization licences on the commercial side. */
  readonly licensed: boolean;
  /** Counted by the `storage-node` unit of subscriptions and services. */
  readonly storage: boolean;
}

const ROLE_COSTING: Readonly<Record<PricedRole, RoleCosting>> = {
  controller: { licensed: true, storage: false },
  network: { licensed: false, storage: false },
  compute: { licensed: true, storage: false },
  "ceph-mon": { replacedBy: "block", licensed: false, storage: true },
  "ceph-osd": { replacedBy: "block", licensed: false, storage: true },
  "swift-proxy": { replacedBy: "object", licensed: false, storage: true },
  "swift-storage": { replacedBy: "object", licensed: false, storage: true },
  // LVM/ZFS volume servers: the design gives no capacity to price arrays on, so both sides buy them.
  "block-storage": { licensed: false, storage: true },
  deployer: { licensed: false, storage: false },
};

/** A role this table does not know is bought alike on both sides: it shifts no saving. */
const UNKNOWN: RoleCosting = { licensed: false, storage: false };

export function roleCosting(role: string): RoleCosting {
  return (ROLE_COSTING as Record<string, RoleCosting>)[role] ?? UNKNOWN;
}
