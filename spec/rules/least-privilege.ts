import { type Spec } from "../schema";
import { formatCidr, isValidCidr, parseCidr, tooBroad } from "../../core/net";
import { Findings, duplicates } from "./findings";
import { cidrKey } from "./private/helpers";
import { cleanSwiftAclEntry } from "../../core/swift-acl";
import { tenantId } from "../../core/naming";
import { BUILT_IN_DOMAIN } from "./identity";

/** Roles whose default policies reach every project's resources, by what they reach. */
const CROSS_PROJECT_ROLES: ReadonlyMap<string, string> = new Map([
  [
    "load-balancer_admin",
    "Octavia's default policies let it manage every project's load balancers",
  ],
  [
    "load-balancer_global_observer",
    "Octavia's default policies let it read every project's load balancers",
  ],
  [
    "load-balancer_quota_admin",
    "Octavia's default policies let it set every project's load-balancer quotas",
  ],
  ["reselleradmin", "Swift and the RADOS Gateways let it act on every project's account"],
]);

/**
 * A source or destination CIDR written with host bits (10.1.2.3/8) stands for its whole block,
 * as Neutron and the firewall read it: a host meant (/32) would open the block.
 */
function sourceHostBits(spec: Spec, f: Findings) {
  const check = (text: string, path: (string | number)[]) => {
    if (!isValidCidr(text)) return;
    const c = parseCidr(text);
    if (!c.hostBitsSet) return;
    const host = text.split("/")[0];
    const size = c.last - c.first + 1n;
    f.warn(
      "source-host-bits",
      path,
      `${text} has host bits set, and Neutron and the firewall read it as the block ${formatCidr(c)} (${size > 1_000_000n ? "more than a million" : size.toLocaleString("en-US")} addresses); write ${formatCidr(c)}, or ${host}/${c.version === 4 ? 32 : 128} for the one host`,
    );
  };
  const zones = spec.securityZones;
  zones.adminCidrs.forEach((c, i) => check(c, ["securityZones", "adminCidrs", i]));
  (zones.userCidrs ?? []).forEach((c, i) => check(c, ["securityZones", "userCidrs", i]));
  spec.tenants.forEach((t, i) => {
    t.sshCidrs.forEach((c, j) => check(c, ["tenants", i, "sshCidrs", j]));
    t.ingress.forEach((r, j) =>
      r.sources.forEach((c, k) => check(c, ["tenants", i, "ingress", j, "sources", k])),
    );
    (t.egress ?? []).forEach((r, j) =>
      r.destinations.forEach((c, k) => check(c, ["tenants", i, "egress", j, "destinations", k])),
    );
    t.tiers.forEach((tier, j) =>
      tier.ingress.forEach((r, k) =>
        r.sources.forEach((c, m) =>
          check(c, ["tenants", i, "tiers", j, "ingress", k, "sources", m]),
        ),
      ),
    );
  });
}

/**
 * `shared` opens a Neutron network to every project's ports: on the external network that puts
 * any project's instances on it past their routers and firewalls; on a network Neutron does not
 * hold (the hosts', Octavia's) it does nothing.
 */
function sharedNetworks(spec: Spec, f: Findings) {
  spec.network.networks.forEach((net, i) => {
    if (!net.shared || net.role === "provider") return;
    const path = ["network", "networks", i, "shared"];
    if (net.role === "external")
      f.warn(
        "network-shared-external",
        path,
        `external network ${net.name} is shared with every project: any project's instance may attach to it and stand on it directly, past its router and the router's firewall${spec.securityZones.firewall ? " (securityZones.firewall)" : ""}, where external alone lets every project reach it through routers and floating IPs; remove shared: true, or give instances that need a public address a provider network listed by their tenants`,
      );
    else
      f.warn(
        "network-shared-ignored",
        path,
        `network ${net.name} of role ${net.role} is not a network the tenants' instances attach to, so shared: true does nothing; remove it`,
      );
  });
}

