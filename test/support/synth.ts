import { App, Testing, TerraformStack } from "cdktf";
import { tempDir } from "./temp";

/** cdktf's test app, its output folder one of the test file's temporary folders. */
export function testApp(): App {
  return Testing.app({ outdir: tempDir("cdktf.outdir.") });
}

/** Synthesizes the constructs a callback adds to a fresh stack, as cdktf's Testing does. */
export function synthStack(build: (stack: TerraformStack) => void): string {
  const stack = new TerraformStack(testApp(), "test");
  build(stack);
  return Testing.synth(stack);
}
