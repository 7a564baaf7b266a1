import type * as pulumi from "@pulumi/pulumi";

/**
 * The input form of a plain value type: every member, array item and map value may be a Pulumi `Input` (a value,
 * a promise or an output), at every level. Optional members, index signatures and TSDoc carry over.
 */
export type DeepInput<T> = 0 extends 1 & T
    ? any // any stays any (the mapped form of `any` would lose it)
    : T extends string | number | boolean | null | undefined
      ? T
      : T extends readonly (infer U)[]
        ? pulumi.Input<DeepInput<U>>[]
        : { [K in keyof T]: pulumi.Input<DeepInput<T[K]>> };
