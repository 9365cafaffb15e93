/**
 * Scale-out: two CPU worker processes and one GPU-queue worker process on one Temporal server,
 * several pipelines at once (LoRA and rules trainers). From the workflow histories: every stage's
 * activity is scheduled and completed exactly once per pipeline (each generation batch once in its
 * child workflow), the fine-tune only on the GPU worker, everything else only on CPU workers.
 */
import type { ChildProcess } from 'node:child_process';
import type { temporal } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineInput, PipelineResult } from '../../contracts/pipeline';
import { startPipelineHarness, type PipelineHarness } from '../support/pipeline';
import { buildTinyModel, ensureTrainerVenv, fixtureDataset, SMOKE_ARGS } from '../trainer/python';

// One pipeline fine-tunes with LoRA (tiny Gemma 3 on CPU, on the GPU-queue worker), two train the
// rules model: the fine-tune must run on the GPU worker only, everything else on CPU workers.
const PIPELINES: { id: string; input: PipelineInput }[] = [
  { id: 'scale-1', input: { modelName: 'scale-1', samples: 60, batchSize: 30, seed: 21, reasonLanguage: 'en', backends: { trainer: 'lora' }, gate: { jflegLimit: 8 }, trigger: 'scale-out test' } },
  { id: 'scale-2', input: { modelName: 'scale-2', samples: 60, batchSize: 30, seed: 22, reasonLanguage: 'ko', backends: { trainer: 'rules' }, gate: { jflegLimit: 8 }, trigger: 'scale-out test' } },
  { id: 'scale-3', input: { modelName: 'scale-3', samples: 90, batchSize: 30, seed: 23, reasonLanguage: 'en', backends: { trainer: 'rules' }, gate: { jflegLimit: 8 }, trigger: 'scale-out test' } },
];

interface ActivityRun {
  type: string;
  scheduled: number;
  completed: number;
  /** Identity of the worker that started the (last) attempt, and that attempt's number. */
  startedBy: string[];
  attempts: number[];
}

/** Activities of one workflow history, by type. */
function activitiesOf(history: temporal.api.history.v1.IHistory): Map<string, ActivityRun> {
  const byScheduledId = new Map<string, ActivityRun>();
  const byType = new Map<string, ActivityRun>();
  for (const e of history.events ?? []) {
    const id = String(e.eventId);
    if (e.activityTaskScheduledEventAttributes) {
      const type = e.activityTaskScheduledEventAttributes.activityType!.name!;
      const run = byType.get(type) ?? { type, scheduled: 0, completed: 0, startedBy: [], attempts: [] };
      run.scheduled++;
      byType.set(type, run);
      byScheduledId.set(id, run);
    } else if (e.activityTaskStartedEventAttributes) {
      const a = e.activityTaskStartedEventAttributes;
      const run = byScheduledId.get(String(a.scheduledEventId))!;
      run.startedBy.push(a.identity!);
      run.attempts.push(a.attempt!);
    } else if (e.activityTaskCompletedEventAttributes) {
      byScheduledId.get(String(e.activityTaskCompletedEventAttributes.scheduledEventId))!.completed++;
    }
  }
  return byType;
}

/** Identities of the workers that completed this history's workflow tasks. */
function workflowTaskIdentities(history: temporal.api.history.v1.IHistory): string[] {
  return (history.events ?? []).flatMap((e) => (e.workflowTaskCompletedEventAttributes ? [e.workflowTaskCompletedEventAttributes.identity!] : []));
}

