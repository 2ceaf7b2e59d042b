import type { ModelRule, Violation } from "../../rule";
import { plural, specPath } from "../../private/targets";

/** With several controllers, the database and the message queue are clustered with a quorum. */
export const databaseQueueQuorum: ModelRule = {
  id: "SW-HA-004",
  scope: "model",
  severity: "error",
  title: "Database and message queue run as quorum clusters on an odd number of controllers",
  help:
    "Several controllers promise high availability, but a single MariaDB or RabbitMQ stays a " +
    "single point of failure, and a Galera or RabbitMQ cluster of an even size loses quorum when " +
    "it splits in half. Use database: galera and messaging: rabbitmq-cluster on 3 or 5 controllers.",
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
    const clustered = [
      ...(cp.database === "galera" ? ["Galera"] : []),
      ...(cp.messaging === "rabbitmq-cluster" ? ["RabbitMQ"] : []),
    ];
    if (clustered.length && n % 2 === 0) {
      out.push({
        target: specPath("controlPlane", "controllers"),
        message: `${clustered.join(" and ")} on ${n} members cannot keep a quorum when the cluster splits ${n / 2}/${n / 2}`,
        fix: "run an odd number of controllers (3 or 5)",
      });
    }
    return out;
  },
};
