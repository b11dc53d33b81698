import type { ApiErrorBody, FieldError } from '../shared/api/errors.js';
import type {
  Calendar,
  CommentsBody,
  FilterOptionsBody,
  Interval,
  NpsTrendBody,
  ReasonsBody,
  SatisfactionTrendBody,
  SummaryBody,
} from '../shared/api/metrics.js';
import type {
  ActionInput,
  MessageTemplatesBody,
  SavedSegment,
  SegmentAction,
  SegmentCountBody,
  SegmentDetailBody,
  SegmentInput,
  SegmentListBody,
  SegmentMembersBody,
  SegmentPatch,
} from '../shared/api/segments.js';
import type { ApiKey, ApiKeyListBody, CreatedApiKeyBody } from '../shared/api/api-keys.js';
import type { ImportKind, ImportReport } from '../shared/api/imports.js';
import type {
  ThemeCandidatesBody,
  ThemeCreate,
  ThemeDictionaryBody,
  ThemeEdit,
  ThemeImpactBody,
  ThemeRetagBody,
  ThemeTrendBody,
} from '../shared/api/themes.js';
import type { Locale } from '../shared/locale.js';
import { apiErrorMessage } from './i18n/api-errors.js';
import { messages, type Messages } from './i18n/messages.js';
import type { EraseResult } from '../shared/api/privacy.js';
import type { BrandingBody, SurveyTextsBody } from '../shared/api/settings.js';
import type {
  DeliveryListBody,
  WebhookCreatedBody,
  WebhookDelivery,
  WebhookInput,
  WebhookListBody,
  WebhookPatch,
} from '../shared/api/webhooks.js';
import type {
  CallbackDetail,
  CallbackItem,
  CallbackPatch,
  CreatedUserBody,
  ListedUser,
  PasswordResetBody,
  SessionBody,
  StaffUser,
  TimelineItem,
  UserPatch,
} from '../shared/api/staff.js';
import { takeEmbeddedSession } from './embedded-session.js';

/**
 * An error answer of the staff API (`{ error: { code, message, field? } }`), or a network failure (status 0).
 * `message` is said in the dashboard's language (see i18n/api-errors.ts); `serverMessage` keeps the server's words.
 */
export class ApiError extends Error {
  readonly serverMessage: string;
  constructor(
    readonly status: number,
    readonly code: string,
    serverMessage: string,
    readonly field?: string,
    /** Every input at fault when the API names several at once (closing a case without reason and outcome). */
    readonly fields: FieldError[] = field ? [{ field, message: serverMessage }] : [],
  ) {
    super(apiErrorMessage(errorMessages, { code, message: serverMessage, field }));
    this.serverMessage = serverMessage;
    this.name = 'ApiError';
  }
}

/** The dashboard's language for error messages; the app sets it with the page's language. */
let errorMessages: Messages = messages.en;
export function setErrorLanguage(locale: Locale): void {
  errorMessages = messages[locale];
}

interface CallbackFilter {
  status?: string;
  owner?: string;
  overdue?: boolean;
  survey?: string;
}

/** The CSRF token of the current session: sent with every state-changing request. */
let csrfToken: string | null = null;
/** Told when the server answers 401 to a signed-in request (the session ended elsewhere or expired). */
let onUnauthorized: (() => void) | null = null;

export function setUnauthorizedHandler(handler: (() => void) | null): void {
  onUnauthorized = handler;
}

/** `raw`: a file sent as it is (a CSV upload) instead of a JSON body. */
async function request<T>(method: string, path: string, body?: unknown, raw?: { body: Blob; contentType: string }): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (raw) headers['content-type'] = raw.contentType;
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: raw ? raw.body : body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network', 'network');
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON (a proxy's error page): the status says enough.
  }
  if (!response.ok) {
    const error = (parsed as Partial<ApiErrorBody> | null)?.error;
    if (response.status === 401 && csrfToken !== null) {
      csrfToken = null;
      onUnauthorized?.();
    }
    const message = error?.message ?? `${response.status} ${response.statusText}`;
    throw new ApiError(
      response.status,
      error?.code ?? `http_${response.status}`,
      message,
      error?.field,
      error?.fields ?? (error?.field ? [{ field: error.field, message }] : []),
    );
  }
  return parsed as T;
}

function query(params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value) search.set(key, value);
  const text = search.toString();
  return text ? `?${text}` : '';
}

