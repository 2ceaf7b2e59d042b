export * from "./blueprint";
export * from "./catalog";
export * from "./cloud-platform";
export * from "./enterprise-reference";
