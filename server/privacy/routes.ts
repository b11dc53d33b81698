import { Hono } from 'hono';
import { z } from 'zod';
import { customerExportBody, eraseResultBody } from '../../shared/api/privacy.js';
import { requireStaff, staffUser, type StaffEnv } from '../auth/staff-session.js';
import type { AppDeps } from '../deps.js';
import { ApiError } from '../http/errors.js';
import { apiErrorBodySchema } from '../openapi/document.js';
import { registerOperations } from '../openapi/registry.js';
import { eraseContextOf, eraseCustomer } from './erase.js';
import { exportCustomer } from './export.js';

const tag = 'Customers';
const params = z.object({
  id: z
    .string()
    .describe(
      "Hami's customer id, or the id the shop knows the customer by (a customer known only by a phone: the phone, written in any form)",
    ),
});
const notFound = { description: 'No such customer', schema: apiErrorBodySchema };
registerOperations(
  {
    method: 'get',
    path: '/api/customers/{id}/export',
    tag,
    summary: 'Everything Hami holds about one customer, as one JSON document',
    auth: { staff: 'privacy:manage' },
    params,
    description:
      'For a data subject access request. Sent as a download (Content-Disposition: attachment). Each export is recorded in the privacy audit (who and when, not what).',
    responses: { 200: { description: 'The export (version 1)', schema: customerExportBody }, 404: notFound },
  },
  {
    method: 'post',
    path: '/api/customers/{id}/erase',
    tag,
    summary: 'Erase a customer: contact details and free text removed, scores kept anonymously',
    auth: { staff: 'privacy:manage' },
    params,
    description:
      'One transaction: email, phone, name, comments, free-text answers, case notes, SMS texts and the webhook bodies that name them are removed; ' +
      'queued messages to them are cancelled and their links closed. The customer stays as an anonymous placeholder so NPS and trends do not change. ' +
      'A POST, not DELETE: the customer record is anonymised, not deleted. Erasing again changes nothing (alreadyErased: true).',
    responses: { 200: { description: 'What was changed (counts)', schema: eraseResultBody }, 404: notFound },
  },
);

/** A file name safe in a header: the id's letters, digits and a few marks. */
const fileNameOf = (id: string) => `customer-${id.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 80)}.json`;

/** Privacy requests from the dashboard or another tool: export and erase one customer (admins only). */
export function privacyRoutes(deps: AppDeps) {
  const app = new Hono<StaffEnv>();
  const manage = requireStaff(deps, 'privacy:manage');

  app.get('/api/customers/:id/export', manage, async (c) => {
    const document = await exportCustomer(deps.db, c.req.param('id'), staffUser(c).id, deps.clock.now(), deps.config.defaultCountry);
    if (!document) throw new ApiError(404, 'not_found', 'no customer with this id or external id');
    c.header('Content-Disposition', `attachment; filename="${fileNameOf(document.customer.id)}"`);
    c.header('Cache-Control', 'no-store');
    return c.json(document);
  });

  app.post('/api/customers/:id/erase', manage, async (c) => {
    const result = await eraseCustomer(
      deps.db,
      eraseContextOf(deps.config, deps.surveys.all),
      c.req.param('id'),
      staffUser(c).id,
      deps.clock.now(),
    );
    if (!result)
      throw new ApiError(404, 'not_found', 'no customer with this id or external id (an erased customer is found by Hami id only)');
    // Ids and counts only: the log never holds what was erased.
    deps.log.info('customer erased', { user: staffUser(c).id, customer: result.customerId, alreadyErased: result.alreadyErased });
    return c.json(result);
  });
  return app;
}
