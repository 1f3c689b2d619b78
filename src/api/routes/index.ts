import type { RouteContext } from '../context.ts';
import { authRoutes } from './auth.ts';
import { healthRoutes } from './health.ts';
import { meRoutes } from './me.ts';
import { setupRoutes } from './setup.ts';
import { tokenRoutes } from './tokens.ts';
import { userRoutes } from './users.ts';

/** Every route module, registered in one place. */
export const routeModules: Array<(ctx: RouteContext) => void> = [
  healthRoutes,
  setupRoutes,
  authRoutes,
  meRoutes,
  tokenRoutes,
  userRoutes,
];
