import { CA_BUNDLES } from "../core/ca-bundles";
import type { LdapModel, Model } from "../model/types";

/** Where Keystone reads domain-specific configuration files (its domain_config_dir default). */
export const KEYSTONE_DOMAIN_CONFIG_DIR = "/etc/keystone/domains";

/**
 * Keystone's domain-specific configuration for every domain backed by LDAP/AD, keyed by output
 * path (`config/keystone/domains/keystone.<domain>.conf`). Not a Terraform resource: the files go
 * to the controllers. The bind password is never written; the file tells the operator where it goes.
 */
export function keystoneDomainConfigs(model: Model): Map<string, string> {
  const files = new Map<string, string>();
  for (const domain of model.identity.domains) {
    if (!domain.ldap) continue;
    files.set(
      `config/keystone/domains/keystone.${domain.name}.conf`,
      domainConf(domain.name, domain.ldap),
    );
  }
  return files;
}

/**
 * For Kolla-Ansible, which renders the file as a Jinja template: every line passes through
 * `literal` (so the design's text stays inert) but the bind password, which Kolla fills from the
 * Ansible variable in /etc/kolla/passwords.yml.
 */
export interface KollaDomainFile {
  readonly literal: (line: string) => string;
}

/** A line of the file; a template line is left for Kolla's Jinja to fill. */
type Line = string | { readonly template: string };

