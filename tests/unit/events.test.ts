import { describeIssues, transferEventSchema, transferKey } from '../../src/domain/events';
import { transferEvent } from '../fixtures/transfer-events';

function issuesOf(input: unknown): string[] {
  const parsed = transferEventSchema.safeParse(input);
  return parsed.success ? [] : describeIssues(parsed.error);
}

describe('the v1 transfer event contract', () => {
  it('accepts a well-formed event of every type', () => {
    expect(issuesOf(transferEvent())).toEqual([]);
    expect(issuesOf(transferEvent({ type: 'transfer.stage', stage: { name: 'map', status: 'succeeded' } }))).toEqual(
      [],
    );
    expect(
      issuesOf(
        transferEvent({
          type: 'transfer.failed',
          error: { code: 'economic.vat_zone_unknown', message: 'Unknown VAT zone', retryable: false },
        }),
      ),
    ).toEqual([]);
  });

  it('names the path of every bad field', () => {
    expect(issuesOf({ ...transferEvent(), entity: 'invoice', occurredAt: 'yesterday' })).toEqual([
      'entity: Invalid option: expected one of "order"|"product"|"stock"',
      'occurredAt: Invalid ISO datetime',
    ]);
  });

  it('requires the error of a failure and the stage of a stage event', () => {
    expect(issuesOf(transferEvent({ type: 'transfer.failed' }))).toEqual(['error: required for transfer.failed']);
    expect(issuesOf(transferEvent({ type: 'transfer.stage' }))).toEqual(['stage: required for transfer.stage']);
  });

  it('refuses ids that would break the tenant:transfer Kafka key', () => {
    expect(issuesOf(transferEvent({ transferId: 'a:b' }))).toEqual(['transferId: must not contain ":" or whitespace']);
    expect(transferKey({ tenantId: 'acme', transferId: 'order-1001' })).toBe('acme:order-1001');
  });
});
