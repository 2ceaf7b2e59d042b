import { createHash } from "crypto";
import { Construct } from "constructs";
import { ObjectstorageContainerV1 } from "../.gen/providers/openstack/objectstorage-container-v1";
import type { SwiftContainerModel } from "../model/types";
import { tfLiteral } from "../synth/escape";

export interface ObjectStorageProps {
  readonly containers: readonly SwiftContainerModel[];
}

/** Swift's public-read referrer ACL, applied only to containers the design marks public. */
export const PUBLIC_READ_ACL = ".r:*,.rlistings";

/** Swift containers with their ACLs, versioning and storage policy. */
export class ObjectStorage extends Construct {
  readonly containers: Readonly<Record<string, ObjectstorageContainerV1>>;

  constructor(scope: Construct, id: string, props: ObjectStorageProps) {
    super(scope, id);
    const containers: Record<string, ObjectstorageContainerV1> = {};
    props.containers.forEach((c) => {
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
}

/** Container names are free text; construct ids must be stable and path-safe. */
function containerId(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9_-]/g, "_");
  return safe === name
    ? name
    : `${safe}_${createHash("sha256").update(name).digest("hex").slice(0, 12)}`;
}
