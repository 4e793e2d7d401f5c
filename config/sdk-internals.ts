/**
 * Every internal of the Pulumi Node.js SDK (`@pulumi/pulumi`, pinned in package.json) that this
 * repository relies on, and the only module that reaches for one. Config reads the CLI's
 * configuration through it; the offline runtime (tools/harness.ts, tools/register.js) records
 * registrations and cheapens the SDK's stack traces through it; tests/helpers.ts awaits Outputs
 * through it.
 *
 * None of these is public API, so an SDK upgrade may move or change any of them silently:
 * tests/config/sdk-internals.spec.ts checks each one against the installed SDK (module path,
 * export, arity and behaviour) and names the entry below that an upgrade broke.
 *
 * Loading this module loads nothing: every SDK module is required on first use, so
 * tools/register.js can read `SDK_FILES` in every process without paying for the SDK.
 */
import type * as pulumi from "@pulumi/pulumi";

/** SDK modules whose exports are used here, by the path `require` takes. */
export const SDK_MODULES = Object.freeze({
    config: "@pulumi/pulumi/runtime/config",
    settings: "@pulumi/pulumi/runtime/settings",
    debuggable: "@pulumi/pulumi/runtime/debuggable",
    mocks: "@pulumi/pulumi/runtime/mocks",
    resource: "@pulumi/pulumi/resource",
    resourceProto: "@pulumi/pulumi/proto/resource_pb",
    callbacks: "@pulumi/pulumi/runtime/callbacks",
    state: "@pulumi/pulumi/runtime/state",
    typescriptShim: "@pulumi/pulumi/typescript-shim",
} as const);

/**
 * SDK source files recognized by their path (in a stack frame or as a module's parent), and the
 * functions in them whose behaviour the offline runtime relies on.
 */
export const SDK_FILES = Object.freeze({
    /** `debuggablePromise(p, ctx)` formats `new Error().stack` for every promise it wraps. */
    debuggable: /[\\/]@pulumi[\\/]pulumi[\\/]runtime[\\/]debuggable\.js$/,
    /** `Resource.callsites()` formats the whole stack of every resource it registers. */
    resource: /[\\/]@pulumi[\\/]pulumi[\\/]resource\.js$/,
    /** `require("typescript")` when the SDK loads, only for `pulumi.runtime.serializeFunction`. */
    typescriptShim: /[\\/]@pulumi[\\/]pulumi[\\/]typescript-shim\.js$/,
});

/** Names of the SDK functions that take the stack traces `SDK_FILES` describes (`Function.name`). */
export const SDK_STACK_TAKERS = Object.freeze({ debuggablePromise: "debuggablePromise", callsites: "callsites" } as const);

/** The SDK's config module: the CLI's configuration and its secret keys. */
interface ConfigModule {
    allConfig(): Record<string, string>;
    isConfigSecret(key: string): boolean;
}

/** The part of a `RegisterResourceRequest` (protobuf) the harness reads. */
export interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    getRemote(): boolean;
    getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
    getProtect(): boolean;
    getRetainondelete(): boolean;
    getDependenciesList(): string[];
    getProvider(): string;
    getIgnorechangesList(): string[];
    getProvidersMap(): { toObject(): [string, string][] };
    /** The `transforms` resource option: one callback per transform, named by a token. */
    getTransformsList(): { getToken(): string }[];
}

/** The callback a monitor answers `registerResource` with. */
export type RegisterCallback = (err: unknown, resp: { getUrn(): string } | undefined) => void;

/** The resource monitor (under mocks, `MockMonitor`), as far as the harness uses it. */
export interface Monitor {
    registerResource(req: RegisterRequest, cb: RegisterCallback): Promise<void> | void;
}

interface SettingsModule {
    getMonitor(): Monitor | undefined;
    waitForRPCs(): Promise<void>;
    /** The callback server of the current run (`runtime/callbacks.js` `CallbackServer`), holding `_callbacks` by token. */
    getCallbacks(): { _callbacks: Map<string, (request: Uint8Array) => Promise<{ serializeBinary(): Uint8Array }>> } | undefined;
}

