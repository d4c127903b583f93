import type { enAccess } from './en.access.ts';

/** বাংলা — who may open what (same keys and placeholders as `en.access.ts`). */
export const bnAccess: { readonly [K in keyof typeof enAccess]: string } = {
  'invite_role.organiser': 'আয়োজক',
  'invite_role.moderator': 'সঞ্চালক',
  'invite_role.participant': 'অংশগ্রহণকারী',
  'invite_role.observer': 'পর্যবেক্ষক',
  'invite.role_of_room': '{room}-এর {role}',
  'invite.invited_as': 'আপনাকে {target} হিসেবে আমন্ত্রণ জানানো হয়েছে — {title}',
  'invite.for_person': 'এই আমন্ত্রণটি {name}-এর জন্য।',
  'invite.checking': 'আপনার আমন্ত্রণ যাচাই করা হচ্ছে…',
  'invite.switch_title': 'এই ডিভাইসে আগে থেকেই সাইন-ইন করা আছে',
  'invite.switch_question': 'এই ডিভাইসে {name} ({role}) হিসেবে সাইন-ইন করা আছে। {target} হিসেবে চালিয়ে যাবেন?',
  'invite.switch_continue': '{target} হিসেবে চালিয়ে যান',
  'invite.switch_keep': 'বর্তমানটি রাখুন',
  'invite.organiser_body': 'এই লিংকটি {name}-কে {title}-এর আয়োজক হিসেবে সাইন-ইন করায়।',
  'invite.organiser_button': 'আয়োজক হিসেবে সাইন-ইন করুন',
  'invite.password_instead': 'বরং ইমেইল ও পাসওয়ার্ড দিয়ে সাইন-ইন করুন',

  'home.organiser_sign_in': 'আয়োজকের সাইন-ইন',

  'access.denied_title': 'এই পাতায় আপনার প্রবেশাধিকার নেই',
  'access.denied_body': 'আপনি {name} ({role}) হিসেবে সাইন-ইন করেছেন। এই পাতাটি অন্য ভূমিকা বা অন্য সভার জন্য।',
  'access.signed_out_body': 'এই পাতাটি সভার আয়োজকদের জন্য।',
  'access.own_view': 'আপনার সভায় যান',
  'access.home': 'শুরুর পাতায় যান',
};
