/**
 * The `languagetool` stack part: started by the same Stack code as `correctly stack up`, healthy
 * once it checks English, and one clear line when Java is missing or its port is taken.
 * (The run's shared server, test/support/global-languagetool.ts, is started this way too; this
 * file starts one of its own to see the part come and go.)
 */
import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { endpoints, loadConfig } from '../../config';
import { LanguageToolClient } from '../../adapters/languagetool';
import { javaBinary, Stack, StackError } from '../../ops/stack/index';
import { isolatedEnv } from '../support/stack';

async function ltConfig(extra: Record<string, string> = {}) {
  const env = await isolatedEnv();
  return loadConfig({ ...process.env, ...env, LANGUAGETOOL_URL: '', CORRECTLY_CONFIG: '', ...extra });
}

describe('stack part languagetool', () => {
  const stacks: Stack[] = [];
  afterAll(async () => {
    for (const s of stacks) await s.down(['languagetool']);
  });

  it('starts, checks English, reports its URL, and stops', async () => {
    const config = await ltConfig();
    const stack = new Stack(config);
    stacks.push(stack);
    const rows = await stack.up(['languagetool']);
    expect(rows).toMatchObject([{ name: 'languagetool', state: 'up', urls: { api: endpoints(config).languagetoolUrl } }]);
    const matches = await new LanguageToolClient(endpoints(config).languagetoolUrl).check('He go to school.');
    expect(matches.map((m) => [m.ruleId, m.replacements[0]])).toContainEqual(['HE_VERB_AGR', 'goes']);
    expect(await stack.down(['languagetool'])).toEqual(['languagetool']);
    expect((await stack.status(['languagetool']))[0].state).toBe('down');
  });

  it('a taken port is one line naming LANGUAGETOOL_PORT', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const stack = new Stack(await ltConfig({ LANGUAGETOOL_PORT: String(port) }));
      const err = await stack.up(['languagetool']).catch((e) => e);
      expect(err).toBeInstanceOf(StackError);
      expect(err.message).toMatch(new RegExp(`^Port ${port} for the LanguageTool server is already in use on 127\\.0\\.0\\.1\\..*set LANGUAGETOOL_PORT to a free port\\.$`));
      expect(err.message.split('\n')).toHaveLength(1);
    } finally {
      blocker.close();
    }
  });

  it('a missing Java is one line naming the fix', async () => {
    const config = await ltConfig({ JAVA_BIN: '' });
    const saved = { PATH: process.env.PATH, JAVA_HOME: process.env.JAVA_HOME };
    process.env.PATH = '/nonexistent';
    delete process.env.JAVA_HOME;
    try {
      expect(() => javaBinary(config)).toThrowError(/^Java not found \(looked in JAVA_BIN, \$JAVA_HOME and PATH\): LanguageTool needs Java 17\+\. Run `make setup`.*or set LANGUAGETOOL_URL to a running LanguageTool server\.$/);
    } finally {
      process.env.PATH = saved.PATH;
      if (saved.JAVA_HOME) process.env.JAVA_HOME = saved.JAVA_HOME;
    }
  });

  it('an external server (LANGUAGETOOL_URL) is only health-checked, never started', async () => {
    const config = await ltConfig({ LANGUAGETOOL_URL: process.env.LANGUAGETOOL_URL ?? '' });
    const stack = new Stack(config);
    const rows = await stack.up(['languagetool']);
    expect(rows).toMatchObject([{ name: 'languagetool', embedded: false, state: 'up', pid: null }]);
  });
});
