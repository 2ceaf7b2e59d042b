import { parse } from "yaml";
import { chronyConfigs, keystoneDomainConfigs, swiftRingPlan } from "../../artifacts";
import { nodeUserData } from "../../artifacts/netplan";
import type { Model } from "../../model/types";
import { CORE_SERVICES, adDirectory, load, swiftCluster, variant } from "../support/fixtures";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { loadSpecFile } from "../../model/load";
import { ROOT, SEED_BLUEPRINTS } from "../support/blueprints";
import { CHRONYD, PYTHON } from "../support/consumers";
import { isLdapFilter } from "../../spec/schema";
import { tempDir } from "../support/temp";

const model = load(
  variant((s) => {
    s.controlPlane.services = [...CORE_SERVICES, "swift"];
    s.storage = {
      swift: {
        proxies: 2,
        proxyHardware: "ctrl",
        storageNodes: 4,
        storageHardware: "stor",
        disksPerNode: 2,
        diskSizeTB: 4,
        zones: 3,
      },
    };
    s.identity = {
      domains: [
        {
          name: "corp",
          ldap: {
            url: "ldaps://ad.example.com",
            userTreeDn: "OU=Users,DC=example,DC=com",
            groupTreeDn: "OU=Groups,DC=example,DC=com",
            bindDn: "CN=svc-openstack,OU=Service,DC=example,DC=com",
          },
        },
        {
          name: "lab",
          ldap: {
            url: "ldap://ldap.lab.example.com",
            userTreeDn: "ou=people,dc=lab$1,dc=example",
            groupTreeDn: "ou=groups,dc=lab,dc=example",
            // (the standard schemas' classes and uid by default)
            activeDirectory: false,
          },
        },
        {
          name: "unix",
          ldap: {
            url: "ldaps://ldap.unix.example.com",
            userTreeDn: "ou=people,dc=unix,dc=example",
            groupTreeDn: "ou=groups,dc=unix,dc=example",
            activeDirectory: false,
            userObjectClass: "posixAccount",
            groupObjectClass: "posixGroup",
            userIdAttribute: "uid",
          },
        },
        { name: "local" },
      ],
    };
  }),
).model;

/** The [section] key = value pairs of an INI file, comments dropped. */
function ini(text: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  let section = "";
  for (const line of text.split("\n")) {
    const head = /^\[(.+)\]$/.exec(line);
    if (head) out[(section = head[1])] = {};
    else if (/^\w+ = /.test(line)) {
      const [key, ...value] = line.split(" = ");
      out[section][key] = value.join(" = ");
    }
  }
  return out;
}

/** The [ldap] section Keystone reads for a directory domain `corp` of adDirectory and `ldap`. */
const corpLdap = (ldap: Record<string, unknown>) =>
  ini(
    keystoneDomainConfigs(
      load(
        variant((s) => {
          s.identity = { domains: [{ name: "corp", ldap: { ...adDirectory, ...ldap } }] };
        }),
      ).model,
    ).get("config/keystone/domains/keystone.corp.conf") ?? "",
  ).ldap;

