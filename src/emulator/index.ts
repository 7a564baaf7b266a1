export * from "./types";
import type { Emulator, EmulatorOptions } from "./types";
/** Starts a local Cloud Control (and CloudFormation DescribeType) server. (stub: owned by the emulator issue) */
export async function startEmulator(_options: EmulatorOptions = {}): Promise<Emulator> {
    throw new Error("not implemented");
}
