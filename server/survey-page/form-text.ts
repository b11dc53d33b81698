/** Shown next to a field whose text cannot be saved (see server/http/form-body.ts). */
export const BAD_TEXT = {
  en: 'This answer has characters that cannot be saved.',
  fa: 'این پاسخ نویسه‌هایی دارد که ذخیره نمی‌شوند.',
} as const;
