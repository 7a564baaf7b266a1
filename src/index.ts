// Public surface: re-exports only.
export { computePatch, diffDesiredState, reconcileInputs, DesiredStateDiff, UNKNOWN } from "./diff";
export { loadResourceSchema, parseResourceSchema, clearSchemaCache, LoadSchemaOptions, ResourceSchema, RegistrySchema, PropertyPointer } from "./schema";
export {
    waitForRequest,
    classifyProgressEvent,
    CloudControlError,
    getCloudControlClient,
    runCreate,
    runUpdate,
    runDelete,
    getResource,
    cancelRequest,
    listRequests,
    CloudControlErrorDetails,
    ClientSettings,
    RunOptions,
    CreateInput,
    UpdateInput,
    DeleteInput,
    LiveResource,
    Outcome,
    OutcomeKind,
    WaitOptions,
} from "./cloudcontrol";
export { startEmulator, Emulator, EmulatorOptions, FaultRule, HookConfig, RequestLogEntry } from "./emulator";
export { CloudControlResource, CloudControlResourceArgs, CloudControlTimeouts } from "./resource";
export { cloudControlProvider, ProviderInputs, ProviderOutputs, ResourceIdentity, Timeouts } from "./provider";
export type { CloudControlTypes, DeepInput, TypingOf, TypedTypeName, DesiredStateOf, PropertiesOf, DesiredStateOutputOf } from "./types";
export { bundledTypeNames, bundledSchema, bundledSchemaText, hasBundledType, openRegistryBundle, BundleInfo, BundledSchema, RegistryBundle } from "./registry";
