import { Construct } from "constructs";
import { ComputeKeypairV2 } from "../../.gen/providers/openstack/compute-keypair-v2";
import { FwGroupV2 } from "../../.gen/providers/openstack/fw-group-v2";
import { FwPolicyV2 } from "../../.gen/providers/openstack/fw-policy-v2";
import { FwRuleV2 } from "../../.gen/providers/openstack/fw-rule-v2";
import { NetworkingNetworkV2 } from "../../.gen/providers/openstack/networking-network-v2";
import { NetworkingRouterInterfaceV2 } from "../../.gen/providers/openstack/networking-router-interface-v2";
import { NetworkingRouterV2 } from "../../.gen/providers/openstack/networking-router-v2";
import { NetworkingSecgroupRuleV2 } from "../../.gen/providers/openstack/networking-secgroup-rule-v2";
import { NetworkingSecgroupV2 } from "../../.gen/providers/openstack/networking-secgroup-v2";
import { NetworkingSubnetV2 } from "../../.gen/providers/openstack/networking-subnet-v2";
import type { FirewallRuleModel, FirewallTenantPolicyModel, TenantModel } from "../../model/types";
import { tfLiteral } from "../../core/terraform-literal";
import { resourceName } from "./naming";
import { digestOf } from "../../core/naming";
import { fwaasPort, secgroupPorts } from "../../core/port-range";

export interface TenantNetworkParts {
  readonly tenant: TenantModel;
  readonly namingPrefix: string;
  /** The project owning the resources; unset when the credentials are the project's own. */
  readonly projectId?: string;
  readonly externalNetworkId?: string;
  readonly firewall?: TenantFirewall;
  readonly subnetPoolId?: string;
}

/** The firewall on a tenant's router: its own ingress policy's rules, the platform's egress policy. */
export interface TenantFirewall {
  readonly policy: FirewallTenantPolicyModel;
  /** Ids of the platform's shared rules the policy holds (policy.platformRules), in order. */
  readonly platformRuleIds: readonly string[];
  readonly egressPolicyId: string;
}

/**
 * A tenant's own resources: the base security group, the network, subnet and router to the
 * external network, the firewall group on the router's inside port, and the SSH key pairs. Added
 * straight into `scope`, so they keep the same Terraform addresses whether they sit in the
 * tenant's onboarding construct or, applied with project credentials, in a stack of their own.
 */
export function addTenantNetwork(scope: Construct, props: TenantNetworkParts) {
  const { tenant } = props;
  // Nova key pairs belong to the user of the credentials: with the project's application
  // credential, to the project member who created it, not to the cloud admin.
  for (const key of tenant.keyPairs) {
    // Only public keys are uploaded; a generated private key would land in the state.
    new ComputeKeypairV2(scope, `keypair-${key.name}`, {
      name: key.name,
      publicKey: tfLiteral(key.publicKey),
    });
  }
  const name = (...parts: string[]) => resourceName(props.namingPrefix, tenant.id, ...parts);
  const owner = props.projectId ? { tenantId: props.projectId } : {};
  if (tenant.network && !props.externalNetworkId) {
    throw new Error(
      `tenant ${tenant.id} has a network but no external network was given for its router`,
    );
  }

  const tiered = (tenant.tiers ?? []).length > 0;
  const securityGroup = new NetworkingSecgroupV2(scope, "base-security-group", {
    name: tfLiteral(tenant.baseGroup),
    description:
      tiered && !tenant.baseGroupOpen
        ? "SSH and ICMP from the declared admin or bastion networks; the tiers' groups admit the rest"
        : "SSH and ICMP from the declared admin or bastion networks, all traffic inside the group",
    ...owner,
  });
  baseRules(scope, securityGroup, tenant);
  const tiers = tierGroups(scope, tenant, owner);

  if (!tenant.network) return { securityGroup, tiers };
  const version = tenant.network.ipVersion;
  const network = new NetworkingNetworkV2(scope, "network", {
    name: name("net"),
    ...owner,
    adminStateUp: true,
    mtu: tenant.network.mtu,
  });
  const subnet = new NetworkingSubnetV2(scope, "subnet", {
    name: name("subnet"),
    ...owner,
    networkId: network.id,
    cidr: tenant.network.cidr,
    ...(props.subnetPoolId ? { subnetpoolId: props.subnetPoolId } : {}),
    ipVersion: version,
    gatewayIp: tenant.network.gateway,
    enableDhcp: true,
    // Instances configure themselves from the router's advertisements (SLAAC, a /64).
    ...(version === 6 ? { ipv6AddressMode: "slaac", ipv6RaMode: "slaac" } : {}),
    ...(tenant.network.dnsServers.length ? { dnsNameservers: [...tenant.network.dnsServers] } : {}),
    // subnetpool_id is not updatable (Neutron moves a subnet into a pool only by onboarding it,
    // `openstack network onboard subnets`): the provider would replace the subnet, which fails
    // while ports use it. A pool added later applies to new subnets only.
    lifecycle: { ignoreChanges: ["subnetpool_id"] },
  });
  const router = new NetworkingRouterV2(scope, "router", {
    name: name("router"),
    ...owner,
    adminStateUp: true,
    externalNetworkId: props.externalNetworkId,
  });
  const inside = new NetworkingRouterInterfaceV2(scope, "router-interface", {
    routerId: router.id,
    subnetId: subnet.id,
  });
  if (props.firewall) {
    const { policy, platformRuleIds, egressPolicyId } = props.firewall;
    // The tenant's own rules, in its project: no other project sees them.
    const ownRule = (r: FirewallRuleModel) =>
      new FwRuleV2(scope, `firewall-rule-${r.key}`, {
        name: name("fw", r.name),
        description: tfLiteral(r.description),
        ...owner,
        action: r.action,
        protocol: r.protocol,
        ipVersion: r.ipVersion,
        ...(r.sourceIpAddress !== undefined ? { sourceIpAddress: r.sourceIpAddress } : {}),
        ...(r.destinationIpAddress !== undefined
          ? { destinationIpAddress: r.destinationIpAddress }
          : {}),
        ...(r.destinationPort !== undefined
          ? { destinationPort: fwaasPort(r.destinationPort, r.destinationPortMax) }
          : {}),
      });
    const own = policy.ownRules.map(ownRule);
    // Its policy, in its stack: dropping the tenant deletes group, policy and rules in order.
    const ingress = new FwPolicyV2(scope, "firewall-ingress", {
      name: name("fw", "ingress"),
      description: `outside to inside: the platform's rules${policy.usersWebOut ? " but the users' web ports" : ""}, the legacy flows of its pools, SSH from its sources${policy.publishes ? ", the services it publishes" : ""}`,
      ...owner,
      rules: [...platformRuleIds, ...own.map((r) => r.id)],
    });
    // A tenant restricting what its instances open has an inside-to-outside policy of its own.
    const egress =
      policy.egress &&
      new FwPolicyV2(scope, "firewall-egress", {
        name: name("fw", "egress"),
        description: "inside to outside: DNS to the subnet's servers and what the tenant opens",
        ...owner,
        rules: policy.egress.map((r) => ownRule(r).id),
      });
    new FwGroupV2(scope, "firewall", {
      name: name("fw"),
      description: egress
        ? "the tenant router's own outside-to-inside and inside-to-outside policies"
        : "the tenant router's own outside-to-inside policy and the platform's inside-to-outside one",
      ...owner,
      ingressFirewallPolicyId: ingress.id,
      egressFirewallPolicyId: egress ? egress.id : egressPolicyId,
      ports: [inside.portId],
      // The provider records the group only once the L3 agent has it active: past the timeout
      // a group holding the router's port stays unknown to Terraform, and the next apply's
      // group is refused that port (FirewallGroupPortInUse).
      timeouts: { create: "30m", update: "30m" },
    });
  }
  return { securityGroup, tiers, network, subnet, router };
}

