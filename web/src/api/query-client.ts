import { QueryClient } from '@tanstack/react-query';

/**
 * The web app's one data layer. A screen shows what the server says when it opens: nothing is kept once
 * no screen uses it (`gcTime: 0`), so a page never flashes another user's older answer. Errors are shown
 * to the user at once rather than retried behind a spinner; data that is worth keeping for the whole
 * visit (colleagues' names) says so where it is queried.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: false, gcTime: 0, refetchOnWindowFocus: false, refetchOnReconnect: false },
      mutations: { retry: false },
    },
  });
}
