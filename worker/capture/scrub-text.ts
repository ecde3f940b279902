/**
 * What becomes of a user's text before it is stored in the dataset (feedback and low-confidence
 * records): control characters are removed, and obvious personal data and secrets are replaced by
 * placeholders. Pattern matching, so it catches the common shapes, not every one: the API docs
 * say so. The scored text is never changed; only the stored copy.
 */
import { HF_TOKEN_PATTERN } from './redact';

/** C0 and C1 controls (NUL, ESC, DEL, …) except tab, line feed and carriage return. */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

/** http(s) or www. URLs that carry a query string: tokens, session ids and e-mail addresses travel there. */
const URL_WITH_QUERY = /\b(?:https?:\/\/|www\.)[^\s<>"'?]*\?[^\s<>"']*/gi;
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;
/** Digit groups joined by single spaces, dots or hyphens, optionally +country and (area): counted below. */
const PHONE_CANDIDATE = /(?<![\p{L}\p{N}+])(?:\+\s?)?(?:\(\d{1,5}\)[ .-]?)?\d{1,5}(?:[ .-]?\(?\d{1,5}\)?){1,7}(?![\p{L}\p{N}])/gu;
/**
 * A phone number has 9 to 15 digits (E.164 allows 15); fewer is a date, time, price or count.
 * Written without separators or a +, only 10 or 11 digits (a national number) count: longer bare
 * runs are ids and timestamps.
 */
const isPhone = (match: string) => {
  const digits = match.replace(/\D/g, '').length;
  return /\D/.test(match) ? digits >= 9 && digits <= 15 : digits >= 10 && digits <= 11;
};

export const PLACEHOLDERS = { url: '<url>', email: '<email>', phone: '<phone>', token: '<token>' } as const;

export function stripControlCharacters(text: string): string {
  return text.replace(CONTROL, '');
}

export function scrubPersonalData(text: string): string {
  return text
    .replace(URL_WITH_QUERY, PLACEHOLDERS.url)
    .replace(EMAIL, PLACEHOLDERS.email)
    .replace(HF_TOKEN_PATTERN, PLACEHOLDERS.token)
    .replace(PHONE_CANDIDATE, (match) => (isPhone(match) ? PLACEHOLDERS.phone : match));
}

/** The text as it is stored. */
export function textForStorage(text: string): string {
  return scrubPersonalData(stripControlCharacters(text));
}
