import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, describeConfig, endpoints, loadConfig } from '../../config';

describe('config', () => {
  it('has working embedded defaults', () => {
    const c = loadConfig({});
    expect(c.temporalAddress).toBe('127.0.0.1:7233');
    expect(c.reasonLanguage).toBe('ko');
    const e = endpoints(c);
    expect(e.embeddedDatabase).toBe(true);
    expect(e.databaseUrl).toBe('postgresql://postgres:postgres@127.0.0.1:54329/postgres');
    expect(e.mlflowUrl).toBe('http://127.0.0.1:5000');
  });

  it('rejects a bad value naming the variable, the value and the reason', () => {
    expect(() => loadConfig({ MLFLOW_PORT: 'abc' })).toThrow(ConfigError);
    try {
      loadConfig({ MLFLOW_PORT: '70000', CORRECTLY_REASON_LANGUAGE: 'fr', TEMPORAL_ADDRESS: 'nohost' });
      expect.unreachable();
    } catch (e) {
      const err = e as ConfigError;
      expect(err.problems.map((p) => p.env).sort()).toEqual(['CORRECTLY_REASON_LANGUAGE', 'MLFLOW_PORT', 'TEMPORAL_ADDRESS']);
      expect(err.message).toContain('MLFLOW_PORT="70000": must be a port number 1-65535');
      expect(err.message).toContain('TEMPORAL_ADDRESS="nohost": must be host:port');
      expect(err.message).toMatch(/CORRECTLY_REASON_LANGUAGE="fr": .*"ko".*"en"/);
    }
  });

  it('reads an optional JSON file, with env taking precedence, and rejects unknown keys', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cfg-'));
    const file = path.join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ MLFLOW_PORT: 5500, API_PORT: 9000 }));
    const c = loadConfig({ CORRECTLY_CONFIG: file, API_PORT: '9100' });
    expect(c.mlflowPort).toBe(5500);
    expect(c.apiPort).toBe(9100);
    expect(c.source.mlflowPort).toBe('file');
    expect(c.source.apiPort).toBe('env');

    writeFileSync(file, JSON.stringify({ MLFLOW_PROT: 5500 }));
    expect(() => loadConfig({ CORRECTLY_CONFIG: file })).toThrow(/MLFLOW_PROT="5500": unknown setting/);
    writeFileSync(file, '{not json');
    expect(() => loadConfig({ CORRECTLY_CONFIG: file })).toThrow(/CORRECTLY_CONFIG=.*cannot read JSON/);
  });

  it('masks secrets when printed', () => {
    const c = loadConfig({ OPENAI_API_KEY: 'sk-supersecretvalue', DATABASE_URL: 'postgresql://app:hunter2@db:5432/correctly' });
    const shown = Object.fromEntries(describeConfig(c).map((r) => [r.env, r.value]));
    expect(shown.OPENAI_API_KEY).not.toContain('supersecret');
    expect(shown.OPENAI_API_KEY).toMatch(/^sk-…\*+$/);
    expect(shown.DATABASE_URL).toBe('postgresql://app:****@db:5432/correctly');
    expect(shown.MLFLOW_PORT).toBe('5000');
  });
});
