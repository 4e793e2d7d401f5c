/** The committed stacks. Loads nothing, so pure builder specs can name stacks without the SDK. */
export const STACKS = ["staging", "production"] as const;
export type StackName = (typeof STACKS)[number];
