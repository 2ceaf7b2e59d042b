import type { Spec } from "../schema";
import type { SpecIssue } from "../../core/errors";
import { Findings } from "./findings";
import { uniqueNames } from "./names";
import { references } from "./references";
import {
  cidrs,
  enterpriseCidrs,
  serviceAddresses,
  subnetPool,
  tenantSubnetsShadowing,
} from "./addressing";
import { dnsServers } from "./dns";
import { vlans } from "./vlans";
import { physicalNetworks } from "./physical-networks";
import {
  providerNetworkGrants,
  tenantNetworking,
  tenantNetworks,
  tenantSshVersions,
} from "./tenant-networks";
import { tenantTiers, tenants } from "./tenants";
import { controllers, vips } from "./control-plane";
import { accelerators, flavors, serverGroups } from "./compute";
import { ceph, diskUses, swift, storageChoices, telemetry } from "./storage";
import { mtu } from "./mtu";
import { ntp } from "./ntp";
import { legacy } from "./legacy";
import { leastPrivilege } from "./least-privilege";
import { identity } from "./identity";
import { hostNameLengths, hosts } from "./hosts";
import { nicNames } from "./nic-names";
import { deployment } from "./deploy";
import { services } from "./services";
import { tenantSubnetPool } from "./tenant-subnet-pool";
import { swiftAccounts } from "./swift-accounts";
import { octavia } from "./octavia";

export { Findings, type Path } from "./findings";

/** A semantic rule: reads the spec, adds what it finds. One family per file in this folder. */
export type Rule = (spec: Spec, f: Findings) => void;

/** Every rule, in report order. A new rule family adds its file here with one line. */
export const RULES: readonly Rule[] = [
  uniqueNames,
  references,
  cidrs,
  enterpriseCidrs,
  serviceAddresses,
  tenantSubnetsShadowing,
  subnetPool,
  dnsServers,
  vlans,
  physicalNetworks,
  tenantNetworking,
  tenantNetworks,
  providerNetworkGrants,
  tenantSshVersions,
  tenants,
  tenantTiers,
  controllers,
  vips,
  flavors,
  accelerators,
  ceph,
  diskUses,
  swift,
  storageChoices,
  telemetry,
  serverGroups,
  mtu,
  ntp,
  legacy,
  leastPrivilege,
  identity,
  hosts,
  hostNameLengths,
  nicNames,
  deployment,
  services,
  tenantSubnetPool,
  swiftAccounts,
  octavia,
];

/** Cross-field rules that the schema alone cannot express. Every rule runs; all issues come back at once. */
export function checkSpec(spec: Spec): SpecIssue[] {
  const f = new Findings();
  for (const rule of RULES) rule(spec, f);
  return f.issues;
}
