import { browserStorage, type KeyValueStorage } from '../platform/storage.ts';
import {
  pickLocale,
  translate,
  translatePlural,
  type Locale,
  type MessageKey,
  type ParamArgs,
  type PluralArgs,
  type PluralKey,
} from './translate.ts';

const STORAGE_KEY = 'breakouts.locale';

const storage: KeyValueStorage = browserStorage();
const preferred: readonly string[] = typeof navigator === 'undefined' ? [] : navigator.languages;

const initial = pickLocale(storage.getItem(STORAGE_KEY), preferred);
let current = $state<Locale>(initial);

function applyToDocument(locale: Locale): void {
  if (typeof document !== 'undefined') document.documentElement.lang = locale;
}

applyToDocument(initial);

/** The language the interface is shown in (reactive: reading it in a component tracks it). */
export function currentLocale(): Locale {
  return current;
}

/** Switch the interface language, remember it on this device, and tell the page (`<html lang>`). */
export function setLocale(next: Locale): void {
  current = next;
  storage.setItem(STORAGE_KEY, next);
  applyToDocument(next);
}

/** Translate in the current language; components re-render when the language changes. */
export function t<K extends MessageKey>(key: K, ...args: ParamArgs<K>): string {
  return translate(current, key, ...args);
}

const numberFormats = new Map<Locale, Intl.NumberFormat>();

/** A number on its own (a vote count, a chart's count) in the current language's digits, as `t` writes them. */
export function num(value: number): string {
  let format = numberFormats.get(current);
  if (!format) {
    format = new Intl.NumberFormat(current);
    numberFormats.set(current, format);
  }
  return format.format(value);
}

/** Translate a counted message with the current language's plural rules (`tn('answers.votes', 1)`). */
export function tn<B extends PluralKey>(base: B, count: number, ...args: PluralArgs<B>): string {
  return translatePlural(current, base, count, ...args);
}
