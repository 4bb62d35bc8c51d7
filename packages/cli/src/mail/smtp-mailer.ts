import type { Mailer, OutgoingEmail } from '@zelto/core';
import nodemailer from 'nodemailer';

/** Sends through an SMTP server (SMTP_URL: smtp://user:pass@host:port). */
export function smtpMailer(url: string, from: string): Mailer & { close(): void } {
  const transport = nodemailer.createTransport(url);
  return {
    async send(email: OutgoingEmail) {
      await transport.sendMail({
        from,
        to: email.to,
        subject: email.subject,
        text: email.text,
        ...(email.html ? { html: email.html } : {}),
      });
    },
    close: () => transport.close(),
  };
}
