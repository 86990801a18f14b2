// The Worker's cron trigger (every minute): nudges the ScheduleStore of every account with
// enabled rules, so a due rule fires even when its object's alarm was lost.
import { accountDirectory, scheduleStore } from '../bindings';


/** Fires what is due at `scheduledTimeMs` in every scheduled account; one account's failure does not stop the others. */
export async function nudgeSchedules(env: Env, scheduledTimeMs: number): Promise<void> {
  const accounts = await accountDirectory(env).listScheduledAccounts();
  const results = await Promise.allSettled(accounts.map((accountId) => scheduleStore(env, accountId).fireDue(scheduledTimeMs)));
  results.forEach((result, i) => {
    if (result.status === 'rejected') console.error(`nudging the schedules of ${accounts[i]} failed:`, result.reason);
  });
}
