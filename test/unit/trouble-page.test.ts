import { Hono } from 'hono';
import { describe, expect, test } from 'vitest';
import { customerTroublePage } from '../../server/survey-page/trouble-page.js';

/** A customer page whose handler fails, answered the way the app answers customer pages. */
function failingPage(error: Error) {
  const app = new Hono();
  app.get('/p/x', () => {
    throw error;
  });
  app.onError((e, c) => customerTroublePage(e, c));
  return app;
}

describe("a customer page's error page", () => {
  test('a bug is a 500 page saying to try again, never cached, in the language of the link', async () => {
    const res = await failingPage(new Error('boom')).request('/p/x?lang=fa');
    expect(res.status).toBe(500);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expect(html).toContain('<html lang="fa" dir="rtl">');
    expect(html).toContain('مشکلی پیش آمد');
    expect(html).not.toContain('boom');
  });

  test("without ?lang it follows the browser's language", async () => {
    const res = await failingPage(new Error('boom')).request('/p/x', { headers: { 'accept-language': 'en-GB,en;q=0.9' } });
    expect(await res.text()).toContain('<h1>Something went wrong</h1>');
  });
});
