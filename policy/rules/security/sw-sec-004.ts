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
  check(node) {
    if (node.kind !== "provider" && node.kind !== "backend") return [];
    return Object.entries(node.body)
      .filter(([key, value]) => SECRET.test(key) && typeof value === "string" && value !== "")
      .filter(([, value]) => node.kind === "backend" || !isExpression(value))
      .map(([key]) => ({
        target: node.path,
        message: `the ${node.type} ${node.kind} block holds ${key} in clear text`,
        fix:
          node.kind === "provider"
            ? `remove ${key}; authenticate through the clouds.yaml entry named by cloud, or OS_* environment variables`
            : `remove ${key}; supply it through the backend's environment variables`,
      }));
  },
};
