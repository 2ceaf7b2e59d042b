import { Construct } from "constructs";
import { BlockstorageVolumeTypeV3 } from "../.gen/providers/openstack/blockstorage-volume-type-v3";
import type { VolumeBackendModel } from "../model/types";
import { tfLiteral } from "../synth/escape";

export interface BlockStorageProps {
  /** The Cinder backends of the resolved model. */
  readonly backends: readonly VolumeBackendModel[];
}

/** Cinder volume types, one per backend, bound to it through volume_backend_name. */
export class BlockStorage extends Construct {
  readonly volumeTypes: Readonly<Record<string, BlockstorageVolumeTypeV3>>;

  constructor(scope: Construct, id: string, props: BlockStorageProps) {
    super(scope, id);
    const types: Record<string, BlockstorageVolumeTypeV3> = {};
    for (const backend of props.backends) {
      types[backend.name] = new BlockstorageVolumeTypeV3(
        new Construct(this, backend.name),
        "Resource",
        {
          name: tfLiteral(backend.volumeType),
          description: tfLiteral(backend.description ?? `${backend.kind} volumes`),
          isPublic: backend.public,
          extraSpecs: { volume_backend_name: backend.volumeBackendName },
        },
      );
    }
    this.volumeTypes = types;
  }
}
