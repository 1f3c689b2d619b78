import { useQuery } from '@tanstack/react-query';
import { crmApi } from './api.ts';
import type { Company, Contact, Deal } from './types.ts';

const NO_CONTACTS: Contact[] = [];

/**
 * The deal's company and contacts, which the deal names only by id: null and [] until they arrive (a deal
 * reads well without them). The company shares its cache entry with the company's own page.
 */
export function useDealLinks(deal: Deal | null): { company: Company | null; contacts: Contact[] } {
  const { data: company = null } = useQuery({
    queryKey: ['company', deal?.companyId],
    queryFn: async () => (await crmApi.company(deal!.companyId!)).company,
    enabled: Boolean(deal?.companyId),
  });
  const { data: contacts = NO_CONTACTS } = useQuery({
    queryKey: ['deal-contacts', deal?.contactIds],
    queryFn: () => Promise.all(deal!.contactIds.map(async (c) => (await crmApi.contact(c)).contact)),
    enabled: Boolean(deal?.contactIds.length),
  });
  return { company, contacts };
}
