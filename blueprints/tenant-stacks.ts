import { Construct } from "constructs";
import { TerraformOutput, TerraformStack } from "cdktf";
import { outputName } from "../core/terraform-names";
import { digestOf } from "../core/naming";
import { StackOutputs } from "../synth/stack-outputs";
import type { Model } from "../model/types";
import { CloudStack } from "../synth/stack";
import type { NetworkingSecgroupV2 } from "../.gen/providers/openstack/networking-secgroup-v2";
import { IdentityIntegration } from "../constructs/identity-integration";
import { Tenant, type GrantableResource } from "../constructs/tenant";
import { TenantNetwork } from "../constructs/tenant-network";
import type { TenantFirewall } from "../constructs/private/tenant-network";
import type { TenantModel } from "../model/types";
import type { CloudPlatform } from "./cloud-platform";

/**
 * One stack per tenant group of the spec (per tenant by default), so each team applies only its
 * own tenants, led by the stack of the roles on whole domains when the design has any; platform
 * resources are referenced across stacks through remote state.
 */
export function addTenantStacks(
  app: Construct,
  model: Model,
  platform: CloudPlatform,
): CloudStack[] {
  const byStack = new Map<string, Model["tenants"][number][]>();
  for (const t of model.tenants) {
    const tenants = byStack.get(t.stack);
    if (tenants) tenants.push(t);
    else byStack.set(t.stack, [t]);
  }

  const outputs = new StackOutputs(TerraformStack.of(platform));
  const external = model.networks.find((n) => n.external);
  const pool = platform.fabric.subnetPool;

  /** The platform's domain ids as `consumer` reads them: an output is made only when used. */
  const domainIdsIn = (consumer: CloudStack): Record<string, string> => {
    const ids: Record<string, string> = { default: "default" };
    for (const name of Object.keys(platform.domainIds)) {
      Object.defineProperty(ids, name, {
        enumerable: true,
        get: () =>
          outputs.read(
            consumer,
            outputName("domain", name, "id"),
            `Keystone id of domain ${name}`,
            platform.domainIds[name],
          ),
      });
    }
    return ids;
  };

  // Roles on whole domains: their groups can be looked up only after the platform stack has made
  // the domains and Keystone has restarted to read their directories.
  const domainRoles = model.identity.domainRoleStack;
  const domainRoleStacks = domainRoles
    ? [
        new CloudStack(app, domainRoles, {
          model,
          description: "Roles of directory groups on whole domains",
        }),
      ]
    : [];
  for (const stack of domainRoleStacks)
    // Under `cloud` as in the platform stack, which held these roles before: the same addresses
    // let terraform/state-moves.sh carry applied ones over instead of replacing them.
    new IdentityIntegration(new Construct(stack, "cloud"), "identity", {
      model,
      domainIds: domainIdsIn(stack),
    });

  /** Platform values a tenant's network resources need, read into `consumer`. */
  const networkValues = (consumer: CloudStack, tenants: readonly TenantModel[]) => {
    const read = (name: string, description: string, value: string) =>
      outputs.read(consumer, name, description, value);
    const fw = platform.security.firewall;
    const policies = new Map(
      (model.securityZones.firewall?.tenantPolicies ?? []).map((p) => [p.tenant, p]),
    );
    // Described by the rule's own words: its key is escaped for a construct id.
    const ruleText = new Map(
      (model.securityZones.firewall?.ingress ?? []).map((r) => [
        r.key,
        `${r.name}: ${r.description}`,
      ]),
    );
    // Each platform rule a tenant's policy holds becomes an output and a remote-state read.
    const firewall = (t: TenantModel): TenantFirewall | undefined => {
      const policy = policies.get(t.id);
      if (!fw || !policy) return undefined;
      return {
        policy,
        platformRuleIds: policy.platformRules.map((key) =>
          read(
            // The key's digest too: keys that differ only in punctuation read alike as names.
            outputName("firewall_rule", key, digestOf(key), "id"),
            `FWaaS v2 rule (shared) of the platform's outside-to-inside rules: ${ruleText.get(key) ?? key}`,
            fw.ingressRuleIds[key],
          ),
        ),
        egressPolicyId: read(
          "firewall_inside_egress_policy_id",
          "FWaaS v2 policy (shared) for traffic from tenant networks to the outside",
          fw.egressPolicyId,
        ),
      };
    };
    const externalNetworkId =
      external && tenants.some((t) => t.network)
        ? read(
            "external_network_id",
            "Neutron id of the external network tenant routers use as gateway",
            platform.fabric.network(external.name).network.id,
          )
        : undefined;
    const subnetPoolId = (t: TenantModel) =>
      t.network?.fromSubnetPool && pool
        ? read(
            "tenant_subnet_pool_id",
            "Neutron id of the default subnet pool tenant subnets are allocated from",
            pool.id,
          )
        : undefined;
    return { firewall, externalNetworkId, subnetPoolId };
  };

  /**
   * A tenant's network resources and key pairs in a stack applied with that project's own
   * credentials: the model's clouds.yaml entry holds an application credential of the project.
   */
  const networkStacks: CloudStack[] = [];
  const networkStack = (
    onboarding: CloudStack,
    tenant: TenantModel,
    target: NonNullable<TenantModel["networkStack"]>,
    projectId: string,
  ) => {
    const stack = new CloudStack(app, target.stack, {
      model,
      description: `Network and key pairs of tenant ${tenant.id}, applied with the credentials of its own project`,
      cloud: { cloud: target.cloud, region: model.cloud.region },
    });
    const values = networkValues(stack, [tenant]);
    const subnetPoolId = values.subnetPoolId(tenant);
    const network = new TenantNetwork(stack, tenant.id, {
      tenant,
      namingPrefix: model.naming.prefix,
      // Read from the onboarding stack: it must be applied first, and Neutron refuses a tenant_id
      // other than the credentials' own project, which catches a wrong clouds.yaml entry.
      projectId: new StackOutputs(onboarding).read(
        stack,
        outputName(tenant.id, "project_id"),
        `Keystone project id of tenant ${tenant.id}`,
        projectId,
      ),
      ...(values.externalNetworkId ? { externalNetworkId: values.externalNetworkId } : {}),
      ...withFirewall(values.firewall(tenant)),
      ...(subnetPoolId ? { subnetPoolId } : {}),
    });
    if (network.network)
      new TerraformOutput(stack, outputName(tenant.id, "network_id"), {
        value: network.network.id,
        description: `Neutron network id of tenant ${tenant.id}`,
      });
    groupsOutput(stack, tenant, network.securityGroup, network.tierGroups);
    networkStacks.push(stack);
  };

  const stacks = [...byStack.keys()].sort().map((stackName) => {
    const stack = new CloudStack(app, stackName, {
      model,
      description: `Tenant stack ${stackName}: projects, quotas, networks and access`,
    });
    // Getters: a platform value becomes an output (and a remote-state read) only when used.
    const read = (name: string, description: string, value: string) =>
      outputs.read(stack, name, description, value);
    const flavors: Record<string, GrantableResource> = {};
    for (const pool of model.pools) {
      const zone = platform.zones.find((z) => z.node.id === `zone-${pool.zone}`);
      for (const f of pool.flavors) {
        const resource = zone?.flavors[f.name];
        if (!resource) continue;
        flavors[f.name] = {
          public: f.public,
          get id() {
            return read(
              outputName("flavor", f.name, "id"),
              `Nova id of private flavor ${f.name}, shared with the tenants that name it`,
              resource.id,
            );
          },
        };
      }
    }
    const volumeTypes: Record<string, GrantableResource> = {};
    for (const b of model.storage.backends) {
      const resource = platform.blockStorage.volumeTypes[b.name];
      if (!resource) continue;
      volumeTypes[b.name] = {
        public: b.public,
        get id() {
          return read(
            outputName("volume_type", b.name, "id"),
            `Cinder id of private volume type ${b.volumeType}, shared with the tenants that name it`,
            resource.id,
          );
        },
      };
      volumeTypes[b.volumeType] = volumeTypes[b.name];
    }
    const providerNetworks: Record<string, string> = {};
    for (const n of model.networks)
      if (n.tenants.length)
        Object.defineProperty(providerNetworks, n.name, {
          enumerable: true,
          get: () =>
            read(
              outputName("network", n.name, "id"),
              `Neutron id of provider network ${n.name}, shared with the tenants that list it`,
              platform.fabric.network(n.name).network.id,
            ),
        });
    const domainIds = domainIdsIn(stack);
    const members = byStack.get(stackName) ?? [];
    // Read only what the stack's tenants use: each read is an output and a remote-state lookup.
    const bridge = platform.legacyBridge;
    const groupsUsed = new Set(members.flatMap((t) => t.legacyGroups));
    const legacyBridge =
      bridge && groupsUsed.size > 0
        ? {
            networkId: read(
              "legacy_bridge_network_id",
              "Neutron id of the legacy UNIX bridge network, shared with the tenants of its flows",
              bridge.networkId,
            ),
            securityGroups: (model.legacyUnix?.groups ?? []).flatMap((g) => {
              const group = bridge.flowGroups.get(g.key);
              if (!group || !groupsUsed.has(g.key)) return [];
              const what = `${g.direction === "ingress" ? "from" : "to"} the legacy systems${g.key !== g.direction ? ` of pools ${g.pools.join(", ")}` : ""}`;
              return [
                {
                  key: g.key,
                  id: g.id,
                  securityGroupId: read(
                    outputName("legacy", g.id, "group", "id"),
                    `Neutron id of the security group of the legacy flows ${what}`,
                    group.id,
                  ),
                },
              ];
            }),
          }
        : undefined;
    const net = members.every((t) => t.networkStack) ? undefined : networkValues(stack, members);
    const separated: [TenantModel, NonNullable<TenantModel["networkStack"]>, string][] = [];

    for (const tenant of byStack.get(stackName) ?? []) {
      const t = new Tenant(stack, tenant.id, {
        tenant,
        namingPrefix: model.naming.prefix,
        ...(net?.externalNetworkId ? { externalNetworkId: net.externalNetworkId } : {}),
        ...(tenant.domain && Object.hasOwn(platform.domainIds, tenant.domain)
          ? { domainId: domainIds[tenant.domain] }
          : {}),
        domainIds,
        flavors,
        volumeTypes,
        providerNetworks,
        // (a network of its own stack has its firewall there)
        ...withFirewall(tenant.networkStack ? undefined : net?.firewall(tenant)),
        loadBalancing: model.controlPlane.services.includes("octavia"),
        blockStorage: model.controlPlane.services.includes("cinder"),
        ...(net?.subnetPoolId(tenant) ? { subnetPoolId: net.subnetPoolId(tenant) } : {}),
        separateNetwork: tenant.networkStack !== undefined,
        ...(legacyBridge && tenant.legacyGroups.length ? { legacyBridge } : {}),
      });
      if (tenant.networkStack) separated.push([tenant, tenant.networkStack, t.project.id]);
      new TerraformOutput(stack, outputName(tenant.id, "project_id"), {
        value: t.project.id,
        description: `Keystone project id of tenant ${tenant.id}`,
      });
      if (t.network) {
        new TerraformOutput(stack, outputName(tenant.id, "network_id"), {
          value: t.network.id,
          description: `Neutron network id of tenant ${tenant.id}`,
        });
      }
      if (t.securityGroup && t.tierGroups)
        groupsOutput(stack, tenant, t.securityGroup, t.tierGroups);
    }
    for (const [tenant, target, projectId] of separated)
      networkStack(stack, tenant, target, projectId);
    return stack;
  });
  return [...domainRoleStacks, ...stacks, ...networkStacks];
}

const withFirewall = (firewall: TenantFirewall | undefined) => (firewall ? { firewall } : {});

/**
 * The groups a tiered tenant's instances launch with, the base one and each tier's: what a server resource
 * or `openstack server create --security-group` names.
 */
function groupsOutput(
  stack: TerraformStack,
  tenant: TenantModel,
  base: NetworkingSecgroupV2,
  tiers: ReadonlyMap<string, NetworkingSecgroupV2>,
) {
  if (!tiers.size) return;
  new TerraformOutput(stack, outputName(tenant.id, "security_group_ids"), {
    value: { base: base.id, tiers: Object.fromEntries([...tiers].map(([n, g]) => [n, g.id])) },
    description: `Security group ids of tenant ${tenant.id}: its base group, and each tier's`,
  });
}
