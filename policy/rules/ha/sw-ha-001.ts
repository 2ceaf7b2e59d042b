import type { ModelRule } from "../../rule";
import { list, plural, specPath } from "../../private/targets";
import type { PoolModel } from "../../../model/types";
import { poolStage } from "../../../model/pools";

/**
 * Pools that carry production workloads: the prod stage, and the web, app and db tiers unless
 * they name another stage.
 */
export const isProduction = (pool: PoolModel): boolean => {
  const stage = poolStage(pool);
  return stage !== undefined ? stage === "prod" : pool.purpose.kind === "tier";
};

export const controllerQuorum: ModelRule = {
  id: "SW-HA-001",
  scope: "model",
  severity: "error",
  title: "Production designs run at least 3 controllers",
  help:
    "Galera, RabbitMQ and keepalived keep working through a failure only while a majority of " +
    "the controllers is up. With production pools (stage prod, or a web, app or db tier of no other stage) the " +
    "control plane needs at least 3: one controller has no failover. (An even count is refused " +
    "earlier, by the spec rule controllers-even.)",
  check(model) {
    const production = model.pools.filter(isProduction).map((p) => p.id);
    const n = model.controlPlane.controllers.length;
    if (production.length === 0 || n >= 3) return [];
    return [
      {
        target: specPath("controlPlane", "controllers"),
        message:
          `${plural(n, "controller")} for production pools ${list(production)}: ` +
          "the control plane does not survive the loss of a controller",
        fix: "set controlPlane.controllers to 3 or 5",
      },
    ];
  },
};