/** What the engine hands a transform for a child resource, and what comes back. */
export interface TransformCall {
    readonly type: string;
    readonly name: string;
    readonly parent: string;
    readonly props: Record<string, unknown>;
    /** The child's `retainOnDelete` as the transform sees it: its own, else inherited from its parent. */
    readonly retainOnDelete?: boolean;
    /** The child's `protect` as the transform sees it (inherited from its parent). */
    readonly protect?: boolean;
}

/** A transform's answer: the properties, and `retainOnDelete`/`protect` when the transform set them. */
export interface TransformResult {
    readonly props: Record<string, unknown>;
    readonly retainOnDelete?: boolean;
    readonly protect?: boolean;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the SDK's internal modules have no public import path
const sdk = <T>(path: string): T => require(path) as T;

/** Every configuration value the CLI passed to the program (`PULUMI_CONFIG`), namespaced keys. */
export function allConfig(): Record<string, string> {
    return sdk<ConfigModule>(SDK_MODULES.config).allConfig();
}

/** Whether the CLI marked a key as secret (`PULUMI_CONFIG_SECRET_KEYS`). */
export function isConfigSecret(key: string): boolean {
    return sdk<ConfigModule>(SDK_MODULES.config).isConfigSecret(key);
}

/** Resolve once every outstanding RPC (registrations, invokes, outputs) has settled. */
export function waitForRPCs(): Promise<void> {
    return sdk<SettingsModule>(SDK_MODULES.settings).waitForRPCs();
}

/**
 * Call `onRegistered` with each request the current monitor answers successfully, before the
 * program sees the answer. Patches the monitor's private `registerResource(req, cb)`; call it after
 * `pulumi.runtime.setMocks` (each `setMocks` creates a new monitor).
 */
export function onRegistered(onRegistered: (req: RegisterRequest, urn: string) => void): void {
    const monitor = sdk<SettingsModule>(SDK_MODULES.settings).getMonitor();
    if (monitor === undefined) throw new Error("no resource monitor: call pulumi.runtime.setMocks() before onRegistered()");
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, cb) =>
        register(req, (err, resp) => {
            if (!err && resp) onRegistered(req, resp.getUrn());
            cb(err, resp);
        });
}

/** An Output's value (`undefined` while unknown in a preview), through its private `promise()`. */
export function outputValue<T>(output: pulumi.Output<T>): Promise<T> {
    return (output as unknown as { promise(): Promise<T> }).promise();
}

/** Whether an Output is secret, through its private `isSecret` promise. */
export function outputIsSecret(output: pulumi.Output<unknown>): Promise<boolean> {
    return (output as unknown as { isSecret: Promise<boolean> }).isSecret;
}

interface ProtoStruct {
    toJavaScript(): Record<string, unknown>;
}
interface ResourceProto {
    TransformRequest: new () => {
        setType(v: string): void; setName(v: string): void; setCustom(v: boolean): void; setParent(v: string): void;
        setProperties(v: ProtoStruct): void; setOptions(v: unknown): void; serializeBinary(): Uint8Array;
    };
    TransformResourceOptions: new () => { setRetainOnDelete(v: boolean): void; setProtect(v: boolean): void };
    TransformResponse: {
        deserializeBinary(bytes: Uint8Array): {
            getProperties(): ProtoStruct | undefined;
            getOptions(): { hasRetainOnDelete(): boolean; getRetainOnDelete(): boolean | undefined; hasProtect(): boolean; getProtect(): boolean | undefined } | undefined;
        };
    };
}

/** The transform functions the program registered, by callback token (see `recordTransformFunctions`). */
const transformFunctions = new Map<string, pulumi.ResourceTransform>();

interface CallbacksModule {
    CallbackServer: (new (monitor: unknown) => object) & {
        prototype: { registerTransform(transform: pulumi.ResourceTransform): Promise<{ getToken(): string }> } & { __footanalyticsRecorded?: true };
    };
}

interface StateModule {
    /**
     * The state of the current run: `callbacks` is where `settings.getCallbacks()` keeps its server,
     * `leakCandidates` the promises `debuggablePromise` has seen that have not settled yet.
     */
    getStore(): { callbacks?: object; leakCandidates: Set<Promise<unknown>> };
}

