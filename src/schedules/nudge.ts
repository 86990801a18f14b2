// The Worker's cron trigger (every minute): nudges the ScheduleStore of every account with
// enabled rules, so a due rule fires even when its object's alarm was lost. Events of any other
// cron are refused (docs/SECURITY.md, "The scheduled handler").
import { accountDirectory, scheduleStore } from '../bindings';

/** The Worker's one cron trigger, as wrangler.toml's [triggers] crons names it. */
export const CRON_TRIGGER = '* * * * *';

/**
 * The scheduled handler. Only the cron trigger's events nudge: wrangler dev's test routes
 * (`/__scheduled`, `/cdn-cgi/handler/scheduled`) run it with the cron given in `?cron=` or
 * none, and a cron the Worker does not have is not its trigger. Throws for those, so the
 * runtime reports the event as failed.
 */
export async function onCronTrigger(env: Env, controller: Pick<ScheduledController, 'cron' | 'scheduledTime'>): Promise<void> {
  if (controller.cron !== CRON_TRIGGER) {
    throw new Error(`scheduled event refused: cron '${controller.cron}' is not the Worker's cron trigger '${CRON_TRIGGER}'`);
  }
  await nudgeSchedules(env, controller.scheduledTime);
}

/** Fires what is due at `scheduledTimeMs` in every scheduled account; one account's failure does not stop the others. */
export async function nudgeSchedules(env: Env, scheduledTimeMs: number): Promise<void> {
  const accounts = await accountDirectory(env).listScheduledAccounts();
  const results = await Promise.allSettled(accounts.map((accountId) => scheduleStore(env, accountId).fireDue(scheduledTimeMs)));
  results.forEach((result, i) => {
    if (result.status === 'rejected') console.error(`nudging the schedules of ${accounts[i]} failed:`, result.reason);
  });
}
