import { describe, expect, it } from 'vitest';
import { bn } from './bn.ts';
import { en } from './en.ts';
import { LOCALES, placeholders } from './translate.ts';

const BENGALI_LETTER = /[\u0980-\u09FF]/;

describe('catalogues', () => {
  it('have exactly the same keys', () => {
    expect(Object.keys(bn).sort()).toEqual(Object.keys(en).sort());
  });

  it.each([
    ['en', en],
    ['bn', bn],
  ] as const)('%s has no empty message', (_, catalogue) => {
    const empty = Object.entries(catalogue).filter(([, text]) => text.trim() === '');
    expect(empty).toEqual([]);
  });

  it('Bengali uses every placeholder the English message uses, and no other', () => {
    for (const [key, english] of Object.entries(en)) {
      const bengali = bn[key as keyof typeof en];
      expect({ key, placeholders: placeholders(bengali).sort() }).toEqual({
        key,
        placeholders: placeholders(english).sort(),
      });
    }
  });

  it.each(LOCALES)('%s has every plural form its plural rules ask for', (locale) => {
    const catalogue: Readonly<Record<string, string>> = locale === 'en' ? en : bn;
    const bases = Object.keys(catalogue)
      .filter((key) => key.endsWith('.one'))
      .map((key) => key.slice(0, -'.one'.length));
    expect(bases.length).toBeGreaterThan(0);
    const categories = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
    const missing = bases.flatMap((base) =>
      categories.filter((category) => catalogue[`${base}.${category}`] === undefined).map((c) => `${base}.${c}`),
    );
    expect(missing).toEqual([]);
  });

  it('Bengali messages are written in Bengali script', () => {
    const latinOnly = Object.entries(bn).filter(([, text]) => !BENGALI_LETTER.test(text));
    expect(latinOnly).toEqual([]);
  });
});
