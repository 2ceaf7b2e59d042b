import type { ConstructRule } from "../../rule";
import { isExpression } from "../../terraform";

/** Arguments of provider and backend blocks that hold a secret. */
const SECRET = /(^|_)(password|passwd|secret|token|secret_key|access_key|conn_str|sas_token)$/;

/** Credentials come from clouds.yaml or the environment, never from the generated Terraform. */
export const noClearTextCredentials: ConstructRule = {
  id: "SW-SEC-004",
  scope: "construct",
  severity: "error",
  title: "No clear-text credentials in provider or backend blocks",
  help:
    "The generated Terraform is committed and shared. The OpenStack provider reads its " +
    "credentials from the clouds.yaml entry named by `cloud` (or OS_* variables), and backends " +
    "from their environment variables (AWS_*, TF_HTTP_*, PG_CONN_STR). A password, token or " +
    "application credential secret written into the configuration leaks with every copy.",
  check(node, stack) {
    if (node.kind !== "provider" && node.kind !== "backend") return [];
    // Only a variable set from outside (TF_VAR_*) keeps a provider's secret out of the files: a
    // value, a template, a local or a variable's default or tfvars value is in clear text there.
    const fromOutside = (value: string) =>
      /^\$\{var\.[A-Za-z0-9_-]+\}$/.test(value.trim()) &&
      stack.variableDefault(value) === undefined;
    const given = (value: string) => typeof stack.variableDefault(value) === "string";
    return Object.entries(node.body)
      .filter(
        (entry): entry is [string, string] =>
          SECRET.test(entry[0]) && typeof entry[1] === "string" && entry[1] !== "",
      )
      .filter(([, value]) => node.kind === "backend" || !fromOutside(value))
      .map(([key, value]) => ({
        target: node.path,
        message: `the ${node.type} ${node.kind} block holds ${key} in clear text${given(value) ? `, as the value of ${value.trim().slice(2, -1)} in the stack's files` : isExpression(value) ? ` (${value.trim()}, in the stack's files)` : ""}`,
        fix:
          node.kind === "provider"
            ? `remove ${key}; authenticate through the clouds.yaml entry named by cloud, or OS_* environment variables`
            : `remove ${key}; supply it through the backend's environment variables`,
      }));
  },
};
