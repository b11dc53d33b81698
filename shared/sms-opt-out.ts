import { tokenize } from './keywords.js';

/*
 * Replies that stop all surveys by SMS to the sender. A carrier or gateway already honours its own keywords; Hami
 * must honour the same ones (a customer who replied STOP ALL and still gets texts complains to the carrier, not to
 * the shop), and the Persian ones people actually type.
 */

/** Twilio's and the US carriers' (CTIA) opt-out keywords, Persian "cancel", "cancel membership/subscription",
 * "withdraw", and 11 (Iran's operators' opt-out code). Written as compareForm leaves them. */
const OPT_OUT_REPLIES = new Set(
  ['STOP', 'STOP ALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPT OUT', 'لغو', 'لغو عضویت', 'لغو اشتراک', 'انصراف', '11'].map(
    compareForm,
  ),
);

/**
 * A reply as it is compared: the words the keyword tokenizer sees (NFKC, Persian and Arabic-Indic digits as 0–9,
 * Arabic ي/ك as Persian ی/ک, diacritics and ZWNJ dropped, lower case) joined without spaces, so "STOP ALL",
 * "stopall", "Stop!" and "لغو‌عضویت" (with a ZWNJ) match as people type them.
 */
function compareForm(text: string): string {
  return tokenize(text).join('');
}

/** Whether a whole SMS reply is an opt-out keyword; a sentence that merely contains one is not. */
export function isOptOutReply(text: string): boolean {
  return OPT_OUT_REPLIES.has(compareForm(text));
}