export const api = {
  async login(email: string, password: string): Promise<SessionBody> {
    const session = await request<SessionBody>('POST', '/api/session', { email, password });
    csrfToken = session.csrfToken;
    return session;
  },
  /** The session the page carries (null: nobody signed in), taken once; undefined when there is none to take. */
  embeddedSession(): SessionBody | null | undefined {
    const embedded = takeEmbeddedSession();
    if (embedded !== undefined) csrfToken = embedded?.csrfToken ?? null;
    return embedded;
  },
  /** The current session, or null when nobody is signed in: the one the page carries, else the API's. */
  async session(): Promise<SessionBody | null> {
    const embedded = api.embeddedSession();
    if (embedded !== undefined) return embedded;
    try {
      const session = await request<SessionBody>('GET', '/api/session');
      csrfToken = session.csrfToken;
      return session;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return null;
      throw error;
    }
  },
  async logout(): Promise<void> {
    try {
      await request<void>('DELETE', '/api/session');
    } finally {
      csrfToken = null;
    }
  },
  callbacks(filter: CallbackFilter = {}): Promise<{ items: CallbackItem[] }> {
    return request(
      'GET',
      `/api/callbacks${query({ status: filter.status, owner: filter.owner, overdue: filter.overdue ? 'true' : undefined, survey: filter.survey })}`,
    );
  },
  callback(id: string): Promise<CallbackDetail> {
    return request('GET', `/api/callbacks/${encodeURIComponent(id)}`);
  },
  updateCallback(id: string, patch: CallbackPatch): Promise<CallbackDetail> {
    return request('PATCH', `/api/callbacks/${encodeURIComponent(id)}`, patch);
  },
  timeline(customerId: string): Promise<{ items: TimelineItem[] }> {
    return request('GET', `/api/customers/${encodeURIComponent(customerId)}/timeline`);
  },
  users(): Promise<{ users: StaffUser[] }> {
    return request('GET', '/api/users');
  },
  /** The metrics endpoints take the overview's filters as ready-made query parameters (see overview-query.ts). */
  metrics: {
    nps(filters: URLSearchParams, interval: Interval, calendar: Calendar): Promise<NpsTrendBody> {
      return request('GET', `/api/metrics/nps?${withParams(filters, { interval, calendar })}`);
    },
    satisfaction(filters: URLSearchParams, interval: Interval, calendar: Calendar): Promise<SatisfactionTrendBody> {
      return request('GET', `/api/metrics/satisfaction?${withParams(filters, { interval, calendar })}`);
    },
    summary(filters: URLSearchParams): Promise<SummaryBody> {
      return request('GET', `/api/metrics/summary?${filters}`);
    },
    reasons(filters: URLSearchParams): Promise<ReasonsBody> {
      return request('GET', `/api/metrics/reasons?${filters}`);
    },
    /** `theme`: only the comments tagged with that theme. */
    comments(filters: URLSearchParams, search: string, limit: number, theme?: string): Promise<CommentsBody> {
      return request('GET', `/api/metrics/comments?${withParams(filters, { q: search.trim(), limit: String(limit), theme: theme ?? '' })}`);
    },
    themes(filters: URLSearchParams): Promise<ThemeImpactBody> {
      return request('GET', `/api/metrics/themes?${filters}`);
    },
    themeTrend(filters: URLSearchParams, interval: Interval, calendar: Calendar): Promise<ThemeTrendBody> {
      return request('GET', `/api/metrics/themes/trend?${withParams(filters, { interval, calendar })}`);
    },
    filters(): Promise<FilterOptionsBody> {
      return request('GET', '/api/metrics/filters');
    },
  },
  /** The segment endpoints take a filter as ready-made query parameters (see segment-query.ts). */
  segments: {
    count(filter: URLSearchParams): Promise<SegmentCountBody> {
      return request('GET', `/api/segments/count?${filter}`);
    },
    members(filter: URLSearchParams, cursor: string | null): Promise<SegmentMembersBody> {
      return request('GET', `/api/segments/members?${withParams(filter, { cursor: cursor ?? '' })}`);
    },
    list(): Promise<SegmentListBody> {
      return request('GET', '/api/segments');
    },
    get(id: string): Promise<SegmentDetailBody> {
      return request('GET', `/api/segments/${encodeURIComponent(id)}`);
    },
    create(input: SegmentInput): Promise<SavedSegment> {
      return request('POST', '/api/segments', input);
    },
    update(id: string, patch: SegmentPatch): Promise<SavedSegment> {
      return request('PATCH', `/api/segments/${encodeURIComponent(id)}`, patch);
    },
    remove(id: string): Promise<void> {
      return request('DELETE', `/api/segments/${encodeURIComponent(id)}`);
    },
    act(id: string, input: ActionInput): Promise<SegmentAction> {
      return request('POST', `/api/segments/${encodeURIComponent(id)}/actions`, input);
    },
    templates(): Promise<MessageTemplatesBody> {
      return request('GET', '/api/segments/templates');
    },
  },
  /** Settings (admin): outbound webhooks and their delivery log. */
  webhooks: {
    list(): Promise<WebhookListBody> {
      return request('GET', '/api/webhooks');
    },
    create(input: WebhookInput): Promise<WebhookCreatedBody> {
      return request('POST', '/api/webhooks', input);
    },
    update(id: string, patch: WebhookPatch): Promise<WebhookCreatedBody> {
      return request('PATCH', `/api/webhooks/${encodeURIComponent(id)}`, patch);
    },
    remove(id: string): Promise<void> {
      return request('DELETE', `/api/webhooks/${encodeURIComponent(id)}`);
    },
    deliveries(id: string): Promise<DeliveryListBody> {
      return request('GET', `/api/webhooks/${encodeURIComponent(id)}/deliveries`);
    },
    resend(deliveryId: string): Promise<WebhookDelivery> {
      return request('POST', `/api/webhooks/deliveries/${encodeURIComponent(deliveryId)}/resend`);
    },
  },
  /** Settings (admin): API keys, shown once when made. */
  keys: {
    list(): Promise<ApiKeyListBody> {
      return request('GET', '/api/keys');
    },
    create(name: string): Promise<CreatedApiKeyBody> {
      return request('POST', '/api/keys', { name });
    },
    revoke(id: string): Promise<ApiKey> {
      return request('DELETE', `/api/keys/${encodeURIComponent(id)}`);
    },
  },
  /** Settings (admin): staff accounts; a generated password is answered once. */
  staff: {
    list(): Promise<{ users: ListedUser[] }> {
      return request('GET', '/api/users');
    },
    add(input: { email: string; name: string; role: string }): Promise<CreatedUserBody> {
      return request('POST', '/api/users', input);
    },
    change(id: string, patch: UserPatch): Promise<ListedUser> {
      return request('PATCH', `/api/users/${encodeURIComponent(id)}`, patch);
    },
    resetPassword(id: string): Promise<PasswordResetBody> {
      return request('POST', `/api/users/${encodeURIComponent(id)}/password`);
    },
  },
  /** Settings (admin): read-only views of the brand and the survey files. */
  settings: {
    branding(): Promise<BrandingBody> {
      return request('GET', '/api/settings/branding');
    },
    surveys(): Promise<SurveyTextsBody> {
      return request('GET', '/api/surveys');
    },
  },
  /** Settings (admin): the theme dictionary, the candidate phrases an admin may accept into it, and re-tagging history. */
  themes: {
    list(): Promise<ThemeDictionaryBody> {
      return request('GET', '/api/themes');
    },
    /** Each change answers with the whole dictionary as it now is. */
    update(id: string, change: ThemeEdit): Promise<ThemeDictionaryBody> {
      return request('PUT', `/api/themes/${encodeURIComponent(id)}`, change);
    },
    create(theme: ThemeCreate): Promise<ThemeDictionaryBody> {
      return request('POST', '/api/themes', theme);
    },
    remove(id: string): Promise<ThemeDictionaryBody> {
      return request('DELETE', `/api/themes/${encodeURIComponent(id)}`);
    },
    candidates(range: { from: string; to: string }): Promise<ThemeCandidatesBody> {
      return request('GET', `/api/themes/candidates${query(range)}`);
    },
    /** Starts re-tagging in the background; GET /api/themes follows it (`retag`, then `stale` false). */
    retag(): Promise<ThemeRetagBody> {
      return request('POST', '/api/themes/retag');
    },
  },
  /** Settings (admin): a customer's data export (JSON) and erasure. */
  privacy: {
    exportCustomer(id: string): Promise<unknown> {
      return request('GET', `/api/customers/${encodeURIComponent(id)}/export`);
    },
    erase(id: string): Promise<EraseResult> {
      return request('POST', `/api/customers/${encodeURIComponent(id)}/erase`);
    },
  },
  /** Settings (admin): a CSV file imported as it is; the report lists the rows that failed. */
  imports: {
    run(kind: ImportKind, file: Blob): Promise<ImportReport> {
      return request('POST', `/api/imports${query({ kind })}`, undefined, { body: file, contentType: 'text/csv' });
    },
  },
};

/** Where the browser downloads a filter's members as a file: a plain link, the session cookie goes with it. */
export function exportHref(filter: URLSearchParams, format: 'csv' | 'json'): string {
  return `/api/segments/members?${withParams(filter, { format })}`;
}

function withParams(base: URLSearchParams, extra: Record<string, string>): string {
  const params = new URLSearchParams(base);
  for (const [key, value] of Object.entries(extra)) if (value) params.set(key, value);
  return params.toString();
}
