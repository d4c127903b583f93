import { bn } from './bn.ts';
import { en, type Catalogue, type MessageKey } from './en.ts';

export type { MessageKey } from './en.ts';

export const LOCALES = ['en', 'bn'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';

export const CATALOGUES: Readonly<Record<Locale, Catalogue>> = { en, bn };

/** Each language named in its own script, so readers find theirs whichever language is showing. */
export const LOCALE_NAMES: Readonly<Record<Locale, string>> = { en: 'English', bn: 'বাংলা' };

/** The `{name}` placeholders of an English message, as a union of string literals. */
type Placeholders<S extends string> = S extends `${string}{${infer P}}${infer Rest}`
  ? P | Placeholders<Rest>
  : never;
export type ParamsOf<K extends MessageKey> = Placeholders<(typeof en)[K]>;
export type ParamValue = string | number;
/** The keys of messages without placeholders: these can be held in variables and passed to `t`. */
export type PlainKey = { [K in MessageKey]: [ParamsOf<K>] extends [never] ? K : never }[MessageKey];
/** No argument for a message without placeholders; otherwise exactly its placeholders. */
export type ParamArgs<K extends MessageKey> = [ParamsOf<K>] extends [never]
  ? []
  : [params: Readonly<Record<ParamsOf<K>, ParamValue>>];

const PLACEHOLDER = /\{([a-z_][a-z0-9_]*)\}/gi;

export function placeholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((match) => match[1] ?? '');
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/**
 * Fill `{name}` placeholders. Numbers are written with the locale's digits (Bengali uses ০–৯);
 * a placeholder with no value is left visible rather than silently dropped.
 */
export function format(template: string, params: Readonly<Record<string, ParamValue>>, locale: Locale): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? new Intl.NumberFormat(locale).format(value) : value;
  });
}

/**
 * The base of each message that comes in plural forms: `base.one` and `base.other` are both keys
 * (`.other` alone is an ordinary message, such as `organisation_type.other`).
 */
export type PluralKey = {
  [K in MessageKey]: K extends `${infer Base}.other` ? (`${Base}.one` extends MessageKey ? Base : never) : never;
}[MessageKey];
/** The placeholders of a plural message besides `{count}`, which the count fills. */
export type PluralParams<B extends PluralKey> = Exclude<ParamsOf<`${B}.other` & MessageKey>, 'count'>;
export type PluralArgs<B extends PluralKey> = [PluralParams<B>] extends [never]
  ? []
  : [params: Readonly<Record<PluralParams<B>, ParamValue>>];

const pluralRules = new Map<Locale, Intl.PluralRules>();

/** The locale's plural category of `count` (CLDR: English one/other; Bengali one for 0 and 1). */
export function pluralCategory(locale: Locale, count: number): Intl.LDMLPluralRule {
  let rules = pluralRules.get(locale);
  if (rules === undefined) {
    rules = new Intl.PluralRules(locale);
    pluralRules.set(locale, rules);
  }
  return rules.select(count);
}

/** A counted message in the form the locale's plural rules choose, `{count}` written in its digits. */
export function translatePlural<B extends PluralKey>(
  locale: Locale,
  base: B,
  count: number,
  ...args: PluralArgs<B>
): string {
  const catalogue: Readonly<Record<string, string>> = CATALOGUES[locale];
  const template = catalogue[`${base}.${pluralCategory(locale, count)}`] ?? catalogue[`${base}.other`] ?? base;
  const [params] = args;
  return format(template, { ...params, count }, locale);
}

export function translate<K extends MessageKey>(locale: Locale, key: K, ...args: ParamArgs<K>): string {
  const template = CATALOGUES[locale][key];
  const [params] = args;
  return params === undefined ? template : format(template, params, locale);
}

/** The stored choice if valid, else the first supported browser language, else English. */
export function pickLocale(stored: string | null, preferred: readonly string[]): Locale {
  if (isLocale(stored)) return stored;
  for (const tag of preferred) {
    const primary = tag.toLowerCase().split('-')[0];
    if (isLocale(primary)) return primary;
  }
  return DEFAULT_LOCALE;
}
