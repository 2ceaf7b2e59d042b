import { Construct } from "constructs";
import { ObjectstorageContainerV1 } from "../.gen/providers/openstack/objectstorage-container-v1";
import type { SwiftContainerModel } from "../model/types";
import { tfLiteral } from "../synth/escape";
import { stableId } from "./private/construct-id";

export interface ObjectStorageProps {
  readonly containers: readonly SwiftContainerModel[];
  /**
   * The container Cinder backups go to (`storage.backup.container` when backups use Swift). It is
   * created private when the design does not declare it.
   * @default no backup container
   */
  readonly backupContainer?: string;
}

/** Swift's public-read referrer ACL, applied only to containers the design marks public. */
export const PUBLIC_READ_ACL = ".r:*,.rlistings";

/**
 * The construct id of a container. Always prefixed: a container may be named `constructor` or
 * `__proto__`, which cannot be a construct id of their own.
 */
const containerId = (name: string) => `container-${stableId(name)}`;

/** Swift containers with their ACLs, versioning and storage policy. */
export class ObjectStorage extends Construct {
  readonly containers: Readonly<Record<string, ObjectstorageContainerV1>>;
  /** The container backups go to, when one was asked for. */
  readonly backupContainer?: ObjectstorageContainerV1;

  constructor(scope: Construct, id: string, props: ObjectStorageProps) {
    super(scope, id);
    // No prototype: container names are free text, "__proto__" included.
    const containers: Record<string, ObjectstorageContainerV1> = Object.create(null);
    props.containers.forEach((c) => {
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

    const backup = props.backupContainer;
    if (backup !== undefined) {
      const declared = props.containers.find((c) => c.name === backup);
      if (declared?.public)
        throw new Error(
          `backup container ${JSON.stringify(backup)} is public; volume backups must not be world-readable: drop public from it or back up to another container`,
        );
      // Same id as a declared container, so declaring it later keeps its Terraform address.
      if (!Object.hasOwn(containers, backup))
        containers[backup] = new ObjectstorageContainerV1(this, containerId(backup), {
          name: tfLiteral(backup),
          versioning: false,
          metadata: { purpose: "backups" },
        });
      this.backupContainer = containers[backup];
    }
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
