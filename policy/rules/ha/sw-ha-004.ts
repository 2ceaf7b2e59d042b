import type { ModelRule, Violation } from "../../rule";
import { plural, specPath } from "../../private/targets";

/** With several controllers, the database and the message queue are clustered with a quorum. */
export const databaseQueueQuorum: ModelRule = {
  id: "SW-HA-004",
  scope: "model",
  severity: "error",
  title: "Database and message queue run as quorum clusters on several controllers",
  help:
    "Several controllers promise high availability, but a single MariaDB or RabbitMQ stays a " +
    "single point of failure. Use database: galera and messaging: rabbitmq-cluster on 3 or 5 " +
    "controllers. (An even controller count is refused earlier, by the spec rule controllers-even.)",
  check(model) {
    const cp = model.controlPlane;
    const n = cp.controllers.length;
    if (n < 2) return [];
    const out: Violation[] = [];
    if (cp.database === "single") {
      out.push({
        target: specPath("controlPlane", "database"),
        message: `one MariaDB for ${plural(n, "controller")}: the database has no failover`,
        fix: "set controlPlane.database to galera",
      });
    }
    if (cp.messaging === "single") {
      out.push({
        target: specPath("controlPlane", "messaging"),
        message: `one RabbitMQ for ${plural(n, "controller")}: the message queue has no failover`,
        fix: "set controlPlane.messaging to rabbitmq-cluster",
      });
    }
    return out;
  },
};
