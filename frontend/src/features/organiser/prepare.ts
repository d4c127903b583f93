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
