import { createHash } from "crypto";
import * as path from "path";
import { pathToFileURL } from "url";
import type { SpecLocation } from "../../core/errors";
import type { Finding, Severity } from "../finding";
import { isSpecRule, SPEC_RULE_PREFIX, specRuleInfo } from "../spec-findings";
import type { RuleInfo } from "../rule";
import { ruleCatalog } from "../run";
import { RULES } from "../packs";
import { TERRAFORM_DRIFT } from "../drift";

export const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

export interface SarifOptions {
  /** Stackwright's version, written as the driver's version. */
  readonly version?: string;
  /** The rules to describe. @default every rule of every pack, and SW-META-001 */
  readonly rules?: readonly RuleInfo[];
  /** Where the rules are documented. @default none */
  readonly informationUri?: string;
}

const LEVEL: Readonly<Record<Severity, "error" | "warning" | "note">> = {
  error: "error",
  warning: "warning",
  info: "note",
};

/**
 * A SARIF 2.1.0 log with one run: the rules as the driver's reportingDescriptors and one result
 * per finding, located by a logical location (the spec or construct path) and, when the finding
 * has one, a physical location in the spec file (code scanning annotates that line). Suppressed findings
 * carry an inSource suppression (the spec, which the results are located in, holds it) with its
 * reason; the others an empty list, which in SARIF means "evaluated and not suppressed".
 * Each result has a partial fingerprint of its rule, file and target, which moving its line or
 * rewording it leaves alone (code scanning adds a hash of the line's text beside it).
 */
export function formatSarif(findings: readonly Finding[], options: SarifOptions = {}): string {
  const rules = [...(options.rules ?? ruleCatalog())];
  // Rules left out of the list (validate lists none) are described as the catalog has them.
  let catalog: ReadonlyMap<string, RuleInfo> | undefined;
  for (const f of findings) {
    if (!rules.some((r) => r.id === f.ruleId)) {
      catalog ??= new Map(ruleCatalog().map((r) => [r.id, r]));
      rules.push(
        isSpecRule(f.ruleId)
          ? specRuleInfo(f.ruleId.slice(SPEC_RULE_PREFIX.length), f.severity)
          : (catalog.get(f.ruleId) ?? {
              id: f.ruleId,
              severity: f.severity,
              title: f.ruleId,
              help: f.fix,
            }),
      );
    }
  }
  const index = new Map(rules.map((r, i) => [r.id, i]));
  // Construct rules point at resources; model rules and suppressions at spec properties.
  const constructRules = new Set(RULES.filter((r) => r.scope === "construct").map((r) => r.id));
  const fingerprints = resultFingerprints(findings);
  const log = {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "stackwright",
            ...(options.version ? { version: options.version } : {}),
            ...(options.informationUri ? { informationUri: options.informationUri } : {}),
            rules: rules.map((r) => ({
              id: r.id,
              shortDescription: { text: r.title },
              fullDescription: { text: r.help },
              help: { text: r.help },
              defaultConfiguration: { level: LEVEL[r.severity] },
            })),
          },
        },
        results: findings.map((f, i) => ({
          ruleId: f.ruleId,
          ruleIndex: index.get(f.ruleId) as number,
          level: LEVEL[f.severity],
          message: { text: sarifMessageText(`${f.message} (fix: ${f.fix})`) },
          locations: [
            {
              ...(f.location?.file ? { physicalLocation: physicalLocation(f.location) } : {}),
              logicalLocations: [
                {
                  fullyQualifiedName: f.target,
                  kind: constructRules.has(f.ruleId) ? "resource" : "property",
                },
              ],
            },
          ],
          partialFingerprints: { [FINGERPRINT]: fingerprints[i] },
          suppressions: f.suppressed
            ? [
                {
                  // (a drift result is located in the Terraform, its suppression in the spec)
                  kind: f.ruleId === TERRAFORM_DRIFT.id ? "external" : "inSource",
                  status: "accepted",
                  justification: f.suppressed.reason,
                },
              ]
            : [],
          properties: { fix: f.fix },
        })),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

/** The partial fingerprint's name: a new way of computing it gets a new version. */
export const FINGERPRINT = "stackwrightFinding/v1";

/**
 * A digest of each finding's rule, file and target; findings alike in all three are told apart
 * by their order among themselves.
 */
function resultFingerprints(findings: readonly Finding[]): string[] {
  const seen = new Map<string, number>();
  return findings.map((f) => {
    // (the file as seen from the working folder: however the command line spelt it)
    const file = f.location?.file
      ? path.relative(process.cwd(), path.resolve(f.location.file)).split(path.sep).join("/")
      : "";
    const key = `${f.ruleId}\0${file}\0${f.target}`;
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    return createHash("sha256").update(`${key}\0${n}`).digest("hex").slice(0, 32);
  });
}

/** A file as a URI reference: relative paths stay relative. */
const fileUri = (file: string): string =>
  path.isAbsolute(file)
    ? pathToFileURL(file).href
    : file.split(path.sep).join("/").split("/").map(encodeURIComponent).join("/");

/** The spec file and the line and column. */
function physicalLocation(location: SpecLocation) {
  return {
    artifactLocation: { uri: fileUri(location.file as string) },
    ...(location.line
      ? { region: { startLine: location.line, startColumn: location.column ?? 1 } }
      : {}),
  };
}

/**
 * SARIF reads `[text](target)` in a message as an embedded link (2.1.0, 3.11.6): brackets that
 * are not one are escaped, and so is a backslash before a bracket.
 */
export function sarifMessageText(text: string): string {
  return text.replace(/\\(?=[[\]])/g, "\\\\").replace(/[[\]]/g, "\\$&");
}
