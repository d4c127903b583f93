/**
 * The English catalogue: the reference every other language must match key for key.
 *
 * Placeholders are `{name}`; `bn.ts` must use the same ones (a test checks). Keys are grouped by
 * the screen or vocabulary they belong to; vocabulary keys (`phase.*`, `role.*`, `gender.*`,
 * `organisation_type.*`) end in the value the server sends.
 */
import { enAccess } from './en.access.ts';
import { enLive } from './en.live.ts';
import { enPresent } from './en.present.ts';
import { enReport } from './en.report.ts';

export const en = {
  ...enLive,
  ...enReport,
  ...enPresent,
  ...enAccess,
  'app.name': 'Breakouts',
  'shell.skip_to_content': 'Skip to content',
  'shell.main_navigation': 'Main',

  'language.label': 'Language',
  'language.switch_to': 'Switch the interface language to {language}',

  'connection.label': 'Connection',
  'connection.connecting': 'Connecting…',
  'connection.open': 'Connected',
  'connection.reconnecting': 'Connection lost. Reconnecting…',
  'connection.offline': 'You are offline. What you type is kept and sent when you are back online.',
  'connection.forbidden': 'You no longer have access to this meeting.',
  'connection.signed_out': 'Your session has ended. Open your invitation link again.',
  'connection.unsent': 'Waiting to send: {count}',

  'role.organiser': 'Organiser',
  'role.moderator': 'Moderator',
  'role.participant': 'Participant',
  'role.observer': 'Observer',

  'phase.draft': 'Being prepared',
  'phase.lobby': 'Waiting to start',
  'phase.plenary': 'Plenary',
  'phase.breakouts': 'Breakout rooms',
  'phase.report_back': 'Report-back',
  'phase.closed': 'Closed',

  'phase_hint.draft': 'The organiser is still preparing this meeting.',
  'phase_hint.lobby': 'The meeting will start soon. Keep this page open.',
  'phase_hint.plenary': 'Everyone is together in the plenary.',
  'phase_hint.breakouts': 'The breakout rooms are open.',
  'phase_hint.report_back': 'Each room is presenting what it found.',
  'phase_hint.closed': 'This meeting has ended. Thank you for taking part.',

  'action.submit': 'Submit',
  'action.retry': 'Try again',
  'action.upvote': 'Upvote',
  'action.remove_upvote': 'Remove upvote',
  'action.cancel': 'Cancel',
  'action.save': 'Save',
  'action.confirm': 'Confirm',
  'action.join': 'Join',
  'action.sign_in': 'Sign in',
  'action.sign_out': 'Sign out',
  'action.ask_for_help': 'Ask for help',
  'action.open_room': 'Go to my room',
  'action.back_to_meeting': 'Back to the meeting',

  'status.loading': 'Loading…',
  'status.sending': 'Sending…',
  'status.optional': 'optional',

  'join.title': 'Join the meeting',
  'join.intro': 'Tell us who you are. People in your room will see your name.',
  'join.code': 'Meeting code',
  'join.code_hint': 'The code the organiser gave you, for example K7Q2MX.',
  'join.name': 'Your name',
  'join.name_hint': 'As others in the meeting will see it.',
  'join.name_hint_invite': 'If this invitation was sent to you personally, you can leave your name empty.',
  'join.email': 'Email',
  'join.email_hint': 'The address the organiser has for you, if you are on their list: you then join as yourself, in your room.',
  'join.organisation': 'Organisation',
  'join.organisation_type': 'Type of organisation',
  'join.organisation_type_none': 'Not specified',
  'join.gender': 'Gender',
  'join.gender_explainer':
    'This question is optional, and your answer is only used for anonymous statistics in the meeting report.',
  'join.joining': 'Joining…',

  'gender.female': 'Female',
  'gender.male': 'Male',
  'gender.another': 'Another gender',
  'gender.undisclosed': 'Prefer not to say',

  'organisation_type.ministry': 'Ministry or government department',
  'organisation_type.police': 'Police',
  'organisation_type.prosecution': 'Prosecution service',
  'organisation_type.judiciary': 'Judiciary',
  'organisation_type.civil_society': 'Civil society',
  'organisation_type.international_organisation': 'International organisation',
  'organisation_type.academia': 'Academia or research',
  'organisation_type.private_sector': 'Private sector',
  'organisation_type.other': 'Other',

  'error.network': 'Cannot reach the server. Check your connection and try again.',
  'error.not_found': 'This link or code is not valid. Ask the organiser for a new one.',
  'error.sign_in_link_used': 'This sign-in link was used already: each one opens once. Sign in with your email and password.',
  'error.closed_meeting': 'This meeting is closed to new participants.',
  'error.name_required': 'Please give the name others will see.',
  'error.invalid': 'Some details are not valid. Please check them and try again.',
  'error.rate_limited': 'Too many attempts. Wait a minute and try again.',
  'error.not_signed_in': 'You have not joined this meeting on this device. Open your invitation link again.',
  'error.forbidden': 'You do not have access to this page.',
  'error.unknown': 'Something went wrong. Please try again.',

  'meeting.signed_in_as': 'You are {name}, {role}.',
  'meeting.now': 'Now: {phase}',
  'meeting.current_item': 'On the agenda now',
  'meeting.agenda_speaker': 'Speaker: {speaker}',
  'meeting.join_code': 'Meeting code: {code}',

  'room.title': 'Your breakout room',
  'room.waiting_for_question': 'No question is open in your room yet. Your moderator will open one.',

  'organiser.title': 'Organiser sign-in',
  'organiser.email': 'Email',
  'organiser.password': 'Password',
  'organiser.wrong_credentials': 'The email or the password is not right.',
  'organiser.meetings': 'Your meetings',
  'organiser.no_meetings': 'You have no meetings yet.',
  'organiser.open_projector': 'Projector view of {title}',

  'projector.join_at': 'Join at {address} with the code {code}',

  'not_found.title': 'Page not found',
  'not_found.body': 'Check the address, or open the invitation you received again.',
  'not_found.join_with_code': 'Join with a meeting code',
} as const satisfies Record<string, string>;

export type MessageKey = keyof typeof en;
/** A catalogue for another language: every English key, no more, each with its own text. */
export type Catalogue = { readonly [K in MessageKey]: string };
