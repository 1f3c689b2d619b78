import { describe, expect, it } from 'vitest';
import { type AnyEvent, createEventBus } from './bus.ts';

const created = { mailboxId: 'mb', messageId: 'm1' };

describe('EventBus', () => {
  it('gives subscribe every event and subscribeLocal only those raised in this process', () => {
    const bus = createEventBus();
    const every: string[] = [];
    const local: string[] = [];
    bus.subscribe((e, origin) => every.push(`${e.type}:${origin}`));
    bus.onLocal('message.created', (d) => local.push(d.messageId));
    bus.emit('message.created', created);
    bus.receive({ type: 'message.created', data: { mailboxId: 'mb', messageId: 'm2' } });
    expect(every).toEqual(['message.created:local', 'message.created:remote']);
    expect(local).toEqual(['m1']);
  });

  it('publishes what it emits, never what it received', () => {
    const bus = createEventBus();
    const sent: AnyEvent[] = [];
    bus.setPublisher((e) => sent.push(e));
    bus.emit('message.created', created);
    bus.receive({ type: 'message.deleted', data: created });
    expect(sent).toEqual([{ type: 'message.created', data: created }]);
  });

  it('keeps delivering when a subscriber throws, and tells gap listeners', () => {
    const bus = createEventBus();
    const heard: string[] = [];
    bus.subscribe(() => {
      throw new Error('broken subscriber');
    });
    bus.on('message.created', (d) => heard.push(d.messageId));
    let gaps = 0;
    const off = bus.onGap(() => gaps++);
    bus.emit('message.created', created);
    bus.reportGap();
    off();
    bus.reportGap();
    expect(heard).toEqual(['m1']);
    expect(gaps).toBe(1);
  });
});
