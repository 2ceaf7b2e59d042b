import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { findBlueprint } from "../../blueprints/catalog";
import { stackAddresses, stackRenames, stateMoves, stateMovesScript } from "../../cli/state-moves";
import { planOf, withPreviousLegacyIds } from "../../cli/day-two";
import type { Model } from "../../model/types";
import { synthesizeTerraform, type SynthesizedStack } from "../../synth/app";
import { load, variant } from "../support/fixtures";
import { withLegacyFlows } from "../support/legacy";
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

    /**
     * The stacks for flows to the legacy systems from pool app, tenant apps on it, in a layout;
     * `earlier`: as a version that keyed the direction's only set of pools by the direction
     * alone wrote them, else as this version writes them over such a plan (moved blocks).
     */
    async function legacyStacks(layout: "single" | "per-tenant", earlier: boolean) {
      const loaded = load(
        variant((s) => {
          withLegacyFlows(s, [
            { name: "mq", port: 1414, direction: "to-legacy", systems: ["aix-a"], pools: ["app"] },
          ]);
          s.tenants = [{ name: "apps", pool: "app" }];
          s.output = { tenantStacks: layout };
        }),
      ).model;
      const plain: Model = { ...loaded, output: { ...loaded.output, backend: { type: "local" } } };
      const old = JSON.parse(JSON.stringify(plain));
      Object.assign(old.legacyUnix.groups[0], { key: "egress", id: "egress" });
      old.tenants[0].legacyGroups = ["egress"];
      const model = withPreviousLegacyIds(planOf(old), plain);
      const { id } = plain.legacyUnix!.groups[0];
      const stacks = (
        await synthesizeTerraform(findBlueprint(model.blueprint)!, earlier ? plain : model, "json")
      ).filter((s) => s.name === "platform" || s.name.startsWith("tenant"));
      if (!earlier) return stacks;
      return stacks.map((stack) => {
        const text = stack.content
          .replaceAll(`_${id.replace(/-/g, "_")}_`, "_egress_")
          .replaceAll('-legacy-egress-app"', '-legacy-egress"');
        const config = JSON.parse(text) as Record<string, unknown>;
        return { ...stack, content: JSON.stringify(config), config };
      });
    }

    /** Plans each stack, checks the actions on its moved resources, and applies the plan. */
    async function planKept(folder: string, stacks: readonly SynthesizedStack[]) {
      const renamed = stackRenames(stacks);
      expect(
        Object.values(renamed)
          .flat()
          .map((m) => m.to.split(".")[0])
          .sort(),
      ).toEqual([
        "openstack_networking_rbac_policy_v2",
        "openstack_networking_secgroup_rule_v2",
        "openstack_networking_secgroup_v2",
      ]);
      // (the platform first: a tenant stack reads its outputs)
      for (const stack of stacks) {
        const actions = await plannedActions(folder, stack, ws);
        for (const { to } of renamed[stack.name] ?? [])
          expect([to, actions.get(to)]).toEqual([
            to,
            to.startsWith("openstack_networking_secgroup_v2.") ? ["update"] : ["no-op"],
          ]);
        const cwd = path.join(folder, path.dirname(stack.file));
        const env = { ...ws.env, ...variableValues(stack.variables) };
        const applied = await terraform(
          cwd,
          ["apply", "-input=false", "-no-color", "moves.tfplan"],
          env,
        );
        if (applied.code !== 0) throw new TerraformFailure(stack.name, applied);
      }
    }

    test("a legacy group an earlier version named by its direction alone keeps its state: moved, never recreated", async () => {
      // GIVEN the stacks an earlier version wrote and applied: the group, its rules, its output
      // and the tenant's share named by the direction alone (`egress`)
      const folder = path.join(ws.dir, "legacy");
      const earlier = await legacyStacks("per-tenant", true);
      writeStacks(folder, earlier);
      await applyAll(folder, earlier, ws);
      // WHEN this version's stacks, with their moved blocks, are planned over that state
      const now = await legacyStacks("per-tenant", false);
      writeStacks(folder, now);
      // THEN each moved resource is kept: the group renamed in place, its rule and share as they are
      await planKept(folder, now);
    }, 600_000);

    test("a share renamed as its tenant changes stack is imported at its new address", async () => {
      // GIVEN an earlier version's stacks, the tenants in one stack, applied
      const folder = path.join(ws.dir, "legacy-layout");
      const earlier = await legacyStacks("single", true);
      writeStacks(folder, earlier);
      await applyAll(folder, earlier, ws);
      // WHEN this version gives the tenant its own stack, where the share has its new address,
      // and the state-moves script runs after init
      const now = await legacyStacks("per-tenant", false);
      const moves = stateMoves(
        stackAddresses(earlier),
        stackAddresses(now),
        (s) => now.find((x) => x.name === s)?.readsFrom ?? [],
        stackRenames(now),
      );
      expect(moves).toContainEqual({
        address: "openstack_networking_rbac_policy_v2.apps_legacy_egress_group_share",
        from: "tenants",
        to: "tenant-apps",
        as: expect.stringMatching(
          /^openstack_networking_rbac_policy_v2\.apps_legacy_egress_app_[0-9a-f]{8}_group_share$/,
        ),
      });
      writeStacks(folder, now);
      for (const stack of now.filter((s) => s.name === "tenant-apps")) {
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
      for (const s of [...earlier, ...now]) Object.assign(env, variableValues(s.variables));
      const ran = spawnSync("sh", [script], { cwd: path.dirname(script), env, encoding: "utf8" });
      expect([ran.status, ran.stderr]).toEqual([0, expect.not.stringMatching(/Error/)]);
      // THEN the platform renames its group in place, and the tenant's stack keeps the share
      await planKept(
        folder,
        now.filter((s) => s.name === "platform" || s.name === "tenant-apps"),
      );
    }, 600_000);
  },
);
