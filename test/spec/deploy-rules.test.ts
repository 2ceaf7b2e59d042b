import * as fs from "fs";
import * as path from "path";
import { stringify } from "yaml";
import { formatPath } from "../../core/errors";
import { issuesOf, load, variant, vmControllers } from "../support/fixtures";
import { cli, tmp } from "../support/cli";
import { renderArchitecture } from "../support/documents";

const errorsOf = (spec: ReturnType<typeof variant>) =>
  issuesOf(spec)
    .filter((i) => i.severity === "error")
    .map((i) => [formatPath(i.path), i.code]);

describe("deployment rules", () => {
  test("fails when OVN is asked for GRE tenant networks", () => {
    // GIVEN
    const spec = variant((s) => {
      s.network.mechanism = "ovn";
      s.network.tenantNetworkType = "gre";
    });
    // WHEN / THEN
    expect(errorsOf(spec)).toEqual([["network.tenantNetworkType", "ovn-gre"]]);
  });

  test("OVN with Geneve and OVS with GRE are fine", () => {
    expect(() =>
      load(
        variant((s) => {
          s.network.mechanism = "ovn";
          s.network.tenantNetworkType = "geneve";
        }),
      ),
    ).not.toThrow();
    const gre = load(variant((s) => (s.network.tenantNetworkType = "gre")));
    expect(gre.model.deploy.neutron.mechanism).toBe("ovs");
  });

  test("fails when a local-disk Cinder backend has no host: controllers are VMs", () => {
    const spec = variant((s) => {
      s.cloud.undercloud = { cloud: "uc", keyPair: "ops" };
      s.controlPlane.deployment = "vm";
      s.storage = {
        backends: [
          { name: "lvm", kind: "lvm", volumeType: "standard", deviceClass: "hdd" },
          { name: "zfs", kind: "zfs", volumeType: "zfs", deviceClass: "ssd" },
        ],
      };
    });
    expect(errorsOf(spec)).toEqual([
      ["storage.backends[0].kind", "backend-without-hosts"],
      ["storage.backends[1].kind", "backend-without-hosts"],
    ]);
  });

  test("controllers as VMs need the undercloud that makes them", () => {
    // GIVEN controllers as VMs and no undercloud THEN refused: nothing makes or places them
    expect(errorsOf(variant((s) => (s.controlPlane.deployment = "vm")))).toEqual([
      ["controlPlane.deployment", "controller-vms-undercloud"],
    ]);
  });

  test("the controllers' flavor is asked for only where the undercloud boots them as VMs", async () => {
    // GIVEN controllers as VMs on an undercloud, with no flavor
    const vms = vmControllers((s) => delete s.controlPlane.flavor);
    // THEN it is refused: Nova needs the VMs' flavor
    expect(errorsOf(vms)).toEqual([["controlPlane", "controller-flavor-missing"]]);
    // AND given one, the runbook asks for it as a VM flavor, not among the bare-metal ones
    const withFlavor = load(vmControllers((s) => (s.controlPlane.flavor = "vm-controller"))).model;
    const stage = withFlavor.lifecycle.find((st) => st.id === "baremetal")!;
    const baremetal = stage.prerequisites.find((i) => i.kind === "baremetal-flavors");
    expect(String(baremetal?.params.flavors)).not.toContain("vm-controller");
    expect(stage.prerequisites).toContainEqual({
      kind: "controller-vm-flavor",
      params: { flavor: "vm-controller", controllers: 3 },
    });
    // (and the quota counts every server, the VMs too)
    const quota = stage.prerequisites.find((i) => i.kind === "undercloud-quota");
    expect(String(quota?.params.flavors)).toContain("3 × vm-controller");
    // GIVEN bare-metal controllers on the undercloud, with no flavor: their profile's
    const metal = load(
      variant((s) => {
        s.cloud.undercloud = { cloud: "uc", keyPair: "ops", image: "rocky-9" };
        s.hardware[0].baremetalFlavor = "bm-controller";
        delete s.controlPlane.flavor;
      }),
    ).model;
    expect(metal.controlPlane.flavor).toBe("bm-controller");
    expect(
      metal.nodes.filter((n) => n.role === "controller").map((n) => n.baremetalFlavor),
    ).toEqual(["bm-controller", "bm-controller", "bm-controller"]);
    // GIVEN hosts that exist already (no undercloud): no flavor needed, none printed
    const existing = load(variant((s) => delete s.controlPlane.flavor)).model;
    const doc = String((await renderArchitecture(existing)).files.get("docs/architecture.md"));
    expect(doc).toMatch(/deployment: baremetal\./);
    const withUndercloud = String(
      (await renderArchitecture(metal)).files.get("docs/architecture.md"),
    );
    // (with the image the undercloud boots them with)
    expect(withUndercloud).toContain("deployment: baremetal (bm-controller, rocky-9).");
  });

  test("fails when a pinned pool reserves no CPUs, or part of a core", () => {
    const none = variant((s) => {
      s.zones[0].pools[0].cpuPinning = true;
      s.zones[0].pools[0].reservedHostCpus = 0;
    });
    expect(errorsOf(none)).toEqual([
      ["zones[0].pools[0].reservedHostCpus", "pinned-reserved-cpus"],
    ]);
    const odd = variant((s) => {
      s.zones[0].pools[0].cpuPinning = true;
      s.zones[0].pools[0].reservedHostCpus = 3;
    });
    expect(errorsOf(odd)).toEqual([["zones[0].pools[0].reservedHostCpus", "pinned-reserved-cpus"]]);
  });

  test("the CLI exits 2 with the path and writes nothing", async () => {
    // GIVEN
    const dir = tmp();
    const file = path.join(dir, "spec.yaml");
    fs.writeFileSync(
      file,
      stringify(
        variant((s) => {
          s.network.mechanism = "ovn";
          s.network.tenantNetworkType = "gre";
        }),
      ),
    );
    // WHEN
    const r = await cli(["synth", file, "--out", path.join(dir, "out")]);
    // THEN
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("network.tenantNetworkType");
    expect(r.stderr).toContain("[ovn-gre]");
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(fs.existsSync(path.join(dir, "out"))).toBe(false);
  });
});
