import { enterpriseReference } from "../../blueprints/enterprise-reference";
import { loadSpecFile } from "../../model/load";
import { stackReadme } from "../../synth/stack-readme";
import { synthesized } from "../support/synth-cache";

describe("stack README", () => {
  const model = loadSpecFile("examples/enterprise-reference.yaml").model;

  test("lists the cloud entry, inputs, outputs and what to apply before", async () => {
    // GIVEN the enterprise example WHEN its stacks are synthesized
    const stacks = await synthesized(enterpriseReference, model, "json");
    const readme = (name: string) =>
      stackReadme(
        stacks.find((s) => s.name === name)!,
        model,
      );
    const [platform, tenant, baremetal] = [
      readme("platform"),
      readme("tenant-core-banking"),
      readme("baremetal"),
    ];
    // THEN
    expect(platform).toContain("`example-prod` entry of `clouds.yaml`");
    expect(baremetal).toContain("That entry is the undercloud");
    // (each in its own cloud's region: the undercloud's may be another)
    const apart = { ...model, undercloud: { ...model.undercloud!, region: "under-1" } };
    const inRegion = (name: string) =>
      /in region `([^`]+)`/.exec(
        stackReadme(
          stacks.find((s) => s.name === name)!,
          apart,
        ),
      )?.[1];
    expect([inRegion("platform"), inRegion("baremetal")]).toEqual([model.cloud.region, "under-1"]);
    // (a failed Ironic deploy is tainted: the README says why an apply straight away fails on
    // a node still cleaning, and the order that works)
    expect(baremetal).toContain(
      "Nova finishes a delete while Ironic still cleans the node, which takes no deploy until it is `available` again",
    );
    expect(baremetal).toContain(
      "then delete the server alone (`terraform apply -destroy -target=<its server>`; `terraform state list` names it), wait until `openstack baremetal node show <node> -f value -c provision_state` says `available`",
    );
    expect(baremetal).toContain("`openstack baremetal node provide <node>`");
    expect(platform).not.toContain("tainted");
    expect(platform).toContain("| `legacy_vpn_psk` | `string` | yes");
    expect(platform).toContain(
      "| `external_network_id` | Neutron id of the external network tenant routers use as gateway |",
    );
    expect(platform).toContain("Swift container `cinder-backups` lives in each tenant's account");
    expect(tenant).toContain("- Stack `platform`: this one reads its outputs");
    expect(tenant).toContain(
      "`deploy/kolla/config/keystone/domains/keystone.corp.conf`, which Kolla-Ansible deploys",
    );
    expect(tenant).toContain(
      "| `core_banking_project_id` | Keystone project id of tenant core-banking |",
    );
  });

  test("names only the directories whose groups the stack looks up", async () => {
    // GIVEN a second directory domain no grant of the tenant's stack names
    const ldap = model.identity.domains.find((d) => d.ldap)!;
    const two = {
      ...model,
      identity: {
        ...model.identity,
        domains: [...model.identity.domains, { ...ldap, name: "partners" }],
      },
    };
    const stacks = await synthesized(enterpriseReference, model, "json");
    const tenant = stackReadme(
      stacks.find((s) => s.name === "tenant-core-banking")!,
      two,
    );
    // THEN its README asks for its own directory's configuration, not the other's
    expect(tenant).toContain("keystone.corp.conf");
    expect(tenant).not.toContain("keystone.partners.conf");
  });

  test("writes the design's names as literal text, never HTML or links", async () => {
    // GIVEN an undercloud entry named with markup (clouds.yaml entry names are free text)
    const cloud = "uc<img src=x onerror=alert(1)>[x](http://e.example)";
    const marked = { ...model, undercloud: { ...model.undercloud!, cloud } };
    const stacks = await synthesized(enterpriseReference, marked, "json");
    const baremetal = stackReadme(
      stacks.find((s) => s.name === "baremetal")!,
      marked,
    );
    const description = baremetal.split("\n")[2];
    expect(description).toContain("uc\\<img src=x onerror=alert(1)\\>\\[x\\](http://e.example)");
    expect(description).not.toMatch(/(?<!\\)<img|(?<!\\)\]\(/);
  });
});
