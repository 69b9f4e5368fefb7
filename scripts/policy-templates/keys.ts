/**
 * What each settings key is, as a policy template needs it, derived from the one settings
 * schema (main/settings/settings.ts) through zod's JSON Schema export: the templates can then
 * never disagree with what the console accepts. A key whose shape has no policy form here
 * stops the generation, naming the key, rather than being left out of the templates.
 */
import { z } from 'zod';
import { POLICY_ONLY_KEYS, SettingsSchema, type Settings } from '../../main/settings/settings';

export type SettingKey = keyof Settings;

/** The registry's own limit for a REG_DWORD: ADMX `decimal` values are unsigned 32-bit. */
const DWORD_MAX = 0xffff_ffff;

export type PolicyKind =
  | { type: 'boolean' }
  | { type: 'number'; min: number; max: number }
  | { type: 'enum'; values: string[] }
  /** `emptyAllowed`: '' is a valid value (e.g. "no SMS gateway"), so IT may lock it empty. */
  | { type: 'text'; maxLength?: number; emptyAllowed: boolean }
  /** Lists: one string per REG_MULTI_SZ line; `json` lists hold one JSON object per line. */
  | { type: 'list'; items: 'string' | 'json'; maxItems?: number };

export interface PolicyKey {
  name: SettingKey;
  kind: PolicyKind;
  default: unknown;
  /** Refused in a user's settings file (POLICY_ONLY_KEYS). */
  policyOnly: boolean;
}

interface JsonSchema {
  type?: string;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  items?: JsonSchema;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  maxItems?: number;
  default?: unknown;
  properties?: Record<string, JsonSchema>;
}

/** Every settings key, in the schema's order. */
export function policyKeys(schema: z.ZodObject = SettingsSchema, policyOnly: readonly string[] = POLICY_ONLY_KEYS): PolicyKey[] {
  // 'any' for what JSON Schema cannot say (refinements, preprocessing): the shapes we read survive.
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  // The defaults as the console applies them (JSON Schema loses those behind a refinement).
  const defaults = schema.safeParse({}).data as Record<string, unknown> | undefined;
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name: name as SettingKey,
    kind: kindOf(name, property, schema.shape[name] as z.ZodType),
    default: defaults ? defaults[name] : property.default,
    policyOnly: policyOnly.includes(name),
  }));
}

function kindOf(name: string, property: JsonSchema, field: z.ZodType): PolicyKind {
  if (property.type === 'boolean') return { type: 'boolean' };
  if (property.type === 'integer') {
    const min = property.minimum ?? 0;
    const max = property.maximum ?? DWORD_MAX;
    if (min < 0 || max > DWORD_MAX) throw new Error(`"${name}": a number outside 0..${DWORD_MAX} has no REG_DWORD form.`);
    return { type: 'number', min, max };
  }
  if (property.type === 'string' && property.enum) return { type: 'enum', values: property.enum.map(String) };
  const strings = property.anyOf ?? [property];
  if (strings.every((s) => s.type === 'string' && !s.enum)) {
    const maxLength = strings.map((s) => s.maxLength).find((n) => n !== undefined);
    return { type: 'text', ...(maxLength !== undefined && { maxLength }), emptyAllowed: field.safeParse('').success };
  }
  if (property.type === 'array' && property.items) {
    const items = property.items.type === 'string' ? 'string' : isObjectSchema(property.items) ? 'json' : undefined;
    if (items) return { type: 'list', items, ...(property.maxItems !== undefined && { maxItems: property.maxItems }) };
  }
  throw new Error(`"${name}": no policy template form for this setting's type; add one in scripts/policy-templates/keys.ts.`);
}

function isObjectSchema(schema: JsonSchema): boolean {
  const variants = schema.oneOf ?? schema.anyOf ?? [schema];
  return variants.every((v) => v.type === 'object');
}
