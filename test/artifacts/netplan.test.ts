import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { netplanConfig, netplanConfigs, NETPLAN_FILE, nodeUserData } from "../../artifacts/netplan";
import { loadSpecFile } from "../../model/load";
import { load, variant } from "../support/fixtures";
import { ROOT, SEED_BLUEPRINTS } from "../support/blueprints";
import { findBlueprint } from "../../blueprints/catalog";

/** Runs netplan's generator on one file; returns the networkd files it writes. */
function netplanGenerate(yaml: string): Record<string, string> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "sw-netplan-"));
  try {
    const dir = path.join(root, "etc", "netplan");
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(root, NETPLAN_FILE), yaml, { mode: 0o600 });
    const r = spawnSync("netplan", ["generate", "--root-dir", root], { encoding: "utf8" });
    if (r.error) throw r.error;
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const out = path.join(root, "run", "systemd", "network");
    return Object.fromEntries(
      fs.readdirSync(out).map((f) => [f, fs.readFileSync(path.join(out, f), "utf8")]),
    );
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

describe("host netplan", () => {
  const model = load(variant(() => {})).model;

  test("netplan accepts a controller's file: LACP bond over every port, a VLAN per network", () => {
    // GIVEN the first controller of the base spec WHEN netplan generates its networkd units
    const units = netplanGenerate(
      netplanConfig(
        model,
        model.nodes.find((n) => n.name === "ctrl-01")!,
      ),
    );
    // THEN
    expect(units["10-netplan-ports.network"]).toMatch(/Name=en\*[\s\S]*Bond=bond0/);
    expect(units["10-netplan-bond0.netdev"]).toMatch(/MTUBytes=9000[\s\S]*Mode=802.3ad/);
    expect(units["10-netplan-bond0.20.network"]).toContain("Address=198.51.100.11/24");
    expect(units["10-netplan-bond0.20.network"]).toContain("Gateway=198.51.100.1");
    expect(units["10-netplan-bond0.20.netdev"]).toMatch(/MTUBytes=1500[\s\S]*Id=20/);
    expect(units["10-netplan-bond0.11.network"]).toContain("Address=10.0.1.11/24");
  });

  test.each(SEED_BLUEPRINTS)("netplan accepts every node's file of %s", (name) => {
    const m = loadSpecFile(path.join(ROOT, findBlueprint(name)!.example)).model;
    const files = netplanConfigs(m);
    expect([...files.keys()]).toEqual(m.nodes.map((n) => `config/netplan/${n.name}.yaml`));
    // One node per role and hardware keeps the run short; they share their layout.
    const seen = new Set<string>();
    for (const n of m.nodes) {
      const key = `${n.role}/${n.hardware}/${n.roles.join(",")}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const units = netplanGenerate(files.get(`config/netplan/${n.name}.yaml`)!);
      for (const f of n.interfaces)
        expect(Object.values(units).join("\n")).toContain(`Address=${f.address}/${f.prefixLength}`);
    }
  });
});

describe("bare-metal user data", () => {
  const model = load(variant((s) => (s.cloud.undercloud = { cloud: "under" }))).model;
  const node = model.nodes.find((n) => n.name === "az1-web-01")!;
  const text = nodeUserData(model, node);

  test("cloud-init accepts it as valid cloud-config", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sw-cloud-init-"));
    try {
      const file = path.join(dir, "user-data");
      fs.writeFileSync(file, text);
      const r = spawnSync("cloud-init", ["schema", "--config-file", file], { encoding: "utf8" });
      if (r.error) throw r.error;
      expect(`${r.stdout}${r.stderr}`).toContain("Valid cloud-config");
      expect(r.status).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("sets the host name, replaces the provisioning DHCP with the node's netplan, syncs time", () => {
    const doc = parse(text) as {
      hostname: string;
      fqdn: string;
      write_files: { path: string; permissions: string; content: string }[];
      runcmd: string[][];
    };
    expect([doc.hostname, doc.fqdn]).toEqual(["az1-web-01", "az1-web-01.sw.internal"]);
    const files = Object.fromEntries(doc.write_files.map((f) => [f.path, f]));
    expect(files[NETPLAN_FILE].permissions).toBe("0600");
    expect(parse(files[NETPLAN_FILE].content)).toEqual(
      parse(netplanConfig(model, node).replace(/^#.*\n/, "")),
    );
    expect(files["/etc/chrony/chrony.conf"].content).toContain("server 10.0.0.11 iburst");
    expect(doc.runcmd).toEqual([
      ["rm", "-f", "/etc/netplan/50-cloud-init.yaml"],
      ["netplan", "apply"],
      ["systemctl", "restart", "chrony"],
    ]);
  });
});
