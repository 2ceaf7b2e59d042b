import { type Spec } from "../schema";
import { type Path, Findings, duplicates } from "./findings";
import { addressKey } from "./private/helpers";

/** Neutron's default max_dns_nameservers: more per subnet are rejected. */
const MAX_DNS_SERVERS = 5;

export function dnsServers(spec: Spec, f: Findings) {
  const check = (servers: readonly string[], path: Path) => {
    if (servers.length > MAX_DNS_SERVERS)
      f.error(
        "dns-servers-count",
        path,
        `${servers.length} DNS servers; Neutron accepts at most ${MAX_DNS_SERVERS} per subnet (max_dns_nameservers)`,
      );
    duplicates(servers, addressKey, f, (i) => [...path, i], "DNS server", {
      code: "duplicate-address",
      show: (a) => a,
    });
  };
  check(spec.network.dnsServers, ["network", "dnsServers"]);
  const bareSubnets = spec.tenants.some((t) => t.network && !t.network.dnsServers?.length);
  if (!spec.network.dnsServers.length)
    f.warn(
      "dns-servers-missing",
      ["network", "dnsServers"],
      `no DNS servers: the hosts' netplan lists none, so they resolve no name (package mirrors, container registries, time or directory servers given by name)${bareSubnets ? ", and tenant subnets without their own hand none to instances" : ""}; give the enterprise's DNS servers`,
    );
  spec.tenants.forEach((t, i) => {
    if (t.network?.dnsServers) check(t.network.dnsServers, ["tenants", i, "network", "dnsServers"]);
  });
}
