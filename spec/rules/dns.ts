import { type Spec } from "../schema";
import { type Path, Findings, duplicates } from "./findings";
import { addressKey } from "./private/helpers";
import { neutronMechanism } from "../../core/neutron";
import { ofVersion } from "../../core/net";

/** Neutron's default max_dns_nameservers: more per subnet are rejected. */
const MAX_DNS_SERVERS = 5;
/** Neutron's radvd configuration announces this many DNS servers (ra.py MAX_RDNSS_ENTRIES). */
const MAX_RDNSS_SERVERS = 3;

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
    if (!t.network) return;
    // A subnet takes the servers of its own IP version (the model's choice, as Neutron refuses
    // the others); an IPv6 subnet is SLAAC, whose only source is the router's advertisements.
    const v6 = t.network.cidr.includes(":");
    const given = t.network.dnsServers ?? spec.network.dnsServers;
    const own = ofVersion(given, v6 ? 6 : 4);
    const path: Path = t.network.dnsServers
      ? ["tenants", i, "network", "dnsServers"]
      : ["network", "dnsServers"];
    if (given.length && !own.length)
      f.warn(
        "dns-servers-version",
        path,
        `tenant ${t.name}'s subnet ${t.network.cidr} is IPv${v6 ? 6 : 4} and takes DNS servers of its own version only, but none of the ${given.length} given is: its instances get no resolver; give it IPv${v6 ? 6 : 4} DNS servers (tenants[].network.dnsServers)`,
      );
    // (radvd advertises for ML2/OVS; OVN routers advertise by their own rules)
    else if (v6 && own.length > MAX_RDNSS_SERVERS && neutronMechanism(spec.network) !== "ovn")
      f.warn(
        "dns-servers-rdnss",
        path,
        `tenant ${t.name}'s IPv6 subnet ${t.network.cidr} learns its DNS servers from the router's advertisements (SLAAC), which Neutron gives at most ${MAX_RDNSS_SERVERS} (radvd's RDNSS): instances use ${own.slice(0, MAX_RDNSS_SERVERS).join(", ")} and never ${own.slice(MAX_RDNSS_SERVERS).join(", ")}; list the ${MAX_RDNSS_SERVERS} it should use`,
      );
  });
}
