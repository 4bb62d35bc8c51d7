/** The emails Zelto sends, as plain text with a simple HTML twin. */
import type { OutgoingEmail } from './mailer.js';

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function html(paragraphs: string[], link?: { href: string; label: string }): string {
  const body = paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n');
  const button = link ? `\n<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.label)}</a></p>` : '';
  return `<!doctype html><html><body style="font-family: sans-serif">\n${body}${button}\n</body></html>`;
}

export function verificationEmail(input: { to: string; name: string; code: string; link: string; minutes: number }): OutgoingEmail {
  const lines = [
    `Hi ${input.name},`,
    `Your Zelto verification code is ${input.code}. It works for ${input.minutes} minutes.`,
    'If you did not sign up for Zelto, ignore this email.',
  ];
  return {
    kind: 'verification',
    to: input.to,
    subject: `Your Zelto code: ${input.code}`,
    text: `${lines.join('\n\n')}\n\nOr open this link: ${input.link}\n`,
    html: html(lines, { href: input.link, label: 'Verify my email' }),
  };
}

export function invitationEmail(input: {
  to: string;
  organizationName: string;
  invitedBy: string;
  role: string;
  link: string;
  expiresAt: string;
}): OutgoingEmail {
  const lines = [
    `${input.invitedBy} invited you to join ${input.organizationName} on Zelto as ${input.role === 'admin' ? 'an admin' : 'a member'}.`,
    `The invitation is valid until ${input.expiresAt}. Sign in (or create an account) with ${input.to} to accept it.`,
  ];
  return {
    kind: 'invitation',
    to: input.to,
    subject: `Join ${input.organizationName} on Zelto`,
    text: `${lines.join('\n\n')}\n\nAccept: ${input.link}\n`,
    html: html(lines, { href: input.link, label: `Join ${input.organizationName}` }),
  };
}

export function usageAlertEmail(input: {
  to: string;
  organizationName: string;
  meter: string;
  percent: number;
  portalHint: string;
}): OutgoingEmail {
  const lines = [`${input.organizationName} has used ${input.percent}% of its ${input.meter} allowance for this month.`, input.portalHint];
  return {
    kind: 'usage_alert',
    to: input.to,
    subject: `${input.organizationName}: ${input.percent}% of ${input.meter} used`,
    text: `${lines.join('\n\n')}\n`,
    html: html(lines),
  };
}
