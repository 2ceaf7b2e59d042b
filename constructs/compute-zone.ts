import { Construct } from "constructs";
import { ComputeAggregateV2 } from "../.gen/providers/openstack/compute-aggregate-v2";
import { ComputeFlavorV2 } from "../.gen/providers/openstack/compute-flavor-v2";
import type { PoolModel, ZoneModel } from "../model/types";
import { POOL_AGGREGATE_KEY } from "../model/deploy";
import { resourceName } from "./private/naming";
import { tfLiteralMap } from "../core/terraform-literal";

export interface ComputeZoneProps {
  readonly zone: ZoneModel;
  /** The zone's pools, with hosts and capacity from the resolved model. */
  readonly pools: readonly PoolModel[];
  readonly namingPrefix: string;
}

/**
 * One availability zone: a host aggregate per pool (tier or stage) carrying the zone name, its
 * hypervisors and its sizing, and the pool's flavors pinned to that aggregate. The pool's server
 * groups are not here: Nova shows a project only its own, so each tenant gets its copies in
 * its project (constructs/private/server-groups.ts).
 */
export class ComputeZone extends Construct {
  readonly aggregates: Readonly<Record<string, ComputeAggregateV2>>;
  readonly flavors: Readonly<Record<string, ComputeFlavorV2>>;

  constructor(scope: Construct, id: string, props: ComputeZoneProps) {
    super(scope, id);
    const aggregates: Record<string, ComputeAggregateV2> = {};
    const flavors: Record<string, ComputeFlavorV2> = {};
    for (const pool of props.pools) {
      if (pool.zone !== props.zone.name) {
        throw new Error(`pool ${pool.id} belongs to zone ${pool.zone}, not ${props.zone.name}`);
      }
      const poolScope = new Construct(this, pool.name);
      aggregates[pool.id] = new ComputeAggregateV2(poolScope, "Resource", {
        name: resourceName(props.namingPrefix, pool.id),
        zone: props.zone.name,
        hosts: [...pool.hostnames],
        // A custom purpose is free text, so the whole map is made inert.
        metadata: tfLiteralMap({
          [POOL_AGGREGATE_KEY]: pool.id,
          [pool.purpose.kind]: pool.purpose.value,
          ...(pool.purpose.stage ? { stage: pool.purpose.stage } : {}),
          cpu_allocation_ratio: String(pool.cpuAllocationRatio),
          ram_allocation_ratio: String(pool.ramAllocationRatio),
          schedulable_vcpus: String(pool.capacity.schedulableVcpus),
          dedicated_cpus: String(pool.capacity.dedicatedCpus),
          schedulable_ram_gib: String(pool.capacity.schedulableRamGiB),
          cpu_pinning: String(pool.cpuPinning),
        }),
      });
      for (const flavor of pool.flavors) {
        flavors[flavor.name] = new ComputeFlavorV2(poolScope, `flavor-${flavor.name}`, {
          name: flavor.name,
          vcpus: flavor.vcpus,
          ram: flavor.ramMiB,
          disk: flavor.diskGiB,
          isPublic: flavor.public,
          extraSpecs: {
            [`aggregate_instance_extra_specs:${POOL_AGGREGATE_KEY}`]: pool.id,
            ...(flavor.dedicated ? { "hw:cpu_policy": "dedicated" } : {}),
            ...(flavor.numaNodes && flavor.numaNodes > 1
              ? { "hw:numa_nodes": String(flavor.numaNodes) }
              : {}),
            // Nova's alias:count list, the aliases nova.conf names ([pci] alias).
            ...(flavor.accelerators
              ? {
                  "pci_passthrough:alias": flavor.accelerators
                    .map((a) => `${a.name}:${a.count}`)
                    .join(","),
                }
              : {}),
          },
        });
      }
    }
    this.aggregates = aggregates;
    this.flavors = flavors;
  }
}
