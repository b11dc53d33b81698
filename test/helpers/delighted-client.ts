/*
 * A small Delighted API client written from Delighted's documentation (https://delighted.com/docs/api) and its official
 * clients (delighted-node lib/Client.js + lib/Errors.js, delighted-ruby test/delighted_test.rb), not from Hami's code:
 * HTTP Basic with the key as user and an empty password, people created with a form body (`properties[key]=value`,
 * as the docs' curl examples and the PHP client send), lists paged with `page` / `per_page`, `expand[]=person`.
 * Autopilot (docs: getting-autopilot-configuration, listing/adding/removing people in Autopilot): per platform
 * (email, sms), memberships added and removed with a JSON body naming the person, lists paged by following the
 * `Link: <…>; rel="next"` header as delighted-node's autoPagingEach does.
 * Pointed at https://api.delighted.com/v1 it would talk to Delighted; the tests point it at {Hami}/api/delighted/v1.
 */

type Params = Record<string, string | number | boolean | undefined | string[] | Record<string, string | number | boolean>>;

/** The error a Delighted client raises, by status (delighted-node lib/Errors.js). */
export class DelightedApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    // `any`: the parsed error body; the tests assert the fields they expect.
    readonly body: any,
    readonly retryAfter: string | null,
  ) {
    super(`${type} (${status}): ${body?.message ?? ''}`);
  }
}

const ERROR_TYPES: Record<number, string> = {
  401: 'AuthenticationError',
  406: 'UnsupportedFormatRequestedError',
  422: 'ResourceValidationError',
  429: 'TooManyRequestsError',
  503: 'ServiceUnavailableError',
};

/** Delighted's form encoding: nested maps as key[inner]=value, lists as key[]=value. */
function formEncode(params: Params): URLSearchParams {
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) form.append(`${key}[]`, item);
    else if (typeof value === 'object') for (const [inner, v] of Object.entries(value)) form.append(`${key}[${inner}]`, String(v));
    else form.append(key, String(value));
  }
  return form;
}

export class DelightedClient {
  constructor(
    private readonly base: string,
    private readonly apiKey: string,
  ) {}

  private async request(method: 'GET' | 'POST' | 'DELETE', path: string, options: { query?: Params; form?: Params; json?: unknown } = {}) {
    return (
      await this.send(method, `${this.base.replace(/\/$/, '')}/${path}${options.query ? `?${formEncode(options.query)}` : ''}`, options)
    ).parsed;
  }

  private async send(method: 'GET' | 'POST' | 'DELETE', url: string, options: { form?: Params; json?: unknown } = {}) {
    const headers: Record<string, string> = {
      authorization: `Basic ${Buffer.from(`${this.apiKey}:`).toString('base64')}`,
      accept: 'application/json',
    };
    let body: string | undefined;
    if (options.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = formEncode(options.form).toString();
    } else if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    }
    const response = await fetch(url, { method, headers, body });
    const text = await response.text();
    const parsed = text ? JSON.parse(text) : null;
    if (response.status < 200 || response.status > 399) {
      throw new DelightedApiError(
        response.status,
        ERROR_TYPES[response.status] ?? 'GeneralAPIError',
        parsed,
        response.headers.get('retry-after'),
      );
    }
    return { parsed, link: response.headers.get('link') };
  }

  /** Person.create: email or phone_number, name, delay, properties, channel, send (form-encoded). */
  createPerson(params: Params) {
    return this.request('POST', 'people.json', { form: params });
  }

  /** The same as JSON, as delighted-node and delighted-ruby send it. */
  createPersonJson(params: Record<string, unknown>) {
    return this.request('POST', 'people.json', { json: params });
  }

  listSurveyResponses(params: Params = {}) {
    return this.request('GET', 'survey_responses.json', { query: params });
  }

  /** Every response, page after page, until a page comes back short (how Delighted's docs say to page). */
  async allSurveyResponses(params: Params = {}, perPage = 100) {
    const all = [];
    for (let page = 1; ; page++) {
      const batch = await this.listSurveyResponses({ ...params, per_page: perPage, page });
      all.push(...batch);
      if (batch.length < perPage) return all;
    }
  }

  metrics(params: Params = {}) {
    return this.request('GET', 'metrics.json', { query: params });
  }

  unsubscribe(personEmail: string) {
    return this.request('POST', 'unsubscribes.json', { json: { person_email: personEmail } });
  }

  listUnsubscribes(params: Params = {}) {
    return this.request('GET', 'unsubscribes.json', { query: params });
  }

  listBounces(params: Params = {}) {
    return this.request('GET', 'bounces.json', { query: params });
  }

  /** AutopilotConfiguration.retrieve(platform). */
  autopilotConfiguration(platform: 'email' | 'sms') {
    return this.request('GET', `autopilot/${platform}.json`);
  }

  /** AutopilotMembership.forEmail()/forSms().create: person_email / person_phone_number / person_id, properties. */
  addToAutopilot(platform: 'email' | 'sms', params: Record<string, unknown>) {
    return this.request('POST', `autopilot/${platform}/memberships.json`, { json: params });
  }

  /** AutopilotMembership.….delete: exactly one of person_id, person_email, person_phone_number. */
  removeFromAutopilot(platform: 'email' | 'sms', params: Record<string, unknown>) {
    return this.request('DELETE', `autopilot/${platform}/memberships.json`, { json: params });
  }

  listAutopilotMemberships(platform: 'email' | 'sms', params: Params = {}) {
    return this.request('GET', `autopilot/${platform}/memberships.json`, { query: params });
  }

  /** Every membership, following each page's Link rel="next" until there is none (autoPagingEach). */
  async allAutopilotMemberships(platform: 'email' | 'sms', perPage = 100) {
    const all = [];
    let url: string | null = `${this.base.replace(/\/$/, '')}/autopilot/${platform}/memberships.json?per_page=${perPage}`;
    while (url) {
      const { parsed, link } = await this.send('GET', url);
      all.push(...parsed);
      url = /<([^>]+)>;\s*rel="next"/.exec(link ?? '')?.[1] ?? null;
    }
    return all;
  }
}
