import type { RouteContext } from '../context.ts';
import { auditRoutes } from './audit.ts';
import { blocklistRoutes } from './blocklist.ts';
import { authRoutes } from './auth.ts';
import { crmActivityRoutes } from './crm-activities.ts';
import { crmCompanyRoutes } from './crm-companies.ts';
import { crmContactEmailRoutes } from './crm-contact-emails.ts';
import { crmContactRoutes } from './crm-contacts.ts';
import { crmCsvRoutes } from './crm-csv.ts';
import { crmDealRoutes } from './crm-deals.ts';
import { crmPipelineRoutes } from './crm-pipeline.ts';
import { crmPurchaseRoutes } from './crm-purchases.ts';
import { analyticsRoutes } from './analytics.ts';
import { dashboardRoutes } from './dashboard.ts';
import { healthRoutes } from './health.ts';
import { metricsRoutes } from './metrics.ts';
import { eventRoutes } from './events.ts';
import { mailViewRoutes } from './mail-views.ts';
import { mailboxFolderRoutes } from './mailbox-folders.ts';
import { mailboxSyncRoutes } from './mailbox-sync.ts';
import { mailboxRoutes } from './mailboxes.ts';
import { messageFileRoutes } from './message-files.ts';
import { messageHtmlRoutes } from './message-html.ts';
import { messageRoutes } from './messages.ts';
import { meRoutes } from './me.ts';
import { outboxRoutes } from './outbox.ts';
import { composeRoutes } from './compose.ts';
import { templateRoutes } from './templates.ts';
import { reminderRoutes } from './reminders.ts';
import { notificationRoutes } from './notifications.ts';
import { searchRoutes } from './search.ts';
import { timelineRoutes } from './timeline.ts';
import { settingsRoutes } from './settings.ts';
import { signinRoutes } from './signin.ts';
import { signinOrganisationRoutes } from './signin-organisation.ts';
import { setupRoutes } from './setup.ts';
import { tokenRoutes } from './tokens.ts';
import { twoFactorRoutes } from './two-factor.ts';
import { userRoutes } from './users.ts';
import { webhookRoutes } from './webhooks.ts';

/** Every route module, registered in one place. */
export const routeModules: Array<(ctx: RouteContext) => void> = [
  // First: its latency hook must see every route after it.
  metricsRoutes,
  healthRoutes,
  setupRoutes,
  authRoutes,
  meRoutes,
  twoFactorRoutes,
  tokenRoutes,
  userRoutes,
  settingsRoutes,
  auditRoutes,
  mailboxRoutes,
  signinRoutes,
  signinOrganisationRoutes,
  crmCsvRoutes,
  crmCompanyRoutes,
  crmContactRoutes,
  crmContactEmailRoutes,
  crmPipelineRoutes,
  crmDealRoutes,
  crmActivityRoutes,
  reminderRoutes,
  notificationRoutes,
  crmPurchaseRoutes,
  dashboardRoutes,
  analyticsRoutes,
  messageRoutes,
  messageFileRoutes,
  messageHtmlRoutes,
  mailViewRoutes,
  mailboxFolderRoutes,
  mailboxSyncRoutes,
  eventRoutes,
  timelineRoutes,
  searchRoutes,
  blocklistRoutes,
  outboxRoutes,
  composeRoutes,
  templateRoutes,
  webhookRoutes,
];
