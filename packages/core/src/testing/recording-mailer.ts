import type { Mailer, OutgoingEmail } from '../mail/mailer.js';

/** Keeps every email in memory; can be told to fail, to test delivery errors. */
export class RecordingMailer implements Mailer {
  readonly sent: OutgoingEmail[] = [];
  #failures = 0;

  async send(email: OutgoingEmail): Promise<void> {
    if (this.#failures > 0) {
      this.#failures--;
      throw new Error('SMTP server unavailable');
    }
    this.sent.push(email);
  }

  /** Makes the next `count` sends fail. */
  failNext(count = 1): void {
    this.#failures = count;
  }

  /** The newest email to an address (optionally of one kind). */
  last(to: string, kind?: OutgoingEmail['kind']): OutgoingEmail | undefined {
    return this.sent.findLast((e) => e.to === to.toLowerCase() && (kind === undefined || e.kind === kind));
  }

  /** The newest verification code sent to an address. */
  codeFor(to: string): string {
    const code = /code is (\d{6})/.exec(this.last(to, 'verification')?.text ?? '')?.[1];
    if (!code) throw new Error(`no verification code was sent to ${to}`);
    return code;
  }

  /** The newest link of a kind sent to an address. */
  linkFor(to: string, kind: OutgoingEmail['kind']): string {
    const link = /(https?:\/\/\S+)/.exec(this.last(to, kind)?.text ?? '')?.[1];
    if (!link) throw new Error(`no ${kind} link was sent to ${to}`);
    return link;
  }
}
