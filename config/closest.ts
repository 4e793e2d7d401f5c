/**
 * "Did you mean …?": the known name closest to a misspelt one, for messages about unknown keys,
 * namespaces and options. Loads nothing, so the tools' command-line code can use it too.
 */

/** Optimal string alignment distance (Levenshtein plus transposition of two neighbours), case-insensitive. */
export function editDistance(a: string, b: string): number {
    const s = a.toLowerCase();
    const t = b.toLowerCase();
    const d: number[][] = Array.from({ length: s.length + 1 }, (_, i) => Array.from({ length: t.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
    for (let i = 1; i <= s.length; i++) {
        for (let j = 1; j <= t.length; j++) {
            const cost = s[i - 1] === t[j - 1] ? 0 : 1;
            d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[s.length][t.length];
}

/**
 * The candidate closest to `name`, or undefined when none is close enough to be a likely typo: at
 * most a third of the longer name's characters differ (at least one, at most three), or one name
 * contains the other (a dropped or added prefix/suffix such as `kubernetesVersion` for `version`).
 * Ties go to the candidate listed first.
 */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
    let best: string | undefined;
    let bestDistance = Infinity;
    for (const candidate of candidates) {
        const distance = editDistance(name, candidate);
        const limit = Math.min(3, Math.max(1, Math.floor(Math.max(name.length, candidate.length) / 3)));
        const contains = name.length >= 3 && candidate.length >= 3 && (candidate.toLowerCase().includes(name.toLowerCase()) || name.toLowerCase().includes(candidate.toLowerCase()));
        if ((distance <= limit || contains) && distance < bestDistance) {
            best = candidate;
            bestDistance = distance;
        }
    }
    return best;
}

/** ` (did you mean <closest>?)` or "" when nothing is close; `show` formats the candidate (for example with its namespace). */
export function didYouMean(name: string, candidates: Iterable<string>, show: (candidate: string) => string = (c) => c): string {
    const match = closest(name, candidates);
    return match === undefined ? "" : ` (did you mean ${show(match)}?)`;
}
