/** An email the core wants sent. */
export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** What kind of email this is, for logs and the dev outbox. */
  kind: 'verification' | 'invitation' | 'usage_alert';
}

/** The Mailer port: SMTP in production, a development outbox otherwise, a recorder in tests. */
export interface Mailer {
  send(email: OutgoingEmail): Promise<void>;
}
