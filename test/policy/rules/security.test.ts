import * as fs from "fs";
import type { SynthesizedStack } from "../../../synth/app";
import type { Model } from "../../../model/types";
import { loadSpecFile, loadSpecText } from "../../../model/load";
import { unreadArguments } from "../../../policy/loaded-configuration";
import {
  addResource,
  bent,
  editStack,
  findingsOf,
  modelOf,
  resourceAt,
  synth,
  withSwift,
} from "../helpers";

const RULE = "openstack_networking_secgroup_rule_v2";
// With an undercloud, so the bare-metal stack holds the servers' instances.
const base = modelOf((s) => (s.cloud.undercloud = { cloud: "under" }));
let stacks: SynthesizedStack[] = [];
beforeAll(async () => {
  stacks = await synth(base);
});

/** The base stacks with one security group rule added to the platform stack. */
const withRule = (path: string, body: object) =>
  editStack(stacks, "platform", (c) =>
    addResource(c, RULE, path, {
      description: "added by the test",
      direction: "ingress",
      ethertype: "IPv4",
      security_group_id: "${openstack_networking_secgroup_v2.sg.id}",
      ...body,
    }),
  );

describe("SW-SEC-001 no world ingress to sensitive ports", () => {
  test("fails when SSH is open to 0.0.0.0/0", () => {
    const open = withRule("platform/test/ssh", {
      protocol: "tcp",
      port_range_min: 22,
      port_range_max: 22,
      remote_ip_prefix: "0.0.0.0/0",
    });
    expect(findingsOf("SW-SEC-001", base, open)).toEqual([
      expect.objectContaining({
        severity: "error",
        target: "platform/test/ssh",
        message: expect.stringContaining("tcp 22 (SSH)"),
      }),
    ]);
  });

  test("fails when a port range from ::/0 covers a database port", () => {
    const open = withRule("platform/test/range", {
      ethertype: "IPv6",
      protocol: "tcp",
      port_range_min: 3000,
      port_range_max: 3400,
      remote_ip_prefix: "::/0",
    });
    expect(findingsOf("SW-SEC-001", base, open)).toEqual([
      expect.objectContaining({ message: expect.stringContaining("3306 (MySQL/Galera)") }),
    ]);
  });

  test("fails when every port is open to the internet", () => {
    const open = withRule("platform/test/all", { remote_ip_prefix: "0.0.0.0/0" });
    expect(findingsOf("SW-SEC-001", base, open)).toEqual([
      expect.objectContaining({ message: expect.stringContaining("every port") }),
    ]);
  });

  test("passes the synthesized stacks, whose API ports are open to users", () => {
    const platform = JSON.parse(stacks.find((s) => s.name === "platform")!.content);
    const world = Object.values(platform.resource[RULE]).filter(
      (r: any) => r.remote_ip_prefix === "0.0.0.0/0",
    );
    expect(world.length).toBeGreaterThan(0);
    expect(findingsOf("SW-SEC-001", base, stacks)).toEqual([]);
  });

  test("passes ICMP from anywhere and SSH from the admin network", () => {
    const fine = editStack(
      withRule("platform/test/icmp", { protocol: "icmp", remote_ip_prefix: "0.0.0.0/0" }),
      "platform",
      (c) =>
        addResource(c, RULE, "platform/test/admin-ssh", {
          description: "ssh from admin",
          direction: "ingress",
          protocol: "tcp",
          port_range_min: 22,
          port_range_max: 22,
          remote_ip_prefix: "10.9.100.0/24",
        }),
    );
    expect(findingsOf("SW-SEC-001", base, fine)).toEqual([]);
  });
});

