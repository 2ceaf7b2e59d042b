import { Testing, TerraformStack } from "cdktf";

/** Synthesizes the constructs a callback adds to a fresh stack, as cdktf's Testing does. */
export function synthStack(build: (stack: TerraformStack) => void): string {
  const stack = new TerraformStack(Testing.app(), "test");
  build(stack);
  return Testing.synth(stack);
}