describe("keystoneDomainConfigs", () => {
  // WHEN
  const files = keystoneDomainConfigs(model);

  test("writes one file per LDAP domain, none for SQL domains", () => {
    // THEN
    expect([...files.keys()].sort()).toEqual([
      "config/keystone/domains/keystone.corp.conf",
      "config/keystone/domains/keystone.lab.conf",
      "config/keystone/domains/keystone.unix.conf",
    ]);
  });

  test("configures an Active Directory domain over LDAPS", () => {
    const conf = ini(files.get("config/keystone/domains/keystone.corp.conf") ?? "");
    expect(conf.identity).toEqual({ driver: "ldap" });
    expect(conf.ldap).toEqual(
      expect.objectContaining({
        url: "ldaps://ad.example.com",
        user: "CN=svc-openstack,OU=Service,DC=example,DC=com",
        user_tree_dn: "OU=Users,DC=example,DC=com",
        group_tree_dn: "OU=Groups,DC=example,DC=com",
        user_objectclass: "person",
        group_objectclass: "group",
        user_id_attribute: "sAMAccountName",
        user_name_attribute: "sAMAccountName",
        // an AD contact (a person without sAMAccountName) would fail Keystone's whole listing
        user_filter: "(&(sAMAccountName=*)(!(objectClass=computer)))",
        query_scope: "sub",
        user_enabled_attribute: "userAccountControl",
        user_enabled_mask: "2",
        group_ad_nesting: "true",
        // LDAPS is TLS already; StartTLS must stay off.
        use_tls: "false",
        tls_req_cert: "demand",
      }),
    );
  });

  test("a directory's own user and group filters join Keystone's, as libldap parses them", () => {
    // GIVEN an AD domain admitting the members of one group (nested), and OpenLDAP narrowed too
    const member = "(memberOf:1.2.840.113556.1.4.1941:=CN=openstack,OU=Groups,DC=example,DC=com)";
    const filtered = (activeDirectory: boolean) =>
      corpLdap({ activeDirectory, userFilter: member, groupFilter: "(cn=openstack-\\2a*)" });
    const ad = filtered(true);
    const open = filtered(false);
    // THEN each is one more condition beside Keystone's own, and the groups take theirs
    expect(ad.user_filter).toBe(`(&(sAMAccountName=*)(!(objectClass=computer))${member})`);
    expect(open.user_filter).toBe(`(&(uid=*)${member})`);
    expect(ad.group_filter).toBe("(cn=openstack-\\2a*)");
    // AND libldap (python-ldap, as Keystone searches) encodes every one: a bad filter fails
    // before any connection, a good one reaches the (absent) server
    const script = [
      "import json, sys, ldap",
      "out = []",
      "for f in json.load(sys.stdin):",
      "    c = ldap.initialize('ldap://127.0.0.1:9')",
      "    c.set_option(ldap.OPT_NETWORK_TIMEOUT, 1)",
      "    try:",
      "        c.search_ext_s('dc=x', ldap.SCOPE_SUBTREE, f)",
      "    except ldap.FILTER_ERROR:",
      "        out.append('refused')",
      "    except ldap.SERVER_DOWN:",
      "        out.append('sent')",
      "print(json.dumps(out))",
    ].join("\n");
    const libldap = (filters: string[]) =>
      JSON.parse(
        spawnSync(PYTHON, ["-c", script], { input: JSON.stringify(filters), encoding: "utf8" })
          .stdout,
      );
    // (the keystone user filter is ANDed with the object class and name by Keystone itself)
    const sent = [ad.user_filter, open.user_filter, ad.group_filter].map(
      (f) => `(&(objectClass=person)(sAMAccountName=x)${f})`,
    );
    expect(libldap(sent)).toEqual(["sent", "sent", "sent"]);
    // AND every filter the spec takes, libldap sends as Keystone wraps it, and the spec refuses
    // every one libldap refuses (it may refuse more: filters libldap reads leniently)
    const filters = [
      ...["(cn=a(b)", "((cn=a)", "(cn=a)(cn=b)", "(cn=a\\zz)", "()", "(cn)", "(=a)"],
      ...["((cn=a))", "(!(cn=a)(cn=b))", "(cn=**)", "(&(cn=a)cn=b)", "(!cn=a)", "(c n=a)"],
      ...["(cn>a)", "(cn=%(x)s)", "(memberOf=CN=OpenStack (prod),OU=Groups,DC=example,DC=com)"],
      ...["(:dn:=x)", "(cn=a\\2)", "(cn~=a*)", "(cn=a)x", "(|)", "(&)", "(cn=)", "(cn=*)"],
      ...["(cn=a\\28b\\29)", "(cn=a*b*c)", "(cn=*a*)", "(cn:=x)", "(cn:dn:2.5.13.5:=x)"],
      ...["(:caseExactMatch:=x)", "(cn;lang-en=x)", "(2.5.4.3=x)", "(cn=ü $x)", "(cn>=5)"],
      ...["(!(userAccountControl:1.2.840.113556.1.4.803:=2))", "(|(cn=a)(&(sn=b)(!(uid=c))))"],
      member,
    ];
    const sentOrNot = libldap(filters.map((f) => `(&${f}(objectClass=person)(uid=*))`));
    const taken = filters.filter((f) => isLdapFilter(f));
    expect(filters.filter((f, n) => isLdapFilter(f) && sentOrNot[n] !== "sent")).toEqual([]);
    expect(taken.length).toBeGreaterThan(15);
    expect(isLdapFilter("(memberOf=CN=OpenStack (prod),OU=Groups,DC=example,DC=com)")).toBe(false);
    expect(isLdapFilter("(memberOf=CN=OpenStack \\28prod\\29,OU=Groups,DC=example,DC=com)")).toBe(
      true,
    );
  });

  test("nests Active Directory groups only where they list members in member", () => {
    // GIVEN AD with posixGroups (memberUid) and with groupOfUniqueNames (uniqueMember)
    const conf = (groupObjectClass: string) =>
      corpLdap({
        bindDn: "CN=svc,DC=example,DC=com",
        activeDirectory: true,
        groupObjectClass,
        ...(groupObjectClass === "posixGroup" ? { userIdAttribute: "uid" } : {}),
      });
    // THEN Keystone's nesting filter, which searches member whatever the member attribute, is off
    // there (it found no group of any user), and on for AD's own groups
    expect(conf("posixGroup")).not.toHaveProperty("group_ad_nesting");
    expect(conf("groupOfUniqueNames")).not.toHaveProperty("group_ad_nesting");
    expect(conf("group")).toMatchObject({ group_ad_nesting: "true" });
  });

  test("uses StartTLS on ldap:// and escapes oslo.config interpolation", () => {
    const text = files.get("config/keystone/domains/keystone.lab.conf") ?? "";
    const conf = ini(text);
    expect(conf.ldap).toEqual(
      expect.objectContaining({
        url: "ldap://ldap.lab.example.com",
        use_tls: "true",
        user_id_attribute: "uid",
        user_filter: "(uid=*)",
        user_objectclass: "inetOrgPerson",
        group_objectclass: "groupOfNames",
        user_tree_dn: "ou=people,dc=lab$$1,dc=example",
      }),
    );
    expect(conf.ldap).not.toHaveProperty("user_enabled_mask");
    expect(conf.ldap).not.toHaveProperty("user");
  });

  test("tells an OpenLDAP directory's operator to lift the 500-entry size limit, not AD's", () => {
    // slapd's olcSizeLimit caps paged searches too: Keystone's listings would fail past it
    const lab = files.get("config/keystone/domains/keystone.lab.conf") ?? "";
    expect(lab).toContain("OpenLDAP answers at most 500 entries per search by default");
    expect(lab).toContain("#   olcLimits: anonymous size=unlimited\n");
    expect(files.get("config/keystone/domains/keystone.corp.conf")).not.toContain("olcLimits");
  });

  test("group members are DNs in member, except a posixGroup's user ids in memberUid", () => {
    // GIVEN groupOfNames (lab) and RFC 2307 posixGroup (unix) directories
    // WHEN
    const lab = ini(files.get("config/keystone/domains/keystone.lab.conf") ?? "").ldap;
    const unix = ini(files.get("config/keystone/domains/keystone.unix.conf") ?? "").ldap;
    // THEN Keystone matches a posixGroup's memberUid values against user ids, not DNs
    expect(lab.group_member_attribute).toBe("member");
    expect(lab).not.toHaveProperty("group_members_are_ids");
    expect(unix).toEqual(
      expect.objectContaining({
        group_objectclass: "posixGroup",
        group_member_attribute: "memberUid",
        group_members_are_ids: "true",
      }),
    );
  });

  test("never writes a bind password, only where to put it", () => {
    const text = files.get("config/keystone/domains/keystone.corp.conf") ?? "";
    expect(text).not.toMatch(/^\s*password\s*=/m);
    // (in quotes, each $ doubled: oslo.config reads $name as another option)
    expect(text).toMatch(/^#.*password = "<bind password, each \$ in it written \$\$>"/m);
    expect(text).toMatch(/secret store/);
  });
});

describe("chronyConfigs", () => {
  const files = chronyConfigs(model);
  const controllers = model.nodes.filter((n) => n.role === "controller");

  test("writes a file for every node role present", () => {
    const roles = [...new Set(model.nodes.map((n) => n.role))];
    expect([...files.keys()].sort()).toEqual(roles.map((r) => `config/chrony/${r}.conf`).sort());
    expect(files.has("config/chrony/swift-storage.conf")).toBe(true);
  });

  test("syncs controllers from the enterprise servers and lets the management network ask", () => {
    const conf = files.get("config/chrony/controller.conf") ?? "";
    expect(conf).toContain("server 10.9.0.123 iburst\nserver 10.9.1.123 iburst\n");
    expect(conf).toContain("allow 10.0.0.0/24");
  });

  test("serving controllers poll one another and keep one local time without upstream", () => {
    // (chrony.conf(5), local: orphan servers must poll all the others; chrony ignores itself)
    const conf = files.get("config/chrony/controller.conf") ?? "";
    for (const c of controllers) expect(conf).toContain(`server ${c.addresses.mgmt} iburst\n`);
    expect(conf).toMatch(/^local stratum 10 orphan$/m);
  });

  test("controllers nobody asks serve nobody; the NTP pool's names are pools", () => {
    const direct = load(
      variant(
        (s) => (s.ntp = { servers: ["0.pool.ntp.org", "ntp.example.com"], clients: "servers" }),
      ),
    ).model;
    const conf = chronyConfigs(direct).get("config/chrony/controller.conf") ?? "";
    expect(conf).toContain("pool 0.pool.ntp.org iburst\nserver ntp.example.com iburst\n");
    expect(conf).not.toMatch(/^(allow|local)/m);
    expect(direct.ports.some((p) => p.service === "ntp" && p.to === "controllers")).toBe(false);
    expect(model.ports.filter((p) => p.service === "ntp" && p.to === "controllers")).toContainEqual(
      expect.objectContaining({ from: "controllers" }),
    );
  });

  test("matches what cloud-init installs on the controllers", () => {
    const doc = parse(nodeUserData(model, controllers[0])) as {
      write_files: { path: string; content: string }[];
    };
    const installed = doc.write_files.find((f) => f.path === "/etc/chrony/chrony.conf");
    expect(files.get("config/chrony/controller.conf")).toContain(installed?.content);
  });

  test("syncs the other nodes from the controllers and serves nobody", () => {
    const conf = files.get("config/chrony/compute.conf") ?? "";
    for (const c of controllers) expect(conf).toContain(`server ${c.addresses.mgmt} iburst`);
    expect(conf).not.toContain("10.9.0.123");
    expect(conf).not.toMatch(/^allow/m);
  });

  test("writes the sources the model gives, however few (policy SW-HA-005 judges the count)", () => {
    const ntp = model.ntp as NonNullable<Model["ntp"]>;
    const single: Model = {
      ...model,
      ntp: { ...ntp, sources: { ...ntp.sources, compute: ["10.0.0.11"] } },
    };
    const conf = chronyConfigs(single).get("config/chrony/compute.conf") ?? "";
    expect(conf.match(/^server /gm)).toHaveLength(1);
    expect(conf).toContain("server 10.0.0.11 iburst");
  });

  test.each(SEED_BLUEPRINTS)("%s: chronyd parses every role's file as written", (name) => {
    // GIVEN the example's time files
    const example = loadSpecFile(path.join(ROOT, "examples", `${name}.yaml`)).model;
    const dir = tempDir("sw-chrony-");
    for (const [rel, text] of chronyConfigs(example)) {
      const file = path.join(dir, path.basename(rel));
      fs.writeFileSync(file, text);
      // WHEN chronyd reads one (-p: parse, print the configuration and exit)
      const parsed = spawnSync(CHRONYD, ["-p", "-f", file], { encoding: "utf8" });
      // THEN it takes every directive, as written
      const directives = text.split("\n").filter((l) => l && !l.startsWith("#"));
      expect([rel, parsed.status, parsed.stderr]).toEqual([rel, 0, ""]);
      expect(parsed.stdout.trim().split("\n")).toEqual(directives);
    }
  });

  test("changes with the time sources only, not with the number of hosts", () => {
    // (day 2 tells operators to restart chrony on a role's hosts when its file changes)
    const grown = load(
      variant((s) => {
        s.controlPlane.services = [...CORE_SERVICES, "swift"];
        s.storage = { swift: swiftCluster({ storageNodes: 4 }) };
        s.zones[0].pools[0].hosts += 2;
      }),
    ).model;
    const before = load(
      variant((s) => {
        s.controlPlane.services = [...CORE_SERVICES, "swift"];
        s.storage = { swift: swiftCluster({ storageNodes: 4 }) };
      }),
    ).model;
    expect(grown.nodes.length).toBe(before.nodes.length + 2);
    expect(chronyConfigs(grown)).toEqual(chronyConfigs(before));
  });
});

describe("swiftRingPlan", () => {
  const script = swiftRingPlan(model).get("config/swift/rings.sh") ?? "";
  const swift = model.storage.swift as NonNullable<Model["storage"]["swift"]>;
  const lines = script.split("\n");

  test("creates the three rings with the model's partition power, replicas and min_part_hours", () => {
    for (const ring of ["account", "container", "object"])
      expect(lines).toContain(
        `  swift-ring-builder ${ring}.builder create ${swift.partitionPower} 3 ${swift.minPartHours}`,
      );
    expect(script.startsWith("#!/bin/sh\n")).toBe(true);
  });

  test("adds every disk of every storage node on its storage address and ring port", () => {
    const storage = model.nodes.filter((n) => n.role === "swift-storage");
    expect(storage).toHaveLength(4);
    const first = storage[0].addresses.storage;
    // One command per node and ring (each run of the builder loads and saves the ring), a
    // continued line per disk; no replication network in this design, so no replication address.
    const adds = script.split("swift-ring-builder ").filter((c) => c.includes(".builder add "));
    expect(adds).toHaveLength(3 * 4);
    expect(adds[0]).toBe(
      `account.builder add \\\n    r1z1-${first}:6202/d1 400 \\\n    r1z1-${first}:6202/d2 400\n  `,
    );
    expect(adds).toContain(
      `container.builder add \\\n    r1z1-${first}:6201/d1 400 \\\n    r1z1-${first}:6201/d2 400\n  `,
    );
    // Round-robin: the fourth node goes back to zone 1.
    const object = adds.filter((c) => c.startsWith("object.builder add"));
    expect(object.map((c) => c.split("\n")[1])).toEqual(
      storage.map((n, i) => `    r1z${(i % 3) + 1}-${n.addresses.storage}:6200/d1 400 \\`),
    );
  });

  test("rebalances each ring it builds and keeps each ring that exists", () => {
    expect(lines.filter((l) => /builder rebalance/.test(l))).toHaveLength(3);
    for (const ring of ["account", "container", "object"])
      expect(script).toContain(
        `if [ -e ${ring}.builder ] && [ ! -e ${ring}.ring.gz ]; then\n` +
          `  echo "${ring}.builder has no ${ring}.ring.gz: a run cut short? remove ${ring}.builder and run again" >&2\n  exit 1\n` +
          `elif [ -e ${ring}.builder ]; then\n  echo "${ring}.builder exists: kept" >&2\nelse\n`,
      );
  });

  test("builds an object ring per storage policy and the policies Swift reads them by", () => {
    // GIVEN two storage policies, the second with 2 replicas and the default
    const withPolicies = load(
      variant((s) => {
        s.controlPlane.services = [...CORE_SERVICES, "swift"];
        s.storage = {
          swift: swiftCluster({
            storageNodes: 4,
            disksPerNode: 2,
            policies: [{ name: "gold" }, { name: "cold", replicas: 2, default: true }],
            containers: [{ name: "archive", purpose: "application", storagePolicy: "cold" }],
          }),
        };
      }),
    ).model;
    // WHEN
    const files = swiftRingPlan(withPolicies);
    const rings = files.get("config/swift/rings.sh") ?? "";
    // THEN policy 0 reads object.ring.gz, policy 1 object-1.ring.gz with its own replicas
    expect(rings).toMatch(/^ {2}swift-ring-builder object\.builder create \d+ 3 24$/m);
    expect(rings).toMatch(/^ {2}swift-ring-builder object-1\.builder create \d+ 2 24$/m);
    expect(rings).toMatch(/^ {2}swift-ring-builder object-1\.builder rebalance/m);
    expect(rings).toContain("elif [ -e object-1.builder ]; then");
    expect(files.get("config/swift/swift.conf")).toContain(
      "[storage-policy:0]\nname = gold\n\n[storage-policy:1]\nname = cold\ndefault = yes\n",
    );
    // and a design without policies keeps Swift's implicit Policy-0
    expect(swiftRingPlan(model).has("config/swift/swift.conf")).toBe(false);
  });

  test("writes nothing without Swift", () => {
    expect(swiftRingPlan(load(variant(() => undefined)).model).size).toBe(0);
  });

  test("fails when a storage node has no storage address", () => {
    const nodes = model.nodes.map((n) =>
      n.name === swift.storageNodes[0] ? { ...n, addresses: { mgmt: "10.0.0.99" } } : n,
    );
    expect(() => swiftRingPlan({ ...model, nodes })).toThrow(
      `Swift storage node ${swift.storageNodes[0]} has no address on the storage network storage`,
    );
  });
});
