import * as assert from "assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parsePackConfig } from "../../../policy/lib/config";
import { rules } from "../../../policy/policies";
import { generateWorkloadManifests, writeWorkloadManifests } from "../../../tools/generate-workloads";
import { checkPaths, main, parseManifests } from "../../../tools/policy-manifests";

const ROOT = path.join(__dirname, "..", "..", "..");
const MANIFESTS = path.join(ROOT, "tests", "fixtures", "manifests");
const CLEAN = path.join(MANIFESTS, "clean");
const VIOLATIONS = path.join(MANIFESTS, "violations");

const EXPECTED_ROWS: Record<string, unknown>[] = [
    {
        policy: "require-requests-limits",
        kind: "Job",
        namespace: null,
        name: "backfill",
        container: "backfill",
        message: 'Job backfill container "backfill" is missing resources.limits.memory',
        enforcementLevel: "mandatory",
    },
    {
        policy: "require-probes",
        kind: "Deployment",
        namespace: "data",
        name: "ingest",
        container: "ingest",
        message: 'Deployment data/ingest container "ingest" is missing livenessProbe',
        enforcementLevel: "mandatory",
    },
    {
        policy: "disallow-latest-tag",
        kind: "StatefulSet",
        namespace: "data",
        name: "cache",
        container: "redis",
        message: 'StatefulSet data/cache container "redis" uses image "redis:latest" with the latest tag; pin a version tag or a digest',
        enforcementLevel: "mandatory",
    },
];

/** Runs the real CLI (as `npm run policy:manifests` does) and returns its exit code and output. */
function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
    const result = spawnSync(process.execPath, ["--require", "./tools/register.js", "tools/policy-manifests.ts", ...args], { cwd: ROOT, encoding: "utf8" });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs the tool in this process; returns its exit code and what it wrote. */
async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = "";
    let stderr = "";
    const code = await main(args, { out: (t) => void (stdout += t), err: (t) => void (stderr += t) });
    return { code, stdout, stderr };
}

const created: string[] = [];

function tempDir(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-manifests-"));
    created.push(dir);
    return dir;
}

