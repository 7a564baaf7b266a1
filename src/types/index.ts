/**
 * Typing of `CloudControlResource` by type name: a literal `typeName` of a bundled registry type (or of a type added
 * with `cloudcontrol-codegen`) selects typed `desiredState` and `properties`; any other type name keeps the untyped
 * shape. Types only: nothing here exists at run time.
 */
import type * as pulumi from "@pulumi/pulumi";
// typings/ is generated from the bundled registry at build time (src/codegen/bundled.ts), not committed.
import type { BundledTypes } from "../../typings";

export type { BundledTypes } from "../../typings";
export type { DeepInput } from "../../typings/input";

/**
 * Typings added by `cloudcontrol-codegen` (private, third-party or newer types), by type name, through module
 * augmentation of "pulumi-cloudcontrol": each entry is `{ desiredState: ...; properties: ... }`. Entries here win
 * over the bundled ones.
 */
// Empty on purpose: filled by module augmentation.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface CloudControlTypes {}

/** The typing of a type name: from `CloudControlTypes`, else the bundled registry, else none (undefined). */
export type TypingOf<T extends string> = T extends keyof CloudControlTypes
    ? CloudControlTypes[T]
    : T extends keyof BundledTypes
      ? BundledTypes[T]
      : undefined;

/** Type names with typings (offered as completions for `typeName`; any other string is accepted too). */
export type TypedTypeName = keyof BundledTypes | keyof CloudControlTypes;

/** `desiredState` of a type: its writable properties as Pulumi inputs, or any JSON object for an untyped type. */
export type DesiredStateOf<T extends string> = TypingOf<T> extends { desiredState: infer D } ? D : Record<string, unknown>;

/** The `properties` output of a type: every property, read-only ones included, or a plain record when untyped. */
export type PropertiesOf<T extends string> = TypingOf<T> extends { properties: infer P } ? P : Record<string, any>;

/** The `desiredState` output of a type: the desired state with its inputs resolved. */
export type DesiredStateOutputOf<T extends string> = TypingOf<T> extends { desiredState: infer D } ? pulumi.Unwrap<D> : Record<string, any>;
