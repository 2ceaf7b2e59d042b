/** Moved to core/defaults (shared by spec and model); re-exported for existing imports. */
export * from "../core/defaults";
