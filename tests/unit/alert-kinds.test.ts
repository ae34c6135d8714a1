import { alertEventSchema } from '../../src/domain/alerts';
import { ALERT_KINDS, kindOfEvent } from '../../src/services/alerts/registry';

/** The registry of alert kinds is what the notifier dispatches through: it must cover every event once. */
describe('the alert kinds', () => {
  const events = alertEventSchema.options.map((option) => option.shape.kind.value);

  it('handle every alert event, each in exactly one kind', () => {
    const handledBy = events.map((event) => ({
      event,
      kinds: ALERT_KINDS.filter((kind) => event in kind.events).map(({ name }) => name),
    }));
    expect(handledBy.filter(({ kinds }) => kinds.length !== 1)).toEqual([]);
    for (const event of events) expect(kindOfEvent(event).events[event]).toBeDefined();
  });

  it('handle no event the alert schema does not know', () => {
    const unknown = ALERT_KINDS.flatMap((kind) => Object.keys(kind.events)).filter(
      (event) => !events.includes(event as (typeof events)[number]),
    );
    expect(unknown).toEqual([]);
  });

  it('have names and stored fields of their own', () => {
    const names = ALERT_KINDS.map(({ name }) => name);
    const fields = ALERT_KINDS.map(({ field }) => field);
    expect(new Set(names).size).toBe(names.length);
    expect(new Set(fields).size).toBe(fields.length);
    // Fields documents written so far use: renaming one would lose the subject of every open group.
    expect([...fields].sort()).toEqual(['deadLetter', 'digest', 'job', 'last', 'quota', 'switchIgnored']);
  });
});
