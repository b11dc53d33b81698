/**
 * The events outbound webhooks can subscribe to. Apart from shared/api/webhooks.ts so the dashboard can list them
 * without bundling zod.
 */
export const WEBHOOK_EVENTS = ['response.created', 'callback.opened', 'callback.overdue', 'callback.closed', 'segment.entered'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
