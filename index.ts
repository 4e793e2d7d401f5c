/**
 * Wiring only: load the validated configuration, build the components, export the outputs.
 * Every behaviour lives in config/ and components/.
 */
import { loadConfig } from "./config";

const config = loadConfig();

/** The profile this stack follows. */
export const environment = config.environment;
