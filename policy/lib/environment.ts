import { Environment, PolicySettings } from "./config";

/** Stack tag that, when set, names the environment (`production` or `staging`). */
export const ENVIRONMENT_TAG = "environment";

/** The stack name inside a URN `urn:pulumi:<stack>::<project>::<type>::<name>`. */
export function stackFromUrn(urn: string | undefined): string | undefined {
    if (urn === undefined || !urn.startsWith("urn:pulumi:")) {
        return undefined;
    }
    const stack = urn.slice("urn:pulumi:".length).split("::", 1)[0];
    return stack === "" ? undefined : stack;
}

/**
 * `staging`, `stage`, `stg` and names starting with `staging-`/`stage-`/`stg-` are staging; every other
 * stack name (`production`, `prd`, `live`, `eu-production`, …) gets the strict production profile, so
 * an unexpected name can only make the checks stricter, never looser.
 */
export function environmentOfStack(stack: string): Environment {
    return /^(staging|stage|stg)($|-)/.test(stack) ? "staging" : "production";
}

/**
 * Which environment a check runs in, first match wins:
 * 1. the policy's pack config `environment` setting;
 * 2. the stack tag `environment` (`production` or `staging`);
 * 3. the stack name in the resource URN (see {@link environmentOfStack});
 * 4. production, so that an undeterminable stack gets the strict profile.
 */
export function resolveEnvironment(settings: PolicySettings, stackTags: ReadonlyMap<string, string>, urn: string | undefined): Environment {
    if (settings.environment !== undefined) {
        return settings.environment;
    }
    const tag = stackTags.get(ENVIRONMENT_TAG);
    if (tag === "production" || tag === "staging") {
        return tag;
    }
    const stack = stackFromUrn(urn);
    return stack === undefined ? "production" : environmentOfStack(stack);
}