export function leastPrivilege(spec: Spec, f: Findings) {
  sourceHostBits(spec, f);
  sharedNetworks(spec, f);
  // Keystone's and most services' default policies read admin on any project as admin of the
  // whole cloud (Keystone bug 968696): a directory group holding it runs every project.
  const cloudAdmin = (group: string, on: string) =>
    `group ${group} gets role admin on ${on}: under the default policies of Keystone and most services, admin on any ${on.startsWith("domain") ? "domain or project" : "project"} is admin of the whole cloud; grant member (or manager, where the services know it) and keep admin to the cloud's operators`;
  // The service role opens the service-to-service APIs of the default policies (Nova's and
  // Neutron's service-only rules, Cinder's attachments), meant for the services' own users.
  const serviceRole = (group: string, on: string) =>
    `group ${group} gets role service on ${on}: the default policies let its holders call the APIs the services use among themselves; keep it to the services' own users and grant people member`;
  const check = (
    group: string,
    role: string,
    on: string,
    path: (string | number)[],
    domain?: string,
  ) => {
    const r = role.toLowerCase();
    if (r === "admin") f.warn("group-cloud-admin", path, cloudAdmin(group, on));
    if (r === "service") f.warn("group-service-role", path, serviceRole(group, on));
    // Keystone's default policies let a domain manager reset its users' passwords and change
    // its groups' members (update_user, add_user_to_group): Kolla's admin and every service user
    // live in the Default domain.
    if (r === "manager" && domain?.toLowerCase() === "default")
      f.error(
        "default-domain-manager",
        path,
        `group ${group} gets role manager on domain default: Keystone's default policies let a domain manager reset the passwords of the domain's users and change its groups' members, and Kolla's admin user and every service user live in default, so the group could take the whole cloud; grant manager on a domain of the tenants' own, or member on their projects`,
      );
    const reach = CROSS_PROJECT_ROLES.get(r);
    if (reach)
      f.warn(
        "group-cross-project-role",
        path,
        `group ${group} gets role ${role} on ${on}: ${reach}, whatever project it is granted on; keep it to the cloud's operators`,
      );
  };
  spec.tenants.forEach((t, ti) =>
    t.groups.forEach((g, gi) =>
      check(g.name, g.role, `project ${t.name}`, ["tenants", ti, "groups", gi, "role"]),
    ),
  );
  spec.identity.groupRoleMappings.forEach((m, i) =>
    check(
      m.group,
      m.role,
      m.tenant ? `project ${m.tenant}` : `domain ${m.domain}`,
      ["identity", "groupRoleMappings", i, "role"],
      m.tenant ? undefined : m.domain,
    ),
  );
  spec.securityZones.adminCidrs.forEach((c, i) => {
    const broad = tooBroad(c, "management ports");
    if (broad)
      f.error(
        "admin-cidr-open",
        ["securityZones", "adminCidrs", i],
        `${broad}; list the admin networks`,
      );
  });
  spec.tenants.forEach((t, ti) =>
    t.sshCidrs.forEach((c, i) => {
      const broad = tooBroad(c, "SSH");
      if (broad)
        f.error(
          "ssh-cidr-open",
          ["tenants", ti, "sshCidrs", i],
          `${broad}; list the admin or bastion networks`,
        );
    }),
  );
  // Neutron refuses a second identical security group rule, however the CIDR is written.
  for (const list of ["adminCidrs", "userCidrs"] as const)
    duplicates(
      spec.securityZones[list] ?? [],
      cidrKey,
      f,
      (i) => ["securityZones", list, i],
      "CIDR",
      {
        code: "duplicate-cidr",
        show: (c) => c,
      },
    );
  spec.storage.swift?.containers.forEach((c, i) => {
    const at = (list: string, j: number) => ["storage", "swift", "containers", i, list, j];
    // The platform stack makes containers in the admin's project, whose account Swift's
    // keystoneauth opens to another project's token only by an ACL entry.
    if (c.purpose === "application" && !c.public && !c.readers.length && !c.writers.length)
      f.warn(
        "container-admin-only",
        ["storage", "swift", "containers", i],
        `container ${c.name} is made by the platform stack in the cloud admin's project and names no readers or writers, so only that project's users reach it (Swift admits a token of another project only by an ACL entry); once the tenant stacks are applied, grant the projects that use it by Keystone id ('<project id>:*', from each tenant stack's project_id output, or by name in the default domain) and synthesize again, which changes the ACL in place`,
      );
    // Swift reads an ACL as comma-separated elements: one element per entry keeps every check
    // below on what Swift will grant. Each is cleaned as Swift reads a read ACL, which tells a
    // referrer in any spelling.
    const cleaned = (list: "readers" | "writers") =>
      c[list].map((entry, j) => {
        const clean = cleanSwiftAclEntry(entry, "read");
        if (entry.includes(","))
          f.error(
            "container-acl-entry",
            at(list, j),
            `${JSON.stringify(entry)} holds several ACL elements; list each as its own entry of ${list}`,
          );
        else if ("problem" in clean)
          f.error(
            "container-acl-entry",
            at(list, j),
            `${JSON.stringify(entry)} is not an ACL element Swift accepts: ${clean.problem}`,
          );
        return "value" in clean ? clean : undefined;
      });
    const readers = cleaned("readers");
    const writers = cleaned("writers");
    // A referrer ACL trusts the Referer header, which any client sets: it is a public read.
    readers.forEach((clean, j) => {
      // A negated referrer (.r:-host) grants nothing; on a public container it turns away
      // requests that send that Referer (which any client may leave out).
      if (clean?.value.startsWith(".r:-")) return;
      if (clean?.referrer && !c.public)
        f.error(
          "container-public-acl",
          at("readers", j),
          `container ${c.name} grants a referrer ACL (${clean.value}), which lets anyone read its objects, as any client can send that Referer header; remove it and grant readers by project or user, or set public: true, which makes the container readable and listable by anyone (.r:*,.rlistings)`,
        );
      else if (clean?.referrer && c.public)
        f.warn(
          "container-referrer-redundant",
          at("readers", j),
          `container ${c.name} is public (.r:*,.rlistings: anyone reads and lists it), so the referrer ACL ${clean.value} narrows nothing; remove it`,
        );
    });
    // Swift's keystoneauth matches a project by name only for users and projects of the default
    // domain, and a tenant's id here is no Keystone id: either entry matches no one.
    for (const [list, entries] of [
      ["readers", readers],
      ["writers", writers],
    ] as const)
      entries.forEach((clean, j) => {
        // (an element without a colon is a role name to keystoneauth, not a project)
        if (!clean || clean.referrer || !clean.value.includes(":")) return;
        const project = clean.value.split(":")[0].trim();
        const byName = spec.tenants.find((t) => t.name === project);
        const byId = byName ? undefined : spec.tenants.find((t) => tenantId(t) === project);
        const domain = byName?.domain ?? BUILT_IN_DOMAIN;
        if (byName && domain !== BUILT_IN_DOMAIN)
          f.warn(
            "container-acl-project-name",
            at(list, j),
            `container ${c.name} names project ${project} (tenant ${tenantId(byName) ?? project}) in its ACL, but Swift's keystoneauth matches a project by name only when it and the user are in the default domain, and ${project} is in domain ${domain}: the entry grants nothing; name the project's Keystone id (its tenant stack's project_id output) instead`,
          );
        else if (byId)
          f.warn(
            "container-acl-project-name",
            at(list, j),
            `container ${c.name} names ${project} in its ACL, the design's id of tenant ${byId.name}, which is no Keystone id: Swift matches a project's Keystone id or, in the default domain, its name, so the entry grants nothing; name the project's Keystone id (its tenant stack's project_id output)${(byId.domain ?? BUILT_IN_DOMAIN) === BUILT_IN_DOMAIN ? ` or its name, ${byId.name}` : ""}`,
          );
      });
    writers.forEach((clean, j) => {
      const entry = c.writers[j].trim();
      // Swift refuses referrers in a write ACL (acl.clean_acl), so the apply would fail.
      if (clean?.referrer)
        f.error(
          "container-write-referrer",
          at("writers", j),
          `container ${c.name} lists a referrer (${entry}) among its writers, which Swift refuses; referrers may only read`,
        );
      else if (entry === "*" || entry === "*:*")
        f.error(
          "container-write-anyone",
          at("writers", j),
          `container ${c.name} lets every user of every project write (${entry}); name the projects or users that write`,
        );
    });
  });
}
