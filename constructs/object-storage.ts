import { Construct } from "constructs";
import { ObjectstorageContainerV1 } from "../.gen/providers/openstack/objectstorage-container-v1";
import type { SwiftContainerModel } from "../model/types";
import { tfLiteral } from "../core/terraform-literal";
import { stableId } from "./private/construct-id";

export interface ObjectStorageProps {
  /**
   * The containers of the design. Only those in the platform's account are created here: image
   * and backup containers live in each project's account, where Glance and cinder-backup create
   * them (see SwiftAccount).
   */
  readonly containers: readonly SwiftContainerModel[];
}

/** Swift's public-read referrer ACL, applied only to containers the design marks public. */
export const PUBLIC_READ_ACL = ".r:*,.rlistings";

/**
 * The construct id of a container. Always prefixed: a container may be named `constructor` or
 * `__proto__`, which cannot be a construct id of their own.
 */
const containerId = (name: string) => `container-${stableId(name)}`;

/** The platform's Swift containers with their ACLs, versioning and storage policy. */
export class ObjectStorage extends Construct {
  readonly containers: Readonly<Record<string, ObjectstorageContainerV1>>;
  constructor(scope: Construct, id: string, props: ObjectStorageProps) {
    super(scope, id);
    // No prototype: container names are free text, "__proto__" included.
    const containers: Record<string, ObjectstorageContainerV1> = Object.create(null);
    props.containers.forEach((c) => {
      // Created in the account of the credentials: only the platform's own containers.
      if (c.account !== "platform") return;
      if (Object.hasOwn(containers, c.name))
        throw new Error(
          `ObjectStorage: container ${JSON.stringify(c.name)} is declared twice; declare each container once`,
        );
      const read = [...(c.public ? [PUBLIC_READ_ACL] : []), ...c.readers];
      containers[c.name] = new ObjectstorageContainerV1(this, containerId(c.name), {
        name: tfLiteral(c.name),
        ...(read.length ? { containerRead: tfLiteral(read.join(",")) } : {}),
        ...(c.writers.length ? { containerWrite: tfLiteral(c.writers.join(",")) } : {}),
        versioning: c.versioning,
        ...(c.storagePolicy ? { storagePolicy: c.storagePolicy } : {}),
        metadata: { purpose: c.purpose },
      });
    });

    this.containers = containers;
  }

  /** The container with this name; throws when there is none. */
  container(name: string): ObjectstorageContainerV1 {
    // Own keys only: a container may be named like an Object.prototype member.
    const found = Object.hasOwn(this.containers, name) ? this.containers[name] : undefined;
    if (!found) throw new Error(`ObjectStorage has no container ${JSON.stringify(name)}`);
    return found;
  }
}