interface DebuggableModule {
    debuggablePromise<T>(p: Promise<T>, ctx: string): Promise<T>;
}

/**
 * Record the program's promises the lean way while it runs offline; returns the function that puts
 * the SDK's own back. The SDK wraps every promise it makes in `debuggablePromise`
 * (`runtime/debuggable.js`): it defines three properties on the promise (an id, a context and a
 * formatted stack trace, printed only with PULUMI_DEBUG_PROMISE_LEAKS), chains two more promises
 * (`then`, `catch`), and keeps the promise among the run's leak candidates until it settles, for the
 * report the SDK prints at exit when one never does (a cycle between resources: the program would
 * otherwise end with nothing written and exit 0). The lean wrapper keeps the leak candidates, the
 * report and the `promise` an error is tagged with, and drops the debug properties: ~70 ms of CPU and
 * ~80 ms of wall time of a production plan. The SDK's function wraps the first promise, which installs
 * its exit hook. Call it only when PULUMI_DEBUG_PROMISE_LEAKS is unset (the report then shows each
 * promise's context and stack, which needs the SDK's function).
 */
export function leanPromiseRecords(): () => void {
    const debuggable = sdk<DebuggableModule>(SDK_MODULES.debuggable);
    const state = sdk<StateModule>(SDK_MODULES.state);
    const original = debuggable.debuggablePromise;
    let first = true;
    debuggable.debuggablePromise = function leanDebuggablePromise<T>(p: Promise<T>, ctx: string): Promise<T> {
        if (first) {
            first = false;
            return original(p, ctx);
        }
        const candidates = state.getStore().leakCandidates;
        candidates.add(p);
        return p.then(
            (value) => {
                candidates.delete(p);
                return value;
            },
            (err: unknown) => {
                candidates.delete(p);
                (err as { promise?: unknown }).promise = p;
                throw err;
            },
        );
    };
    return () => {
        debuggable.debuggablePromise = original;
    };
}

/** The address an offline callback server gives the callbacks it registers (nothing listens there). */
export const OFFLINE_CALLBACK_TARGET = "127.0.0.1:0";

/**
 * The fields `runtime/callbacks.js` `CallbackServer`'s constructor sets, for a server that does not
 * listen: the gRPC server replaced by one that only shuts down, the address (`_target`) known at once.
 */
export function offlineCallbackFields(monitor: unknown): Record<string, unknown> {
    return {
        _callbacks: new Map(),
        _pendingRegistrations: 0,
        _awaitQueue: [],
        _monitor: monitor,
        _server: { forceShutdown: () => undefined },
        _target: Promise.resolve(OFFLINE_CALLBACK_TARGET),
    };
}

/**
 * Give the current run a callback server that does not listen. The first time a resource has
 * transforms, the SDK starts one per run (`settings.getCallbacks()`): a gRPC server on 127.0.0.1 and a
 * client that invokes it until it answers, so that the engine can call the program back. Offline
 * nothing calls back over the network (`callTransform` calls the recorded functions, or a callback of
 * `_callbacks` directly), and starting it was ~40 ms of CPU and ~60 ms of wall time of every plan. The
 * instance is of the SDK's own class, so `registerTransform` and the rest run unchanged. Call it after
 * `pulumi.runtime.setMocks` (each starts a new store) and before the program runs.
 */
export function offlineCallbacks(): void {
    const { CallbackServer } = sdk<CallbacksModule>(SDK_MODULES.callbacks);
    const monitor = sdk<SettingsModule>(SDK_MODULES.settings).getMonitor();
    sdk<StateModule>(SDK_MODULES.state).getStore().callbacks = Object.assign(Object.create(CallbackServer.prototype) as object, offlineCallbackFields(monitor));
}

/**
 * Remember each transform function under the callback token the SDK registers it with
 * (`runtime/callbacks.js` `CallbackServer.registerTransform`), so `callTransform` can call the function
 * itself instead of (de)serialising protobuf four times per child: for the Prometheus Operator CRDs that
 * was most of a `--render` run. Patches the class once per process; the map is cleared per run.
 */
