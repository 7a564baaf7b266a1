/**
 * Pulumi property paths (`desiredState.Tags`, `a.b[0]`, `["key.with.dots"]`, `tags["*"]`) as the engine parses and
 * applies them: parsePropertyPath, PropertyPath.Reset (ignoreChanges) and PropertyPath.Contains (replaceOnChanges),
 * after pulumi/pulumi sdk/go/common/resource/properties_path.go. Secrets are not handled: the harness strips them
 * before these run.
 */

/** One segment: a property name ("*" matches any key or index) or an array index. */
export type PathSegment = string | number;

/** Parses a property path; throws on a malformed one (the engine skips those). */
export function parsePropertyPath(path: string): PathSegment[] {
    const out: PathSegment[] = [];
    if (path.startsWith(".")) throw new Error(`property path ${path}: expected a name or index first`);
    let rest = path;
    while (rest.length > 0) {
        if (rest[0] === ".") {
            rest = rest.slice(1);
            if (rest.length === 0) throw new Error(`property path ${path}: expected a name or index at the end`);
        } else if (rest[0] === "[") {
            if (rest[1] === '"') {
                let key = "";
                let i = 2;
                for (;;) {
                    if (i >= rest.length) throw new Error(`property path ${path}: missing closing quote`);
                    if (rest[i] === '"') break;
                    if (rest[i] === "\\" && rest[i + 1] === '"') {
                        key += '"';
                        i += 2;
                    } else key += rest[i++];
                }
                if (rest[i + 1] !== "]") throw new Error(`property path ${path}: missing closing bracket`);
                out.push(key);
                rest = rest.slice(i + 2);
            } else {
                const close = rest.indexOf("]");
                if (close < 0) throw new Error(`property path ${path}: missing closing bracket`);
                const segment = rest.slice(1, close);
                if (segment === "*") out.push("*");
                else if (/^\d+$/.test(segment)) out.push(Number(segment));
                else throw new Error(`property path ${path}: invalid array index ${segment}`);
                rest = rest.slice(close + 1);
            }
        } else {
            const m = /^[^.[]+/.exec(rest)!;
            out.push(m[0]);
            rest = rest.slice(m[0].length);
        }
    }
    return out;
}

type Json = unknown;
const isObject = (v: Json): v is Record<string, Json> => v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * Sets the value at `path` in `news` back to its value in `olds` (deleting it from `news` when `olds` has none),
 * never creating intermediate objects or changing array lengths. Returns false when the path cannot be followed
 * (the engine then says it cannot ignore changes in added or removed elements). Mutates `news`.
 */
export function resetPath(path: PathSegment[], olds: Json, news: Json): boolean {
    if (path.length === 0) return false;
    const [key, ...rest] = path;
    if (typeof key === "number") return resetIndex(key, rest, olds, news);
    if (key === "*") return rest.length === 0 ? resetAll(olds, news) : resetEach(rest, olds, news);
    return resetKey(key, rest, olds, news);
}

/** `[n]` followed by `rest`. */
function resetIndex(key: number, rest: PathSegment[], olds: Json, news: Json): boolean {
    if (!Array.isArray(olds) || !Array.isArray(news)) return !Array.isArray(olds) && !Array.isArray(news);
    if (rest.length === 0 && key >= olds.length && key >= news.length) return true;
    if (key >= olds.length || key >= news.length) return false;
    if (rest.length > 0) return resetPath(rest, olds[key], news[key]);
    news[key] = olds[key];
    return true;
}

/** A trailing `*`: every member or item. */
function resetAll(olds: Json, news: Json): boolean {
    if (isObject(news)) {
        if (isObject(olds)) {
            for (const k of Object.keys(news)) if (!(k in olds)) delete news[k];
            Object.assign(news, olds);
        }
        return true;
    }
    if (!Array.isArray(news)) return false;
    if (!Array.isArray(olds)) return true;
    for (let i = 0; i < Math.min(olds.length, news.length); i++) news[i] = olds[i];
    return olds.length === news.length;
}

/** `*` followed by `rest`: the rest of the path under every member or item. */
function resetEach(rest: PathSegment[], olds: Json, news: Json): boolean {
    if (isObject(olds) && isObject(news)) return Object.keys(olds).every((k) => k in news && resetPath(rest, olds[k], news[k]));
    if (!Array.isArray(olds) || !Array.isArray(news)) return false;
    for (let i = 0; i < Math.min(olds.length, news.length); i++) if (!resetPath(rest, olds[i], news[i])) return false;
    return olds.length === news.length;
}

/** A property name followed by `rest`. */
function resetKey(key: string, rest: PathSegment[], olds: Json, news: Json): boolean {
    if (rest.length === 0) {
        if (isObject(olds) && key in olds) {
            if (!isObject(news)) return false;
            news[key] = olds[key];
        } else if (isObject(news)) {
            delete news[key];
        }
        return true;
    }
    if (!isObject(olds) || !isObject(news)) return !isObject(olds) && !isObject(news);
    const hasOld = key in olds;
    const hasNew = key in news;
    if (hasOld && !hasNew) return false;
    if (!hasOld && !hasNew) return true;
    return resetPath(rest, hasOld ? olds[key] : null, news[key]);
}

/** Whether `outer` contains `inner` (PropertyPath.Contains: "*" matches any one segment; a prefix contains its paths). */
export function pathContains(outer: PathSegment[], inner: PathSegment[]): boolean {
    if (inner.length < outer.length) return false;
    return outer.every((s, i) => s === "*" || s === inner[i]);
}
