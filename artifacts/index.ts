export { chronyConfigs } from "./chrony";
export { KEYSTONE_DOMAIN_CONFIG_DIR, keystoneDomainConfigs } from "./keystone-domains";
export { swiftRingPlan } from "./swift-rings";
export { NETPLAN_FILE, netplanConfig, netplanConfigs, nodeUserData } from "./netplan";
