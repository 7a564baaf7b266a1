/**
 * Pulumi's autonaming configuration (stack config `pulumi:autonaming`) and the names it makes. The rules follow
 * Pulumi's own (pulumi/pulumi pkg/cmd/pulumi/autonaming/config.go resolveNamingConfig and json.go for the
 * configuration, pkg/resource/autonaming/strategy.go for modes and patterns): `mode` (default | verbatim |
 * disabled) or `pattern` (with `enforce`), at the top level, per provider and per resource type. The engine sends
 * these options only to providers that declare support, which Pulumi's dynamic-provider host does not, so the
 * provider reads the configuration itself (dynamic providers receive the whole stack config).
 *
 * Provider keys: `cloudcontrol` (this provider; its `resources` are keyed by Cloud Control type name, e.g.
 * `AWS::S3::Bucket`), then `pulumi-nodejs` (the package the engine sees for every Node.js dynamic resource).
 */
import { randomInt, randomUUID } from "crypto";

/** How names are made for a resource type. */
export type Naming =
    | {
          mode: "pattern";
          /** Pattern text with `${...}` expressions, as configured. */
          pattern: string;
          /** Use the pattern's result as it is (`enforce: true`, verbatim): never adjusted to fit the schema. */
          enforce: boolean;
          /** Where it was configured, for messages ("pulumi:autonaming", "pulumi:autonaming providers.cloudcontrol"...). */
          source: string;
      }
    | { mode: "disabled"; source: string };

/** The parsed `pulumi:autonaming` configuration. */
export interface AutonamingConfig {
    default?: Naming;
    providers: Record<string, { default?: Naming; resources: Record<string, Naming> }>;
}

/** The provider's own naming when nothing else is configured: `<pulumi name>-<7 random lowercase letters and digits>`. */
export const DEFAULT_NAMING: Naming = { mode: "pattern", pattern: "${name}-${alphanum(7)}", enforce: false, source: "the default" };

/** Provider keys honoured, most specific first. */
const PROVIDER_KEYS = ["cloudcontrol", "pulumi-nodejs"] as const;

const RANDOM = /^(hex|alphanum|string|num)\((\d+)\)$/;
const STACK_LEVEL = /^(name|organization|project|stack|uuid)$/;

/**
 * Parses `pulumi:autonaming` (an object, or its JSON text as stack config reaches the provider); undefined when
 * unset. Throws an error saying what is wrong, as the Pulumi CLI refuses such a configuration.
 */
export function parseAutonamingConfig(value: unknown): AutonamingConfig | undefined {
    if (value === undefined || value === null || value === "") return undefined;
    let root = value;
    if (typeof value === "string") {
        try {
            root = JSON.parse(value);
        } catch {
            throw new Error("is not a valid object (expected mode, pattern, enforce and providers)");
        }
    }
    const top = objectOf(root, "", ["mode", "pattern", "enforce", "providers"]);
    const base = "pulumi:autonaming";
    const config: AutonamingConfig = { default: namingOf(top, base), providers: {} };
    for (const [key, entry] of Object.entries(objectOf(top.providers ?? {}, "providers", null))) {
        const where = `providers.${key}`;
        const provider = objectOf(entry, where, ["mode", "pattern", "enforce", "resources"]);
        const resources: Record<string, Naming> = {};
        for (const [type, r] of Object.entries(objectOf(provider.resources ?? {}, `${where}.resources`, null))) {
            const naming = namingOf(
                objectOf(r, `${where}.resources.${type}`, ["mode", "pattern", "enforce"]),
                `${base} ${where}.resources.${type}`,
            );
            // config.go: an entry without mode or pattern is probably a mistake.
            if (!naming) throw new Error(`${where}.resources.${type}: mode or pattern must be specified`);
            resources[type] = naming;
        }
        config.providers[key] = { default: namingOf(provider, `${base} ${where}`), resources };
    }
    return config;
}

/** The naming for a type: its resource entry, else its provider's default, else the top-level one, else ours. */
export function namingFor(config: AutonamingConfig | undefined, typeName: string): Naming {
    for (const key of PROVIDER_KEYS) {
        const provider = config?.providers[key];
        const naming = provider?.resources[typeName] ?? provider?.default;
        if (naming) return naming;
    }
    return config?.default ?? DEFAULT_NAMING;
}

