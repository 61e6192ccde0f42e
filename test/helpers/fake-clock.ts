// A clock that moves only when cst sleeps: each sleep advances it and fires the alarms passed,
// so minutes of waiting or pacing take no time and a test asserts on what happened.
import type { Timer } from '../../src/core/context.js';

export function fakeClock(start: number) {
  let now = start;
  const alarms: { at: number; fire: () => void }[] = [];
  const timer: Timer = {
    async sleep(ms) {
      // Whole milliseconds, as a Date holds them.
      now += Math.ceil(ms);
      for (const alarm of alarms.filter((a) => a.at <= now)) {
        alarms.splice(alarms.indexOf(alarm), 1);
        alarm.fire();
      }
      await Promise.resolve();
    },
    after(ms, fire) {
      const alarm = { at: now + ms, fire };
      alarms.push(alarm);
      return () => alarms.includes(alarm) && alarms.splice(alarms.indexOf(alarm), 1);
    },
  };
  return { timer, now: () => new Date(now), elapsed: () => now - start };
}
