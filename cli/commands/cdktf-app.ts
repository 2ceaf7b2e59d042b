import { App } from "cdktf";
import type { Command } from "commander";
import { loadDesign } from "../pipeline";
import { APP_CONTEXT } from "../../synth/app";

/** Entry point for the cdktf CLI (`cdktf synth` runs cdktf.json's app): synthesizes into CDKTF_OUTDIR. */
export function registerCdktfApp(program: Command): void {
  program
    .command("cdktf-app", { hidden: true })
    .description("synthesize for the cdktf CLI into $CDKTF_OUTDIR")
    .argument("<spec>", "design spec (YAML or JSON)")
    .action((specFile: string) => {
      const design = loadDesign(specFile);
      const app = new App({ skipValidation: true, context: APP_CONTEXT });
      design.blueprint.build(app, design.loaded.model);
      app.synth();
    });
}
