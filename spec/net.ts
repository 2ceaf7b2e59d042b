/** Moved to core/net (shared by spec and model); re-exported for existing imports. */
export * from "../core/net";
