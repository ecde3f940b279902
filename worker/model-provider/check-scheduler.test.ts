import { describe, expect, it } from 'vitest';
import { CheckScheduler } from './check-scheduler';

function scheduler(overrides: Partial<ConstructorParameters<typeof CheckScheduler>[0]> = {}) {
  const clock = { t: 0 };
  const schedule = new CheckScheduler({ intervalMs: 10_000, maxBackoffMs: 60_000, jitter: 0, abandonAfterMs: 30_000, now: () => clock.t, random: () => 0, ...overrides });
  return { clock, schedule };
}

describe('CheckScheduler', () => {
  it('is due at once, then one interval after a check that worked or refused a version', () => {
    const { clock, schedule } = scheduler();
    expect(schedule.msUntilDue()).toBe(0);
    schedule.started();
    schedule.succeeded();
    expect(schedule.msUntilDue()).toBe(10_000);
    clock.t = 10_000;
    schedule.started();
    schedule.refused('v2 rejected');
    expect(schedule).toMatchObject({ checks: 2, lastCheckAt: 10_000, lastError: 'v2 rejected', failures: 0 });
    expect(schedule.msUntilDue()).toBe(10_000);
  });

  it('backs off after failures, capped, and forgets them after a success', () => {
    const { schedule } = scheduler();
    expect([1, 2, 3, 4, 5].map(() => schedule.failed('down'))).toEqual([10_000, 20_000, 40_000, 60_000, 60_000]);
    expect(schedule).toMatchObject({ failures: 5, lastError: 'down' });
    expect(schedule.msUntilDue()).toBe(60_000);
    schedule.succeeded();
    expect(schedule).toMatchObject({ failures: 0, lastError: null });
  });

  it('makes a job stale when a newer one begins or when it runs too long', () => {
    const { clock, schedule } = scheduler();
    const first = schedule.beginJob();
    expect(first()).toBe(false);
    clock.t = 30_000;
    expect(schedule.abandonStaleJob(true)).toBeNull();
    expect(schedule.abandonStaleJob(false)).toBeNull();
    clock.t = 30_001;
    expect(schedule.abandonStaleJob(true)).toEqual(new Date(0));
    expect(first()).toBe(true);
    const second = schedule.beginJob();
    const third = schedule.beginJob();
    expect([second(), third()]).toEqual([true, false]);
  });
});
