/**
 * Valkey on the controllers (Kolla's valkey group): Octavia's jobboard keeps its flows there, so
 * a surviving controller's worker resumes what a failed one was doing. Kolla turns the jobboard on
 * with Octavia and its precheck then demands Valkey (or Redis, which Kolla is retiring).
 */
export const valkeyDeployed = (services: readonly string[]) => services.includes("octavia");
