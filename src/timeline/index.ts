/** Timelines of contacts, companies and deals: mail (as the reader may see it) and CRM records in one list. */
export { readRecordTimeline, readTimeline, type TimelineItem, type TimelineOf } from './timeline.ts';
export { timelineItemSchema } from './presenter.ts';