describe("SW-SEC-001 reads broad prefixes and address groups as the internet", () => {
  test("fails for half the internet (0.0.0.0/1) and for an address group holding 0.0.0.0/0", () => {
    const split = withRule("platform/test/half", {
      protocol: "tcp",
      port_range_min: 3389,
      port_range_max: 3389,
      remote_ip_prefix: "0.0.0.0/1",
    });
    expect(findingsOf("SW-SEC-001", base, split).map((f) => f.message)).toEqual([
      "ingress from 0.0.0.0/1 opens tcp 3389 (RDP) to a large part of the internet (broader than /8)",
    ]);
    const grouped = editStack(
      withRule("platform/test/grouped", {
        protocol: "tcp",
        port_range_min: 22,
        port_range_max: 22,
        remote_address_group_id: "${openstack_networking_address_group_v2.everyone.id}",
      }),
      "platform",
      (c) => {
        c.resource.openstack_networking_address_group_v2 = {
          everyone: { name: "everyone", addresses: ["10.1.100.0/24", "0.0.0.0/0"] },
        };
      },
    );
    expect(findingsOf("SW-SEC-001", base, grouped).map((f) => f.message)).toEqual([
      "ingress from 0.0.0.0/0 opens tcp 22 (SSH) to the whole internet (address group everyone)",
    ]);
    // (an address group is a remote: SW-SEC-002 does not take the rule for one open to all)
    expect(findingsOf("SW-SEC-002", base, grouped)).toEqual([]);
  });

  test("reads prefixes as Neutron does (0/0 is 0.0.0.0/0) and an address group it cannot see as open", () => {
    const rule = (body: object) =>
      findingsOf(
        "SW-SEC-001",
        base,
        withRule("platform/test/odd", {
          protocol: "tcp",
          port_range_min: 22,
          port_range_max: 22,
          ...body,
        }),
      ).map((f) => f.message);
    expect(rule({ remote_ip_prefix: "0/0" })).toEqual([
      "ingress from 0.0.0.0/0 opens tcp 22 (SSH) to the whole internet",
    ]);
    expect(rule({ remote_ip_prefix: "10/8" })).toEqual([]);
    // (netmasks and lengths as netaddr reads them; a protocol number however written; a port
    // bound of 0, which gophercloud leaves out: open at that end)
    expect(rule({ remote_ip_prefix: "0.0.0.0/0.0.0.0" })).toHaveLength(1);
    expect(rule({ remote_ip_prefix: "::/::" })).toHaveLength(1);
    expect(rule({ remote_ip_prefix: "0.0.0.0/+0" })).toHaveLength(1);
    expect(rule({ remote_ip_prefix: "0.0.0.0/-0" })).toHaveLength(1);
    expect(rule({ remote_ip_prefix: "0.0.0.0/0_0" })).toHaveLength(1);
    expect(rule({ remote_ip_prefix: "::/-0", ethertype: "IPv6" })).toHaveLength(1);
    expect(rule({ remote_ip_prefix: "10.0.0.0/255.0.0.0" })).toEqual([]);
    expect(rule({ remote_ip_prefix: "0.0.0.0/0", protocol: "06" })).toEqual([
      "ingress from 0.0.0.0/0 opens tcp 22 (SSH) to the whole internet",
    ]);
    expect(rule({ remote_ip_prefix: "0.0.0.0/0", port_range_min: 0, port_range_max: 0 })).toEqual([
      "ingress from 0.0.0.0/0 opens every tcp port to the whole internet",
    ]);
    expect(rule({ remote_address_group_id: "6f1b2c6e-0000-4000-8000-000000000001" })).toEqual([
      "ingress from address group 6f1b2c6e-0000-4000-8000-000000000001, which this stack does not make, opens tcp 22 (SSH): no check sees its addresses",
    ]);
  });

  test("passes a corporate /8", () => {
    const corporate = withRule("platform/test/corp", {
      protocol: "tcp",
      port_range_min: 22,
      port_range_max: 22,
      remote_ip_prefix: "10.0.0.0/8",
    });
    expect(findingsOf("SW-SEC-001", base, corporate)).toEqual([]);
  });
});

