import { driftFindings } from "../../policy/drift";

describe("Terraform drift", () => {
  test("a value nested past the stack's depth is named as drift, not a crash", () => {
    // GIVEN a stack file edited by hand with an array nested 20,000 deep
    const expected = JSON.stringify({ resource: { x: { a: { name: "n" } } } });
    const written = `{"resource":{"x":{"a":{"name":${"[".repeat(20000)}${"]".repeat(20000)}}}}}`;
    // WHEN it is compared with what the spec synthesizes
    const findings = driftFindings(
      [{ name: "platform", file: "terraform/platform/cdk.tf.json", expected, written }],
      [],
      "out",
    );
    // THEN it is one finding at the file, saying so
    expect(findings.map((f) => [f.target, f.message])).toEqual([
      [
        "terraform/platform/cdk.tf.json",
        "not what the spec synthesizes: a value is nested too deeply to compare",
      ],
    ]);
  });
});
