/**
 * The linker: message participants → contacts and companies (on arrival and retroactively), automatic
 * contact creation per mailbox, and deal threads.
 */
export {
  decideAutoContacts,
  companyNameFromDomain,
  nameFromAddress,
  type AutoContactInput,
  type ContactCandidate,
} from './auto-contacts.ts';
export { isAutomatedMail, isRoleAddress } from './automated-mail.ts';
export { FREE_MAIL_DOMAINS, isFreeMailDomain } from './free-mail.ts';
export { linkMessages, linkAddressToContact, linkDomainToCompany } from './link-message.ts';
export { autoLinkDealThread, autoLinkDealThreads, linkDealThread, unlinkDealThread } from './deal-threads.ts';
export { linkThreadToDeal, unlinkThreadFromDeal } from './deal-thread-commands.ts';
export { startLinker, type Linker } from './linker.ts';
export type { LinkingTables, LinkRole } from './tables.ts';