describe("SW-SEC-010 and SW-SEC-011 share nothing with every project unasked", () => {
  test("fails for an RBAC entry to every project, passes one naming its project", () => {
    const rbac = (target: string) =>
      editStack(stacks, "platform", (c) =>
        addResource(c, "openstack_networking_rbac_policy_v2", "platform/test/rbac", {
          action: "access_as_shared",
          object_type: "network",
          object_id: "x",
          target_tenant: target,
        }),
      );
    expect(findingsOf("SW-SEC-010", base, rbac("*"))).toEqual([
      expect.objectContaining({
        severity: "error",
        target: "platform/test/rbac",
        message: "RBAC entry access_as_shared shares network with every project (target_tenant *)",
      }),
    ]);
    expect(findingsOf("SW-SEC-010", base, rbac("0123456789abcdef"))).toEqual([]);
    expect(findingsOf("SW-SEC-010", base, stacks)).toEqual([]);
  });

  test("fails for a network made shared by hand, passes one the design declares shared", () => {
    const shared = editStack(stacks, "platform", (c) => {
      for (const n of Object.values(c.resource.openstack_networking_network_v2) as any[])
        n.shared = true;
    });
    const found = findingsOf("SW-SEC-011", base, shared);
    expect(found.length).toBeGreaterThan(0);
    expect(found[0].message).toMatch(
      /^network \S+ is shared with every project, which the design does not declare$/,
    );
    expect(findingsOf("SW-SEC-011", base, stacks)).toEqual([]);
    // GIVEN a provider network the spec declares shared
    const declared = modelOf((s) => {
      s.cloud.undercloud = { cloud: "under" };
      s.network.networks.push({
        name: "everyone",
        role: "provider",
        cidr: "10.0.9.0/24",
        vlan: 30,
        physicalNetwork: "physnet-ext",
        shared: true,
      });
    });
    return synth(declared).then((declaredStacks) => {
      expect(findingsOf("SW-SEC-011", declared, declaredStacks)).toEqual([]);
      // AND another network renamed after it by hand is the design's other network still: read
      // against the synthesis (check --terraform), it is flagged
      const platform = declaredStacks.find((st) => st.name === "platform")!;
      const edited = structuredClone(platform.config) as any;
      const networks = edited.resource.openstack_networking_network_v2;
      const everyone = networks[Object.keys(networks).find((k) => k.includes("everyone"))!];
      const other = networks[Object.keys(networks).find((k) => !k.includes("everyone"))!];
      Object.assign(other, { name: everyone.name, shared: true });
      const read = [{ name: "platform", config: edited, synthesized: platform.config }];
      expect(findingsOf("SW-SEC-011", declared, read as any)).toHaveLength(1);
    });
  });
});

describe("SW-SEC-002 every rule names a remote", () => {
  test("fails when a rule has neither remote prefix nor remote group", () => {
    const open = withRule("platform/test/no-remote", {
      protocol: "tcp",
      port_range_min: 8080,
      port_range_max: 8080,
    });
    expect(findingsOf("SW-SEC-002", base, open)).toEqual([
      expect.objectContaining({ severity: "error", target: "platform/test/no-remote" }),
    ]);
  });

  test("passes the synthesized stacks", () => {
    expect(findingsOf("SW-SEC-002", base, stacks)).toEqual([]);
  });
});

describe("SW-SEC-003 no admin_pass", () => {
  test("fails when an instance sets admin_pass", () => {
    const withPass = editStack(stacks, "baremetal", (c) => {
      resourceAt(c, "openstack_compute_instance_v2", "ctrl-01/Resource").admin_pass = "hunter2";
    });
    expect(findingsOf("SW-SEC-003", base, withPass)).toEqual([
      expect.objectContaining({
        severity: "error",
        target: "baremetal/nodes/ctrl-01/Resource",
      }),
    ]);
  });

  test("passes the synthesized servers, which use no password", () => {
    expect(findingsOf("SW-SEC-003", base, stacks)).toEqual([]);
  });
});

describe("SW-SEC-004 no clear-text credentials in provider or backend", () => {
  test("fails when the provider block holds a password and an application credential secret", () => {
    const leaky = editStack(stacks, "platform", (c) => {
      Object.assign(c.provider.openstack[0], {
        password: "s3cret",
        application_credential_secret: "abc",
      });
    });
    expect(findingsOf("SW-SEC-004", base, leaky)).toEqual([
      expect.objectContaining({
        target: "platform/provider/openstack",
        message: expect.stringContaining("application_credential_secret"),
      }),
      expect.objectContaining({
        target: "platform/provider/openstack",
        message: expect.stringContaining("password"),
      }),
    ]);
  });

  test("fails when a backend block holds a secret key", () => {
    const leaky = editStack(stacks, "platform", (c) => {
      c.terraform.backend = { s3: { bucket: "state", secret_key: "abc" } };
    });
    expect(findingsOf("SW-SEC-004", base, leaky)).toEqual([
      expect.objectContaining({
        target: "platform/backend/s3",
        message: expect.stringContaining("secret_key"),
      }),
    ]);
  });

  test("passes a provider that names a clouds.yaml entry, or reads a token from a variable", () => {
    const fromVariable = editStack(stacks, "platform", (c) => {
      c.provider.openstack[0].token = "${var.os_token}";
    });
    expect(findingsOf("SW-SEC-004", base, stacks)).toEqual([]);
    expect(findingsOf("SW-SEC-004", base, fromVariable)).toEqual([]);
  });
});

