import * as path from "path";
import { findBlueprint } from "../../blueprints/catalog";
import { architectureDocuments } from "../../documents/architecture";
import { terraformInventory } from "../../documents/view-model";
import { loadSpecFile } from "../../model/load";
import { synthesizeTerraform } from "../../synth/app";
import { deployFiles } from "../../deployer";
import { ROOT } from "../support/blueprints";

describe("the architecture document names the deploy files", () => {
  test("compute, network and storage chapters cite files that exist, with the same values", async () => {
    // GIVEN
    const blueprint = findBlueprint("enterprise-reference");
    const { model } = loadSpecFile(path.join(ROOT, blueprint?.example as string));
    const stacks = await synthesizeTerraform(blueprint as any, model, "json");
    // WHEN
    const docs = await architectureDocuments(
      model,
      terraformInventory(stacks),
      blueprint?.designPoints ?? [],
      {},
    );
    const doc = String(docs.get("docs/architecture.md"));
    const files = deployFiles(model);
    // THEN every file a chapter names is written
    const named = [...doc.matchAll(/`(deploy\/[^`]+)`/g)].map((m) => m[1]);
    expect(named.length).toBeGreaterThanOrEqual(8);
    // Two files exist only for some designs; the document says when.
    const conditional: Record<string, boolean> = {
      "deploy/kolla/config/cinder/cinder-volume.conf": model.storage.backends.some(
        (b) => b.kind !== "ceph",
      ),
      "deploy/kolla/config/glance/glance-api.conf": model.storage.imageBackend === "swift",
    };
    for (const file of named) {
      const pattern = new RegExp(`^${file.replace(/[.]/g, "\\.").replace("<host>", "[^/]+")}$`);
      const exists = [...files.keys()].some((f) => pattern.test(f));
      expect([file, exists]).toEqual([file, conditional[file] ?? true]);
    }
    // and the figures the document cites are the files' figures.
    const pools = files.get("deploy/ceph/pools.sh") as string;
    for (const p of model.storage.ceph?.pools ?? []) {
      expect(doc).toMatch(new RegExp(`\\| ${p.name} \\| [^\\n]*\\| ${p.pgNum} \\|`));
      expect(pools).toContain(`ceph osd pool create ${p.name} ${p.pgNum} ${p.pgNum} `);
    }
    for (const pool of model.pools) {
      const conf = files.get(`deploy/kolla/config/nova/${pool.hostnames[0]}/nova.conf`) as string;
      expect(conf).toContain(`cpu_allocation_ratio = ${pool.cpuAllocationRatio}\n`);
      expect(doc).toMatch(
        new RegExp(
          `\\| ${pool.id} \\|[^\\n]*\\| ${pool.cpuAllocationRatio} \\| ${pool.ramAllocationRatio} \\|`,
        ),
      );
    }
  });
});
