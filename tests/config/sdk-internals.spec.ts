/**
 * The contract of config/sdk-internals.ts with the installed Pulumi SDK. Each failure names the
 * internal an SDK upgrade moved or changed, so the adapter is fixed in one place.
 */
import * as assert from "assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import Module from "module";
import * as pulumi from "@pulumi/pulumi";
import { allConfig, isConfigSecret, leanPromiseRecords, OFFLINE_CALLBACK_TARGET, offlineCallbackFields, offlineCallbacks, onRegistered, outputIsSecret, outputValue, RegisterRequest, SDK_FILES, SDK_MODULES, SDK_STACK_TAKERS, waitForRPCs } from "../../config/sdk-internals";

const SDK_VERSION = (JSON.parse(fs.readFileSync(require.resolve("@pulumi/pulumi/package.json"), "utf8")) as { version: string }).version;
const broken = (what: string, found: string) =>
    `@pulumi/pulumi ${SDK_VERSION}: ${what} (found ${found}); update config/sdk-internals.ts for this SDK version`;

// eslint-disable-next-line @typescript-eslint/no-require-imports
const load = (path: string): Record<string, unknown> => require(path) as Record<string, unknown>;

/** The internal functions the adapter calls, with the arity it calls them with. */
const FUNCTIONS: readonly { module: keyof typeof SDK_MODULES; name: string; arity: number; of?: string }[] = [
    { module: "config", name: "allConfig", arity: 0 },
    { module: "config", name: "isConfigSecret", arity: 1 },
    { module: "settings", name: "getMonitor", arity: 0 },
    { module: "settings", name: "waitForRPCs", arity: 0 },
    { module: "debuggable", name: SDK_STACK_TAKERS.debuggablePromise, arity: 2 },
    { module: "mocks", name: "registerResource", arity: 2, of: "MockMonitor.prototype" },
    { module: "resource", name: SDK_STACK_TAKERS.callsites, arity: 0, of: "Resource" },
];

/** The first frame of the stack `fn` takes, as V8 hands it to `Error.prepareStackTrace`. */
function topFrame(fn: () => void): { file: string; fn: string | null } | undefined {
    const saved = Error.prepareStackTrace;
    let top: { file: string; fn: string | null } | undefined;
    Error.prepareStackTrace = (_error, frames) => {
        top ??= frames[0] === undefined ? undefined : { file: frames[0].getFileName() ?? "", fn: frames[0].getFunctionName() };
        return "";
    };
    try {
        fn();
    } finally {
        Error.prepareStackTrace = saved;
    }
    return top;
}

