import { z } from 'zod';
import { requireAdmin, requireUser } from '../../auth/request-auth.ts';
import { changeWorkspaceSettings } from '../../settings/commands.ts';
import { getWorkspaceSettings, workspaceSettingsSchema } from '../../settings/workspace-settings.ts';
import type { RouteContext } from '../context.ts';
import { problemResponses } from '../schemas.ts';

export function settingsRoutes({ app, db }: RouteContext): void {
  app.get(
    '/api/v1/settings/workspace',
    {
      schema: { tags: ['settings'], response: { 200: z.object({ settings: workspaceSettingsSchema }), ...problemResponses(401) } },
    },
    async (request) => {
      requireUser(request);
      return { settings: await getWorkspaceSettings(db) };
    },
  );

  app.patch(
    '/api/v1/settings/workspace',
    {
      schema: {
        tags: ['settings'],
        body: workspaceSettingsSchema.partial(),
        response: { 200: z.object({ settings: workspaceSettingsSchema }), ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => ({ settings: await changeWorkspaceSettings(db, requireAdmin(request).id, request.body, request.ip) }),
  );
}
