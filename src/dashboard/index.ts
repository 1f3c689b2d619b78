/**
 * The dashboard's figures: mail per customer, mail waiting for a reply, deals by stage. Every mail
 * figure starts from the mailboxes the caller may read (store/visibility.ts), never from all mail.
 */
export { buildDashboard, type Dashboard, type DashboardScope } from './build-dashboard.ts';
export { type CustomerMail, mailPerCustomer } from './mail-per-customer.ts';
export { UNANSWERED_WINDOW_DAYS, type UnansweredMail, type UnansweredMessage, unansweredMail } from './unanswered.ts';
export { dealsByStage, type StageTotals } from './deals-by-stage.ts';
export { listPeople } from './people.ts';
