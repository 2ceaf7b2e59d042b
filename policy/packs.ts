import type { Pack, PackName, Rule } from "./rule";
import { controllerQuorum } from "./rules/ha/sw-ha-001";
import { controllerAntiAffinity } from "./rules/ha/sw-ha-002";
import { dbTierAntiAffinity } from "./rules/ha/sw-ha-003";
import { databaseQueueQuorum } from "./rules/ha/sw-ha-004";
import { ntpSources } from "./rules/ha/sw-ha-005";
import { vipsPresent } from "./rules/ha/sw-ha-006";
import { vipAddressPairs } from "./rules/ha/sw-ha-007";
import { noWorldSensitiveIngress } from "./rules/security/sw-sec-001";
import { ruleHasRemote } from "./rules/security/sw-sec-002";
import { noAdminPass } from "./rules/security/sw-sec-003";
import { noClearTextCredentials } from "./rules/security/sw-sec-004";
import { portSecurityEnabled } from "./rules/security/sw-sec-005";
import { noWildcardAddressPairs } from "./rules/security/sw-sec-006";
import { noUndeclaredPublicContainer } from "./rules/security/sw-sec-007";
import { securityRulesDescribed } from "./rules/security/sw-sec-008";
import { userEndpointsScoped } from "./rules/security/sw-sec-009";
import { noRbacToEveryProject } from "./rules/security/sw-sec-010";
import { noUndeclaredSharedNetwork } from "./rules/security/sw-sec-011";
import { noWorldSensitiveFirewallRule } from "./rules/security/sw-sec-012";
import { noUndesignedPrivilegedRole } from "./rules/security/sw-sec-013";
import { noUndesignedPublicFlavor } from "./rules/security/sw-sec-014";
import { cpuOvercommit } from "./rules/capacity/sw-cap-001";
import { ramOvercommit } from "./rules/capacity/sw-cap-002";
import { spareHostHeadroom } from "./rules/capacity/sw-cap-003";
import { cephReplicaSize } from "./rules/capacity/sw-cap-004";
import { swiftZoneRecommendation } from "./rules/capacity/sw-cap-006";
import { amphoraAddresses } from "./rules/capacity/sw-cap-009";
import { userDataSize } from "./rules/capacity/sw-cap-010";

export const HA_PACK: Pack = {
  name: "ha",
  description: "control plane quorum, anti-affinity, time sources and VIPs",
  rules: [
    controllerQuorum,
    controllerAntiAffinity,
    dbTierAntiAffinity,
    databaseQueueQuorum,
    ntpSources,
    vipsPresent,
    vipAddressPairs,
  ],
};

export const SECURITY_PACK: Pack = {
  name: "security",
  description: "exposure, credentials, anti-spoofing and reviewable security groups",
  rules: [
    noWorldSensitiveIngress,
    ruleHasRemote,
    noAdminPass,
    noClearTextCredentials,
    portSecurityEnabled,
    noWildcardAddressPairs,
    noUndeclaredPublicContainer,
    securityRulesDescribed,
    userEndpointsScoped,
    noRbacToEveryProject,
    noUndeclaredSharedNetwork,
    noWorldSensitiveFirewallRule,
    noUndesignedPrivilegedRole,
    noUndesignedPublicFlavor,
  ],
};

export const CAPACITY_PACK: Pack = {
  name: "capacity",
  description:
    "overcommit, N+1 headroom, storage durability, MTUs, address pools and servers' user data",
  rules: [
    cpuOvercommit,
    ramOvercommit,
    spareHostHeadroom,
    cephReplicaSize,
    swiftZoneRecommendation,
    amphoraAddresses,
    userDataSize,
  ],
};

/** Every pack, in report order. */
export const PACKS: readonly Pack[] = [HA_PACK, SECURITY_PACK, CAPACITY_PACK];

export const PACK_NAMES: readonly PackName[] = PACKS.map((p) => p.name);

/** Every rule of every pack. */
export const RULES: readonly Rule[] = PACKS.flatMap((p) => p.rules);
