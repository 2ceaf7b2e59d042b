import type { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import type { Model } from "../model/types";
import { CloudStack } from "../synth/stack";
import { Tenant, type GrantableResource } from "../constructs/tenant";
import type { CloudPlatform } from "./cloud-platform";

const snake = (s: string) => s.replace(/[^A-Za-z0-9]+/g, "_").toLowerCase();

/**
 * One stack per tenant group of the spec (per tenant by default), so each team applies only its
 * own tenants; platform resources are referenced across stacks through remote state.
 */
export function addTenantStacks(
  app: Construct,
  model: Model,
  platform: CloudPlatform,
): CloudStack[] {
  const byStack = new Map<string, Model["tenants"][number][]>();
  for (const t of model.tenants) byStack.set(t.stack, [...(byStack.get(t.stack) ?? []), t]);

  const flavors: Record<string, GrantableResource> = {};
  for (const pool of model.pools) {
    const zone = platform.zones.find((z) => z.node.id === `zone-${pool.zone}`);
    for (const f of pool.flavors) {
      const resource = zone?.flavors[f.name];
      if (resource) flavors[f.name] = { id: resource.id, public: f.public };
    }
  }
  const volumeTypes: Record<string, GrantableResource> = {};
  for (const b of model.storage.backends) {
    const resource = platform.blockStorage.volumeTypes[b.name];
    if (resource) {
      volumeTypes[b.name] = { id: resource.id, public: b.public };
      volumeTypes[b.volumeType] = volumeTypes[b.name];
    }
  }
  const external = model.networks.find((n) => n.external);
  const externalNetworkId = external
    ? platform.fabric.network(external.name).network.id
    : undefined;

  return [...byStack.keys()].sort().map((stackName) => {
    const stack = new CloudStack(app, stackName, {
      model,
      description: `Tenant stack ${stackName}: projects, quotas, networks and access`,
    });
    for (const tenant of byStack.get(stackName) ?? []) {
      const t = new Tenant(stack, tenant.id, {
        tenant,
        namingPrefix: model.naming.prefix,
        ...(externalNetworkId ? { externalNetworkId } : {}),
        ...(tenant.domain && platform.domainIds[tenant.domain]
          ? { domainId: platform.domainIds[tenant.domain] }
          : {}),
        domainIds: { default: "default", ...platform.domainIds },
        flavors,
        volumeTypes,
        ...(platform.security.firewall ? { firewall: platform.security.firewall } : {}),
        loadBalancing: model.controlPlane.services.includes("octavia"),
      });
      new TerraformOutput(stack, `${snake(tenant.id)}_project_id`, {
        value: t.project.id,
        description: `Keystone project id of tenant ${tenant.id}`,
      });
      if (t.network) {
        new TerraformOutput(stack, `${snake(tenant.id)}_network_id`, {
          value: t.network.id,
          description: `Neutron network id of tenant ${tenant.id}`,
        });
      }
    }
    return stack;
  });
}
