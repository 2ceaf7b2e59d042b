import { Construct } from "constructs";
import { BlockstorageQosAssociationV3 } from "../.gen/providers/openstack/blockstorage-qos-association-v3";
import { BlockstorageQosV3 } from "../.gen/providers/openstack/blockstorage-qos-v3";
import { BlockstorageVolumeTypeV3 } from "../.gen/providers/openstack/blockstorage-volume-type-v3";
import type { VolumeBackendModel } from "../model/types";
import { tfLiteral } from "../core/terraform-literal";

export interface BlockStorageProps {
  /** The Cinder backends of the resolved model. */
  readonly backends: readonly VolumeBackendModel[];
}

/** Cinder QoS spec keys for the limits a backend may declare. */
const QOS_SPEC_KEYS = {
  readIopsSec: "read_iops_sec",
  writeIopsSec: "write_iops_sec",
  totalBytesSec: "total_bytes_sec",
} as const;

/**
 * Cinder volume types, one per backend, bound to it through volume_backend_name, with the
 * backend's QoS limits associated to the type when it declares any.
 */
export class BlockStorage extends Construct {
  readonly volumeTypes: Readonly<Record<string, BlockstorageVolumeTypeV3>>;
  /** QoS specs per backend name, for the backends that declare limits. */
  readonly qos: Readonly<Record<string, BlockstorageQosV3>>;

  constructor(scope: Construct, id: string, props: BlockStorageProps) {
    super(scope, id);
    const types: Record<string, BlockstorageVolumeTypeV3> = {};
    const qos: Record<string, BlockstorageQosV3> = {};
    for (const backend of props.backends) {
      const backendScope = new Construct(this, backend.name);
      const type = new BlockstorageVolumeTypeV3(backendScope, "Resource", {
        name: tfLiteral(backend.volumeType),
        description: tfLiteral(backend.description ?? `${backend.kind} volumes`),
        isPublic: backend.public,
        extraSpecs: { volume_backend_name: backend.volumeBackendName },
      });
      types[backend.name] = type;
      if (backend.qos) {
        qos[backend.name] = new BlockstorageQosV3(backendScope, "Qos", {
          name: tfLiteral(`${backend.name}-qos`),
          // Front-end limits are enforced by the hypervisor, so they hold for every backend kind.
          consumer: "front-end",
          specs: qosSpecs(backend),
        });
        new BlockstorageQosAssociationV3(backendScope, "QosAssociation", {
          qosId: qos[backend.name].id,
          volumeTypeId: type.id,
        });
      }
    }
    this.volumeTypes = types;
    this.qos = qos;
  }
}

function qosSpecs(backend: VolumeBackendModel): Record<string, string> {
  const specs: Record<string, string> = {};
  for (const [field, key] of Object.entries(QOS_SPEC_KEYS)) {
    const value = backend.qos?.[field as keyof typeof QOS_SPEC_KEYS];
    if (value !== undefined) specs[key] = String(value);
  }
  if (Object.keys(specs).length === 0)
    throw new Error(
      `backend ${backend.name} declares qos without a limit; set readIopsSec, writeIopsSec or totalBytesSec, or remove qos`,
    );
  return specs;
}
