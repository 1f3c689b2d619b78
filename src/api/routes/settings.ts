import { z } from 'zod';
import { recordAudit } from '../../audit/index.ts';
import { requireAdmin, requireUser } from '../../auth/request-auth.ts';
import { getWorkspaceSettings, updateWorkspaceSettings, workspaceSettingsSchema } from '../../settings/workspace-settings.ts';
import type { RouteContext } from '../context.ts';

export function settingsRoutes({ app, db }: RouteContext): void {
  app.get('/api/v1/settings/workspace', {
    schema: { tags: ['settings'], response: { 200: z.object({ settings: workspaceSettingsSchema }) } },
  }, async (request) => {
    requireUser(request);
    return { settings: await getWorkspaceSettings(db) };
  });

  app.patch('/api/v1/settings/workspace', {
    schema: { tags: ['settings'], body: workspaceSettingsSchema.partial(), response: { 200: z.object({ settings: workspaceSettingsSchema }) } },
  }, async (request) => {
    const admin = requireAdmin(request);
    const settings = await db.transaction().execute(async (trx) => {
      const updated = await updateWorkspaceSettings(trx, request.body);
      await recordAudit(trx, { actorUserId: admin.id, action: 'settings.update', detail: { changed: Object.keys(request.body) }, ip: request.ip });
      return updated;
    });
    return { settings };
  });
}
