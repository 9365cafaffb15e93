/**
 * Reads what happened from workflow histories: every activity attempt with its scheduled, started
 * and closed times, including those of child workflows (generation runs one child per batch).
 * Used by the orchestration benchmark (queue waits) and the fault tests (which attempts a fault hit).
 */
import type { Client } from '@temporalio/client';
import { optionalTsToMs } from '@temporalio/common/lib/time';

export interface ActivityRecord {
  workflowId: string;
  type: string;
  /**
   * Attempt number of the started event (1 for a first try). Temporal writes one started event per
   * scheduled activity, for its last attempt: with attempt > 1, scheduled → started includes the
   * earlier attempts and their backoff, and `lastFailure` says why the previous attempt failed.
   */
  attempt: number;
  lastFailure?: string;
  scheduledMs: number;
  /** Undefined when it never started (still queued). */
  startedMs?: number;
  closedMs?: number;
  outcome?: 'completed' | 'failed' | 'timed_out' | 'canceled';
}

export interface WorkflowTimeline {
  workflowId: string;
  startedMs: number;
  closedMs?: number;
  activities: ActivityRecord[];
  children: string[];
}

/** One workflow's timeline (no children). */
export async function workflowTimeline(client: Client, workflowId: string): Promise<WorkflowTimeline> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const events = history.events ?? [];
  const byScheduled = new Map<string, ActivityRecord>();
  const children: string[] = [];
  let startedMs = NaN;
  let closedMs: number | undefined;
  for (const e of events) {
    const t = optionalTsToMs(e.eventTime) ?? NaN;
    const id = e.eventId?.toString() ?? '';
    if (e.workflowExecutionStartedEventAttributes) startedMs = t;
    if (e.workflowExecutionCompletedEventAttributes || e.workflowExecutionFailedEventAttributes || e.workflowExecutionTerminatedEventAttributes) closedMs = t;
    if (e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId) children.push(e.startChildWorkflowExecutionInitiatedEventAttributes.workflowId);
    const sch = e.activityTaskScheduledEventAttributes;
    if (sch) byScheduled.set(id, { workflowId, type: sch.activityType?.name ?? '?', attempt: 1, scheduledMs: t });
    const started = e.activityTaskStartedEventAttributes;
    if (started) {
      const r = byScheduled.get(started.scheduledEventId!.toString());
      if (r) Object.assign(r, { startedMs: t, attempt: started.attempt ?? 1, ...(started.lastFailure?.message ? { lastFailure: started.lastFailure.message } : {}) });
    }
    const closed =
      (e.activityTaskCompletedEventAttributes && ['completed', e.activityTaskCompletedEventAttributes] as const) ||
      (e.activityTaskFailedEventAttributes && ['failed', e.activityTaskFailedEventAttributes] as const) ||
      (e.activityTaskTimedOutEventAttributes && ['timed_out', e.activityTaskTimedOutEventAttributes] as const) ||
      (e.activityTaskCanceledEventAttributes && ['canceled', e.activityTaskCanceledEventAttributes] as const);
    if (closed) {
      const r = byScheduled.get(closed[1].scheduledEventId!.toString());
      if (r) Object.assign(r, { closedMs: t, outcome: closed[0] });
    }
  }
  return { workflowId, startedMs, closedMs, activities: [...byScheduled.values()], children };
}

/** A workflow's timeline with its child workflows' activities folded in. */
export async function pipelineTimeline(client: Client, workflowId: string): Promise<WorkflowTimeline> {
  const root = await workflowTimeline(client, workflowId);
  for (const child of root.children) root.activities.push(...(await pipelineTimeline(client, child)).activities);
  root.activities.sort((a, b) => a.scheduledMs - b.scheduledMs);
  return root;
}
