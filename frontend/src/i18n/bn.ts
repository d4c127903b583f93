import { bnAccess } from './bn.access.ts';
import { bnLive } from './bn.live.ts';
import { bnPresent } from './bn.present.ts';
import { bnReport } from './bn.report.ts';
import type { Catalogue } from './en.ts';

/** বাংলা — the Bengali catalogue. Same keys and placeholders as `en.ts` (checked by a test). */
export const bn: Catalogue = {
  ...bnLive,
  ...bnReport,
  ...bnPresent,
  ...bnAccess,
  'app.name': 'ব্রেকআউটস',
  'shell.skip_to_content': 'মূল অংশে যান',
  'shell.main_navigation': 'প্রধান মেনু',

  'language.label': 'ভাষা',
  'language.switch_to': 'ইন্টারফেসের ভাষা বদলে করুন: {language}',

  'connection.label': 'সংযোগ',
  'connection.connecting': 'সংযোগ করা হচ্ছে…',
  'connection.open': 'সংযুক্ত',
  'connection.reconnecting': 'সংযোগ বিচ্ছিন্ন হয়েছে। আবার সংযোগ করা হচ্ছে…',
  'connection.offline': 'আপনি অফলাইনে আছেন। আপনি যা লিখছেন তা সংরক্ষিত থাকবে এবং আবার অনলাইনে এলে পাঠানো হবে।',
  'connection.forbidden': 'এই সভায় আপনার আর প্রবেশাধিকার নেই।',
  'connection.signed_out': 'আপনার সেশন শেষ হয়ে গেছে। আপনার আমন্ত্রণ লিংকটি আবার খুলুন।',
  'connection.unsent': 'পাঠানোর অপেক্ষায়: {count}',

  'role.organiser': 'আয়োজক',
  'role.moderator': 'সঞ্চালক',
  'role.participant': 'অংশগ্রহণকারী',
  'role.observer': 'পর্যবেক্ষক',

  'phase.draft': 'প্রস্তুতি চলছে',
  'phase.lobby': 'শুরুর অপেক্ষায়',
  'phase.plenary': 'পূর্ণাঙ্গ অধিবেশন',
  'phase.breakouts': 'ব্রেকআউট কক্ষ',
  'phase.report_back': 'ফলাফল উপস্থাপন',
  'phase.closed': 'সমাপ্ত',

  'phase_hint.draft': 'আয়োজক এখনো এই সভাটি প্রস্তুত করছেন।',
  'phase_hint.lobby': 'সভা শিগগিরই শুরু হবে। এই পাতাটি খোলা রাখুন।',
  'phase_hint.plenary': 'সবাই এখন পূর্ণাঙ্গ অধিবেশনে একসাথে আছেন।',
  'phase_hint.breakouts': 'ব্রেকআউট কক্ষগুলো খোলা হয়েছে।',
  'phase_hint.report_back': 'প্রতিটি কক্ষ তাদের আলোচনার ফলাফল উপস্থাপন করছে।',
  'phase_hint.closed': 'এই সভা শেষ হয়েছে। অংশগ্রহণের জন্য ধন্যবাদ।',

  'action.submit': 'জমা দিন',
  'action.retry': 'আবার চেষ্টা করুন',
  'action.upvote': 'সমর্থন করুন',
  'action.remove_upvote': 'সমর্থন তুলে নিন',
  'action.cancel': 'বাতিল',
  'action.save': 'সংরক্ষণ করুন',
  'action.confirm': 'নিশ্চিত করুন',
  'action.join': 'যোগ দিন',
  'action.sign_in': 'সাইন ইন করুন',
  'action.sign_out': 'সাইন আউট করুন',
  'action.ask_for_help': 'সাহায্য চান',
  'action.open_room': 'আমার কক্ষে যান',
  'action.back_to_meeting': 'সভায় ফিরে যান',

  'status.loading': 'লোড হচ্ছে…',
  'status.sending': 'পাঠানো হচ্ছে…',
  'status.optional': 'ঐচ্ছিক',

  'join.title': 'সভায় যোগ দিন',
  'join.intro': 'আপনার পরিচয় দিন। আপনার কক্ষের অন্যরা আপনার নাম দেখতে পাবেন।',
  'join.code': 'সভার কোড',
  'join.code_hint': 'আয়োজক আপনাকে যে কোড দিয়েছেন, যেমন K7Q2MX।',
  'join.name': 'আপনার নাম',
  'join.name_hint': 'সভার অন্যরা যেভাবে দেখবেন।',
  'join.name_hint_invite': 'এই আমন্ত্রণটি ব্যক্তিগতভাবে আপনাকে পাঠানো হয়ে থাকলে নামের ঘরটি ফাঁকা রাখতে পারেন।',
  'join.email': 'ইমেইল',
  'join.email_hint': 'আয়োজকের তালিকায় আপনার নাম থাকলে, তাঁদের কাছে থাকা আপনার ঠিকানাটি দিন: তাহলে আপনি নিজের নামে, নিজের কক্ষে যোগ দেবেন।',
  'join.organisation': 'প্রতিষ্ঠান',
  'join.organisation_type': 'প্রতিষ্ঠানের ধরন',
  'join.organisation_type_none': 'উল্লেখ করা হয়নি',
  'join.gender': 'লিঙ্গ',
  'join.gender_explainer':
    'এই প্রশ্নের উত্তর দেওয়া ঐচ্ছিক, এবং আপনার উত্তর শুধু সভার প্রতিবেদনে বেনামি পরিসংখ্যানের জন্য ব্যবহার করা হবে।',
  'join.joining': 'যোগ দেওয়া হচ্ছে…',

  'gender.female': 'নারী',
  'gender.male': 'পুরুষ',
  'gender.another': 'অন্য লিঙ্গ',
  'gender.undisclosed': 'বলতে চাই না',

  'organisation_type.ministry': 'মন্ত্রণালয় বা সরকারি বিভাগ',
  'organisation_type.police': 'পুলিশ',
  'organisation_type.prosecution': 'প্রসিকিউশন সার্ভিস',
  'organisation_type.judiciary': 'বিচার বিভাগ',
  'organisation_type.civil_society': 'নাগরিক সমাজ',
  'organisation_type.international_organisation': 'আন্তর্জাতিক সংস্থা',
  'organisation_type.academia': 'শিক্ষা বা গবেষণা প্রতিষ্ঠান',
  'organisation_type.private_sector': 'বেসরকারি খাত',
  'organisation_type.other': 'অন্যান্য',

  'error.network': 'সার্ভারে পৌঁছানো যাচ্ছে না। আপনার সংযোগ পরীক্ষা করে আবার চেষ্টা করুন।',
  'error.not_found': 'এই লিংক বা কোডটি সঠিক নয়। আয়োজকের কাছে নতুন একটি চেয়ে নিন।',
  'error.sign_in_link_used': 'এই সাইন-ইন লিংকটি আগেই ব্যবহার করা হয়েছে: প্রতিটি লিংক একবারই খোলে। আপনার ইমেইল ও পাসওয়ার্ড দিয়ে সাইন-ইন করুন।',
  'error.closed_meeting': 'এই সভায় নতুন অংশগ্রহণকারীরা আর যোগ দিতে পারবেন না।',
  'error.name_required': 'অন্যরা যে নাম দেখবেন, সেটি লিখুন।',
  'error.invalid': 'কিছু তথ্য সঠিক নয়। অনুগ্রহ করে পরীক্ষা করে আবার চেষ্টা করুন।',
  'error.rate_limited': 'অনেকবার চেষ্টা করা হয়েছে। এক মিনিট অপেক্ষা করে আবার চেষ্টা করুন।',
  'error.not_signed_in': 'আপনি এই ডিভাইস থেকে এই সভায় যোগ দেননি। আপনার আমন্ত্রণ লিংকটি আবার খুলুন।',
  'error.forbidden': 'এই পাতায় আপনার প্রবেশাধিকার নেই।',
  'error.unknown': 'কিছু একটা সমস্যা হয়েছে। অনুগ্রহ করে আবার চেষ্টা করুন।',

  'meeting.signed_in_as': 'আপনি {name}, {role}।',
  'meeting.now': 'এখন: {phase}',
  'meeting.current_item': 'এখন আলোচ্যসূচিতে',
  'meeting.agenda_speaker': 'বক্তা: {speaker}',
  'meeting.join_code': 'সভার কোড: {code}',

  'room.title': 'আপনার ব্রেকআউট কক্ষ',
  'room.waiting_for_question': 'আপনার কক্ষে এখনো কোনো প্রশ্ন খোলা হয়নি। আপনার সঞ্চালক একটি প্রশ্ন খুলবেন।',

  'organiser.title': 'আয়োজকের সাইন-ইন',
  'organiser.email': 'ইমেইল',
  'organiser.password': 'পাসওয়ার্ড',
  'organiser.wrong_credentials': 'ইমেইল বা পাসওয়ার্ড সঠিক নয়।',
  'organiser.meetings': 'আপনার সভাসমূহ',
  'organiser.no_meetings': 'আপনার এখনো কোনো সভা নেই।',
  'organiser.open_projector': '{title} — প্রজেক্টর ভিউ',

  'projector.join_at': '{address} ঠিকানায় {code} কোড দিয়ে যোগ দিন',

  'not_found.title': 'পাতাটি পাওয়া যায়নি',
  'not_found.body': 'ঠিকানাটি পরীক্ষা করুন, অথবা আপনার পাওয়া আমন্ত্রণটি আবার খুলুন।',
  'not_found.join_with_code': 'সভার কোড দিয়ে যোগ দিন',
};