/**
 * One group per tier, in the project, admitting what the tier's ingress names; each tier's group
 * and rules under a construct of its own, so their construct ids never clash (Terraform's names,
 * which flatten paths with '_', can still meet for tiers named to spell each other's rules: cdktf
 * then suffixes one).
 */
function tierGroups(
  scope: Construct,
  tenant: TenantModel,
  owner: { tenantId?: string },
): ReadonlyMap<string, NetworkingSecgroupV2> {
  const tiers = tenant.tiers ?? [];
  const scopes = new Map(tiers.map((t) => [t.name, new Construct(scope, `tier-${t.name}`)]));
  const groups = new Map(
    tiers.map((t) => [
      t.name,
      new NetworkingSecgroupV2(scopes.get(t.name)!, "group", {
        name: tfLiteral(t.neutronName ?? t.name),
        description: t.description,
        ...owner,
      }),
    ]),
  );
  for (const tier of tiers)
    for (const r of tier.rules) {
      // Protocol, port and IP version hold no '-': within the tier, the join is unambiguous up
      // to the source, a tier's name or, digested where ':' would be lost to Terraform's names,
      // an IPv6 prefix.
      const source = r.remoteGroup
        ? `tier-${r.remoteGroup}`
        : r.remoteIpPrefix!.includes(":")
          ? `v6-${digestOf(r.remoteIpPrefix!)}`
          : r.remoteIpPrefix!.replace(/[./]/g, "_");
      new NetworkingSecgroupRuleV2(
        scopes.get(tier.name)!,
        `${r.protocol}-${r.portMin}${r.portMax === r.portMin ? "" : `-${r.portMax}`}-${r.ethertype.toLowerCase()}-${source}`,
        {
          securityGroupId: groups.get(tier.name)!.id,
          ...owner,
          direction: r.direction,
          ethertype: r.ethertype,
          protocol: r.protocol,
          ...secgroupPorts(r.portMin, r.portMax),
          ...(r.remoteGroup !== undefined
            ? { remoteGroupId: groups.get(r.remoteGroup)!.id }
            : { remoteIpPrefix: r.remoteIpPrefix }),
          description: r.description,
        },
      );
    }
  return groups;
}

function baseRules(scope: Construct, sg: NetworkingSecgroupV2, tenant: TenantModel) {
  for (const rule of tenant.baseRules)
    new NetworkingSecgroupRuleV2(scope, rule.id, {
      securityGroupId: sg.id,
      direction: "ingress",
      ethertype: rule.ethertype,
      ...(rule.protocol !== undefined ? { protocol: rule.protocol } : {}),
      ...(rule.port !== undefined ? { portRangeMin: rule.port, portRangeMax: rule.port } : {}),
      // (no source block: the group's own members)
      ...(rule.remoteIpPrefix !== undefined
        ? { remoteIpPrefix: rule.remoteIpPrefix }
        : { remoteGroupId: sg.id }),
      description: rule.description,
    });
}
