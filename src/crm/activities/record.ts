import type { CrmRecord } from '../shared/records.ts';
import { type ActivityView, presentActivity } from './presenter.ts';
import { type ActivityFilters, type ActivityRow, activitySortFields, deleteActivity, findActivity, listActivities } from './repository.ts';

export const activityRecord: CrmRecord<ActivityRow, ActivityView, ActivityFilters> = {
  what: 'activity',
  find: findActivity,
  present: presentActivity,
  sortFields: activitySortFields,
  idColumn: 'a.id',
  list: listActivities,
  remove: deleteActivity,
};