/** Writes `files` (name to text) into a new temporary directory. */
function tree(files: Record<string, string>): string {
    const dir = tempDir();
    for (const [name, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
        fs.writeFileSync(path.join(dir, name), text);
    }
    return dir;
}

const JOB_YAML = () => fs.readFileSync(path.join(VIOLATIONS, "job.yaml"), "utf8");

/** A Deployment whose pod spec is `podSpec` (YAML text indented under `spec:` of the template). */
function deployment(name: string, podSpec: string): string {
    return `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: web\nspec:\n  selector: {matchLabels: {app: ${name}}}\n  template:\n    metadata: {labels: {app: ${name}}}\n    spec:\n${podSpec}`;
}

const GOOD_CONTAINER = `      containers:
        - name: app
          image: ghcr.io/footanalytics/app:1.0.0
          resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {cpu: 200m, memory: 128Mi}}
          readinessProbe: {httpGet: {path: /, port: 80}}
          livenessProbe: {httpGet: {path: /, port: 80}}
`;

const SUMMARY_CLEAN = (workloads: number, files: number) => `checked ${workloads} workload(s) in ${files} file(s): 0 mandatory, 0 advisory violation(s)\n`;

describe("policy:manifests", () => {
    after(() => {
        for (const dir of created) fs.rmSync(dir, { recursive: true, force: true });
    });

    it("passes a clean directory: multi-document files, nested .yml, other extensions ignored", async () => {
        const report = checkPaths([CLEAN]);
        assert.equal(report.files, 2);
        assert.equal(report.workloads, 2);
        assert.deepEqual(report.violations, []);
        assert.deepEqual(await run(CLEAN), { code: 0, stdout: SUMMARY_CLEAN(2, 2), stderr: "" });
    });

    it("prints JSON rows with their file and document, then the problems and a summary, and exits 1", async () => {
        const result = await run("--format", "json", VIOLATIONS);
        assert.equal(result.code, 1, result.stderr);
        const file = (name: string) => path.join(VIOLATIONS, name);
        assert.deepEqual(JSON.parse(result.stdout), {
            violations: [
                { ...EXPECTED_ROWS[0], file: file("job.yaml"), document: 1 },
                { ...EXPECTED_ROWS[1], file: file("list.yaml"), document: 1 },
                { ...EXPECTED_ROWS[2], file: file("list.yaml"), document: 1 },
            ],
            problems: [],
            summary: { files: 2, workloads: 3, violations: { mandatory: 3, advisory: 0 }, problems: 0, exitCode: 1 },
        });
    });

    it("prints one text line per violation with its file and document, then a summary", async () => {
        const file = path.join(VIOLATIONS, "job.yaml");
        const result = await run(file);
        assert.equal(result.code, 1);
        assert.equal(
            result.stdout,
            `${file} (document 1): mandatory [require-requests-limits] Job backfill container "backfill" is missing resources.limits.memory\n` +
                "checked 1 workload(s) in 1 file(s): 1 mandatory, 0 advisory violation(s)\n",
        );
    });

    it("applies the pack config: exemptions in `default` for namespace-less objects and enforcement levels", () => {
        const config = parsePackConfig(
            {
                "require-requests-limits": { exemptions: [{ kind: "Job", namespace: "default", name: "backfill", reason: "one-off backfill, deleted after the migration" }] },
                "disallow-latest-tag": "advisory",
            },
            rules,
        );
        const report = checkPaths([VIOLATIONS], config);
        assert.deepEqual(
            report.violations.map(({ violation }) => [violation.policy, violation.enforcementLevel]),
            [
                ["require-probes", "mandatory"],
                ["disallow-latest-tag", "advisory"],
            ],
        );
    });

    it("names a broken file and a missing path, still checks the rest, and exits 2 over 1", async () => {
        const dir = tree({ "a-job.yaml": JOB_YAML(), "b-broken.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n   bad: [\n" });
        const missing = path.join(dir, "does-not-exist");
        const result = await run(dir, missing);
        assert.equal(result.code, 2);
        assert.equal(
            result.stderr,
            `policy:manifests: ${missing}: cannot read: no such file or directory\n` +
                `policy:manifests: ${path.join(dir, "b-broken.yaml")} (document 1): is not valid YAML: bad indentation of a mapping entry (line 5, column 7)\n`,
        );
        assert.match(result.stdout, /^.*a-job\.yaml \(document 1\): mandatory \[require-requests-limits\]/);
        assert.match(result.stdout, /checked 1 workload\(s\) in 2 file\(s\): 1 mandatory, 0 advisory violation\(s\), 2 input error\(s\)\n$/);
    });

    describe("nothing to check", () => {
        it("exits 2 for an empty file, naming it and --allow-empty; exits 0 with --allow-empty", async () => {
            const file = path.join(tree({ "empty.yaml": "" }), "empty.yaml");
            const result = await run(file);
            assert.equal(result.code, 2);
            assert.equal(
                result.stderr,
                `policy:manifests: ${file}: nothing to check: no Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob or Pod in 1 file(s); check the path, or pass --allow-empty if that is expected\n`,
            );
            assert.deepEqual(await run("--allow-empty", file), { code: 0, stdout: "checked 0 workload(s) in 1 file(s): 0 mandatory, 0 advisory violation(s)\n", stderr: "" });
        });

        it("exits 2 for a directory without manifest files, even when another input has workloads", async () => {
            const dir = tree({ "notes.txt": "apiVersion: v1\n" });
            const result = await run(CLEAN, dir);
            assert.equal(result.code, 2);
            assert.equal(result.stderr, `policy:manifests: ${dir}: nothing to check: no .yaml, .yml or .json file; check the path, or pass --allow-empty if that is expected\n`);
        });

        it("reads .json manifests in a directory", async () => {
            const object = JSON.parse(JSON.stringify(parseManifests(JOB_YAML())[0])) as Record<string, unknown>;
            const dir = tree({ "job.json": JSON.stringify(object, null, 2) });
            const result = await run(dir);
            assert.equal(result.code, 1);
            assert.match(result.stdout, /job\.json \(document 1\): mandatory \[require-requests-limits\] Job backfill container "backfill" is missing resources\.limits\.memory\n/);
        });

        it("names a .json file that is not JSON", async () => {
            const dir = tree({ "bad.json": "{ nope" });
            const result = await run(dir);
            assert.equal(result.code, 2);
            assert.match(result.stderr, new RegExp(`^policy:manifests: ${path.join(dir, "bad.json")}: is not valid JSON: `));
        });
    });

    describe("lists", () => {
        it("flattens a List nested in a List and a typed DeploymentList whose items carry no kind, as kubectl does", async () => {
            const pod = (name: string) => `{apiVersion: v1, kind: Pod, metadata: {name: ${name}}, spec: {containers: [{name: c, image: "nginx:latest"}]}}`;
            const text = [
                `apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: List\n    items:\n      - ${pod("inner")}\n`,
                `apiVersion: apps/v1\nkind: DeploymentList\nitems:\n  - metadata: {name: typed}\n    spec: {template: {spec: {containers: [{name: c, image: "nginx:latest"}]}}}\n`,
            ].join("---\n");
            const file = path.join(tree({ "lists.yaml": text }), "lists.yaml");
            const report = checkPaths([file]);
            assert.equal(report.workloads, 2);
            assert.deepEqual(
                [...new Set(report.violations.map(({ document, violation }) => `${document} ${violation.kind} ${violation.name}`))],
                ["1 Pod inner", "2 Deployment typed"],
            );
        });

        it("expands List items and skips empty documents", () => {
            assert.deepEqual(parseManifests("---\n---\napiVersion: v1\nkind: List\nitems:\n  - {apiVersion: v1, kind: ConfigMap}\n---\n"), [{ apiVersion: "v1", kind: "ConfigMap" }]);
        });
    });

    describe("symbolic links", () => {
        it("follows linked files and directories, checks each file once, and stops at a link back to an ancestor", async () => {
            const real = tree({ "jobs/job.yaml": JOB_YAML() });
            const dir = tempDir();
            fs.symlinkSync(path.join(real, "jobs"), path.join(dir, "linked-dir"));
            fs.symlinkSync(path.join(real, "jobs", "job.yaml"), path.join(dir, "linked.yaml"));
            fs.symlinkSync(dir, path.join(dir, "loop"));
            const result = await run(dir);
            assert.equal(result.code, 1, result.stderr);
            assert.equal(result.stderr, "");
            assert.equal(result.stdout.split("\n").filter((l) => l.includes("[require-requests-limits]")).length, 1);
            assert.match(result.stdout, /checked 1 workload\(s\) in 1 file\(s\)/);
        });

        it("names a dangling link", async () => {
            const dir = tree({ "job.yaml": JOB_YAML() });
            fs.symlinkSync(path.join(dir, "gone.yaml"), path.join(dir, "dangling.yaml"));
            const result = await run(dir);
            assert.equal(result.code, 2);
            assert.equal(result.stderr, `policy:manifests: ${path.join(dir, "dangling.yaml")}: is a symbolic link that cannot be followed: no such file or directory\n`);
        });
    });

    describe("unrendered input", () => {

        it("fails a Helm template that happens to parse on its {{ }} image, instead of accepting it as pinned", async () => {
            // A document that parses is judged (a {{ in a value is content); its image is no image reference.
            for (const image of ['"{{ .Values.image }}"', '"app:{{.Values.tag}}"']) {
                const file = path.join(tree({ "deployment.yaml": deployment("web", GOOD_CONTAINER.replace("ghcr.io/footanalytics/app:1.0.0", image)) }), "deployment.yaml");
                const result = await run(file);
                assert.equal(result.code, 1);
                assert.equal(result.stdout.split("\n")[0], `${file} (document 1): mandatory [disallow-latest-tag] Deployment web/web container "app" has image ${image}, which is not an image reference; set an image with a version tag or a digest`);
            }
        });

        it("says to render a template that does not parse", async () => {
            const file = path.join(tree({ "t.yaml": "{{- if .Values.enabled }}\napiVersion: v1\nkind: Pod\n{{- end }}\n" }), "t.yaml");
            const result = await run(file);
            assert.equal(result.code, 2);
            assert.match(result.stderr, new RegExp(`^policy:manifests: ${file} \\(document 1\\): holds template markers \\({{ or {%\\) and is not valid YAML \\(.*\\): it is a template, not a manifest; render it first`));
        });

        it("leaves templates of other systems in rendered non-workload objects alone", async () => {
            const text = `${deployment("web", GOOD_CONTAINER)}---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: alerts}\ndata:\n  message: "{{ .app.metadata.name }} is {{ .app.status.health.status }}"\n`;
            assert.deepEqual(await run(path.join(tree({ "a.yaml": text }), "a.yaml")), { code: 0, stdout: SUMMARY_CLEAN(1, 1), stderr: "" });
        });

        it("refuses a kustomization directory and says to render it", async () => {
            const dir = tree({ "kustomization.yaml": "resources: [deployment.yaml]\n", "deployment.yaml": deployment("web", GOOD_CONTAINER), "patch.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      containers: [{name: app, image: x:1}]\n" });
            const result = await run(dir);
            assert.equal(result.code, 2);
            assert.equal(
                result.stderr,
                `policy:manifests: ${dir}: holds kustomization.yaml: its files are bases and patches, not manifests; render it first with \`kustomize build ${dir} > rendered.yaml\` (or \`kubectl kustomize\`) and check rendered.yaml\n`,
            );
            assert.equal(result.stdout, "checked 0 workload(s) in 0 file(s): 0 mandatory, 0 advisory violation(s), 1 input error(s)\n");
        });
    });

    describe("malformed workloads", () => {
        const cases: [string, string, string][] = [
            ["containers as a map", "      containers:\n        app: {image: nginx:1.27}\n", "spec.template.spec.containers (a map) must be a list of containers"],
            ["containers: null", "      containers: null\n", "spec.template.spec.containers is null; expected a list of containers"],
            ["containers: []", "      containers: []\n", "spec.template.spec.containers is empty; a pod needs at least one container"],
            ["containers indented under spec", "      hostNetwork: false\n  containers:\n    - {name: app, image: nginx:1.27}\n", "spec.template.spec.containers is missing; expected a list of containers"],
        ];
        for (const [label, podSpec, message] of cases) {
            it(`reports ${label} as an input error naming the path`, async () => {
                const file = path.join(tree({ "d.yaml": deployment("web", podSpec) }), "d.yaml");
                const result = await run(file);
                assert.equal(result.code, 2);
                assert.equal(result.stderr, `policy:manifests: ${file} (document 1): Deployment web/web: ${message}\n`);
                assert.equal(result.stdout, "checked 0 workload(s) in 1 file(s): 0 mandatory, 0 advisory violation(s), 1 input error(s)\n");
            });
        }

        it('reports spec: "oops" on a Pod as an input error', async () => {
            const file = path.join(tree({ "p.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: oops\n" }), "p.yaml");
            const result = await run(file);
            assert.equal(result.code, 2);
            assert.equal(result.stderr, `policy:manifests: ${file} (document 1): Pod p: spec (a string "oops") must be an object\n`);
        });
    });

    describe("generateName", () => {
        const job = "apiVersion: batch/v1\nkind: Job\nmetadata: {generateName: backup-, namespace: ops}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: backup, image: ghcr.io/footanalytics/backup:1.0.0}]\n";

        it("names a generateName object <generateName>* and matches only an exemption of that form", async () => {
            const dir = tree({ "job.yaml": job });
            const result = await run("--format", "json", dir);
            const rows = (JSON.parse(result.stdout) as { violations: { name: string; message: string }[] }).violations;
            assert.deepEqual([...new Set(rows.map((r) => r.name))], ["backup-*"]);
            assert.equal(rows[0].message, 'Job ops/backup-* container "backup" is missing resources.requests.cpu, resources.requests.memory, resources.limits.cpu, resources.limits.memory');
            const exempt = (name: string) =>
                checkPaths([dir], parsePackConfig({ "require-requests-limits": { exemptions: [{ kind: "Job", namespace: "ops", name, reason: "r" }] } }, rules)).violations.length;
            assert.equal(exempt("backup-*"), 0);
            assert.equal(exempt("backup-"), rows.length);
        });

        it("rejects an exemption for (unnamed), which would silence every generated object", () => {
            assert.throws(
                () => parsePackConfig({ "require-probes": { exemptions: [{ kind: "Pod", namespace: "a", name: "(unnamed)", reason: "r" }] } }, rules),
                /require-probes\.exemptions\[0\]\.name \("\(unnamed\)"\) matches no object: name it by metadata\.name, or by "<generateName>\*" for an object named from metadata\.generateName/,
            );
        });

        it("reports a workload with neither name nor generateName as an input error", async () => {
            const file = path.join(tree({ "p.yaml": "apiVersion: v1\nkind: Pod\nspec: {containers: [{name: c, image: nginx:1.27}]}\n" }), "p.yaml");
            const result = await run(file);
            assert.equal(result.code, 2);
            assert.equal(result.stderr, `policy:manifests: ${file} (document 1): Pod has neither metadata.name nor metadata.generateName; name the object\n`);
        });
    });

    it("finds exactly the generated violations in a generated directory", () => {
        const dir = tempDir();
        writeWorkloadManifests(dir, { count: 70, violationEvery: 7 });
        const report = checkPaths([dir]);
        const expected = generateWorkloadManifests({ count: 70, violationEvery: 7 }).filter((m) => m.violation !== undefined).length;
        assert.equal(report.workloads, 70);
        assert.equal(report.violations.length, expected);
        assert.equal(expected, 10);
    });

    it("gives the same findings, order, problems and exit code on two threads as on one", async () => {
        const dir = tempDir();
        writeWorkloadManifests(path.join(dir, "a"), { count: 700, violationEvery: 3 });
        fs.writeFileSync(path.join(dir, "a", "00350-broken.yaml"), "kind: [unclosed\n");
        writeWorkloadManifests(path.join(dir, "b"), { count: 300, violationEvery: 5 });
        for (const format of ["json", "text"]) {
            const one = await run("--jobs", "1", "--format", format, dir, path.join(dir, "missing"));
            const two = await run("--jobs", "2", "--format", format, dir, path.join(dir, "missing"));
            assert.equal(one.code, 2);
            assert.deepEqual(two, one);
        }
        const json = JSON.parse((await run("--jobs", "2", "--format", "json", dir)).stdout) as { violations: { file: string }[]; summary: Record<string, unknown> };
        assert.deepEqual(json.summary, { files: 1001, workloads: 1000, violations: { mandatory: 293, advisory: 0 }, problems: 1, exitCode: 2 });
        const files = json.violations.map((v) => v.file);
        assert.deepEqual(files, [...files].sort());
    });

    describe("command line", () => {
        it("exits 2 naming the broken file on stderr, without a stack trace, and still reports the other files", () => {
            const dir = tree({ "list.yaml": fs.readFileSync(path.join(VIOLATIONS, "list.yaml"), "utf8"), "broken.yaml": "kind: [unclosed\n" });
            const result = cli("--format", "json", dir);
            assert.equal(result.status, 2);
            assert.match(result.stderr, new RegExp(`^policy:manifests: ${path.join(dir, "broken.yaml")} \\(document 1\\): is not valid YAML: `));
            assert.doesNotMatch(result.stderr, /\n\s+at /);
            assert.equal((JSON.parse(result.stdout) as { violations: unknown[] }).violations.length, 2);
        });

        it("exits 2 with a usage message for an unknown format, a bad --jobs or an invalid config, without a stack trace", async () => {
            const dir = tempDir();
            const config = path.join(dir, "config.json");
            fs.writeFileSync(config, JSON.stringify({ "require-probes": { exemptions: [{ kind: "Pod", namespace: "a", name: "b" }] } }));
            await assert.rejects(run("--format", "xml", CLEAN), { exitCode: 2, message: /^policy:manifests: --format \(xml\) must be one of: text, json\nusage: / });
            await assert.rejects(run("--jobs", "0", CLEAN), { exitCode: 2, message: /^policy:manifests: --jobs \(0\) must be a whole number of at least 1\n/ });
            await assert.rejects(run(), { exitCode: 2, message: /^policy:manifests: name at least one file or directory \(- for standard input\)\n/ });
            const badConfig = cli("--config", config, CLEAN);
            assert.equal(badConfig.status, 2);
            assert.match(badConfig.stderr, /require-probes\.exemptions\[0\]\.reason is required/);
            assert.doesNotMatch(badConfig.stderr, /\n\s+at /);
        });
    });

    describe("plaintext Secrets", () => {
        const plaintext = "apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: web, annotations: {footanalytics.io/secret-source: pulumi}}\ntype: Opaque\nstringData: {password: hunter2}\n";
        const external =
            "apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata: {name: db, namespace: web}\nspec:\n  secretStoreRef: {kind: ClusterSecretStore, name: aws-secrets-manager}\n  target: {name: db}\n  data:\n    - secretKey: password\n      remoteRef: {key: footanalytics/production/apps/web/db, property: password}\n";

        it("exits 1 for a plaintext Secret in a multi-document file, naming it, even with the program's annotation", async () => {
            const file = path.join(tree({ "app.yaml": `${deployment("web", GOOD_CONTAINER)}---\n${plaintext}` }), "app.yaml");
            const result = await run(file);
            assert.equal(result.code, 1);
            assert.equal(
                result.stdout,
                `${file} (document 2): mandatory [no-plaintext-secrets] Secret web/db holds secret values in plain text (stringData: password); keep the values in AWS Secrets Manager under footanalytics/<stack>/apps/ and commit an ExternalSecret (external-secrets.io/v1) that names the ClusterSecretStore "aws-secrets-manager" instead (docs/platform.md)\n` +
                    "checked 2 workload(s) in 1 file(s): 1 mandatory, 0 advisory violation(s)\n",
            );
            assert.doesNotMatch(result.stdout, /hunter2/);
        });

        it("exits 0 for the same application with an ExternalSecret, and for a Secret inside a List without keys", async () => {
            const file = path.join(tree({ "app.yaml": `${deployment("web", GOOD_CONTAINER)}---\n${external}---\napiVersion: v1\nkind: List\nitems:\n  - {apiVersion: v1, kind: Secret, metadata: {name: filled, namespace: web}}\n` }), "app.yaml");
            assert.deepEqual(await run(file), { code: 0, stdout: SUMMARY_CLEAN(2, 1), stderr: "" });
        });
    });
});
