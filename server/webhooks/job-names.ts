/** Names of the webhook jobs (apart from the handlers, so the answer and case paths can queue them cheaply). */
export const WEBHOOK_FAN_OUT_JOB = 'webhook.fan_out';
export const WEBHOOK_DELIVER_JOB = 'webhook.deliver';
