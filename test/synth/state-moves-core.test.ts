import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { findBlueprint } from "../../blueprints/catalog";
import { stackAddresses, stateMoves, stateMovesScript } from "../../cli/state-moves";
import type { Model } from "../../model/types";
import { synthesizeTerraform, type SynthesizedStack } from "../../synth/app";
import { load, variant } from "../support/fixtures";
import {
  createWorkspace,
  exerciseStack,
  runInOrder,
  terraform,
  terraformVersion,
  TerraformFailure,
  variableValues,
  writeStacks,
  type Workspace,
} from "../support/terraform-core";

/**
 * The script `synth --move-state` writes, run for real: real Terraform core and the test stand-in
 * provider, whose apply keeps each object by id as a cloud would, so `terraform import` finds it.
 */
const version = terraformVersion();

// One tenant without a network keeps the run short: each move is four Terraform runs, and its
// stack reads no other, so nothing else is applied first.
const TENANTS = [{ name: "retail" }];

async function stacksOf(layout: "single" | "per-tenant") {
  const loaded = load(
    variant((s) => {
      s.output = { tenantStacks: layout };
      s.tenants = TENANTS;
    }),
  ).model;
  const model: Model = { ...loaded, output: { ...loaded.output, backend: { type: "local" } } };
  return synthesizeTerraform(findBlueprint(model.blueprint)!, model, "json");
}

/** Applies the stacks, each after the stacks it reads. */
async function applyAll(folder: string, stacks: readonly SynthesizedStack[], ws: Workspace) {
  const outcomes = await runInOrder(
    stacks.map((stack) => ({
      key: stack.name,
      after: stack.readsFrom,
      run: () =>
        exerciseStack(folder, stack, ws, { validate: false, then: "apply", replan: false }),
    })),
    2,
  );
  for (const [name, o] of outcomes)
    if (!o.ok) throw new Error(`${name}: ${o.error instanceof Error ? o.error.message : o.error}`);
}

/** What a plan would do to each resource of a stack, by address. */
async function plannedActions(folder: string, stack: SynthesizedStack, ws: Workspace) {
  const cwd = path.join(folder, path.dirname(stack.file));
  const env = { ...ws.env, ...variableValues(stack.variables) };
  const run = async (...args: string[]) => {
    const r = await terraform(cwd, args, env);
    if (r.code !== 0) throw new TerraformFailure(stack.name, r);
    return r;
  };
  await run("plan", "-input=false", "-no-color", "-out=moves.tfplan");
  const plan = JSON.parse((await run("show", "-json", "moves.tfplan")).stdout) as {
    resource_changes?: { address: string; change: { actions: string[] } }[];
  };
  return new Map((plan.resource_changes ?? []).map((c) => [c.address, c.change.actions]));
}

(version ? describe : describe.skip)(
  `state moves with real Terraform core (${version ?? "not installed"})`,
  () => {
    let ws: Workspace;
    beforeAll(async () => (ws = await createWorkspace()));
    afterAll(() => ws?.close());

    test("a tenant moved from the shared stack to its own keeps every resource: imported, never recreated", async () => {
      // GIVEN the tenants applied in one stack
      const folder = path.join(ws.dir, "out");
      const before = await stacksOf("single");
      const needed = (name: string): string[] => [
        name,
        ...before.find((s) => s.name === name)!.readsFrom.flatMap(needed),
      ];
      const applied = before.filter((s) => needed("tenants").includes(s.name));
      writeStacks(folder, applied);
      await applyAll(folder, applied, ws);
      // WHEN the layout becomes a stack per tenant and the state-moves script runs after init
      const after = await stacksOf("per-tenant");
      const moves = stateMoves(stackAddresses(before), stackAddresses(after));
      const targets = after.filter((s) => moves.some((m) => m.to === s.name));
      expect(targets.map((s) => s.name)).toEqual(["tenant-retail"]);
      writeStacks(folder, targets);
      for (const stack of targets) {
        const r = await terraform(
          path.join(folder, path.dirname(stack.file)),
          ["init", "-input=false", "-no-color"],
          ws.env,
        );
        if (r.code !== 0) throw new TerraformFailure(stack.name, r);
      }
      const script = path.join(folder, "terraform", "state-moves.sh");
      fs.writeFileSync(script, stateMovesScript(moves), { mode: 0o755 });
      const env = { ...ws.env };
      for (const s of [...applied, ...targets]) Object.assign(env, variableValues(s.variables));
      const again = path.join(folder, "terraform", "again.sh");
      fs.copyFileSync(script, again);
      const ran = spawnSync("sh", [script], { cwd: path.dirname(script), env, encoding: "utf8" });
      expect(ran.stderr).not.toMatch(/Error/);
      expect(ran.status).toBe(0);
      // AND the script, done, removed itself; run again, it has nothing left to do and succeeds
      expect(fs.existsSync(script)).toBe(false);
      const rerun = spawnSync("sh", [again], { cwd: path.dirname(again), env, encoding: "utf8" });
      expect([rerun.status, rerun.stderr]).toEqual([0, ""]);
      // THEN each new stack plans no change to any moved resource
      for (const stack of targets) {
        const actions = await plannedActions(folder, stack, ws);
        const moved = moves.filter((m) => m.to === stack.name).map((m) => m.address);
        expect(moved.length).toBeGreaterThan(0);
        // The project's `stack:` tag names its new stack: an update in place, nothing else moves.
        const expected = (a: string) =>
          a.startsWith("openstack_identity_project_v3.") ? ["update"] : ["no-op"];
        expect(moved.map((a) => [a, actions.get(a)])).toEqual(moved.map((a) => [a, expected(a)]));
      }
      // AND the old stack's state no longer holds them
      const old = before.find((s) => s.name === "tenants")!;
      const listed = await terraform(
        path.join(folder, path.dirname(old.file)),
        ["state", "list"],
        ws.env,
      );
      for (const m of moves) expect(listed.stdout.split("\n")).not.toContain(m.address);
    }, 600_000);
  },
);