describe("SDK internals (config/sdk-internals.ts)", () => {
    for (const [key, path] of Object.entries(SDK_MODULES)) {
        it(`resolves the SDK module ${key} (${path})`, () => {
            assert.doesNotThrow(() => require.resolve(path), broken(`module ${path} is gone`, "no such module"));
        });
    }

    for (const f of FUNCTIONS) {
        it(`finds ${f.of ?? SDK_MODULES[f.module]}.${f.name} taking ${f.arity} argument(s)`, () => {
            const mod = load(SDK_MODULES[f.module]);
            const holder = f.of === undefined ? mod : (f.of.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], mod) as Record<string, unknown> | undefined);
            const fn = holder?.[f.name];
            assert.equal(typeof fn, "function", broken(`${SDK_MODULES[f.module]} has no function ${f.of ? `${f.of}.` : ""}${f.name}`, typeof fn));
            assert.equal((fn as (...a: unknown[]) => unknown).length, f.arity, broken(`${f.name} changed its parameters`, `${(fn as () => unknown).length} parameter(s)`));
        });
    }

    it("reads the configuration and its secret keys as the CLI set them", () => {
        pulumi.runtime.setAllConfig({ "sdk-contract:plain": "a", "sdk-contract:token": "b" }, ["sdk-contract:token"]);
        try {
            assert.deepEqual(allConfig(), { "sdk-contract:plain": "a", "sdk-contract:token": "b" }, broken("allConfig() no longer returns what setAllConfig() set", JSON.stringify(allConfig())));
            assert.equal(isConfigSecret("sdk-contract:token"), true, broken("isConfigSecret() misses a secret key", "false"));
            assert.equal(isConfigSecret("sdk-contract:plain"), false, broken("isConfigSecret() reports a plain key as secret", "true"));
        } finally {
            pulumi.runtime.setAllConfig({}, []);
        }
    });

    it("records every registration with the request fields the harness reads, once the mock monitor answers", async () => {
        await pulumi.runtime.setMocks({ newResource: (a) => ({ id: `${a.name}-id`, state: a.inputs }), call: (a) => a.inputs }, "sdk-contract", "test", false);
        const seen: { req: RegisterRequest; urn: string }[] = [];
        onRegistered((req, urn) => seen.push({ req, urn }));
        class Thing extends pulumi.CustomResource {}
        const parent = new pulumi.ComponentResource("sdk:index:Parent", "p", {});
        const before = new Thing("sdk:index:Before", "b", {});
        const child = new Thing("sdk:index:Thing", "t", { size: 3, token: pulumi.secret("s") }, { parent, protect: true, retainOnDelete: true, dependsOn: [before], ignoreChanges: ["size"] });
        await outputValue(child.urn);
        await waitForRPCs();
        const thing = seen.find((s) => s.req.getType() === "sdk:index:Thing");
        assert.ok(thing, broken("onRegistered() saw no registration: MockMonitor.registerResource is no longer called", `${seen.length} registration(s)`));
        const { req } = thing;
        const fields = {
            type: req.getType(), name: req.getName(), parent: req.getParent(), custom: req.getCustom(), remote: req.getRemote(),
            protect: req.getProtect(), retainOnDelete: req.getRetainondelete(), dependencies: req.getDependenciesList(),
            ignoreChanges: req.getIgnorechangesList(), providers: req.getProvidersMap().toObject(), size: req.getObject()?.toJavaScript().size,
        };
        const [parentUrn, beforeUrn] = await Promise.all([outputValue(parent.urn), outputValue(before.urn)]);
        assert.deepEqual(fields, {
            type: "sdk:index:Thing", name: "t", parent: parentUrn, custom: true, remote: false, protect: true, retainOnDelete: true,
            dependencies: [beforeUrn], ignoreChanges: ["size"], providers: [], size: 3,
        }, broken("a RegisterResourceRequest getter changed", JSON.stringify(fields)));
        assert.equal(thing.urn, await outputValue(child.urn), broken("the monitor's answer no longer carries the URN", thing.urn));
        assert.equal(typeof req.getProvider(), "string", broken("getProvider() no longer returns a string", typeof req.getProvider()));
    });

    it("sets the same fields on an offline callback server as CallbackServer's constructor, and the SDK keeps a run's server in its store", async () => {
        await pulumi.runtime.setMocks({ newResource: (a) => ({ id: `${a.name}-id`, state: a.inputs }), call: (a) => a.inputs }, "sdk-contract", "test", false);
        const { CallbackServer } = load(SDK_MODULES.callbacks) as { CallbackServer: new (monitor: unknown) => { shutdown(): void } };
        const settings = load(SDK_MODULES.settings) as { getMonitor(): unknown; getCallbacks(): unknown };
        const real = new CallbackServer(settings.getMonitor());
        try {
            const fields = Object.keys(real).sort();
            assert.deepEqual(Object.keys(offlineCallbackFields(undefined)).sort(), fields, broken("CallbackServer's constructor sets other fields", fields.join(", ")));
        } finally {
            real.shutdown();
        }
        offlineCallbacks();
        const store = (load(SDK_MODULES.state) as { getStore(): { callbacks?: unknown } }).getStore();
        assert.ok(store.callbacks instanceof CallbackServer, broken("the run's store no longer holds the callback server as `callbacks`", typeof store.callbacks));
        assert.equal(settings.getCallbacks(), store.callbacks, broken("getCallbacks() no longer answers the store's `callbacks`", "another server"));
    });

    it("registers a transform on the offline callback server, under its address, without a server listening", async () => {
        await pulumi.runtime.setMocks({ newResource: (a) => ({ id: `${a.name}-id`, state: a.inputs }), call: (a) => a.inputs }, "sdk-contract", "test", false);
        offlineCallbacks();
        const seen: RegisterRequest[] = [];
        onRegistered((req) => seen.push(req));
        class Thing extends pulumi.CustomResource {}
        const thing = new Thing("sdk:index:Thing", "t", {}, { transforms: [(args) => ({ props: args.props, opts: args.opts })] });
        await outputValue(thing.urn);
        await waitForRPCs();
        const callbacks = (load(SDK_MODULES.settings) as { getCallbacks(): { _callbacks: Map<string, unknown>; _server: unknown } }).getCallbacks();
        const [transform] = seen.find((r) => r.getType() === "sdk:index:Thing")?.getTransformsList() ?? [];
        assert.ok(transform !== undefined && callbacks._callbacks.has(transform.getToken()), broken("registerTransform no longer keeps the function in _callbacks under the request's token", String(transform?.getToken())));
        assert.equal((transform as unknown as { getTarget(): string }).getTarget(), OFFLINE_CALLBACK_TARGET, broken("registerTransform no longer answers `_target`", "another address"));
        assert.deepEqual(Object.keys(callbacks._server as object), ["forceShutdown"]);
    });

    it("keeps the lean promise records among the run's leak candidates until they settle, tags a rejection with its promise, and puts the SDK's function back", async () => {
        const debuggable = load(SDK_MODULES.debuggable) as { debuggablePromise<T>(p: Promise<T>, ctx: string): Promise<T> };
        const sdkFunction = debuggable.debuggablePromise;
        const candidates = (load(SDK_MODULES.state) as { getStore(): { leakCandidates: Set<Promise<unknown>> } }).getStore().leakCandidates;
        const restore = leanPromiseRecords();
        try {
            await debuggable.debuggablePromise(Promise.resolve(0), "first: the SDK's own");
            let settle!: (v: number) => void;
            const pending = new Promise<number>((resolve) => (settle = resolve));
            const recorded = debuggable.debuggablePromise(pending, "lean");
            assert.ok(candidates.has(pending), broken("the run's store no longer keeps leak candidates in `leakCandidates`", "not there"));
            assert.equal(Object.getOwnPropertyNames(pending).length, 0);
            settle(42);
            assert.equal(await recorded, 42);
            assert.equal(candidates.has(pending), false);
            const failing = Promise.reject(new Error("boom"));
            await assert.rejects(debuggable.debuggablePromise(failing, "lean"), (err: Error & { promise?: unknown }) => err.message === "boom" && err.promise === failing);
        } finally {
            restore();
        }
        assert.equal(debuggable.debuggablePromise, sdkFunction);
    });

    it("still reports a promise that never settles at exit, exit 1, with the lean records (the SDK's function installs the report)", () => {
        const root = path.resolve(__dirname, "..", "..");
        const script = [
            'const { leanPromiseRecords } = require("./config/sdk-internals.ts");',
            `const debuggable = require(${JSON.stringify(SDK_MODULES.debuggable)});`,
            "leanPromiseRecords();",
            'debuggable.debuggablePromise(Promise.resolve(1), "settles");',
            'debuggable.debuggablePromise(new Promise(() => undefined), "never settles");',
        ].join("\n");
        const child = spawnSync(process.execPath, ["--require", "./tools/register.js", "-e", script], { cwd: root, encoding: "utf8" });
        assert.equal(child.status, 1, child.stderr);
        assert.match(child.stderr, /^The Pulumi runtime detected that 1 promise was still active\nat the time that the process exited/, broken("the exit-time leak report changed", child.stderr.split("\n")[0]));
    });

    it("awaits an Output's value and secretness", async () => {
        assert.equal(await outputValue(pulumi.output(41).apply((x) => x + 1)), 42, broken("Output.promise() no longer resolves to the value", "another value"));
        assert.equal(await outputIsSecret(pulumi.secret("s")), true, broken("Output.isSecret no longer resolves to true for a secret", "false"));
        assert.equal(await outputIsSecret(pulumi.output("s")), false, broken("Output.isSecret no longer resolves to false for a plain value", "true"));
    });

    it("takes a stack trace in debuggablePromise, from the file SDK_FILES.debuggable names", () => {
        const { debuggablePromise } = load(SDK_MODULES.debuggable) as { debuggablePromise(p: Promise<unknown>, ctx: string): Promise<unknown> };
        const top = topFrame(() => void debuggablePromise(Promise.resolve(), "sdk-contract"));
        assert.ok(top !== undefined && top.fn === SDK_STACK_TAKERS.debuggablePromise && SDK_FILES.debuggable.test(top.file),
            broken("debuggablePromise no longer formats a stack trace itself, or moved", JSON.stringify(top)));
    });

    it("takes a stack trace in Resource.callsites, from the file SDK_FILES.resource names", () => {
        const { Resource } = load(SDK_MODULES.resource) as { Resource: { callsites(): unknown[] } };
        const top = topFrame(() => void Resource.callsites());
        assert.ok(top !== undefined && top.fn === SDK_STACK_TAKERS.callsites && SDK_FILES.resource.test(top.file),
            broken("Resource.callsites no longer formats a stack trace itself, or moved", JSON.stringify(top)));
    });

    it("requires the TypeScript compiler from the file SDK_FILES.typescriptShim names, and nowhere else on load", () => {
        const shim = require.resolve(SDK_MODULES.typescriptShim);
        const m = Module as unknown as { _load(request: string, parent: { filename: string } | undefined, isMain: boolean): unknown };
        const original = m._load;
        const parents: string[] = [];
        const cached = require.cache[shim];
        delete require.cache[shim];
        m._load = function (request, parent, isMain) {
            if (request === "typescript") parents.push(parent?.filename ?? "");
            return original.call(this, request, parent, isMain);
        };
        try {
            load(shim);
        } finally {
            m._load = original;
            require.cache[shim] = cached;
        }
        assert.ok(parents.length === 1 && SDK_FILES.typescriptShim.test(parents[0]), broken("typescript-shim.js no longer requires \"typescript\"", JSON.stringify(parents)));
    });
});