/** One domain's keystone.<domain>.conf, for installing by hand or (given `kolla`) for Kolla-Ansible. */
export function domainConf(name: string, ldap: LdapModel, kolla?: KollaDomainFile): string {
  const literal = kolla?.literal ?? ((line: string) => line);
  const variable = ldap.bindPasswordVariable;
  const header = kolla
    ? [
        `# Keystone identity backend of domain ${name}, written by Stackwright for Kolla-Ansible,`,
        "# which renders it into Keystone's domain_config_dir and enables domain-specific drivers.",
      ]
    : [
        `# Keystone identity backend of domain ${name}, written by Stackwright, for a Keystone outside`,
        `# Kolla-Ansible (Kolla deploys deploy/kolla/config/keystone/domains/keystone.${name}.conf).`,
        `# Install as ${KEYSTONE_DOMAIN_CONFIG_DIR}/keystone.${name}.conf on every Keystone host; keystone.conf`,
        "# needs [identity] domain_specific_drivers_enabled = true and",
        `# domain_config_dir = ${KEYSTONE_DOMAIN_CONFIG_DIR}. Restart Keystone afterwards.`,
      ];
  const password: Line[] =
    kolla && variable
      ? [
          `# The bind password: ${variable} in /etc/kolla/passwords.yml (not part of the design).`,
          // oslo.config reads `$` as a reference: the password's own `$` is doubled. In quotes,
          // which oslo.config strips once, the password keeps its own quotes and outer spaces.
          { template: `password = "{{ ${variable} | string | replace('$', '$$') }}"` },
        ]
      : [
          "# The bind password is not part of the design: when installing this file, add",
          '#   password = "<bind password, each $ in it written $$>"',
          "# here from your secret store (oslo.config reads $name as a reference to another",
          "# option), and keep the file readable by the keystone user only.",
        ];
  const lines: Line[] = [
    ...header,
    "",
    "[identity]",
    "driver = ldap",
    "",
    "[ldap]",
    option("url", ldap.url),
    // With several servers Keystone tries the next only once a connection fails: without a
    // timeout, one that drops packets holds each new connection for the kernel's (minutes).
    // Keystone pools its connections (use_pool, its default), whose timeout bounds every bind and
    // search too: long enough for a nested-group search of a large directory; the pool tries a
    // server pool_retry_max times (3) before the next, so once, within HAProxy's minute.
    ...(ldap.servers.length > 1
      ? [
          "# A server that does not answer is given up after pool_connection_timeout seconds and",
          "# the next one tried; the timeout bounds each bind and search on the pooled connections",
          "# too (connection_timeout serves only with use_pool = false).",
          option("pool_connection_timeout", "30"),
          option("pool_retry_max", "1"),
          option("connection_timeout", "5"),
        ]
      : []),
    ...(ldap.bindDn
      ? [option("user", ldap.bindDn), ...password]
      : ["# No bind DN in the design: Keystone binds anonymously."]),
    // Directories nest users and groups in sub-OUs below the tree DNs.
    option("query_scope", "sub"),
    option("user_tree_dn", ldap.userTreeDn),
    option("user_objectclass", ldap.userObjectClass),
    option("user_id_attribute", ldap.userIdAttribute),
    option("user_name_attribute", ldap.userIdAttribute),
    // Keystone fails a whole user listing on one entry without the id attribute (an AD contact
    // is a person without sAMAccountName); AD's computer accounts are persons too.
    // The design's own filter is one more condition.
    option(
      "user_filter",
      ldap.activeDirectory
        ? `(&(${ldap.userIdAttribute}=*)(!(objectClass=computer))${ldap.userFilter ?? ""})`
        : ldap.userFilter
          ? `(&(${ldap.userIdAttribute}=*)${ldap.userFilter})`
          : `(${ldap.userIdAttribute}=*)`,
    ),
    option("group_tree_dn", ldap.groupTreeDn),
    option("group_objectclass", ldap.groupObjectClass),
    // Groups are found by cn, the name Terraform's group lookups and the role mappings use.
    option("group_id_attribute", "cn"),
    option("group_name_attribute", "cn"),
    option("group_member_attribute", ldap.groupMemberAttribute),
    ...(ldap.groupMembersAreIds ? [option("group_members_are_ids", "true")] : []),
    option("group_desc_attribute", "description"),
    ...(ldap.groupFilter ? [option("group_filter", ldap.groupFilter)] : []),
  ];
  if (!ldap.activeDirectory)
    lines.push(
      // slapd's default olcSizeLimit (500) caps paged searches too (size.prtotal): Keystone's
      // listings fail past it unless the directory lifts it for the bind identity.
      "# OpenLDAP answers at most 500 entries per search by default, paged or not: past that many",
      "# users or groups, give the bind identity larger limits on the directory, e.g.",
      `#   olcLimits: ${ldap.bindDn ? `dn.exact="${ldap.bindDn.replace(/"/g, '\\"')}"` : "anonymous"} size=unlimited`,
    );
  if (ldap.activeDirectory) {
    lines.push(
      // Disabled AD accounts (bit 2 of userAccountControl) are disabled in Keystone too.
      option("user_enabled_attribute", "userAccountControl"),
      option("user_enabled_mask", "2"),
      option("user_enabled_default", "512"),
      // Nested groups through AD's matching rule on `member`, which Keystone then searches
      // whatever group_member_attribute says: only for groups that list members there.
      ...(ldap.groupMemberAttribute.toLowerCase() === "member"
        ? [option("group_ad_nesting", "true")]
        : []),
      // AD answers at most 1000 entries per search page.
      option("page_size", "1000"),
      option("chase_referrals", "false"),
    );
  }
  // use_tls is StartTLS: with ldaps:// the connection is already TLS and it must stay off.
  lines.push(option("use_tls", String(ldap.transport === "starttls")));
  if (ldap.transport !== "plain")
    lines.push(
      option("tls_req_cert", "demand"),
      // Keystone refuses TLS to the directory without a CA file or folder (2023.2 on: "You need
      // to set tls_cacertfile or tls_cacertdir"), whatever the system trusts.
      ...(kolla
        ? [
            "# A directory CA outside the system trust store goes into /etc/kolla/certificates/ca/",
            "# on the deployment host, as a PEM file named *.crt: Kolla-Ansible copies it into the",
            "# containers' trust store (kolla_copy_ca_into_containers, which globals.yml sets), whose",
            "# update-ca-certificates takes *.crt files only. openstack_cacert is that store's bundle",
            "# inside the containers.",
            { template: "tls_cacertfile = {{ openstack_cacert }}" },
          ]
        : [
            "# The system's CA bundle (Debian, Ubuntu); on RHEL and its rebuilds",
            `# ${CA_BUNDLES.redhat}. A directory CA outside the system trust store joins it.`,
            option("tls_cacertfile", CA_BUNDLES.debian),
          ]),
    );
  else
    lines.push(
      "# WARNING: plain LDAP without TLS: bind and user passwords cross the network in clear text.",
    );
  const text = lines.map((l) => (typeof l === "string" ? literal(l) : l.template));
  return `${text.join("\n")}\n`;
}

/** oslo.config reads `$name` as a reference to another option; a literal `$` is written `$$`. */
function option(key: string, value: string): string {
  return `${key} = ${value.replace(/\$/g, () => "$$")}`;
}
