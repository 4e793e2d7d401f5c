/**
 * The bottom layer: what the program knows that every room (config/, components/, policy/, tools/)
 * may read. Nothing here imports from those rooms, nor anything but other files of this package
 * (tests/imports.spec.ts holds that).
 */
export * from "./ami-types";
export * from "./charts";
export * from "./eks-versions";
export * from "./glob";
export * from "./labels";
export * from "./names";
export * from "./notifications";
export * from "./privilege";
export * from "./program-secrets";
export * from "./cluster";
