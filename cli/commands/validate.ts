import type { Command } from "commander";
import { loadDesign } from "../pipeline";
import { printIssues } from "../report";

export function registerValidate(program: Command): void {
  program
    .command("validate")
    .description("check a spec; exit 0 with a summary, or 2 with every error")
    .argument("<spec>", "design spec (YAML or JSON)")
    .action((specFile: string) => {
      const { loaded, blueprint } = loadDesign(specFile);
      printIssues(loaded.warnings);
      const m = loaded.model;
      process.stdout.write(
        `${specFile}: valid (${blueprint.name}): ${m.zones.length} zones, ${m.pools.length} pools, ` +
          `${m.capacity.hosts} compute hosts, ${m.controlPlane.controllers.length} controllers, ` +
          `${m.networks.length} networks, ${m.tenants.length} tenants` +
          `${loaded.warnings.length ? `, ${loaded.warnings.length} warnings` : ""}\n`,
      );
    });
}
