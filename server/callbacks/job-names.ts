/** Names of the callback area's queued jobs (kept apart so the answer path can queue them without the handlers). */
export const NEW_DETRACTOR_JOB = 'case.new_detractor';
export const SLA_CHECK_JOB = 'case.sla_check';
export const ALERT_WEBHOOK_JOB = 'alert.webhook';
