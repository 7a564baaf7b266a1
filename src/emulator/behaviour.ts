/**
 * The behaviours where real Cloud Control varies (between types, handlers or over time), as named profiles:
 * "aws" is what the recordings show most often (docs/emulator.md says which source each rests on), "strict" the
 * least convenient variant AWS has been seen to use. Explicit options override the profile.
 */
import type { Behaviour, EmulatorOptions, EmulatorProfile, RetryAfterMode } from "./types";

/** Environment variable read as the default profile, so a whole test suite can run under "strict". */
export const PROFILE_ENV = "CLOUDCONTROL_EMULATOR_PROFILE";

/** The profiles and what each one sets. */
export const profiles: Readonly<Record<EmulatorProfile, Readonly<Behaviour>>> = Object.freeze({
    // LocalStack's recordings against AWS: start calls answer IN_PROGRESS without RetryAfter, status summaries of
    // running requests carry it; a generated identifier is missing until the request is final; SUCCESS events of
    // CREATE and DELETE have no ResourceModel (none recorded for UPDATE: left out too, the less convenient guess).
    // A cancelled request's work is kept once its handler started (no rollback; "the bucket might still have been
    // created", localstack test_cancel_request).
    aws: Object.freeze({
        retryAfter: "status",
        identifier: "late",
        resourceModel: false,
        initialStatus: "IN_PROGRESS",
        cancelKeepsWork: true,
    }),
    // No hints at all, PENDING before IN_PROGRESS (both seen), identifier and model as late and as absent as above.
    strict: Object.freeze({
        retryAfter: "none",
        identifier: "late",
        resourceModel: false,
        initialStatus: "PENDING",
        cancelKeepsWork: true,
    }),
});

const profileNames = Object.keys(profiles) as EmulatorProfile[];

function profileFrom(value: string, where: string): EmulatorProfile {
    if (!(profileNames as string[]).includes(value)) {
        throw new Error(`${where}: unknown emulator profile "${value}" (expected one of ${profileNames.join(", ")})`);
    }
    return value as EmulatorProfile;
}

/** A RetryAfter setting as a mode: true is "all" (every in-progress event), false "none". */
export function retryAfterMode(value: RetryAfterMode | boolean): RetryAfterMode {
    return value === true ? "all" : value === false ? "none" : value;
}

/**
 * The behaviour for these options: each explicit option, else the profile's value. The profile is
 * `options.profile`, else the environment's CLOUDCONTROL_EMULATOR_PROFILE, else "aws".
 */
export function resolveBehaviour(options: EmulatorOptions, env: NodeJS.ProcessEnv = process.env): Behaviour {
    const fromEnv = env[PROFILE_ENV];
    const profile =
        options.profile !== undefined
            ? profileFrom(options.profile, "startEmulator option profile")
            : fromEnv
              ? profileFrom(fromEnv, `environment variable ${PROFILE_ENV}`)
              : "aws";
    const base = profiles[profile];
    return checkBehaviour(
        {
            retryAfter: options.retryAfter !== undefined ? retryAfterMode(options.retryAfter) : base.retryAfter,
            identifier: options.identifier ?? base.identifier,
            resourceModel: options.resourceModel ?? base.resourceModel,
            initialStatus: options.initialStatus ?? base.initialStatus,
            cancelKeepsWork: options.cancelKeepsWork ?? base.cancelKeepsWork,
        },
        "startEmulator option",
    );
}

const allowed: { [K in keyof Behaviour]: readonly Behaviour[K][] } = {
    retryAfter: ["status", "all", "none"],
    identifier: ["early", "late"],
    resourceModel: [true, false],
    initialStatus: ["PENDING", "IN_PROGRESS"],
    cancelKeepsWork: [true, false],
};

/** Throws an error naming the setting and the values allowed when a behaviour value is not one of them. */
export function checkBehaviour<T extends Partial<Behaviour>>(behaviour: T, where: string): T {
    for (const [key, value] of Object.entries(behaviour) as [keyof Behaviour, unknown][]) {
        const values = allowed[key] as readonly unknown[] | undefined;
        if (!values) throw new Error(`${where}: unknown behaviour "${key}" (expected one of ${Object.keys(allowed).join(", ")})`);
        if (!values.includes(value))
            throw new Error(`${where} ${key}: ${JSON.stringify(value)} is not one of ${values.map((v) => JSON.stringify(v)).join(", ")}`);
    }
    return behaviour;
}
