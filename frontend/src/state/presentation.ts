/**
 * The report-back as pages a presenter steps through, room by room or theme by theme. Pure.
 *
 * A page holds a few items so that it fits a projector at large type without scrolling: a room's
 * items are its confirmed findings, then its questions with their top answers; a shared question's
 * items are its cross-room groups, theme by theme. The console, the projector and the phones all derive the same
 * pages from the same plenary read, so the position `{room_id, question_id, page}` that the
 * presenter's `plenary.changed` carries means the same page on every screen.
 */
import type { GroupMember, PlenaryGroup, PlenaryRead } from '../api/generated.ts';
import { plenaryRoom, type PlenaryRoom } from './plenary.ts';
import { groupsByTheme, themeBlocks, type ThemeBlock } from './themes.ts';

/** Items per page: three findings (each with up to three answers) fill a 720-pixel-high screen. */
export const ITEMS_PER_PAGE = 3;
/** Cross-room groups per page: on a projector each takes up to two lines of type read from the
 * back of a room, and its bar; four of them under the theme headings fill a 720-pixel-high screen. */
export const GROUPS_PER_PAGE = 4;

export type PresentationMode = 'rooms' | 'themes';

export interface PagePosition {
  room_id: string | null;
  question_id: string | null;
  page: number;
}

export type RoomItem =
  | { kind: 'finding'; finding: PlenaryRoom['findings'][number] }
  | { kind: 'question'; question: PlenaryRoom['questions'][number] };

export interface SharedQuestionView {
  questionId: string;
  code: string;
  text: string;
  roomCount: number;
  /** In theme order: a page shows runs of one theme under the theme's heading. */
  groups: PlenaryGroup[];
  themes: ThemeBlock[];
  /** Answers and confirmed findings in no group, room by room: shown under the last page. */
  ungrouped: GroupMember[];
}

function pageCount(items: number, perPage: number): number {
  return Math.max(1, Math.ceil(items / perPage));
}

export function roomItems(room: PlenaryRoom): RoomItem[] {
  return [
    ...room.findings.map((finding): RoomItem => ({ kind: 'finding', finding })),
    ...room.questions.map((question): RoomItem => ({ kind: 'question', question })),
  ];
}

/** The questions a theme-by-theme report-back walks: those asked in more than one room. */
export function sharedQuestions(read: PlenaryRead): SharedQuestionView[] {
  return read.themes.flatMap((theme) =>
    theme.questions
      .filter((question) => question.shared)
      .map((question) => ({
        questionId: question.question.id,
        code: question.question.code,
        text: question.question.text,
        roomCount: question.rooms.length,
        groups: groupsByTheme(question.groups, question.point_themes),
        themes: themeBlocks(question.groups, question.point_themes),
        ungrouped: question.ungrouped ?? [],
      })),
  );
}

/** Every page of the chosen walk, in order (the room walk starts at the overview). */
export function presentationPages(read: PlenaryRead, mode: PresentationMode): PagePosition[] {
  if (mode === 'themes') {
    return sharedQuestions(read).flatMap((question) =>
      Array.from({ length: pageCount(question.groups.length, GROUPS_PER_PAGE) }, (_, page) => ({
        room_id: null,
        question_id: question.questionId,
        page,
      })),
    );
  }
  const pages: PagePosition[] = [{ room_id: null, question_id: null, page: 0 }];
  for (const summary of read.rooms) {
    const room = plenaryRoom(read, summary.room.id);
    const count = room ? pageCount(roomItems(room).length, ITEMS_PER_PAGE) : 1;
    for (let page = 0; page < count; page += 1) pages.push({ room_id: summary.room.id, question_id: null, page });
  }
  return pages;
}

/** Where `position` stands among `pages` (-1 when it is not one of them). */
export function pageIndex(pages: readonly PagePosition[], position: PagePosition | null): number {
  const at = position ?? { room_id: null, question_id: null, page: 0 };
  return pages.findIndex(
    (page) => page.room_id === at.room_id && page.question_id === at.question_id && page.page === at.page,
  );
}

/** The slice of `items` that page `page` shows, and how many pages there are (a page past the end
 * shows the last one). */
export function pageOf<T>(items: readonly T[], page: number, perPage: number): { items: T[]; page: number; pages: number } {
  const pages = pageCount(items.length, perPage);
  const shown = Math.min(Math.max(0, page), pages - 1);
  return { items: items.slice(shown * perPage, (shown + 1) * perPage), page: shown, pages };
}