describe("SW-SEC-005 port security never disabled", () => {
  test("fails when a network disables port security", () => {
    const off = editStack(stacks, "platform", (c) => {
      resourceAt(
        c,
        "openstack_networking_network_v2",
        "network/ext/Resource",
      ).port_security_enabled = false;
    });
    expect(findingsOf("SW-SEC-005", base, off)).toEqual([
      expect.objectContaining({
        severity: "error",
        target: "platform/cloud/network/ext/Resource",
      }),
    ]);
  });

  test("passes the synthesized networks", () => {
    expect(findingsOf("SW-SEC-005", base, stacks)).toEqual([]);
  });
});

describe("SW-SEC-006 no allowed address pair of /0", () => {
  test("fails when a port allows any address", () => {
    const wide = editStack(stacks, "platform", (c) => {
      addResource(c, "openstack_networking_port_v2", "platform/test/port", {
        allowed_address_pairs: [
          { ip_address: "10.0.1.10" },
          { ip_address: "0.0.0.0/0" },
          { ip_address: "::/0" },
        ],
      });
    });
    expect(findingsOf("SW-SEC-006", base, wide).map((f) => f.message)).toEqual([
      expect.stringContaining("pair 0.0.0.0/0"),
      expect.stringContaining("pair ::/0"),
    ]);
  });

  test("passes the synthesized stacks", () => {
    expect(findingsOf("SW-SEC-006", base, stacks)).toEqual([]);
  });
});

describe("SW-SEC-007 no undeclared public-read container", () => {
  const declared = modelOf(
    withSwift({ name: "public-assets", purpose: "application", public: true }),
  );

  test("passes a container the design declares public", async () => {
    const swiftStacks = await synth(declared);
    expect(swiftStacks[0].content).toContain(".r:*");
    expect(findingsOf("SW-SEC-007", declared, swiftStacks)).toEqual([]);
  });

  test("fails when a container grants public read the design does not declare", async () => {
    const swiftStacks = await synth(declared);
    const undeclared = bent(declared, (m) => (m.storage.swift.containers[0].public = false));
    expect(findingsOf("SW-SEC-007", undeclared, swiftStacks)).toEqual([
      expect.objectContaining({
        severity: "error",
        target: "platform/cloud/object-storage/container-public-assets",
        message: expect.stringContaining(".r:*"),
      }),
    ]);
  });

  test("reads referrers as Swift does: long designators and spaces grant too", async () => {
    // GIVEN a hand-edited container_read in the forms Swift's clean_acl accepts
    const undeclared = bent(declared, (m) => (m.storage.swift.containers[0].public = false));
    for (const read of [".referrer:*", ".r :*", " .ref: *.example.com", ".r:-bad.example,.r:*"]) {
      const edited = editStack(await synth(declared), "platform", (c) => {
        for (const r of Object.values<any>(c.resource.openstack_objectstorage_container_v1))
          r.container_read = read;
      });
      // THEN each is a public grant the design does not declare
      expect(findingsOf("SW-SEC-007", undeclared, edited)).toHaveLength(1);
    }
    // AND a denial alone grants nothing
    const denied = editStack(await synth(declared), "platform", (c) => {
      for (const r of Object.values<any>(c.resource.openstack_objectstorage_container_v1))
        r.container_read = ".r:-bad.example";
    });
    expect(findingsOf("SW-SEC-007", undeclared, denied)).toEqual([]);
  });

  test("reads the name written: the public container renamed onto another is that other", async () => {
    // GIVEN the declared public container renamed by hand to a container the design keeps private
    const synthesized = await synth(declared);
    const renamed = editStack(synthesized, "platform", (c) => {
      for (const r of Object.values<any>(c.resource.openstack_objectstorage_container_v1))
        r.name = "cinder-backups";
    });
    const read = renamed.map((st) => ({
      ...st,
      synthesized: synthesized.find((o) => o.name === st.name)?.config,
    }));
    // THEN read against the synthesis (check --terraform), its public grant is flagged
    expect(findingsOf("SW-SEC-007", declared, read)).toEqual([
      expect.objectContaining({ message: expect.stringContaining("container cinder-backups") }),
    ]);
  });
});

