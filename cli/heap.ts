import * as v8 from "v8";
import * as vm from "vm";

let gc: (() => void) | null | undefined;

/** Stacks from which a design's synth collects garbage between its phases. */
export const LARGE_DESIGN_STACKS = 200;

/**
 * A full garbage collection between synth's phases. V8 grows its heap well past the live data
 * before it collects (the largest estate peaked at 1.6x the bare cdktf app, and at 1.1x with the
 * heap capped); collecting where a phase's garbage is left keeps the peak near the live data.
 * The flag that exposes gc is set back at once, so no context made later (a module's sandbox)
 * gets a global gc; the code cache stays valid either way (V8 hashes the flags at start-up).
 */
export function collectGarbage(): void {
  if (gc === undefined) {
    try {
      v8.setFlagsFromString("--expose-gc");
      gc = vm.runInNewContext("gc") as () => void;
    } catch {
      gc = null;
    } finally {
      v8.setFlagsFromString("--no-expose-gc");
    }
  }
  gc?.();
}
