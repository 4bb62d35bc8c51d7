/** A short-lived link where a person adds a payment method. */
export interface PortalSession {
  url: string;
  expiresAt: number;
}

/**
 * The BillingProvider port. The built-in test-mode provider (test-mode.ts) serves its own
 * portal page; a Stripe provider would create a Stripe billing portal session here and mark
 * the payment method from Stripe's webhooks.
 */
export interface BillingProvider {
  readonly name: string;
  createPortalSession(input: { orgId: string }): Promise<PortalSession>;
}
