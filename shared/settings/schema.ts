/**
 * The building blocks of every setting: environment variables and wrangler vars arrive as strings
 * (or not at all), a blank string counts as unset (CI passes unset repository variables as empty
 * strings), and one vocabulary for switches and one unit for durations hold across the project.
 */
import { z } from 'zod';

/** What the README's settings table says about a variable. */
export interface SettingDoc {
  /** The default as a reader should see it (`60`, `unset`, `the per-minute value`). */
  default: string;
  meaning: string;
  /** Never logged, never in wrangler.toml: `wrangler secret put`. */
  secret?: boolean;
}

const docs = new WeakMap<z.ZodType, SettingDoc>();

/** Attaches the README's line to a variable's schema. */
export function documented<S extends z.ZodType>(schema: S, doc: SettingDoc): S {
  docs.set(schema, doc);
  return schema;
}

export const docOf = (schema: z.ZodType): SettingDoc | undefined => docs.get(schema);

/** Trims strings; a blank one is unset. */
export const blankIsUnset = (v: unknown) => (typeof v === 'string' ? (v.trim() === '' ? undefined : v.trim()) : v);

const ON = ['true', 'on', 'yes', '1'];
const OFF = ['false', 'off', 'no', '0'];

/** A switch: `true`/`false`, and the same read into `on`/`off`, `yes`/`no`, `1`/`0`. */
export const flag = (fallback: boolean) =>
  z.preprocess(
    (v) => (typeof v === 'boolean' ? String(v) : typeof v === 'string' && v.trim() !== '' ? v.trim().toLowerCase() : undefined),
    z
      .enum([...ON, ...OFF] as [string, ...string[]], { error: 'must be true or false' })
      .default(String(fallback))
      .transform((v) => ON.includes(v)),
  );

const num = () => z.coerce.number({ error: 'must be a number' });

/** A whole number in [min, max]; `fallback` undefined: optional. */
export function int(min: number, max: number, fallback: number): z.ZodType<number>;
export function int(min: number, max: number): z.ZodType<number | undefined>;
export function int(min: number, max: number, fallback?: number): z.ZodType<number | undefined> {
  const n = num().int('must be a whole number').min(min, `must be at least ${min}`).max(max, `must be at most ${max}`);
  return z.preprocess(blankIsUnset, fallback === undefined ? n.optional() : n.default(fallback));
}

/** A number in [min, max]. */
export const number = (min: number, max: number, fallback: number) =>
  z.preprocess(blankIsUnset, num().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`).default(fallback));

/** A fraction in [0, 1]. */
export const fraction = (fallback: number) =>
  z.preprocess(blankIsUnset, num().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1').default(fallback));

/** A duration in seconds (names end in `_S`): more than 0, or 0 and more with `allowZero`. */
export const seconds = (fallback: number, max: number, { allowZero = false } = {}) =>
  z.preprocess(
    blankIsUnset,
    (allowZero ? num().nonnegative('must be 0 or more') : num().positive('must be more than 0')).max(max, `must be at most ${max}`).default(fallback),
  );

/** `owner/name` of a Hub repo. */
export const repoName = () => z.preprocess(blankIsUnset, z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'must look like owner/name').optional());

/** An http(s) URL, without trailing slashes. */
export const httpUrl = (fallback: string) =>
  z.preprocess(blankIsUnset, z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).default(fallback).transform((url) => url.replace(/\/+$/, '')));

/** A Hugging Face token. */
export const hfToken = () => z.preprocess(blankIsUnset, z.string().startsWith('hf_', 'must start with hf_').optional());

/** A comma-separated list; blank or unset: `fallback`. */
export const list = <T extends z.ZodType>(item: T, fallback: z.output<T>[]) =>
  z.preprocess((v) => {
    const items = typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : [];
    return items.length > 0 ? items : undefined;
  }, z.array(item).default(() => fallback));

/** Parses with `schema`; throws one message naming every bad variable, never a value (tokens are secrets). */
export function parseSettings<S extends z.ZodType>(schema: S, env: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) throw new Error(`invalid ${what}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}
