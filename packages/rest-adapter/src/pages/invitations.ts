/** `/invitations/<token>`: an email invitation, accepted by the invited (verified) address. */
import type { Core, DomainErrorCode } from '@zelto/core';
import type { FlowPreview, FlowSpec } from './flow.js';
import { html } from './html.js';

type InvitationStatus = 'pending' | 'accepted' | 'revoked' | 'expired';

/**
 * The core's preview reports an invitation that is no longer pending as a status, not an
 * error; these are the errors its accept would raise for it, with the same messages.
 */
const CLOSED: Record<Exclude<InvitationStatus, 'pending'>, { code: DomainErrorCode; message: string }> = {
  accepted: {
    code: 'invitation_already_accepted',
    message: 'This invitation was already accepted. If it was not you, ask an admin to invite you again.',
  },
  revoked: { code: 'invitation_revoked', message: 'This invitation was revoked. Ask an admin to invite you again.' },
  expired: { code: 'invitation_expired', message: 'This invitation has expired (invitations last 7 days). Ask an admin to resend it.' },
};

const DATE = new Intl.DateTimeFormat('en', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' });

export function invitationFlow(core: Core): FlowSpec {
  return {
    base: '/invitations',
    heading: (org) => `Join ${org.name}`,
    completeLabel: () => 'Accept invitation',
    signInLabel: 'Sign in and accept',
    verifyLabel: 'Verify and accept',
    async preview(token) {
      const preview = await core.invitations.preview({ token });
      const out: FlowPreview = {
        organization: preview.organization,
        email: preview.email,
        intro: html`${preview.invitedBy} invited <strong>${preview.email}</strong> to join <strong>${preview.organization.name}</strong> as <strong>${preview.role}</strong>. The invitation is valid until <time datetime="${preview.expiresAt}">${DATE.format(new Date(preview.expiresAt))} UTC</time>.`,
      };
      if (preview.status !== 'pending') out.closed = CLOSED[preview.status];
      return out;
    },
    complete: (person, token) => core.invitations.accept(person, { token }),
    showsMembershipFirst: (preview) => preview.closed?.code === 'invitation_already_accepted',
  };
}