/** Whether names made this way differ from one make to the next (so a replacement never collides with the old name). */
export function isRandom(naming: Naming): boolean {
    return naming.mode === "pattern" && expressionsOf(naming.pattern).some((e) => e === "uuid" || RANDOM.test(e));
}

/** What a name is made from. */
export interface NameContext {
    /** The resource's Pulumi (logical) name. */
    name: string;
    project: string;
    stack: string;
    organization?: string;
    /** A stack config value (`${config.key}`: the key in the project's namespace unless it names one). */
    config: (key: string) => unknown;
}

/** What the schema allows for the name (the name property's constraints). */
export interface NameRules {
    maxLength?: number;
    minLength?: number;
    /** The schema's pattern, compiled (undefined: anything). */
    pattern?: { test(s: string): boolean };
    /** The pattern's text, for messages. */
    patternText?: string;
    /** What the service requires a name to end with (".fifo" for a FIFO queue), added to a proposed name. */
    suffix?: string;
}

/** A made name, or why none fits. */
export type MadeName = { ok: true; value: string } | { ok: false; reason: string };

/**
 * Makes a name with a pattern naming. A proposed (not enforced) name may be adjusted to fit the schema, as
 * Pulumi lets providers do: the Pulumi name is cut short to fit `maxLength`, and when the pattern of the name
 * property refuses it, lowercase, underscores for hyphens, and neither are tried, in that order.
 */
export function makeName(
    naming: Extract<Naming, { mode: "pattern" }>,
    ctx: NameContext,
    rules: NameRules,
    random: (alphabet: string, n: number) => string = randomText,
): MadeName {
    const parts: Array<{ name: true } | { text: string }> = [];
    let literal = "";
    let rest = naming.pattern;
    for (let m = /\$\{([^}]*)\}/.exec(rest); m; m = /\$\{([^}]*)\}/.exec(rest)) {
        literal += rest.slice(0, m.index);
        rest = rest.slice(m.index + m[0].length);
        const expression = m[1];
        if (expression === "name") {
            parts.push({ text: literal }, { name: true });
            literal = "";
            continue;
        }
        const value = expressionValue(expression, ctx, random);
        if (!value.ok) return value;
        literal += value.value;
    }
    // A suffix the service requires (see NameRules.suffix) ends a proposed name.
    parts.push({ text: literal + rest + (naming.enforce ? "" : (rules.suffix ?? "")) });
    const fixed = parts.reduce((n, p) => n + ("text" in p ? p.text.length : 0), 0);
    const names = parts.filter((p) => "name" in p).length;
    let logical = ctx.name;
    if (!naming.enforce && rules.maxLength !== undefined && names > 0 && fixed + names * logical.length > rules.maxLength) {
        const room = Math.floor((rules.maxLength - fixed) / names);
        if (room < 1) return { ok: false, reason: `cannot hold ${naming.pattern} in at most ${rules.maxLength} characters` };
        logical = logical.slice(0, room);
    }
    const made = parts.map((p) => ("name" in p ? logical : p.text)).join("");
    const candidates = naming.enforce
        ? [made]
        : [
              ...new Set([
                  made,
                  made.toLowerCase(),
                  made.replace(/-/g, "_"),
                  made.toLowerCase().replace(/-/g, "_"),
                  made.replace(/[-_]/g, ""),
                  made.toLowerCase().replace(/[-_]/g, ""),
              ]),
          ];
    const fits = (s: string) =>
        s !== "" &&
        (rules.maxLength === undefined || s.length <= rules.maxLength) &&
        (rules.minLength === undefined || s.length >= rules.minLength);
    const sized = candidates.filter(fits);
    if (sized.length === 0) {
        const bounds = [
            rules.minLength !== undefined ? `at least ${rules.minLength}` : "",
            rules.maxLength !== undefined ? `at most ${rules.maxLength}` : "",
        ]
            .filter(Boolean)
            .join(" and ");
        return {
            ok: false,
            reason: `${naming.pattern} does not make a name of ${bounds || "one or more"} characters${naming.enforce ? " (enforced: it is not adjusted)" : ""}`,
        };
    }
    const value = sized.find((s) => !rules.pattern || rules.pattern.test(s));
    if (value === undefined) {
        return {
            ok: false,
            reason: `${naming.pattern} does not make a name matching the pattern ${rules.patternText}${naming.enforce ? " (enforced: it is not adjusted)" : ""}`,
        };
    }
    return { ok: true, value };
}

