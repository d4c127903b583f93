"""The report's own words in the meeting's language: English and Bengali, the languages the
interface has catalogues for (``frontend/src/i18n``); the shared report page says the same things
with the same Bengali words. Numbers are written in the reader's digits, language names and dates
in the reader's language (CLDR data, through Babel).

What people typed (answers, findings, labels, room and theme names) is never translated, nor are
the question codes the exports share.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from babel import Locale, UnknownLocaleError
from babel.dates import format_date

ReportLanguage = Literal["en", "bn"]
REPORT_LANGUAGES: tuple[ReportLanguage, ...] = ("en", "bn")
_BENGALI_DIGITS = str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯")

# Every key in every language: a missing Bengali word is a test failure, never an English word
# slipped into a Bengali report.
_EN: dict[str, str] = {
    "position_paper": "Position paper",
    "draft_note": "Position paper — draft exported on {date} during the {phase} phase.",
    "date_line": "Date: {held} (prepared on {prepared})",
    "not_held": "not yet held",
    "languages_line": "Languages: {languages}",
    "contents": "Contents",
    "contents_hint": "Page numbers appear when the table of contents is updated (in Word: F9).",
    "about": "About the meeting",
    "agenda": "Agenda",
    "minutes": "{minutes} min",
    "executive_summary": "Executive summary",
    "summary_findings": "The rooms confirmed {findings} on {themes}.",
    "summary_points": "Points raised in several rooms:",
    "summary_none": "No point was raised in more than one room, and no room confirmed a finding yet.",
    "key_recommendations": "Key recommendations",
    "recommendations_none": "No room has confirmed a finding yet.",
    "participation": "Participation",
    "findings_by_theme": "Findings by theme",
    "general": "General",
    "raised_across": "Raised across rooms:",
    "ungrouped": "{count} answers in no group (each is in the annex, under its room).",
    "ungrouped_one": "{count} answer in no group (it is in the annex, under its room).",
    "headline": "Headline",
    "raised_in": "raised in {count} of {total} rooms",
    "raised_in_one": "raised in {count} of {total} room",
    "side_by_side": "The rooms side by side:",
    "col_room": "Room",
    "col_findings": "Confirmed findings",
    "col_top_answers": "Top answers (votes)",
    "col_answers": "Answers",
    "col_mean": "Mean",
    "all_rooms": "All rooms",
    "room_findings": "Findings of the rooms:",
    "other_findings": "Other findings of the rooms:",
    "no_findings": "No confirmed findings yet.",
    "nothing_yet": "No findings or answers yet.",
    "annex": "Annex: every room's findings and answers",
    "annex_findings": "Findings:",
    "finding_status_confirmed": "confirmed",
    "finding_status_proposed": "proposed",
    "answers_refs": "answers {refs}",
    "none": "none",
    "votes": "{count} votes",
    "votes_one": "{count} vote",
    "answer_ref": "answer {ref}",
    "anonymous": "anonymous",
    "sources": "Sources",
    "note_finding": "finding “{text}”, citing {sources}",
    "note_no_answers": "no answers cited",
    "note_no_answers_short": "no answers",
    "rooms_agree": "Rooms agree",
    "rooms_diverge": "Rooms diverge",
    "divergence_scale": (
        "{verdict}: room means range from {low} ({first}) to {high} ({second}), {spread} points apart on the "
        "{min} to {max} scale (rooms count as diverging from {threshold} of the scale apart)."
    ),
    "divergence_choice": (
        "{verdict}: the two rooms furthest apart, {first} and {second}, differ in {value} of their choices "
        "(rooms count as diverging from {threshold})."
    ),
    "a_room": "a room",
    "findings_count": "{count} findings",
    "findings_count_one": "{count} finding",
    "themes_count": "{count} themes",
    "themes_count_one": "{count} theme",
    "participants_sentence": "{total} ({parts})",
    "participant_noun": "participants",
    "participant_noun_one": "participant",
    "female": "{count} female",
    "male": "{count} male",
    "another": "{count} another",
    "undisclosed": "{count} undisclosed",
    "answers_noun": "answers",
    "answers_noun_one": "answer",
    "from_female": "{count} from female participants",
    "from_male": "{count} from male participants",
    "from_another": "{count} from participants of another gender",
    "from_undisclosed": "{count} from participants who did not disclose their gender",
    "col_total": "Total",
    "col_female": "Female",
    "col_male": "Male",
    "col_another": "Another",
    "col_undisclosed": "Undisclosed",
    "organisation_type": "Organisation type",
    "role": "Role",
    "answers_by_organisation_type": "Answers by organisation type",
    "counting_rule": (
        "Participants are everyone on the meeting's roster, whatever their role (organisers on the roster, "
        "moderators, participants and observers); gender is as each person declared it. Answers are every "
        "answer a person on the roster submitted, including hidden ones and those merged into another; "
        "answers made by merging others are not counted again."
    ),
    "org.ministry": "Ministry",
    "org.police": "Police",
    "org.prosecution": "Prosecution",
    "org.judiciary": "Judiciary",
    "org.civil_society": "Civil society",
    "org.international_organisation": "International organisation",
    "org.academia": "Academia",
    "org.private_sector": "Private sector",
    "org.other": "Other",
    "org.not_stated": "Not stated",
    "role.organiser": "Organisers",
    "role.moderator": "Moderators",
    "role.participant": "Participants",
    "role.observer": "Observers",
    "phase.draft": "draft",
    "phase.lobby": "lobby",
    "phase.plenary": "plenary",
    "phase.breakouts": "breakouts",
    "phase.report_back": "report-back",
    "phase.closed": "closed",
}
_BN: dict[str, str] = {
    "position_paper": "অবস্থানপত্র",
    "draft_note": "অবস্থানপত্র — {date} তারিখে রপ্তানি করা খসড়া, প্রস্তুত হয়েছে এই পর্বে: {phase}।",
    "date_line": "তারিখ: {held} (প্রস্তুতি: {prepared})",
    "not_held": "এখনো অনুষ্ঠিত হয়নি",
    "languages_line": "ভাষা: {languages}",
    "contents": "সূচিপত্র",
    "contents_hint": "সূচিপত্র হালনাগাদ করলে পৃষ্ঠা নম্বর দেখা যাবে (Word-এ: F9)।",
    "about": "সভা সম্পর্কে",
    "agenda": "কর্মসূচি",
    "minutes": "{minutes} মিনিট",
    "executive_summary": "সারসংক্ষেপ",
    "summary_findings": "কক্ষগুলো {themes} {findings} নিশ্চিত করেছে।",
    "summary_points": "একাধিক কক্ষে উঠে আসা বিষয়:",
    "summary_none": "কোনো বিষয় একাধিক কক্ষে উঠে আসেনি, এবং কোনো কক্ষ এখনো কোনো সিদ্ধান্ত নিশ্চিত করেনি।",
    "key_recommendations": "মূল সুপারিশ",
    "recommendations_none": "কোনো কক্ষ এখনো কোনো সিদ্ধান্ত নিশ্চিত করেনি।",
    "participation": "অংশগ্রহণ",
    "findings_by_theme": "বিষয়ভিত্তিক সিদ্ধান্ত",
    "general": "সাধারণ",
    "raised_across": "একাধিক কক্ষে উঠে আসা বিষয়:",
    "ungrouped": "{count}টি উত্তর কোনো দলে নেই (প্রতিটি সংযুক্তিতে তার কক্ষের অধীনে আছে)।",
    "ungrouped_one": "{count}টি উত্তর কোনো দলে নেই (এটি সংযুক্তিতে তার কক্ষের অধীনে আছে)।",
    "headline": "মূল বিষয়",
    "raised_in": "{total}টি কক্ষের মধ্যে {count}টিতে উঠে এসেছে",
    "raised_in_one": "{total}টি কক্ষের মধ্যে {count}টিতে উঠে এসেছে",
    "side_by_side": "কক্ষগুলো পাশাপাশি:",
    "col_room": "কক্ষ",
    "col_findings": "নিশ্চিত সিদ্ধান্ত",
    "col_top_answers": "শীর্ষ উত্তর (ভোট)",
    "col_answers": "উত্তর",
    "col_mean": "গড়",
    "all_rooms": "সব কক্ষ",
    "room_findings": "কক্ষগুলোর সিদ্ধান্ত:",
    "other_findings": "কক্ষগুলোর অন্যান্য সিদ্ধান্ত:",
    "no_findings": "এখনো কোনো নিশ্চিত সিদ্ধান্ত নেই।",
    "nothing_yet": "এখনো কোনো সিদ্ধান্ত বা উত্তর নেই।",
    "annex": "সংযুক্তি: প্রতিটি কক্ষের সিদ্ধান্ত ও উত্তর",
    "annex_findings": "সিদ্ধান্ত:",
    "finding_status_confirmed": "নিশ্চিত",
    "finding_status_proposed": "প্রস্তাবিত",
    "answers_refs": "উত্তর {refs}",
    "none": "নেই",
    "votes": "ভোট: {count}",
    "votes_one": "ভোট: {count}",
    "answer_ref": "উত্তর {ref}",
    "anonymous": "নামহীন",
    "sources": "সূত্র",
    "note_finding": "সিদ্ধান্ত “{text}”, উদ্ধৃত: {sources}",
    "note_no_answers": "কোনো উত্তর উদ্ধৃত নয়",
    "note_no_answers_short": "কোনো উত্তর নয়",
    "rooms_agree": "কক্ষগুলো একমত",
    "rooms_diverge": "কক্ষগুলোর মত ভিন্ন",
    "divergence_scale": (
        "{verdict}: কক্ষগুলোর গড় {low} ({first}) থেকে {high} ({second}) পর্যন্ত, {min} থেকে {max} মাপকাঠিতে "
        "{spread} পয়েন্টের ব্যবধান (মাপকাঠির {threshold} ব্যবধান থেকে মত ভিন্ন ধরা হয়)।"
    ),
    "divergence_choice": (
        "{verdict}: সবচেয়ে দূরের দুটি কক্ষ, {first} ও {second}, তাদের বাছাইয়ের {value} অংশে আলাদা "
        "({threshold} থেকে মত ভিন্ন ধরা হয়)।"
    ),
    "a_room": "একটি কক্ষ",
    "findings_count": "{count}টি সিদ্ধান্ত",
    "findings_count_one": "{count}টি সিদ্ধান্ত",
    "themes_count": "{count}টি বিষয়ে",
    "themes_count_one": "{count}টি বিষয়ে",
    "participants_sentence": "{total} ({parts})",
    "participant_noun": "জন অংশগ্রহণকারী",
    "participant_noun_one": "জন অংশগ্রহণকারী",
    "female": "নারী {count}",
    "male": "পুরুষ {count}",
    "another": "অন্য লিঙ্গ {count}",
    "undisclosed": "উল্লেখ নেই {count}",
    "answers_noun": "টি উত্তর",
    "answers_noun_one": "টি উত্তর",
    "from_female": "নারীদের {count}",
    "from_male": "পুরুষদের {count}",
    "from_another": "অন্য লিঙ্গের {count}",
    "from_undisclosed": "লিঙ্গ উল্লেখ না করা অংশগ্রহণকারীদের {count}",
    "col_total": "মোট",
    "col_female": "নারী",
    "col_male": "পুরুষ",
    "col_another": "অন্য লিঙ্গ",
    "col_undisclosed": "উল্লেখ নেই",
    "organisation_type": "প্রতিষ্ঠানের ধরন",
    "role": "ভূমিকা",
    "answers_by_organisation_type": "প্রতিষ্ঠানের ধরন অনুযায়ী উত্তর",
    "counting_rule": (
        "অংশগ্রহণকারী হলেন সভার তালিকায় থাকা সবাই, ভূমিকা যা-ই হোক (তালিকায় থাকা আয়োজক, সঞ্চালক, "
        "অংশগ্রহণকারী ও পর্যবেক্ষক); লিঙ্গ প্রত্যেকে যেমন জানিয়েছেন। উত্তর হলো তালিকার কারও জমা দেওয়া প্রতিটি "
        "উত্তর, লুকানো ও অন্যটির সঙ্গে একীভূত উত্তরসহ; অন্যগুলো একীভূত করে তৈরি উত্তর আবার গোনা হয় না।"
    ),
    "org.ministry": "মন্ত্রণালয়",
    "org.police": "পুলিশ",
    "org.prosecution": "প্রসিকিউশন",
    "org.judiciary": "বিচার বিভাগ",
    "org.civil_society": "নাগরিক সমাজ",
    "org.international_organisation": "আন্তর্জাতিক সংস্থা",
    "org.academia": "শিক্ষা ও গবেষণা",
    "org.private_sector": "বেসরকারি খাত",
    "org.other": "অন্যান্য",
    "org.not_stated": "উল্লেখ নেই",
    "role.organiser": "আয়োজক",
    "role.moderator": "সঞ্চালক",
    "role.participant": "অংশগ্রহণকারী",
    "role.observer": "পর্যবেক্ষক",
    "phase.draft": "খসড়া",
    "phase.lobby": "অপেক্ষা কক্ষ",
    "phase.plenary": "পূর্ণাঙ্গ অধিবেশন",
    "phase.breakouts": "আলোচনা কক্ষ",
    "phase.report_back": "ফলাফল উপস্থাপন",
    "phase.closed": "সমাপ্ত",
}
CATALOGUES: dict[ReportLanguage, dict[str, str]] = {"en": _EN, "bn": _BN}
_LOCALES: dict[ReportLanguage, str] = {"en": "en_GB", "bn": "bn"}
# Where the interface names a language otherwise than CLDR does (CLDR's English says "Bangla").
_INTERFACE_NAMES: dict[ReportLanguage, dict[str, str]] = {"en": {"bn": "Bengali"}, "bn": {}}


def report_language(meeting_languages: Sequence[str]) -> ReportLanguage:
    """The meeting's first language that has a catalogue; English when none has."""
    for tag in meeting_languages:
        base = tag.split("-")[0].lower()
        if base == "bn":
            return "bn"
        if base == "en":
            return "en"
    return "en"


