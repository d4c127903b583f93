/** English messages about who may open what: invitations read before joining, sign-in, no access. */
export const enAccess = {
  'invite_role.organiser': 'organiser',
  'invite_role.moderator': 'moderator',
  'invite_role.participant': 'participant',
  'invite_role.observer': 'observer',
  'invite.role_of_room': '{role} of {room}',
  'invite.invited_as': 'You are invited as {target} — {title}',
  'invite.for_person': 'This invitation is for {name}.',
  'invite.checking': 'Checking your invitation…',
  'invite.switch_title': 'This device is already signed in',
  'invite.switch_question': 'This device is signed in as {name} ({role}). Continue as {target}?',
  'invite.switch_continue': 'Continue as {target}',
  'invite.switch_keep': 'Keep current',
  'invite.organiser_body': 'This link signs in {name} as the organiser of {title}.',
  'invite.organiser_button': 'Sign in as organiser',
  'invite.password_instead': 'Sign in with email and password instead',

  'home.organiser_sign_in': 'Organiser sign-in',

  'access.denied_title': 'You do not have access to this page',
  'access.denied_body': 'You are signed in as {name} ({role}). This page is for another role or another meeting.',
  'access.signed_out_body': 'This page is for the meeting’s organisers.',
  'access.own_view': 'Go to your meeting',
  'access.home': 'Go to the start page',
} as const satisfies Record<string, string>;
