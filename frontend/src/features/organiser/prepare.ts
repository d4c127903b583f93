/** Pure helpers of the preparation forms. */
import type { QuestionOption } from '../../protocol/index.ts';

/** One option per non-empty line; ids are made from the position (`o1`, `o2` …), stable and valid. */
export function optionsFromLines(lines: string): QuestionOption[] {
  return lines
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .slice(0, 50)
    .map((label, index) => ({ id: `o${index + 1}`, label: label.slice(0, 300) }));
}

/** What a template file is, by its name: the server reads YAML and JSON. */
export function templateContentType(fileName: string): string {
  return fileName.toLowerCase().endsWith('.json') ? 'application/json' : 'application/x-yaml';
}

/**
 * The options of an edited question, one per non-empty line: a line whose label an option already
 * has keeps that option's id (so answers given to it still point at it); a new label gets an id
 * not in use.
 */
export function optionsKeepingIds(existing: readonly QuestionOption[], lines: string): QuestionOption[] {
  const taken = new Set(existing.map((option) => option.id));
  const used = new Set<string>();
  let next = 1;
  return optionsFromLines(lines).map(({ label }) => {
    const same = existing.find((option) => option.label === label && !used.has(option.id));
    if (same) {
      used.add(same.id);
      return { id: same.id, label };
    }
    while (taken.has(`o${next}`)) next += 1;
    taken.add(`o${next}`);
    return { id: `o${next}`, label };
  });
}
