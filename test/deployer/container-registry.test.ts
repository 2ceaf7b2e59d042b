import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { cli, tmp } from "../support/cli";
import { formatPath } from "../../core/errors";
import { deployFiles } from "../../deployer";
import { issuesOf, load, variant } from "../support/fixtures";
import { planOf, registryChange } from "../../cli/day-two";
import { renderArchitecture } from "../support/documents";

/** The base design pulling Kolla's images from a registry of the site. */
const withRegistry = (registry: Record<string, unknown>) =>
  variant((s) => (s.controlPlane.containerRegistry = registry));

const globalsOf = (registry: Record<string, unknown>) =>
  parse(String(deployFiles(load(withRegistry(registry)).model).get("deploy/kolla/globals.yml")));

describe("a registry of the site for Kolla's images", () => {
  test("globals.yml pulls from it, with the user and without the password", () => {
    // GIVEN a registry with a pull user
    const globals = globalsOf({ address: "registry.example.net:5000", username: "kolla-pull" });
    // THEN Kolla's variables name it, with Kolla's own namespace when none is given
    expect(globals).toMatchObject({
      docker_registry: "registry.example.net:5000",
      docker_namespace: "openstack.kolla",
      docker_registry_username: "kolla-pull",
    });
    // AND no password is written: it is passwords.yml's, which kolla-genpwd leaves empty
    expect(Object.keys(globals).filter((k) => k.includes("password"))).toEqual([]);
  });

  test("deploy/README.md asks for the pull user's password in passwords.yml, not on a command line", () => {
    const readme = (registry: Record<string, unknown>) =>
      String(deployFiles(load(withRegistry(registry)).model).get("deploy/README.md"));
    const text = readme({ address: "registry.example.net:5000", username: "kolla-pull" });
    expect(text).toContain(
      "The hosts pull Kolla's images from `registry.example.net:5000` as `kolla-pull`: `kolla-genpwd` leaves\n`docker_registry_password` empty",
    );
    expect(text).toContain("`docker_registry_password: '<the password>'`");
    // (an anonymous pull asks for none)
    expect(readme({ address: "registry.example.net:5000" })).not.toContain(
      "docker_registry_password",
    );
  });

  test("without one, Kolla's own registry stays (nothing is set)", () => {
    const globals = parse(
      String(deployFiles(load(variant(() => {})).model).get("deploy/kolla/globals.yml")),
    );
    expect(Object.keys(globals).filter((k) => k.startsWith("docker_"))).toEqual([]);
  });

  test("a user's text reaches Ansible as a literal, not a template", () => {
    const globals = globalsOf({
      address: "[fd00::5]:5000",
      namespace: "mirror/kolla",
      username: "{{ x }}",
    });
    expect(globals.docker_registry).toBe("[fd00::5]:5000");
    expect(globals.docker_namespace).toBe("mirror/kolla");
    // (each "{" is printed by an expression of its own: Jinja renders "{{ x }}" back)
    expect(globals.docker_registry_username).toBe("{{ '{' }}{{ '{' }} x }}");
  });

  test("the runbook asks for the images in it, its certificate on the hosts and the password", async () => {
    const model = load(
      withRegistry({ address: "registry.example.net:5000", username: "kolla-pull" }),
    ).model;
    const deploy = model.lifecycle.find((st) => st.id === "deploy")?.prerequisites ?? [];
    expect(deploy).toContainEqual({
      kind: "container-registry-user",
      params: {
        address: "registry.example.net:5000",
        namespace: "openstack.kolla",
        images: "quay.io/openstack.kolla",
        user: "kolla-pull",
        dir: "/etc/kolla",
        inventory: "deploy/kolla/inventory",
      },
    });
    const anonymous = load(withRegistry({ address: "registry.example.net" })).model;
    expect(
      anonymous.lifecycle.find((st) => st.id === "deploy")?.prerequisites.map((p) => p.kind),
    ).toEqual(expect.arrayContaining(["container-registry", "container-registry-offline"]));
    // AND the runbook names every step that still reaches out: PyPI, Galaxy, Docker's repository
    // and Terraform's provider registry
    const runbook = String((await renderArchitecture(anonymous)).files.get("RUNBOOK.md"));
    for (const step of [
      "`pip install` of Kolla-Ansible reads PyPI",
      "installs Ansible collections from Ansible Galaxy",
      "installs Docker from download.docker.com",
      "every `terraform init` downloads terraform-provider-openstack from registry.terraform.io, unless the runners' Terraform CLI configuration (TF_CLI_CONFIG_FILE) installs it from a filesystem_mirror that `terraform providers mirror` filled where the internet is",
    ])
      expect(runbook).toContain(step);
    // AND with Ceph, that cephadm pulls Ceph's own images from quay.io/ceph, not from it
    const ceph = load(
      variant((s) => {
        s.controlPlane.containerRegistry = { address: "registry.example.net" };
        s.storage = { ceph: { nodes: 3, hardware: "stor", osdsPerNode: 4, osdSizeTB: 4 } };
      }),
    ).model;
    expect(ceph.lifecycle.find((st) => st.id === "deploy")?.prerequisites).toContainEqual({
      kind: "container-registry-ceph",
      params: { address: "registry.example.net" },
    });
  });

  test("Kolla's own registry, named, is refused: its images are for testing", () => {
    const issues = issuesOf(withRegistry({ address: "quay.io", namespace: "openstack.kolla" }));
    expect(issues.map((i) => [formatPath(i.path), i.code])).toEqual([
      ["controlPlane.containerRegistry", "container-registry-kolla"],
    ]);
    // AND a namespace Docker takes, with doubled separators, is taken
    expect(
      globalsOf({ address: "quay.io", namespace: "mirror__kolla--2026" }).docker_namespace,
    ).toBe("mirror__kolla--2026");
  });

  test("without one, the runbook says Kolla's images are test images from 22.0.0 on", () => {
    const deploy = load(variant(() => {})).model.lifecycle.find((st) => st.id === "deploy");
    // (the prechecks command of a release before 22.0.0 knows no --use-test-images)
    expect(deploy?.commands).toContain("kolla-ansible prechecks -i deploy/kolla/inventory");
    // AND where the design needs 22.0.0 or later (IPsec under OVN), the command passes the flag
    const ovnVpn = load(
      variant((s) => {
        s.network.tenantNetworkType = "geneve";
        s.controlPlane.services = s.controlPlane.services.filter((x: string) => x !== "fwaas");
        if (!s.controlPlane.services.includes("vpnaas")) s.controlPlane.services.push("vpnaas");
      }),
    ).model.lifecycle.find((st) => st.id === "deploy");
    expect(ovnVpn?.commands).toContain(
      "kolla-ansible prechecks -i deploy/kolla/inventory --use-test-images",
    );
    // AND with a registry of its own it does not
    expect(
      load(
        variant((s) => {
          s.network.tenantNetworkType = "geneve";
          s.controlPlane.services = s.controlPlane.services.filter((x: string) => x !== "fwaas");
          if (!s.controlPlane.services.includes("vpnaas")) s.controlPlane.services.push("vpnaas");
          s.controlPlane.containerRegistry = { address: "registry.example.net" };
        }),
      ).model.lifecycle.find((st) => st.id === "deploy")?.commands,
    ).toContain("kolla-ansible prechecks -i deploy/kolla/inventory");
    expect(deploy?.prerequisites).toContainEqual({
      kind: "kolla-test-images",
      params: {
        images: "quay.io/openstack.kolla",
        release: "22.0.0 (2026.1)",
        inventory: "deploy/kolla/inventory",
      },
    });
  });

  test.each([
    [
      "https://registry.example.net:5000",
      "expected the registry's host and port without a scheme, such as registry.example.net:5000 (Docker and Podman pull over HTTPS)",
    ],
    [
      "kolla:secret@registry.example.net",
      "expected the registry's host and port, without credentials: the password goes into Kolla's passwords.yml (docker_registry_password), the user into username",
    ],
    ["registry.example.net:70000", "the port must be from 1 to 65535"],
    ["registry.example.net:0", "the port must be from 1 to 65535"],
    // (one error each: a malformed address is not checked for its host too)
    [
      "[zz]",
      "expected a lowercase registry host name or address and an optional port, such as registry.example.net:5000 or [fd00::5]:5000",
    ],
    ...["999.999.999.999:5000", "[1.2.3.4]:5000", "[...]", "0.0.0.0:5000", "[::]:5000"].map(
      (address) => [
        address,
        "expected a host name, an IPv4 address, or an IPv6 address in brackets, such as [fd00::5]:5000",
      ],
    ),
    [
      "Registry.Example.net",
      "expected a lowercase registry host name or address and an optional port, such as registry.example.net:5000 or [fd00::5]:5000",
    ],
  ])("refuses the address %s with why", (address, message) => {
    const issues = issuesOf(withRegistry({ address }));
    expect(issues.map((i) => [formatPath(i.path), i.message])).toEqual([
      ["controlPlane.containerRegistry.address", message],
    ]);
  });
});

