/**
 * The billing portal of the built-in test-mode provider: `/billing/portal/<token>` (a
 * single-use session opened by an owner or admin) where a person adds a card, and
 * `/billing/<slug>`, where a caller refused for quota without the right to open the portal is
 * told who can. No card is charged; the page only maps the form to core calls.
 */
import { type Core, isDomainError } from '@zelto/core';
import type { Hono } from 'hono';
import { html } from './html.js';
import { button, errorSummary, field, notice, type PageOrganization, postForm } from './layout.js';
import { firstInvalid, type PageContext, type PageProblem, type PagesEnv, pageProblem, sendPage, summaryOf } from './render.js';

export const BILLING_PREFIX = '/billing/';
const CARD_FIELDS = ['cardholder', 'cardNumber'] as const;

export function mountBilling(app: Hono<PagesEnv>, core: Core): void {
  function form(c: PageContext, org: PageOrganization, current: string | null, problem?: PageProblem, values: Record<string, string> = {}) {
    const focus = problem ? (firstInvalid(problem, CARD_FIELDS) ?? 'cardNumber') : 'cardholder';
    return sendPage(c, problem?.status ?? 200, {
      title: 'Add a payment method',
      organization: org,
      body: html`<h1>Add a payment method</h1>
<p>For <strong>${org.name}</strong>. With a payment method on file, usage beyond the monthly quota and grants continues as billable overage instead of being refused.</p>
${current ? notice(html`On file now: <strong>${current}</strong>. A new card replaces it.`) : null}
${notice('Test mode: no card is charged. Any valid test number works, e.g. 4242 4242 4242 4242.')}
${errorSummary(summaryOf(problem, 'card', CARD_FIELDS))}
${postForm(
  c.req.path,
  c.get('csrfToken'),
  html`${field({ id: 'card-cardholder', name: 'cardholder', label: 'Name on the card', value: values.cardholder, autocomplete: 'cc-name', error: problem?.fields.cardholder, autofocus: focus === 'cardholder' })}
${field({
  id: 'card-cardNumber',
  name: 'cardNumber',
  label: 'Card number',
  inputmode: 'numeric',
  autocomplete: 'cc-number',
  error: problem?.fields.cardNumber,
  autofocus: focus === 'cardNumber',
})}
<div class="actions">${button('Add payment method')}</div>`,
  { label: 'Add a payment method' },
)}`,
    });
  }

  function gone(c: PageContext, problem: PageProblem) {
    return sendPage(c, problem.status, {
      title: 'This billing link no longer works',
      body: html`<h1>This billing link no longer works</h1>
<p>${problem.message}</p>
<p>An owner or admin opens a new one from Zelto: the <code>open_billing_portal</code> tool, or <code>POST /v1/billing/portal-sessions</code>.</p>`,
    });
  }

  app.get('/billing/portal/:token', async (c) => {
    try {
      const session = await core.billing.portalSession({ token: c.req.param('token') });
      return form(c, session.organization, session.paymentMethod);
    } catch (error) {
      if (isDomainError(error)) return gone(c, pageProblem(c, error));
      throw error;
    }
  });

  app.post('/billing/portal/:token', async (c) => {
    const token = c.req.param('token');
    const values = c.get('form');
    const input = { token, cardholder: values.cardholder ?? '', cardNumber: values.cardNumber ?? '' };
    try {
      const added = await core.billing.addPaymentMethod(input);
      return sendPage(c, 200, {
        title: 'Payment method added',
        organization: added.organization,
        body: html`<h1>Payment method added</h1>
${notice(html`<strong>${added.paymentMethod}</strong> is on file for ${added.organization.name}.`, 'success')}
<p>Usage beyond the quota now continues as billable overage. You can close this page.</p>`,
      });
    } catch (error) {
      if (!isDomainError(error)) throw error;
      const problem = pageProblem(c, error);
      if (error.code === 'portal_session_expired' || error.code === 'portal_session_not_found') return gone(c, problem);
      // A declined card is about the number: show it there.
      if (error.code === 'card_declined') problem.fields.cardNumber = error.message;
      const session = await core.billing.portalSession({ token }).catch(() => undefined);
      if (!session) return gone(c, problem);
      return form(c, session.organization, session.paymentMethod, problem, { cardholder: input.cardholder });
    }
  });

  // Where a caller refused for quota, but not allowed to open the portal, is sent.
  app.get('/billing/:slug', (c) =>
    sendPage(c, 200, {
      title: 'A payment method is needed',
      body: html`<h1>A payment method is needed</h1>
<p>This organization has used its quota and grants for the month, and no payment method is on file, so new usage is refused.</p>
<p>Ask an owner or admin of the organization to add one. They open the billing portal from Zelto: the <code>open_billing_portal</code> tool in an assistant, or <code>POST /v1/billing/portal-sessions</code>.</p>`,
    }),
  );
}
