/**
 * Argo CD's pattern matching (RBAC objects, AppProject sources and destinations), shared by the pack
 * (appproject-least-privilege), config/ (which refuses grants that reach a project they must not) and
 * tools/rbac-eval.ts (the offline evaluator). Source: argoproj/argo-cd `util/rbac/rbac.go`
 * (`globOrRegexMatch`) and `util/glob/glob.go`, both over github.com/gobwas/glob without separators.
 */

/**
 * Glob match with github.com/gobwas/glob semantics and no separators: `*` any run of characters
 * (including `/`), `?` one character, `[abc]`, `[a-z]`, `[!abc]` classes, `{a,b}` alternatives,
 * `\` escapes the next character.
 */
export function globMatch(pattern: string, text: string): boolean {
    return globRegExp(pattern).test(text);
}

const globCache = new Map<string, RegExp>();

function globRegExp(pattern: string): RegExp {
    const cached = globCache.get(pattern);
    if (cached) return cached;
    let out = "";
    let depth = 0;
    for (let i = 0; i < pattern.length; i++) {
        const c = pattern[i];
        if (c === "\\" && i + 1 < pattern.length) {
            out += escapeRegExp(pattern[++i]);
        } else if (c === "*") {
            out += "[\\s\\S]*";
        } else if (c === "?") {
            out += "[\\s\\S]";
        } else if (c === "[") {
            const close = pattern.indexOf("]", i + 2);
            if (close < 0) {
                out += "\\[";
                continue;
            }
            let body = pattern.slice(i + 1, close);
            const negate = body.startsWith("!");
            if (negate) body = body.slice(1);
            out += `[${negate ? "^" : ""}${body.replace(/[\\\]^]/g, "\\$&")}]`;
            i = close;
        } else if (c === "{") {
            depth++;
            out += "(?:";
        } else if (c === "}" && depth > 0) {
            depth--;
            out += ")";
        } else if (c === "," && depth > 0) {
            out += "|";
        } else {
            out += escapeRegExp(c);
        }
    }
    const re = new RegExp(`^${out}${")".repeat(depth)}$`);
    globCache.set(pattern, re);
    return re;
}

function escapeRegExp(c: string): string {
    return c.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
}
