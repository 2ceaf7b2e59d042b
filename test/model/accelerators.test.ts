import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { findBlueprint } from "../../blueprints/catalog";
import { formatPath } from "../../core/errors";
import { deployFiles } from "../../deployer";
import { costDesign, pricingIssues } from "../../proposal/costing";
import { proposalDocuments } from "../../proposal/proposal";
import { resourcesOf } from "../support/blueprints";
import { PYTHON } from "../support/consumers";
import { renderArchitecture } from "../support/documents";
import { issuesOf, load, variant, withGpus } from "../support/fixtures";
import { cli, tmp } from "../support/cli";
import { stringify } from "yaml";
import { synthesized } from "../support/synth-cache";
import { tempDir } from "../support/temp";
import { testBook } from "../proposal/support";

const { model, warnings } = load(withGpus());

describe("GPUs passed through (hardware[].accelerators)", () => {
  test("flavors ask for them by alias, on their pool's aggregate", async () => {
    const stacks = await synthesized(findBlueprint(model.blueprint)!, model);
    const platform = JSON.parse(stacks.find((s) => s.name === "platform")!.content);
    const extraSpecs = Object.fromEntries(
      resourcesOf(platform, "openstack_compute_flavor_v2").map((f) => [f.name, f.extra_specs]),
    );
    expect(extraSpecs["g1-h100x4"]).toEqual({
      "aggregate_instance_extra_specs:pool": "az1-gpu",
      "pci_passthrough:alias": "h100:4",
    });
    expect(extraSpecs["web-small"]).not.toHaveProperty("pci_passthrough:alias");
    // AND both are private to the tenant that lists them: no warning
    expect(warnings.map((w) => w.code)).not.toContain("flavor-accelerators-public");
  });

  test("Nova reads the alias everywhere and the devices on the GPU hosts alone", () => {
    const files = deployFiles(model);
    const scheduler = String(files.get("deploy/kolla/config/nova/nova-scheduler.conf"));
    expect(scheduler).toMatch(/^enabled_filters = .*,PciPassthroughFilter$/m);
    expect(files.get("deploy/kolla/config/nova/az1-web-01/nova.conf")).not.toContain("[pci]");
    // Nova's own parsers, after Kolla's Jinja: the alias, the host's device spec, the flavor's
    // extra spec (its 2.86 validator)
    const dir = tempDir("sw-gpu-");
    const global = path.join(dir, "nova.conf");
    const host = path.join(dir, "host.conf");
    fs.writeFileSync(global, String(files.get("deploy/kolla/config/nova.conf")));
    fs.writeFileSync(host, String(files.get("deploy/kolla/config/nova/az1-gpu-01/nova.conf")));
    const script = `
import json, sys, tempfile, jinja2
import nova.conf
from nova.pci import request, whitelist
from nova.api.validation.extra_specs import validators
files = []
for f in sys.argv[1:3]:
    t = tempfile.NamedTemporaryFile("w", suffix=".conf", delete=False)
    t.write(jinja2.Environment().from_string(open(f).read()).render()); t.close()
    files.append(t.name)
nova.conf.CONF([], project="nova", default_config_files=files)
allowed = whitelist.Whitelist(nova.conf.CONF.pci.device_spec)
validators.validate("pci_passthrough:alias", sys.argv[3])
# The host's four H100s as libvirt reports them (SR-IOV capable: type-PF), and whether the
# scheduler's device pools support the flavor's request
from nova import objects
from nova.objects import fields
from nova.pci import stats
objects.register_all()
pools = stats.PciDeviceStats(objects.NUMATopology(cells=[]), dev_filter=allowed)
for i in range(4):
    pools.add_device(objects.PciDevice(
        compute_node_id=1, address="0000:%02x:00.0" % (0x81 + i), vendor_id="10de",
        product_id="2331", dev_type=sys.argv[4], status=fields.PciDeviceStatus.AVAILABLE,
        numa_node=i // 2, parent_addr=None, request_id=None, instance_uuid=None, extra_info={},
        dev_id="pci_%d" % i, label="label_10de_2331"))
flavor = objects.Flavor(vcpus=60, memory_mb=491520, root_gb=0, ephemeral_gb=0, swap=0,
                        name="g", flavorid="g", extra_specs={"pci_passthrough:alias": sys.argv[3]})
wanted = request.get_pci_requests_from_flavor(flavor).requests
print(json.dumps({"aliases": request._get_alias_from_config(),
                  "specs": [[s.vendor_id, s.product_id] for s in allowed.specs],
                  "scheduled": pools.support_requests(wanted)}))
`;
    const nova = (deviceType: string) =>
      JSON.parse(
        execFileSync(PYTHON, ["-c", script, global, host, "h100:4", deviceType], {
          encoding: "utf8",
          stdio: ["ignore", "pipe", "ignore"],
        }),
      );
    expect(nova("type-PF")).toEqual({
      aliases: {
        h100: ["preferred", [{ vendor_id: "10de", product_id: "2331", dev_type: "type-PF" }]],
      },
      specs: [["10de", "2331"]],
      scheduled: true,
    });
    // (and a device of another type than the alias names is none of its: the spec must say)
    expect(nova("type-PCI").scheduled).toBe(false);
  });

  test("the document counts them per pool and the runbook readies the hosts", async () => {
    const gpu = model.pools.find((p) => p.id === "az1-gpu")!.capacity;
    expect(gpu.accelerators).toEqual([{ name: "h100", perHost: 4, total: 8, usable: 8 }]);
    // (its flavors all take GPUs: 4 guests of 16 vCPUs and 120 GiB a host at most, by devices,
    // of the host's 504 vCPUs)
    expect(gpu.deviceBound).toEqual({ vcpus: 64, ramGiB: 480, binds: true });
    expect([gpu.schedulableVcpus, gpu.usableCpus, gpu.usableRamGiB]).toEqual([1008, 128, 960]);
    const { markdown, files } = await renderArchitecture(model);
    expect(markdown).toContain(
      "Pool az1-gpu passes h100 devices through to instances whole (NVIDIA H100 PCIe, PCI 10de:2331): 4 a host, 8 in the pool, 8 beside its spare hosts that its flavors' guests can take, as many as the hosts' CPUs and memory place.",
    );
    expect(markdown).toContain("| g1-h100x4 | 60 | 480 | 0 | no | 4 × h100 |");
    expect(markdown).toContain(
      "Every flavor of pool az1-gpu takes passthrough devices, so a host's guests take at most 64 vCPUs and 480 GiB RAM",
    );
    // (and the summary's usable figures say so, not only the spare hosts)
    expect(markdown).toContain(
      "The usable figures of pool az1-gpu count no more than the hosts' passthrough devices let guests take (see the compute chapter).",
    );
    expect(String(files.get("RUNBOOK.md"))).toContain(
      "The 2 compute hosts of az1-gpu boot with the IOMMU on (`intel_iommu=on` or `amd_iommu=on`, and `iommu=pt`, on the kernel command line) and the passthrough devices bound to vfio-pci (`vfio-pci.ids=10de:2331`)",
    );
  });

  test("the devices' cap is said where quotas exceed it, and lifted where amphorae boot too", () => {
    // GIVEN tenant research charged to the GPU pool, 2 hosts of at most 64 CPUs of guests each
    const quota = (cores: number) =>
      withGpus((s) => {
        const research = s.tenants.find((t: { name: string }) => t.name === "research");
        research.pool = "gpu";
        research.quota = { cores, ramGiB: 64 };
      });
    // THEN more cores than that are refused, saying the devices are why
    const [refused] = issuesOf(quota(129)).filter((i) => i.code === "quota-exceeds-capacity");
    expect(refused.message).toContain(
      "but it offers 128 vCPUs after allocation ratios and N+1 headroom: every flavor of it takes passthrough devices, so a host's guests take at most 64 CPUs and 480 GiB, as many as its devices allow",
    );
    // AND with Octavia's amphorae kept on the pool (no devices), its CPUs are counted whole
    const shared = load(
      withGpus((s) => {
        s.controlPlane.services.push("octavia");
        s.network.networks.push({ name: "lb", role: "octavia", cidr: "10.0.8.0/24", vlan: 30 });
        s.controlPlane.octaviaPool = "gpu";
      }),
    ).model.pools.find((p) => p.id === "az1-gpu")!.capacity;
    expect(shared.deviceBound).toBeUndefined();
    expect(shared.usableCpus).toBe(shared.schedulableVcpus);
  });

  test("the summary says the devices bound a pool only where they hold its guests back", async () => {
    // GIVEN 16 GPUs a host and a pinned flavor of one GPU, 8 CPUs and 120 GiB: each socket's
    // memory places 4 such guests, 8 a host, fewer than the GPUs would
    const pinned = load(
      withGpus((s) => {
        const gpu = s.zones[0].pools.find((p: { name: string }) => p.name === "gpu");
        s.hardware.find((h: { name: string }) => h.name === "gpu").accelerators[0].count = 16;
        gpu.flavors = [{ name: "g1-h100x1", vcpus: 8, ramGiB: 120, accelerators: { h100: 1 } }];
        gpu.cpuPinning = true;
        gpu.reservedHostCpus = 4;
        s.tenants.find((t: { name: string }) => t.name === "research").flavors = ["g1-h100x1"];
      }),
    ).model;
    const capacity = pinned.pools.find((p) => p.id === "az1-gpu")!.capacity;
    // THEN the 16 GPUs would take 128 CPUs and 1,920 GiB, more than the NUMA nodes hold: no bind
    expect(capacity.deviceBound).toEqual({ vcpus: 128, ramGiB: 1920, binds: false });
    const { markdown } = await renderArchitecture(pinned);
    expect(markdown).not.toContain("passthrough devices let guests take (see the compute chapter)");
    // (nor the compute chapter: the CPUs and memory bound its figures)
    expect(markdown).not.toContain("Every flavor of pool az1-gpu takes passthrough devices, so");
  });

  test("the usable devices are those the pool's flavors place, not every device installed", () => {
    const usable = (edit: (s: any) => void) =>
      load(withGpus(edit)).model.pools.find((p) => p.id === "az1-gpu")!.capacity.accelerators![0]
        .usable;
    const gpuPool = (s: any) => s.zones[0].pools.find((p: { name: string }) => p.name === "gpu");
    // GIVEN no flavor asking for the GPUs: none is usable
    expect(
      usable((s) => {
        gpuPool(s).flavors = [{ name: "g1-plain", vcpus: 16, ramGiB: 120 }];
        s.tenants = s.tenants.filter((t: { name: string }) => t.name !== "research");
      }),
    ).toBe(0);
    // AND a flavor of one GPU that a host's memory fits once (600 of 1,003.52 GiB at ratio 1.0):
    // one a host, 2 in the pool
    expect(
      usable((s) => {
        gpuPool(s).flavors = [
          { name: "g1-h100x1", vcpus: 16, ramGiB: 600, accelerators: { h100: 1 } },
        ];
        gpuPool(s).ramAllocationRatio = 1;
        s.tenants.find((t: { name: string }) => t.name === "research").flavors = ["g1-h100x1"];
      }),
    ).toBe(2);
    // AND pinned: a 100-CPU guest spans both sockets (50 of their 60 and 64 dedicated CPUs each),
    // once a host with its one GPU: 2 in the pool
    expect(
      usable((s) => {
        gpuPool(s).cpuPinning = true;
        gpuPool(s).reservedHostCpus = 4;
        gpuPool(s).flavors = [
          { name: "g1-h100x1", vcpus: 100, ramGiB: 200, accelerators: { h100: 1 } },
        ];
        s.tenants.find((t: { name: string }) => t.name === "research").flavors = ["g1-h100x1"];
      }),
    ).toBe(2);
  });

  test("amphorae that name no pool are warned where they may take a GPU host's CPUs", () => {
    // GIVEN Octavia, whose amphora flavor has no aggregate key unless octaviaPool names a pool
    const warned = (pool?: string) =>
      load(
        withGpus((s) => {
          s.controlPlane.services.push("octavia");
          s.network.networks.push({ name: "lb", role: "octavia", cidr: "10.0.8.0/24", vlan: 30 });
          if (pool) s.controlPlane.octaviaPool = pool;
        }),
      )
        .warnings.filter((w) => w.code === "octavia-amphorae-devices")
        .map((w) => [formatPath(w.path), w.message]);
    expect(warned()).toEqual([
      [
        "controlPlane.services",
        expect.stringContaining("may boot amphorae on the hosts of pool az1-gpu, bought for"),
      ],
    ]);
    // THEN none once they are kept to a pool without devices
    expect(warned("web")).toEqual([]);
  });

  test("a design's mistakes are refused where they are written", () => {
    const found = (edit: (s: any) => void) =>
      issuesOf(withGpus(edit)).map((i) => [i.code, formatPath(i.path)]);
    const gpu = (s: any) => s.zones[0].pools.find((p: { name: string }) => p.name === "gpu");
    expect(found((s) => (gpu(s).flavors[0].accelerators = { a100: 1 }))).toContainEqual([
      "flavor-accelerator-unknown",
      "zones[0].pools[1].flavors[0].accelerators.a100",
    ]);
    expect(found((s) => (gpu(s).flavors[1].accelerators = { h100: 5 }))).toContainEqual([
      "flavor-too-large",
      "zones[0].pools[1].flavors[1].accelerators.h100",
    ]);
    // (one kind listed twice on a profile; one alias for two kinds across profiles)
    expect(
      found((s) =>
        s.hardware[3].accelerators.push({
          name: "h100b",
          vendorId: "10de",
          productId: "2331",
          deviceType: "type-PF",
          count: 1,
        }),
      ),
    ).toContainEqual(["accelerator-device-duplicate", "hardware[3].accelerators[1]"]);
    expect(
      found(
        (s) =>
          (s.hardware[1].accelerators = [
            { name: "h100", vendorId: "10de", productId: "2330", deviceType: "type-PF", count: 1 },
          ]),
      ),
    ).toContainEqual(["accelerator-alias-conflict", "hardware[3].accelerators[0].name"]);
    // AND a public flavor of them is warned: Nova has no quota on PCI devices
    const open = load(withGpus((s) => (s.tenants = []))).warnings.find(
      (w) => w.code === "flavor-accelerators-public",
    );
    expect(open && formatPath(open.path)).toBe("zones[0].pools[1].flavors[0].public");
    // AND devices no flavor asks for, on a pool's hosts or on no compute host, are warned
    const unused = (edit: (s: any) => void) =>
      load(withGpus(edit))
        .warnings.filter((w) => w.code === "accelerators-unused")
        .map((w) => [formatPath(w.path), w.message]);
    expect(unused(() => {})).toEqual([]);
    expect(
      unused((s) => {
        for (const f of gpu(s).flavors) delete f.accelerators;
      }),
    ).toEqual([
      [
        "zones[0].pools[1].flavors",
        "no flavor of pool gpu asks for the h100 devices of its hardware gpu: on its 2 hosts they would sit idle, bound to vfio-pci, and the proposal still prices them; give a flavor of the pool accelerators: { h100: <count> }, or give the pool hardware without them",
      ],
    ]);
    // AND on hardware no compute pool runs on
    expect(
      unused((s) => {
        s.hardware[0].accelerators = [
          { name: "t4", vendorId: "10de", productId: "1eb8", deviceType: "type-PCI", count: 2 },
        ];
      }).map(([at]) => at),
    ).toEqual(["hardware[0].accelerators[0]"]);
  });

  test("running hosts that start passing devices through are told to be readied and rebooted", async () => {
    // GIVEN a folder of the base design, then GPUs added to the web pool's hardware
    const dir = tmp();
    const out = path.join(dir, "out");
    const file = path.join(dir, "spec.yaml");
    fs.writeFileSync(file, stringify(variant(() => {})));
    expect((await cli(["synth", file, "--out", out, "-q"])).code).toBe(0);
    fs.writeFileSync(
      file,
      stringify(
        variant((s) => {
          s.hardware[1].accelerators = [
            { name: "l4", vendorId: "10de", productId: "27b8", deviceType: "type-PCI", count: 2 },
          ];
          s.zones[0].pools[0].flavors.push({
            name: "web-l4",
            vcpus: 8,
            ramGiB: 32,
            accelerators: { l4: 1 },
          });
          s.tenants = [{ name: "vision", flavors: ["web-l4"] }];
        }),
      ),
    );
    const r = await cli(["synth", file, "--out", out, "-q"]);
    expect(r.code).toBe(0);
    // THEN the running hosts of that hardware are named, with the steps before Kolla's reconfigure
    expect(r.stderr).toContain(
      "pass PCI devices through from now on: move their instances away, turn the IOMMU on and bind the devices to vfio-pci (RUNBOOK.md), and reboot them before kolla-ansible reconfigure gives Nova the devices",
    );
    expect(r.stderr).toContain("az1-web-01");
    // AND a second kind on them asks for its ids bound too, and its leaving for its instances
    // to go first (Nova keeps a device an instance holds)
    const twoKinds = variant((s) => {
      s.hardware[1].accelerators = [
        { name: "l4", vendorId: "10de", productId: "27b8", deviceType: "type-PCI", count: 2 },
        { name: "cx7", vendorId: "15b3", productId: "1021", deviceType: "type-PF", count: 1 },
      ];
      s.zones[0].pools[0].flavors.push(
        { name: "web-l4", vcpus: 8, ramGiB: 32, accelerators: { l4: 1 } },
        { name: "web-cx7", vcpus: 8, ramGiB: 32, accelerators: { cx7: 1 } },
      );
      s.tenants = [{ name: "vision", flavors: ["web-l4", "web-cx7"] }];
    });
    fs.writeFileSync(file, stringify(twoKinds));
    const added = await cli(["synth", file, "--out", out, "-q"]);
    expect(added.code).toBe(0);
    expect(added.stderr).toContain(
      "now also pass 15b3:1021 through: move their instances away, add 15b3:1021 to vfio-pci.ids (RUNBOOK.md) and reboot them before kolla-ansible reconfigure gives Nova the devices",
    );
    expect(added.stderr).not.toContain("from now on");
    fs.writeFileSync(file, stringify(variant(() => {})));
    const released = await cli(["synth", file, "--out", out, "-q"]);
    expect(released.code).toBe(0);
    expect(released.stderr).toContain(
      "no longer pass 10de:27b8,15b3:1021 through: Nova keeps a device an instance holds, so move or delete the instances using them before kolla-ansible reconfigure",
    );
  });

  test("the proposal prices them per device, or asks for the price", async () => {
    const parts = {
      chassis: 3000,
      perSocket: 500,
      perCore: 50,
      perMemoryGiB: 4,
      perDiskTB: {},
      perNicGbps: 0,
    };
    const byParts = (perAccelerator?: Record<string, number>) =>
      testBook((b) => {
        b.hardware = (b.hardware ?? []).filter((h) => h.profile !== "gpu");
        b.servers = { ...parts, ...(perAccelerator ? { perAccelerator } : {}) };
      });
    expect(pricingIssues(model, byParts()).map((i) => [formatPath(i.path), i.message])).toEqual([
      [
        "servers.perAccelerator",
        "profiles gpu have accelerator h100 and are priced by component: give servers.perAccelerator.h100 (0 when the chassis price includes it), or price those profiles in hardware",
      ],
    ]);
    // 3000 + 2 x 500 + 64 x 50 + 1024 x 4 + 4 x 25,000 = 111,296
    const gpu = costDesign(model, byParts({ h100: 25000 })).proposed.oneOff.find(
      (l) => l.profile === "gpu",
    );
    expect(gpu?.components?.acceleratorsMinor).toBe(10000000);
    expect(gpu?.unitPriceMinor).toBe(11129600);
    const md = String(
      (await proposalDocuments(model, byParts({ h100: 25000 }), [])).get("proposal/proposal.md"),
    );
    expect(md).toContain(
      "| GPU server 4U: 2×32 cores, 1,024 GiB, 4× NVIDIA H100 PCIe | Compute host | gpu | 2 |",
    );
    expect(md).toContain("| €4,096.00 | €0.00 | €0.00 | €100,000.00 | €111,296.00 |");
    // (the delivered capacity names the devices, beside the spare hosts)
    expect(md).toContain(
      "| Usable passthrough devices: NVIDIA H100 PCIe (what the flavors place, spare hosts held back) | 8 |",
    );
    // AND a role's price, which says nothing of the devices, is refused for their profile
    const byRole = testBook((b) => {
      b.hardware = (b.hardware ?? []).filter((h) => h.profile !== "gpu");
      b.roles = { compute: { unitPrice: 18000 } };
    });
    expect(pricingIssues(model, byRole).map((i) => [formatPath(i.path), i.message])).toEqual([
      [
        "roles.compute",
        "profile gpu has accelerators and would be priced at role compute's price, which says nothing of them: price the profile in hardware, or its parts in servers (perAccelerator)",
      ],
    ]);
  });
});