describe("SW-SEC-008 security groups and rules are described", () => {
  test("fails when a security group and a rule have no description", () => {
    const bare = editStack(stacks, "platform", (c) => {
      delete resourceAt(c, "openstack_networking_secgroup_v2", "security/controllers/Resource")
        .description;
      resourceAt(c, RULE, "ingress-vrrp-all-controllers").description = " ";
    });
    expect(findingsOf("SW-SEC-008", base, bare)).toEqual([
      expect.objectContaining({
        severity: "warning",
        target: "platform/cloud/security/controllers/Resource",
      }),
      expect.objectContaining({
        target: "platform/cloud/security/controllers/ingress-vrrp-all-controllers",
      }),
    ]);
  });

  test("passes the synthesized security groups", () => {
    expect(findingsOf("SW-SEC-008", base, stacks)).toEqual([]);
  });
});

describe("SW-SEC-012, 013 and 014 read hand edits against the design", () => {
  let enterprise: Model;
  let designed: SynthesizedStack[] = [];
  beforeAll(async () => {
    enterprise = loadSpecFile("examples/enterprise-reference.yaml").model;
    designed = await synth(enterprise);
  });
  /** The stacks with one edited as `check --terraform` reads it: beside its synthesis. */
  const handEdited = (name: string, edit: (config: any) => void) =>
    editStack(designed, name, edit).map((s) =>
      s.name === name ? { ...s, synthesized: designed.find((d) => d.name === name)!.config } : s,
    );
  const FW = "openstack_fw_rule_v2";
  const firewallRule = (c: any, pathEnd: string) => resourceAt(c, FW, pathEnd);

  test("the synthesized stacks, read as written, pass all three", () => {
    const read = handEdited("platform", () => undefined);
    for (const rule of ["SW-SEC-012", "SW-SEC-013", "SW-SEC-014"]) {
      expect(findingsOf(rule, enterprise, designed)).toEqual([]);
      expect(findingsOf(rule, enterprise, read)).toEqual([]);
    }
  });

  test("SW-SEC-012: the admin SSH rule without its source opens SSH to the internet", () => {
    const open = handEdited("platform", (c) => {
      delete firewallRule(c, "firewall/admin-ssh-10.1.100.0%2F24").source_ip_address;
    });
    expect(findingsOf("SW-SEC-012", enterprise, open)).toEqual([
      expect.objectContaining({
        severity: "error",
        target: "platform/cloud/security/firewall/admin-ssh-10.1.100.0%2F24",
        message:
          "allow rule from 0.0.0.0/0 (no source address) opens tcp 22 (SSH) in every ingress policy that holds it, which the design's rule does not",
      }),
    ]);
  });

  test("SW-SEC-012: the design's egress rule from every address passes, however its ports are edited", () => {
    const edited = handEdited("platform", (c) => {
      firewallRule(c, "firewall/egress-all").destination_port = "22";
    });
    expect(findingsOf("SW-SEC-012", enterprise, edited)).toEqual([]);
  });

  test("SW-SEC-012: an added rule is read as neutron-fwaas applies it", () => {
    const added = (body: object) =>
      findingsOf(
        "SW-SEC-012",
        enterprise,
        handEdited("platform", (c) =>
          addResource(c, FW, "platform/test/fw", { description: "by hand", ...body }),
        ),
      );
    // a range from 0 matches every port; a netmask source is the whole internet
    expect(added({ action: "allow", protocol: "tcp", destination_port: "0:22" })).toEqual([
      expect.objectContaining({
        message:
          "allow rule from 0.0.0.0/0 (no source address) opens every tcp port in every ingress policy that holds it, and the design has no such rule",
      }),
    ]);
    expect(
      added({
        action: "ALLOW",
        protocol: "TCP",
        source_ip_address: "0.0.0.0/0.0.0.0",
        destination_port: "3300:3310",
      }),
    ).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(
          /^allow rule from 0\.0\.0\.0\/0 opens tcp 3300 and 3306 \(MySQL\/Galera\) in/,
        ),
      }),
    ]);
    expect(
      added({ action: "allow", ip_version: 6, protocol: "udp", destination_port: "161" }),
    ).toEqual([
      expect.objectContaining({
        message: expect.stringContaining("from ::/0 (no source address) opens udp 161 (SNMP)"),
      }),
    ]);
    // the provider's default action is deny; disabled, ICMP, narrow or refused rules open nothing
    expect(added({ protocol: "tcp", destination_port: "22" })).toEqual([]);
    expect(added({ action: "allow", enabled: "false", destination_port: "22" })).toEqual([]);
    expect(added({ action: "allow", protocol: "icmp" })).toEqual([]);
    expect(added({ action: "allow", source_ip_address: "10.1.100.0/24" })).toEqual([]);
    expect(added({ action: "allow", protocol: "tcp", destination_port: "22:21" })).toEqual([]);
    expect(added({ action: "allow", protocol: "tcp", destination_port: "8080" })).toEqual([]);
    // a port without TCP or UDP is refused by neutron-fwaas
    expect(added({ action: "allow", destination_port: "22" })).toEqual([]);
  });

  test("SW-SEC-012: the design's egress rule moved into an ingress policy, or another ingress policy, is reported", () => {
    // GIVEN the platform's inside-to-outside rule, allow-all from anywhere, held by its ingress
    // policy too (the design's egress rule, unchanged, in another policy)
    const moved = handEdited("platform", (c) => {
      const policies = c.resource.openstack_fw_policy_v2;
      const ingress = Object.keys(policies).find((k) => k.endsWith("_ingress"));
      if (ingress)
        policies[ingress].rules = [
          ...policies[ingress].rules,
          "${openstack_fw_rule_v2.cloud_security_firewall_egress_all.id}",
        ];
      else
        addResource(c, "openstack_fw_policy_v2", "platform/test/in", {
          rules: ["${openstack_fw_rule_v2.cloud_security_firewall_egress_all.id}"],
        });
    });
    expect(findingsOf("SW-SEC-012", enterprise, moved)).toEqual([
      expect.objectContaining({
        message:
          "policy holds rule cloud_security_firewall_egress_all, an allow rule from 0.0.0.0/0 (no source address) that opens every port, which the design's policy does not hold",
      }),
    ]);
    // AND references spelt with spaces are the same references, while a list built by an
    // expression is one no check reads through
    const spaced = handEdited("platform", (c) => {
      for (const p of Object.values(c.resource.openstack_fw_policy_v2) as any[])
        p.rules = p.rules.map((r: string) => r.replace("${", "${~ ").replace(".id}", " . id ~}"));
    });
    expect(findingsOf("SW-SEC-012", enterprise, spaced)).toEqual([]);
    const built = handEdited("platform", (c) => {
      const [first] = Object.values(c.resource.openstack_fw_policy_v2) as any[];
      first.rules = "${concat([], [openstack_fw_rule_v2.cloud_security_firewall_egress_all.id])}";
    });
    expect(findingsOf("SW-SEC-012", enterprise, built)).toEqual([
      expect.objectContaining({
        message: expect.stringContaining("policy holds a rule this stack does not make (${concat("),
      }),
    ]);
    // AND a tenant's group given the platform's egress policy as its ingress policy
    const tenant = designed.find((s) => s.name.startsWith("tenant-"))!.name;
    const swapped = handEdited(tenant, (c) => {
      const groups = c.resource.openstack_fw_group_v2;
      const group = groups[Object.keys(groups)[0]];
      group.ingress_firewall_policy_id = group.egress_firewall_policy_id;
    });
    expect(findingsOf("SW-SEC-012", enterprise, swapped)).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(
          /^firewall group takes ingress policy \$\{data\.terraform_remote_state\.platform\.outputs\.firewall_inside_egress_policy_id\}, which the design does not give it/,
        ),
      }),
    ]);
  });

  test("SW-SEC-013: a designed admin grant given to another group, or looked up by another name, is reported", async () => {
    // GIVEN the enterprise design granting its core-admins group admin on core banking's project
    const text = fs
      .readFileSync("examples/enterprise-reference.yaml", "utf8")
      .replace(
        "      - { name: core-dba, role: member }\n",
        "      - { name: core-dba, role: member }\n      - { name: core-admins, role: admin }\n",
      );
    const admin = loadSpecText(text, "spec.yaml").model;
    const stacks = await synth(admin);
    const tenant = "tenant-core-banking";
    const edited = (edit: (c: any) => void) => {
      const stack = stacks.find((st) => st.name === tenant)!;
      const config = structuredClone(stack.config) as any;
      edit(config);
      return stacks.map((st) =>
        st.name === tenant ? { ...st, config, synthesized: stack.config } : st,
      );
    };
    const grant = (c: any) =>
      Object.values(c.resource.openstack_identity_role_assignment_v3).find((a: any) =>
        String(a.role_id).includes("admin"),
      ) as any;
    // THEN as designed it passes
    expect(
      findingsOf(
        "SW-SEC-013",
        admin,
        edited(() => undefined),
      ),
    ).toEqual([]);
    // AND given to another group, or with its group looked up by another name, it is reported
    const moved = edited((c) => {
      const dba = Object.keys(c.data.openstack_identity_group_v3).find((k) => k.includes("dba"));
      grant(c).group_id = `\${data.openstack_identity_group_v3.${dba}.id}`;
    });
    const renamed = edited((c) => {
      const group = String(grant(c).group_id).split(".")[2];
      c.data.openstack_identity_group_v3[group].name = "openstack-users";
    });
    for (const stacksRead of [moved, renamed])
      expect(findingsOf("SW-SEC-013", admin, stacksRead)).toEqual([
        expect.objectContaining({
          message:
            "role assignment grants the admin role to another grantee or on another scope than the design does (its group, user, project or domain, or the group it looks up, edited)",
        }),
      ]);
  });

  test("SW-SEC-013: a role renamed to admin or a role assignment added by hand is reported", () => {
    const tenant = designed.find((s) => s.name.startsWith("tenant-"))!.name;
    const renamed = handEdited(tenant, (c) => {
      const roles = c.data.openstack_identity_role_v3;
      roles[Object.keys(roles)[0]].name = "Admin";
    });
    expect(findingsOf("SW-SEC-013", enterprise, renamed)).toEqual([
      expect.objectContaining({
        severity: "error",
        message: "role assignment grants the Admin role, which the design does not grant here",
      }),
    ]);
    // a role the stack cannot name is reported, a non-privileged one is not
    const added = (roleId: string, role?: string) =>
      findingsOf(
        "SW-SEC-013",
        enterprise,
        handEdited(tenant, (c) => {
          if (role) c.data.openstack_identity_role_v3.by_hand = { name: role };
          addResource(c, "openstack_identity_role_assignment_v3", `${tenant}/test/grant`, {
            group_id: "g",
            project_id: "p",
            role_id: roleId,
          });
        }),
      );
    expect(added("0123456789abcdef")).toEqual([
      expect.objectContaining({
        target: `${tenant}/test/grant`,
        message:
          "role assignment grants a role no data source of this stack names (role_id 0123456789abcdef), which the design has no assignment for",
      }),
    ]);
    expect(
      added("${data.openstack_identity_role_v3.by_hand.id}", "load-balancer_admin"),
    ).toHaveLength(1);
    expect(added("${data.openstack_identity_role_v3.by_hand.id}", "reader")).toEqual([]);
  });

  test("SW-SEC-014: a private flavor made public and a public volume type added are reported", () => {
    const edited = handEdited("platform", (c) => {
      resourceAt(c, "openstack_compute_flavor_v2", "flavor-web-medium").is_public = "true";
      addResource(c, "openstack_blockstorage_volume_type_v3", "platform/test/fast", {
        name: "fast",
        is_public: true,
      });
    });
    expect(findingsOf("SW-SEC-014", enterprise, edited)).toEqual([
      expect.objectContaining({
        severity: "warning",
        message:
          "flavor web-medium is public, every project's to use, where the design keeps it to the projects it gives access",
      }),
      expect.objectContaining({
        target: "platform/test/fast",
        message:
          "volume type fast is public, every project's to use, and the design has no such volume type",
      }),
    ]);
  });
});

describe("what the rules cannot read as Terraform will is named", () => {
  test("a computed firewall source, role name or visibility is unread, a role data source is followed", () => {
    const config = {
      resource: {
        openstack_fw_rule_v2: { r: { action: "allow", source_ip_address: "${var.src}" } },
        openstack_identity_role_assignment_v3: {
          a: { role_id: "${data.openstack_identity_role_v3.x.id}" },
          b: { role_id: "${local.admin_role}" },
        },
        openstack_compute_flavor_v2: { f: { is_public: "${var.public}" } },
      },
      data: { openstack_identity_role_v3: { x: { name: "%{if true}admin%{endif}" } } },
    };
    expect(unreadArguments(config)).toEqual([
      "openstack_fw_rule_v2.r.source_ip_address",
      "openstack_identity_role_assignment_v3.b.role_id",
      "openstack_compute_flavor_v2.f.is_public",
      "data.openstack_identity_role_v3.x.name",
    ]);
  });
});