describe('scale-out: 2 CPU workers + 1 GPU worker, 3 pipelines at once', () => {
  let h: PipelineHarness;
  let cpu: ChildProcess[];
  let gpu: ChildProcess;
  const results = new Map<string, PipelineResult>();
  const histories = new Map<string, temporal.api.history.v1.IHistory>();

  beforeAll(async () => {
    const python = await ensureTrainerVenv();
    const base = await buildTinyModel(python, fixtureDataset());
    h = await startPipelineHarness({
      CORRECTLY_TRAINER_PYTHON: python,
      CORRECTLY_LORA_BASE: base,
      // a random tiny model never ends its turn: bound its replies so evaluation stays short on CPU
      CORRECTLY_LORA_MAX_NEW_TOKENS: '24',
      CORRECTLY_LORA_ARGS: ['--max-steps', '4', '--eval-steps', '2', '--save-steps', '2', '--device', 'cpu', ...SMOKE_ARGS].join(' '),
    });
    // Separate processes, as in production: each has its own identity (kind-worker@pid).
    cpu = [await h.spawnWorker('cpu'), await h.spawnWorker('cpu')];
    gpu = await h.spawnWorker('gpu');
    const runs = await Promise.all(PIPELINES.map((p) => h.client.startPipeline(p.input, { workflowId: p.id })));
    await Promise.all(runs.map(async (r) => results.set(r.workflowId, await r.result())));
    const client = h.temporal.client;
    for (const p of PIPELINES) {
      histories.set(p.id, await client.workflow.getHandle(p.id).fetchHistory());
      const batches = Math.ceil(p.input.samples! / p.input.batchSize!);
      for (let b = 0; b < batches; b++) histories.set(`${p.id}/generate-${b}`, await client.workflow.getHandle(`${p.id}/generate-${b}`).fetchHistory());
    }
  }, 1_500_000);
  afterAll(async () => {
    await h?.stop();
  });

  const cpuIds = () => cpu.map((c) => `cpu-worker@${c.pid}`);
  const gpuId = () => `gpu-worker@${gpu.pid}`;

  it('every pipeline finishes with a dataset, a candidate and an evaluation', () => {
    expect([...results.keys()].sort()).toEqual(PIPELINES.map((p) => p.id).sort());
    for (const p of PIPELINES) {
      const r = results.get(p.id)!;
      expect(r.datasetVersion.md5).toMatch(/^[0-9a-f]{32}\.dir$/);
      expect(r.candidateVersion).toBe('1'); // one model name per pipeline: one version each
      expect(r.metrics.candidate.engine).toBe(p.input.backends!.trainer);
      expect(r.metrics.candidate.jfleg.sentences).toBe(8);
    }
  });

  it('each stage activity is scheduled and completed exactly once per pipeline', () => {
    for (const p of PIPELINES) {
      const acts = activitiesOf(histories.get(p.id)!);
      const train = p.input.backends!.trainer === 'lora' ? 'fineTuneLora' : 'trainRulesModel';
      const promoted = results.get(p.id)!.promoted;
      const expected = ['collectUserSamples', 'validateSamples', 'finishPipelineRun', 'versionDataset', train, 'registerCandidate', 'evaluateCandidate', ...(promoted ? ['promoteCandidate', 'deployChampion'] : ['rejectCandidate'])];
      expect([...acts.keys()].sort(), p.id).toEqual(expected.sort());
      for (const a of acts.values()) {
        expect({ pipeline: p.id, type: a.type, scheduled: a.scheduled, completed: a.completed }).toEqual({ pipeline: p.id, type: a.type, scheduled: 1, completed: 1 });
        // A retry after a failed attempt (e.g. DVC's repo lock taken by another worker process) is
        // allowed — the activities are idempotent — but reported.
        if (a.attempts.some((n) => n > 1)) console.warn(`${p.id}: ${a.type} completed on attempt ${a.attempts.join(',')}`);
      }
      const batches = Math.ceil(p.input.samples! / p.input.batchSize!);
      for (let b = 0; b < batches; b++) {
        const gen = activitiesOf(histories.get(`${p.id}/generate-${b}`)!);
        expect([...gen.values()].map((a) => [a.type, a.scheduled, a.completed])).toEqual([['generateBatch', 1, 1]]);
      }
    }
  });

  it('the fine-tune runs only on the GPU worker, every other activity and workflow task only on the CPU workers', () => {
    const byWorker = new Map<string, string[]>();
    for (const [id, history] of histories) {
      for (const a of activitiesOf(history).values()) {
        for (const who of a.startedBy) byWorker.set(who, [...(byWorker.get(who) ?? []), `${id}:${a.type}`]);
        if (a.type === 'fineTuneLora') expect(a.startedBy, id).toEqual([gpuId()]);
        else expect(cpuIds(), `${id}:${a.type}`).toEqual(expect.arrayContaining(a.startedBy));
      }
      for (const who of workflowTaskIdentities(history)) expect(cpuIds(), id).toContain(who);
    }
    const lora = PIPELINES.filter((p) => p.input.backends!.trainer === 'lora').map((p) => `${p.id}:fineTuneLora`);
    expect((byWorker.get(gpuId()) ?? []).sort()).toEqual(lora);
    // Both CPU workers took part (tasks go to whichever poller asks; with ~25 tasks one worker
    // taking all of them is vanishingly unlikely, and would mean the second was not polling).
    for (const id of cpuIds()) expect(byWorker.get(id)?.length ?? 0, id).toBeGreaterThan(0);
    console.log(Object.fromEntries([...byWorker].map(([k, v]) => [k, v.length])));
  });
});
