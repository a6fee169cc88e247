export { EMAIL_OUTBOX_KIND, type MailMessage, MailService } from './mail.service';
export { MailModule } from './mail.module';
