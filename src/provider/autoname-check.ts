/**
 * Autonaming in check: when a type has a name property (see schema/name-property.ts) that the desired state leaves
 * out, a name is made from the resource's Pulumi name (`<name>-<7 random characters>` unless `pulumi:autonaming`
 * says otherwise, see autonaming.ts) and recorded (`__autonamed`) so later checks keep it.
 *
 * The engine's call sequences decide which name a check gives (pulumi/pulumi step_generator.go
 * continueStepsFromImport and continueStepsFromDiff):
 * - Check with olds (a resource the stack tracks, before its Diff): the recorded name is kept — stable across
 *   updates and refreshes, whatever the configuration says now (Pulumi: a changed autonaming setting affects only
 *   new resources and replacements). A tracked resource without a recorded name never gets one here: created
 *   before autonaming, it keeps the name Cloud Control gave it instead of being replaced.
 * - Check with no olds (a new resource; before the Create of every replacement, targeted ones included): a new
 *   name, so create-before-delete never collides — unless the create journal (journal.ts) holds a create of this
 *   resource that a crashed run started and never reported. Then that create's name is used again: the re-run asks
 *   Cloud Control for the same request (same ClientToken, same desired state) instead of making a second resource.
 *   Only when the create can find that request (journal.ts unrecoverable: same type and region, token not expired);
 *   otherwise the create makes a new resource, which the old name could collide with: a new name is drawn.
 * - In a preview, a random name that a later `up` would draw anew is not known: it is the unknown value (a name
 *   without randomness, or one from the journal, is shown as it will be).
 */
import type { CheckFailure } from "@pulumi/pulumi/dynamic";
import { UNKNOWN } from "../diff";
import { nameProperty, type NameProperty } from "../schema/name-property";
import { joinPointer } from "../schema/pointer";
import type { ResourceSchema } from "../schema/types";
import { isRandom, makeName, namingFor, type MadeName, type Naming } from "./autonaming";
import { progress } from "./describe";
import { journalFor, unrecoverable } from "./journal";
import { isObject } from "../json-object";
import { propertyPath } from "./paths";
import { providerConfig, regionOf } from "./settings";
import type { ProviderInputs } from "./types";
import { registryRegExp } from "./validate";

/** What autonaming did to a desired state. */
export interface Autonamed {
    desiredState: Record<string, unknown>;
    /** The name property, when its value was made (or kept) by autonaming. */
    autonamed?: string;
    failure?: CheckFailure;
}

/**
 * The desired state with its name property filled in by autonaming, when that applies. `olds` are the prior
 * inputs (empty for a new resource or a replacement); `label` names the resource in messages.
 */
