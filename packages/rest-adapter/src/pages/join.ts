/** `/join/<token>`: the invite link. Anyone with a live link joins as a member. */
import type { Core } from '@zelto/core';
import type { FlowSpec } from './flow.js';
import { html } from './html.js';

export function joinFlow(core: Core): FlowSpec {
  return {
    base: '/join',
    heading: (org) => `Join ${org.name}`,
    completeLabel: (org) => `Join ${org.name}`,
    signInLabel: 'Sign in and join',
    verifyLabel: 'Verify and join',
    async preview(token) {
      const preview = await core.inviteLink.preview({ token });
      return {
        organization: preview.organization,
        intro: html`You've been invited to join <strong>${preview.organization.name}</strong> on Zelto, as a ${preview.role}.`,
      };
    },
    complete: (person, token, client) => core.inviteLink.join(person, { token }, client),
    showsMembershipFirst: () => true,
  };
}