export function recordTransformFunctions(): void {
    transformFunctions.clear();
    const proto = sdk<CallbacksModule>(SDK_MODULES.callbacks).CallbackServer.prototype;
    if (proto.__footanalyticsRecorded) return;
    const register = proto.registerTransform;
    proto.registerTransform = async function (this: unknown, transform: pulumi.ResourceTransform) {
        const callback = await register.call(this, transform);
        transformFunctions.set(callback.getToken(), transform);
        return callback;
    };
    proto.__footanalyticsRecorded = true;
}

/**
 * Call a transform the program registered (a token of `getTransformsList()`) as the engine calls it for
 * a child a remote component registers: with the child's type, name, properties and options, answering
 * its properties and the options it set. The function itself when `recordTransformFunctions` saw it
 * registered (plain JSON properties in and out are what the SDK's callback passes through
 * `deserializeProperties`/`serializeProperties` unchanged); else through the SDK's callback with a
 * `TransformRequest` in and a `TransformResponse` out (`runtime/callbacks.js` `registerTransform`). Only
 * for plain JSON properties (no secrets, no unknowns). Call it after the run that registered the
 * transform and before the next `setMocks`.
 */
export async function callTransform(token: string, call: TransformCall): Promise<TransformResult> {
    const direct = transformFunctions.get(token);
    if (direct !== undefined) {
        const given = { ...(call.retainOnDelete !== undefined ? { retainOnDelete: call.retainOnDelete } : {}), ...(call.protect !== undefined ? { protect: call.protect } : {}) };
        // The engine has already applied what the child inherits from its parent when it calls the
        // transform (pulumi/pulumi source_eval.go RegisterResource: inheritFromParent, then transforms);
        // the SDK's callback reads an unset option as the protobuf default, false.
        const result = await direct({ custom: true, type: call.type, name: call.name, props: call.props, opts: { protect: call.protect ?? false, retainOnDelete: call.retainOnDelete ?? false } });
        // No answer, or no options: the request's own options come back.
        if (result?.opts === undefined) return { props: (result?.props ?? call.props) as Record<string, unknown>, ...given };
        return {
            props: result.props as Record<string, unknown>,
            ...(result.opts.retainOnDelete !== undefined ? { retainOnDelete: result.opts.retainOnDelete } : {}),
            ...(result.opts.protect !== undefined ? { protect: result.opts.protect } : {}),
        };
    }
    return callTransformThroughProtobuf(token, call);
}

/** `callTransform` through the SDK's callback and its protobuf messages. */
export async function callTransformThroughProtobuf(token: string, call: TransformCall): Promise<TransformResult> {
    const callback = sdk<SettingsModule>(SDK_MODULES.settings).getCallbacks()?._callbacks.get(token);
    if (callback === undefined) throw new Error(`no transform callback ${token} in the current run`);
    const proto = sdk<ResourceProto>(SDK_MODULES.resourceProto);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the SDK's own protobuf runtime
    const { Struct } = require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [require.resolve("@pulumi/pulumi")] })) as {
        Struct: { fromJavaScript(v: Record<string, unknown>): ProtoStruct };
    };
    const request = new proto.TransformRequest();
    request.setType(call.type);
    request.setName(call.name);
    request.setCustom(true);
    request.setParent(call.parent);
    request.setProperties(Struct.fromJavaScript(call.props));
    const options = new proto.TransformResourceOptions();
    if (call.retainOnDelete !== undefined) options.setRetainOnDelete(call.retainOnDelete);
    if (call.protect !== undefined) options.setProtect(call.protect);
    request.setOptions(options);
    const response = proto.TransformResponse.deserializeBinary((await callback(request.serializeBinary())).serializeBinary());
    const opts = response.getOptions();
    return {
        props: response.getProperties()?.toJavaScript() ?? call.props,
        ...(opts?.hasRetainOnDelete() ? { retainOnDelete: opts.getRetainOnDelete() } : {}),
        ...(opts?.hasProtect() ? { protect: opts.getProtect() } : {}),
    };
}