export function autoname(olds: Record<string, unknown>, news: ProviderInputs, schema: ResourceSchema, label: string): Autonamed {
    const desiredState = news.desiredState;
    const property = nameProperty(schema.document);
    const identity = news.__identity;
    // Not for a resource adopted by importId: it has its name already.
    if (
        !property ||
        !isObject(desiredState) ||
        desiredState[property.name] !== undefined ||
        news.importId !== undefined ||
        typeof identity?.name !== "string"
    ) {
        return { desiredState };
    }
    const name = property.name;
    const set = (value: string) => ({ desiredState: { ...desiredState, [name]: value }, autonamed: name });
    if (isObject(olds.desiredState)) {
        const kept = olds.desiredState[name];
        return olds.__autonamed === name && typeof kept === "string" ? set(kept) : { desiredState };
    }
    const earlier = journalFor(identity)?.read();
    if (earlier?.autoname && earlier.autoname.property === name) {
        // A region not known yet (a preview's unknown region input), or one only the SDK knows (the AWS profile's,
        // which check does not read), is left to the create to compare with the client's own.
        const resolved = news.region === UNKNOWN ? undefined : regionOf(news);
        const region = resolved ?? earlier.region;
        const why = unrecoverable(earlier, news.typeName, region);
        if (!why) {
            progress(
                label,
                `${name} ${earlier.autoname.value} is the name of a create an earlier run started and never reported: used again, so that create is found instead of repeated`,
            );
            return set(earlier.autoname.value);
        }
        // The create will not find that request again, so its name would collide with what it made: a new name.
        if (earlier.typeName === news.typeName && earlier.region !== region) {
            progress(
                label,
                `warning: an earlier run started creating this resource in region ${earlier.region ?? "(default)"} and never reported it; that request may have created ${earlier.autoname.value} there, which this stack does not track. A new name is drawn`,
            );
        }
    }
    const naming = namingFor(providerConfig().autonaming, news.typeName);
    const made = nameFor(naming, property, news);
    if (made === undefined) {
        if (!property.required) return { desiredState };
        return { desiredState, failure: failureFor(label, name, `is required: autonaming is disabled (${naming.source}), so set it`) };
    }
    if (!made.ok) {
        return {
            desiredState,
            failure: failureFor(
                label,
                name,
                `is not set and no name can be generated for it: ${made.reason} (autonaming: ${naming.source}); set it in desiredState or change pulumi:autonaming`,
            ),
        };
    }
    if (isPreview(news) && isRandom(naming)) {
        progress(label, `${name} is not set: a name is generated from '${identity.name}' when the resource is created`);
        return { desiredState: { ...desiredState, [name]: UNKNOWN }, autonamed: name };
    }
    return set(made.value);
}

/**
 * What a replacement of this resource would be named by autonaming, decided now (in diff, before the replacement's
 * check): `random` when a fresh random name is drawn (it never equals the old one), else the name itself;
 * undefined when the name is not autonamed.
 */
export function replacementName(news: ProviderInputs, schema: ResourceSchema): { random: true } | { value: string } | undefined {
    const property = nameProperty(schema.document);
    if (!property || news.__autonamed !== property.name) return undefined;
    const naming = namingFor(providerConfig().autonaming, news.typeName);
    if (isRandom(naming)) return { random: true };
    const made = nameFor(naming, property, news);
    return made?.ok ? { value: made.value } : undefined;
}

/**
 * Name endings services require that the schemas do not state: a FIFO queue's or topic's name ends with ".fifo"
 * (as Pulumi's AWS providers add it).
 */
const SUFFIXES: Record<string, (desiredState: Record<string, unknown>) => string> = {
    "AWS::SQS::Queue": (d) => (d.FifoQueue === true ? ".fifo" : ""),
    "AWS::SNS::Topic": (d) => (d.FifoTopic === true ? ".fifo" : ""),
};

/** A name by `naming` for the resource, within the name property's constraints; undefined when autonaming is disabled. */
function nameFor(naming: Naming, property: NameProperty, news: ProviderInputs): MadeName | undefined {
    if (naming.mode === "disabled") return undefined;
    const identity = news.__identity!;
    const pattern = property.pattern !== undefined ? registryRegExp(property.pattern) : undefined;
    const suffix = SUFFIXES[news.typeName]?.(news.desiredState);
    return makeName(
        naming,
        {
            name: identity.name,
            project: identity.project,
            stack: identity.stack,
            organization: identity.organization,
            config: (key) => providerConfig().value?.(key),
        },
        { maxLength: property.maxLength, minLength: property.minLength, pattern, patternText: property.pattern, suffix },
    );
}

/**
 * Whether these inputs are a preview's: CloudControlResource's `properties` input (its secrecy marker, see
 * resource.ts) is unknown exactly during a preview. Inputs from elsewhere count as a deployment's.
 */
export function isPreview(news: object): boolean {
    return (news as { properties?: unknown }).properties === UNKNOWN;
}

function failureFor(label: string, name: string, reason: string): CheckFailure {
    // The property is left empty (the engine would print its value): the reason names the path.
    return { property: "", reason: `${label}: ${propertyPath(joinPointer([name]))} ${reason}` };
}