@dataclass(frozen=True, slots=True)
class Wording:
    language: ReportLanguage

    def __call__(self, key: str, **values: object) -> str:
        return CATALOGUES[self.language][key].format(**{name: self._value(v) for name, v in values.items()})

    def _value(self, value: object) -> str:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return self.number(str(value))
        return str(value)

    def number(self, text: str) -> str:
        """Digits in the reader's numerals (Bengali digits for a Bengali report)."""
        return text.translate(_BENGALI_DIGITS) if self.language == "bn" else text

    def counted(self, key: str, count: int, **values: object) -> str:
        """A counted phrase: ``key_one`` for one, ``key`` otherwise."""
        return self(f"{key}_one" if count == 1 else key, count=count, **values)

    def percent(self, share: float) -> str:
        return self.number(f"{share:.0%}")

    def decimal(self, value: float, places: int = 1) -> str:
        return self.number(f"{value:.{places}f}")

    def long_date(self, day: date) -> str:
        return self.number(format_date(day, format="long", locale=_LOCALES[self.language]))

    def language_name(self, tag: str) -> str:
        """A language tag written out in the reader's language ("German", "জার্মান"); an unknown tag as given."""
        try:
            names = Locale.parse(_LOCALES[self.language]).languages
            parsed = Locale.parse(tag.replace("-", "_"))
        except (UnknownLocaleError, ValueError):
            return tag
        name = _INTERFACE_NAMES[self.language].get(parsed.language) or names.get(parsed.language)
        return str(name) if name else tag

    def raised_in(self, count: int, total: int) -> str:
        """ "raised in 4 of 6 rooms", the plenary's sentence, in the reader's language."""
        return self("raised_in_one" if total == 1 else "raised_in", count=count, total=total)

    def phase(self, phase: str) -> str:
        return CATALOGUES[self.language].get(f"phase.{phase}", phase)
