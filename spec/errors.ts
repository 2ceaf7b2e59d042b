/** Moved to core/errors (shared by spec and model); re-exported for existing imports. */
export * from "../core/errors";
