// Public surface: re-exports, and startEmulator as a lazy loader of the emulator.
export { computePatch, diffDesiredState, reconcileInputs, DesiredStateDiff, UNKNOWN } from "./diff";
export {
    loadResourceSchema,
    parseResourceSchema,
    clearSchemaCache,
    LoadSchemaOptions,
    ResourceSchema,
    RegistrySchema,
    PropertyPointer,
} from "./schema";
export {
    waitForRequest,
    classifyProgressEvent,
    CloudControlError,
    getCloudControlClient,
    runCreate,
    runUpdate,
    runDelete,
    getResource,
    getRequestStatus,
    cancelRequest,
    listRequests,
    CloudControlErrorDetails,
    ClientSettings,
    RunOptions,
    RunResult,
    RunAction,
    CallOptions,
    Timeout,
    CreateInput,
    UpdateInput,
    DeleteInput,
    LiveResource,
    Outcome,
    OutcomeKind,
    WaitOptions,
} from "./cloudcontrol";
export type { Emulator, EmulatorOptions, FaultRule, HookConfig, RequestLogEntry } from "./emulator/types";
import type { Emulator, EmulatorOptions } from "./emulator/types";

/**
 * Starts the local Cloud Control emulator (see `pulumi-cloudcontrol/emulator` for the rest of its API). Its
 * implementation (HTTP server, schema validation, built-in schemas) is loaded on the first call, so a Pulumi program
 * that only declares resources never loads it.
 */
export function startEmulator(options?: EmulatorOptions): Promise<Emulator> {
    const emulator: typeof import("./emulator") = require("./emulator");
    return emulator.startEmulator(options);
}
export { CloudControlResource, CloudControlResourceArgs, CloudControlTimeouts } from "./resource";
export { cloudControlProvider, ProviderInputs, ProviderOutputs, ResourceIdentity, Timeouts } from "./provider";
export type { CloudControlTypes, DeepInput, TypingOf, TypedTypeName, DesiredStateOf, PropertiesOf, DesiredStateOutputOf } from "./types";
export {
    bundledTypeNames,
    bundledSchema,
    bundledSchemaText,
    hasBundledType,
    openRegistryBundle,
    BundleInfo,
    BundledSchema,
    RegistryBundle,
} from "./registry";
