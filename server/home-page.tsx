/** @jsxImportSource hono/jsx */
import { Layout } from './survey-page/views.js';

/** What a person opening the server's address sees before the dashboard is built. */
export function HomePage(props: { nonce: string }) {
  return (
    <Layout locale="en" title="Hami" nonce={props.nonce}>
      <div class="card">
        <h1>Hami is running</h1>
        <p>
          Send events to <code>POST /api/v1/events</code> with an API key; customers answer at <code>/s/…</code> links.
        </p>
        <p class="hint">
          The staff dashboard is served under /app/ once built with <code>npm run build</code>.
        </p>
      </div>
    </Layout>
  );
}
