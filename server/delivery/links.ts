/** The customer-facing links of an invitation. */
export function surveyLink(publicUrl: string, token: string, oneTapValue?: string): string {
  const base = `${publicUrl}/s/${token}`;
  return oneTapValue === undefined ? base : `${base}?score=${encodeURIComponent(oneTapValue)}`;
}

export function optOutLink(publicUrl: string, token: string): string {
  return `${publicUrl}/u/${token}`;
}
