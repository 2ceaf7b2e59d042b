import type { PoolModel } from "./types";

/** A pool's lifecycle stage: its purpose, or the stage it names beside its tier. */
export const poolStage = (pool: Pick<PoolModel, "purpose">): string | undefined =>
  pool.purpose.kind === "stage" ? pool.purpose.value : pool.purpose.stage;