test("a registry that changes or goes is named on day 2: every container's image changes", () => {
  const planned = (registry?: Record<string, unknown>) =>
    planOf(
      JSON.parse(JSON.stringify(load(registry ? withRegistry(registry) : variant(() => {})).model)),
    )!;
  const now = (registry?: Record<string, unknown>) =>
    load(registry ? withRegistry(registry) : variant(() => {})).model;
  const a = { address: "registry.example.net:5000" };
  const b = { address: "registry.example.net:5000", namespace: "kolla-2026" };
  expect(registryChange(planned(a), now(b))).toEqual({
    from: "registry.example.net:5000/openstack.kolla",
    to: "registry.example.net:5000/kolla-2026",
  });
  expect(registryChange(planned(a), now())).toEqual({
    from: "registry.example.net:5000/openstack.kolla",
    to: "",
  });
  expect(registryChange(planned(), now(a))?.from).toBe("");
  expect(registryChange(planned(a), now(a))).toBeUndefined();
});

test("synth names a registry that goes: the hosts pull Kolla's own images again", async () => {
  const dir = tmp();
  const out = path.join(dir, "out");
  const file = path.join(dir, "spec.json");
  fs.writeFileSync(file, JSON.stringify(withRegistry({ address: "registry.example.net:5000" })));
  expect((await cli(["synth", file, "--out", out, "-q"])).code).toBe(0);
  fs.writeFileSync(file, JSON.stringify(variant(() => {})));
  const done = await cli(["synth", file, "--out", out, "-q"]);
  expect(done.code).toBe(0);
  expect(done.stderr).toContain(
    "Kolla's images come from Kolla's own, quay.io/openstack.kolla now, from registry.example.net:5000/openstack.kolla before: every container's image changes, so the next kolla-ansible deploy, reconfigure or upgrade recreates each from there; a site without the internet cannot reach it",
  );
});
