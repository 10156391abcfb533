// The summaries that commands print say what each figure means.
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { describeDay } from '../../scripts/start';

const day = {
  from: '2026-11-02T09:15:00+02:00', to: '2026-11-03T09:15:00+02:00', calls: 20, answered: 17, rows: 17, runs: 20, events: 20,
  eventsRejected: 0, gatewayCalls: 2, pbxCalls: 2, webhooksLeft: 0, workbook: path.join(process.cwd(), 'out/calls.xlsx'),
};

describe('npm start summary', () => {
  it('explains the gateway and PBX calls, the events and the webhooks left', () => {
    expect(describeDay(day, { serve: false, seconds: '1.0' })).toEqual([
      'Day played: 2026-11-02T09:15:00+02:00 → 2026-11-03T09:15:00+02:00 in 1.0 s',
      '  20 calls placed on the mock PBX, 17 answered',
      "  20 events delivered by the PBX to the flow's webhook, 20 flow runs, 0 refused by the flow's trigger (wrong shape or unknown subscription)",
      '  gateway calls 2: requests the flow made through the connector (registering the webhook when the flow was turned on and deleting it when the flow was deleted; events do not pass through it)',
      '  PBX calls 2: requests the connector sent on to the mock PBX to serve them',
      '  webhooks left on the PBX 0: registrations still there after the flow was deleted (above 0 is a leak)',
      'Workbook: out/calls.xlsx (table AnsweredCalls, 17 rows: one per answered call)',
    ]);
  });

  it('says, while serving, that the registration is kept on purpose', () => {
    const lines = describeDay({ ...day, gatewayCalls: 1, pbxCalls: 1, webhooksLeft: 1 }, { serve: true, seconds: '1.0' });
    expect(lines[3]).toBe('  gateway calls 1: requests the flow made through the connector (registering the webhook when the flow was turned on; events do not pass through it)');
    expect(lines[5]).toBe("  webhooks on the PBX 1: the flow's registration, kept while serving");
  });
});
