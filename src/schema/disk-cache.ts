/**
 * On-disk cache of registry schema documents, so a `pulumi preview` does not call DescribeType for every
 * resource on every run. Best effort: an unreadable, corrupt or expired entry is a miss, a failed write is ignored.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** Default expiry of cached schemas: 24 hours. */
export const DEFAULT_CACHE_TTL_SECONDS = 24 * 60 * 60;

/** The cache directory: $PULUMI_CLOUDCONTROL_CACHE_DIR, else $XDG_CACHE_HOME/pulumi-cloudcontrol, else ~/.cache/pulumi-cloudcontrol. */
export function defaultCacheDir(): string {
    const override = process.env.PULUMI_CLOUDCONTROL_CACHE_DIR;
    if (override) return override;
    const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
    return path.join(base, "pulumi-cloudcontrol");
}

/** What identifies a cached schema. */
export interface CacheKey {
    typeName: string;
    typeVersionId?: string;
    region: string;
    /** Endpoint override, so schemas of an emulator never shadow the real ones. */
    endpoint?: string;
}

/** File name of a cache entry: readable prefix plus a hash of the whole key. */
export function cacheFileName(key: CacheKey): string {
    const readable = `${key.typeName}.${key.typeVersionId ?? "default"}.${key.region}`.replace(/[^A-Za-z0-9._-]/g, "_").toLowerCase();
    const hash = crypto
        .createHash("sha256")
        .update(JSON.stringify([key.typeName, key.typeVersionId ?? "", key.region, key.endpoint ?? ""]))
        .digest("hex")
        .slice(0, 12);
    return `${readable}.${hash}.json`;
}

interface Entry {
    fetchedAt: number;
    typeName: string;
    schema: string;
}

/** Reads a fresh entry (younger than ttlSeconds), or undefined. */
export function readCachedSchema(dir: string, key: CacheKey, ttlSeconds: number, now = Date.now()): string | undefined {
    try {
        const entry = JSON.parse(fs.readFileSync(path.join(dir, cacheFileName(key)), "utf8")) as Entry;
        if (entry.typeName !== key.typeName || typeof entry.schema !== "string" || typeof entry.fetchedAt !== "number") return undefined;
        if (now - entry.fetchedAt >= ttlSeconds * 1000 || entry.fetchedAt > now + 60_000) return undefined;
        return entry.schema;
    } catch {
        return undefined;
    }
}

/** Writes an entry atomically (temporary file, then rename), ignoring failures. */
export function writeCachedSchema(dir: string, key: CacheKey, schema: string, now = Date.now()): void {
    const file = path.join(dir, cacheFileName(key));
    const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString("hex")}.tmp`;
    try {
        fs.mkdirSync(dir, { recursive: true });
        fs.writeFileSync(tmp, JSON.stringify({ fetchedAt: now, typeName: key.typeName, schema } satisfies Entry));
        fs.renameSync(tmp, file);
    } catch {
        try {
            fs.unlinkSync(tmp);
        } catch {
            /* nothing to clean */
        }
    }
}
