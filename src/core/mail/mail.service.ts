import { Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Transporter } from 'nodemailer';
import { AppConfig } from '../env';
import { OutboxService } from '../outbox';

/** Outbox messages of this kind are e-mails: `{ to, subject, text, html? }`. */
export const EMAIL_OUTBOX_KIND = 'email';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Stable per message, so a receiver can drop a duplicate of a retried delivery. */
  messageId?: string;
}

/** SMTP (nodemailer) from the SMTP_* and EMAIL_* settings. */
@Injectable()
export class MailService implements OnModuleInit, OnApplicationShutdown {
  private transport: Transporter | undefined;

  constructor(
    private readonly config: AppConfig,
    private readonly outbox: OutboxService,
  ) {}

  onModuleInit(): void {
    this.outbox.register(EMAIL_OUTBOX_KIND, (payload, message) =>
      this.send({ ...(payload as unknown as MailMessage), messageId: `<${message.id}@guildhall>` }),
    );
  }

  /** EMAIL_ENABLED with an SMTP server. */
  get enabled(): boolean {
    return this.config.email.enabled && this.config.email.smtp.host !== undefined;
  }

  async send(message: MailMessage): Promise<void> {
    const { email } = this.config;
    // nodemailer is loaded with the first mail: an instance that sends none never pays for it.
    const { createTransport } = await import('nodemailer');
    this.transport ??= createTransport({
      host: email.smtp.host,
      port: email.smtp.port,
      secure: email.smtp.secure,
      auth: email.smtp.username
        ? { user: email.smtp.username, pass: email.smtp.password ?? '' }
        : undefined,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    });
    await this.transport.sendMail({
      from: {
        name: email.fromName,
        address: email.fromAddress ?? `noreply@${email.smtp.host ?? 'localhost'}`,
      },
      to: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html,
      messageId: message.messageId,
    });
  }

  onApplicationShutdown(): void {
    this.transport?.close();
  }
}
