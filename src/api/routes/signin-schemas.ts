import { z } from 'zod';

/** Schemas the sign-in routes share: texts in both UI languages, and the guides for work done at a provider. */
export const localTextSchema = z.object({ en: z.string(), 'zh-CN': z.string() });

/** Step-by-step instructions for what an admin does in the provider's console. */
export const providerGuideSchema = z.object({
  title: localTextSchema,
  steps: z.array(localTextSchema),
  notes: z.array(localTextSchema),
});