/** The value of one `${...}` expression other than `${name}`. */
function expressionValue(expression: string, ctx: NameContext, random: (alphabet: string, n: number) => string): MadeName {
    const r = RANDOM.exec(expression);
    if (r) {
        const alphabet = {
            hex: "0123456789abcdef",
            alphanum: "abcdefghijklmnopqrstuvwxyz0123456789",
            string: "abcdefghijklmnopqrstuvwxyz",
            num: "0123456789",
        }[r[1]]!;
        return { ok: true, value: random(alphabet, Number(r[2])) };
    }
    switch (expression) {
        case "uuid":
            return { ok: true, value: randomUUID() };
        case "project":
            return { ok: true, value: ctx.project };
        case "stack":
            return { ok: true, value: ctx.stack };
        case "organization":
            return ctx.organization
                ? { ok: true, value: ctx.organization }
                : { ok: false, reason: "${organization} is not known to the provider here (the program did not pass it)" };
    }
    if (!expression.startsWith("config.")) return { ok: false, reason: `unknown expression \${${expression}}` };
    const key = expression.slice("config.".length);
    const value = ctx.config(key.includes(":") ? key : `${ctx.project}:${key}`);
    if (value === undefined || value === null)
        return {
            ok: false,
            reason: `\${${expression}}: no value found for the stack config key ${key.includes(":") ? key : `${ctx.project}:${key}`}`,
        };
    return { ok: true, value: typeof value === "string" ? value : JSON.stringify(value) };
}

function randomText(alphabet: string, n: number): string {
    let out = "";
    for (let i = 0; i < n; i++) out += alphabet[randomInt(alphabet.length)];
    return out;
}

function expressionsOf(pattern: string): string[] {
    return [...pattern.matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1]);
}

/** A mode or pattern entry (undefined when it has neither): config.go resolveNamingConfig. */
function namingOf(entry: Record<string, unknown>, source: string): Naming | undefined {
    const { mode, pattern, enforce } = entry;
    const where = source.replace(/^pulumi:autonaming ?/, "");
    const at = where ? `${where}: ` : "";
    if (mode !== undefined && (pattern !== undefined || enforce !== undefined))
        throw new Error(`${at}cannot specify both mode and pattern/enforce`);
    if (enforce !== undefined && typeof enforce !== "boolean") throw new Error(`${at}enforce must be true or false`);
    if (pattern !== undefined) {
        if (typeof pattern !== "string" || pattern === "") throw new Error(`${at}pattern must be a non-empty string`);
        for (const e of expressionsOf(pattern)) {
            if (!(STACK_LEVEL.test(e) || RANDOM.test(e) || (e.startsWith("config.") && e.length > "config.".length))) {
                throw new Error(
                    `${at}unknown expression \${${e}} in the pattern (supported: name, hex(n), alphanum(n), string(n), num(n), uuid, organization, project, stack, config.key)`,
                );
            }
        }
        return { mode: "pattern", pattern, enforce: enforce === true, source };
    }
    if (enforce !== undefined) throw new Error(`${at}pattern must be specified when enforce is true`);
    if (mode === undefined) return undefined;
    switch (mode) {
        case "default":
            return { ...DEFAULT_NAMING, source };
        case "verbatim":
            // strategy.go Verbatim: the logical name as it is, enforced.
            return { mode: "pattern", pattern: "${name}", enforce: true, source };
        case "disabled":
            return { mode: "disabled", source };
        default:
            throw new Error(`${at}invalid naming mode ${JSON.stringify(mode)} (use default, verbatim or disabled)`);
    }
}

/** An object with only the given keys (null: any keys), or an error naming where. */
function objectOf(value: unknown, where: string, keys: readonly string[] | null): Record<string, unknown> {
    if (value === null || typeof value !== "object" || Array.isArray(value)) throw new Error(`${where || "the value"} must be an object`);
    if (keys) {
        const extra = Object.keys(value).filter((k) => !keys.includes(k));
        if (extra.length)
            throw new Error(`${where ? `${where}: ` : ""}unknown field ${JSON.stringify(extra[0])} (expected ${keys.join(", ")})`);
    }
    return value as Record<string, unknown>;
}
