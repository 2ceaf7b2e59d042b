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
    // (a variable's default written in the configuration is as clear as the value itself)
    const given = (value: unknown) => {
      const fallback = stack.variableDefault(value);
      return typeof fallback === "string" && fallback !== "";
    };
    return Object.entries(node.body)
      .filter(([key, value]) => SECRET.test(key) && typeof value === "string" && value !== "")
      .filter(([, value]) => node.kind === "backend" || !isExpression(value) || given(value))
      .map(([key, value]) => ({
        target: node.path,
        message: `the ${node.type} ${node.kind} block holds ${key} in clear text${given(value) ? `, as the default of ${String(value).trim().slice(2, -1)}` : ""}`,
        fix:
          node.kind === "provider"
            ? `remove ${key}; authenticate through the clouds.yaml entry named by cloud, or OS_* environment variables`
            : `remove ${key}; supply it through the backend's environment variables`,
      }));
  },
};
