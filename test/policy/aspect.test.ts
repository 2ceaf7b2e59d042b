import * as fs from "fs";
import * as path from "path";
import { App, Aspects } from "cdktf";
import { NetworkingSecgroupRuleV2 } from "../../.gen/providers/openstack/networking-secgroup-rule-v2";
import { findBlueprint } from "../../blueprints/catalog";
import { finish, PolicyAspect, RULES, runChecks } from "../../policy";
import { APP_CONTEXT } from "../../synth/app";
import { modelOf } from "./helpers";
import { tempDir } from "../support/temp";

describe("PolicyAspect", () => {
  const model = modelOf();
  const outdir = tempDir("sw-policy-");
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  /** Synthesizes the blueprint with an SSH rule open to the internet added to the platform. */
  function synthesizeWith(aspect: PolicyAspect) {
    const app = new App({ outdir, skipValidation: true, context: APP_CONTEXT });
    const stacks = findBlueprint(model.blueprint)!.build(app, model);
    new NetworkingSecgroupRuleV2(
      stacks.find((s) => s.node.id === "platform")!,
      "open-ssh",
      {
        description: "SSH from anywhere",
        direction: "ingress",
        ethertype: "IPv4",
        protocol: "tcp",
        portRangeMin: 22,
        portRangeMax: 22,
        remoteIpPrefix: "0.0.0.0/0",
        securityGroupId: "sg",
      },
    );
    for (const stack of stacks) Aspects.of(stack).add(aspect);
    app.synth();
    return stacks.map((s) => ({
      name: s.node.id,
      config: JSON.parse(
        fs.readFileSync(path.join(outdir, "stacks", s.node.id, "cdk.tf.json"), "utf8"),
      ) as Record<string, unknown>,
    }));
  }

  test("applies the construct rules of its packs while the app synthesizes", () => {
    // GIVEN
    const aspect = new PolicyAspect(model, ["security"]);
    // WHEN
    synthesizeWith(aspect);
    // THEN
    expect(aspect.findings.map((f) => [f.ruleId, f.target])).toEqual([
      ["SW-SEC-001", "platform/open-ssh"],
    ]);
  });

  test("finds what runChecks finds in the synthesized JSON", () => {
    const aspect = new PolicyAspect(model);
    const written = synthesizeWith(aspect);
    const constructRules = new Set(RULES.filter((r) => r.scope === "construct").map((r) => r.id));
    const fromJson = runChecks(model, written).filter((f) => constructRules.has(f.ruleId));
    expect(fromJson.length).toBeGreaterThan(0);
    expect(finish(model, aspect.findings)).toEqual(fromJson);
  });
});
