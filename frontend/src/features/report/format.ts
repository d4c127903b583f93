/** How the report page writes the server's dates, numbers and distributions in the reader's language. */
import type { Distribution, RoomDistribution } from '../../api/generated.ts';
import type { Locale } from '../../i18n/translate.ts';

/** A calendar day (`2026-12-07`) or the day of a timestamp, written in full: "7 December 2026". */
export function longDate(value: string, locale: Locale): string {
  const day = value.length === 10 ? `${value}T00:00:00Z` : value;
  const date = new Date(day);
  if (Number.isNaN(date.getTime())) return value;
  const options: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'long', year: 'numeric' };
  if (value.length === 10) options.timeZone = 'UTC';
  return new Intl.DateTimeFormat(locale === 'bn' ? 'bn-BD' : 'en-GB', options).format(date);
}

export function count(value: number, locale: Locale): string {
  return new Intl.NumberFormat(locale).format(value);
}

export function mean(value: number | null, locale: Locale): string {
  if (value === null) return '—';
  return new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(value);
}

export interface DistributionTable {
  /** Option labels or scale values, in the server's order. */
  columns: string[];
  scale: boolean;
  rows: { room: string | null; respondents: number; counts: number[]; mean: number | null }[];
}

/**
 * The rooms' distributions and the overall one as one table (`room` null: all rooms), as the
 * Markdown report lays them out; null when the question has none (an open question).
 */
export function distributionTable(parts: RoomDistribution[], overall: Distribution | null): DistributionTable | null {
  const first = parts[0]?.distribution ?? overall;
  if (!first) return null;
  const scale = first.options.length === 0;
  const named: [string | null, Distribution][] = parts.map((part) => [part.room_name, part.distribution]);
  if (overall) named.push([null, overall]);
  return {
    columns: scale ? first.scale.map((entry) => entry.label || String(entry.value)) : first.options.map((option) => option.label),
    scale,
    rows: named.map(([room, d]) => ({
      room,
      respondents: d.respondents,
      counts: scale ? d.scale.map((entry) => entry.count) : d.options.map((option) => option.count),
      mean: scale ? d.mean : null,
    })),
  };
}
