/**
 * The LoRA trainer (trainer/, Python) on CPU with a tiny randomly initialised Gemma 3 and a
 * tokenizer built locally: it trains, the loss falls when overfitting the fixture, a resumed run
 * continues the step count from its checkpoint, and the saved adapter reloads to identical logits.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTinyModel, ensureTrainerVenv, fixtureDataset, runModule, runToEnd, SMOKE_ARGS } from './python';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';

type Ev = Record<string, any>;

describe('trainer (LoRA SFT, tiny Gemma 3 on CPU)', () => {
  let python: string;
  let data: string;
  let base: string;
  const outs: string[] = [];
  const outDir = () => {
    const d = mkdtempSync(path.join(os.tmpdir(), 'correctly-lora-out-'));
    outs.push(d);
    return d;
  };

  beforeAll(async () => {
    python = await ensureTrainerVenv();
    data = fixtureDataset();
    base = await buildTinyModel(python, data);
  }, 20 * 60_000);
  afterAll(() => {
    for (const d of [data, base, ...outs]) if (d) rmSync(d, { recursive: true, force: true });
  });

  it('builds a Gemma 3 architecture model and a tokenizer with a Gemma chat template, offline', () => {
    const config = JSON.parse(readFileSync(path.join(base, 'config.json'), 'utf8'));
    expect(config.architectures).toEqual(['Gemma3ForCausalLM']);
    expect(config.model_type).toBe('gemma3_text');
    expect(existsSync(path.join(base, 'tokenizer.json'))).toBe(true);
    const template = readFileSync(path.join(base, 'chat_template.jinja'), 'utf8');
    expect(template).toContain('<start_of_turn>');
  });

  it('overfits the fixture: the loss falls, and writes adapter, merged weights and metrics', async () => {
    const out = outDir();
    const events: Ev[] = await runToEnd(python, 'trainer.train', ['--data', data, '--out', out, '--base', base, '--max-steps', '30', '--eval-steps', '10', '--save-steps', '10', '--seed', '7', ...SMOKE_ARGS]);
    const start = events.find((e) => e.event === 'start')!;
    expect(start).toMatchObject({ max_steps: 30, resumed_from_step: 0, device: 'cpu', train_examples: 8, valid_examples: 2 });
    const losses = events.filter((e) => e.event === 'progress').map((e) => e.loss as number);
    expect(losses).toHaveLength(30);
    const first = losses.slice(0, 3).reduce((a, b) => a + b) / 3;
    const last = losses.slice(-3).reduce((a, b) => a + b) / 3;
    expect(first).toBeGreaterThan(5); // ≈ ln(vocab): a random model
    expect(last).toBeLessThan(first / 4);
    for (const e of events.filter((x) => x.event === 'progress')) {
      expect(e).toEqual(expect.objectContaining({ step: expect.any(Number), learning_rate: expect.any(Number), rss_mb: expect.any(Number), cpu_s: expect.any(Number) }));
    }
    expect(events.filter((e) => e.event === 'eval').length).toBeGreaterThanOrEqual(3);
    expect(events.filter((e) => e.event === 'checkpoint').map((e) => e.step)).toEqual([10, 20, 30]);
    const done = events.find((e) => e.event === 'done')!;
    expect(done.metrics).toMatchObject({ steps: 30, resumed_from_step: 0, device: 'cpu' });
    for (const f of ['adapter/adapter_config.json', 'adapter/adapter_model.safetensors', 'merged/model.safetensors', 'merged/config.json', 'merged/tokenizer.json', 'metrics.json', 'probe.safetensors']) {
      expect(existsSync(path.join(out, f)), f).toBe(true);
    }
    const adapterConfig = JSON.parse(readFileSync(path.join(out, 'adapter/adapter_config.json'), 'utf8'));
    expect(adapterConfig).toMatchObject({ peft_type: 'LORA', r: 16, task_type: 'CAUSAL_LM' });
    expect(adapterConfig.target_modules.sort()).toEqual(['down_proj', 'gate_proj', 'k_proj', 'o_proj', 'q_proj', 'up_proj', 'v_proj']);
  });

  it('is seeded: the same seed gives the same losses', async () => {
    const args = (out: string) => ['--data', data, '--out', out, '--base', base, '--max-steps', '4', '--eval-steps', '4', '--save-steps', '4', '--seed', '3', '--no-merge', ...SMOKE_ARGS];
    const a = (await runToEnd(python, 'trainer.train', args(outDir()))).filter((e) => e.event === 'progress').map((e) => e.loss);
    const b = (await runToEnd(python, 'trainer.train', args(outDir()))).filter((e) => e.event === 'progress').map((e) => e.loss);
    expect(a).toHaveLength(4);
    expect(b).toEqual(a);
  });

  it('resumes from a checkpoint: a killed run continues the step count, and the adapter reloads to identical logits', async () => {
    const out = outDir();
    const args = ['--data', data, '--out', out, '--base', base, '--max-steps', '20', '--eval-steps', '5', '--save-steps', '5', '--seed', '11', ...SMOKE_ARGS];
    // first run: killed as soon as its first checkpoint is on disk
    let checkpoint: Ev | undefined;
    const first = runModule(python, 'trainer.train', [...args, '--step-delay', '0.5'], (e, run) => {
      if (e.event === 'checkpoint' && !checkpoint) {
        checkpoint = e;
        run.child.kill('SIGKILL');
      }
    });
    const killed = await first.done;
    expect(killed.signal).toBe('SIGKILL');
    expect(checkpoint).toMatchObject({ step: 5 });
    expect(first.events.some((e) => e.event === 'done')).toBe(false);

    const events: Ev[] = await runToEnd(python, 'trainer.train', [...args, '--resume', checkpoint!.path as string]);
    expect(events.find((e) => e.event === 'start')).toMatchObject({ resumed_from_step: 5, max_steps: 20 });
    const steps = events.filter((e) => e.event === 'progress').map((e) => e.step);
    expect(steps[0]).toBe(6);
    expect(steps[steps.length - 1]).toBe(20);
    const done = events.find((e) => e.event === 'done')!;
    expect(done.metrics).toMatchObject({ steps: 20, resumed_from_step: 5 });

    const [check] = await runToEnd(python, 'trainer.verify', ['--out', out, '--base', base]);
    expect(check.tokens).toBeGreaterThan(10);
    expect(check.adapter_max_abs_diff).toBe(0);
    expect(check.merged_max_abs_diff).toBeLessThan(1e-4);
  });

  it('resume auto picks the latest checkpoint of the output directory', async () => {
    const out = outDir();
    const args = ['--data', data, '--out', out, '--base', base, '--eval-steps', '2', '--save-steps', '2', '--seed', '5', '--no-merge', ...SMOKE_ARGS];
    await runToEnd(python, 'trainer.train', [...args, '--max-steps', '4']);
    const events: Ev[] = await runToEnd(python, 'trainer.train', [...args, '--max-steps', '6', '--resume', 'auto']);
    expect(events.find((e) => e.event === 'start')).toMatchObject({ resumed_from_step: 4 });
    expect(events.filter((e) => e.event === 'progress').map((e) => e.step)).toEqual([5, 6]);
  });

  it('fails clearly on a bad dataset', async () => {
    const out = outDir();
    const run = runModule(python, 'trainer.train', ['--data', path.join(out, 'missing'), '--out', out, '--base', base]);
    const { code } = await run.done;
    expect(code).toBe(1);
    expect(run.events.find((e) => e.event === 'error')?.message).toMatch(/train\.jsonl has no rows/);
  });
});
