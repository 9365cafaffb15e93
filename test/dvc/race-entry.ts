/** Test helper process: ensure the DVC repo, then add and push one dataset (several run at once). */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DvcRepo } from '../../adapters/dvc';

const [dir, remote, dvcBin, name] = process.argv.slice(2);
const repo = new DvcRepo(dir, remote, dvcBin);
try {
  await repo.ensure();
  mkdirSync(path.join(dir, 'datasets', name), { recursive: true });
  writeFileSync(path.join(dir, 'datasets', name, 'train.jsonl'), `${JSON.stringify({ name })}\n`);
  console.log(JSON.stringify({ name, ...(await repo.addAndPush(`datasets/${name}`)) }));
} catch (e) {
  console.log(JSON.stringify({ name, error: (e as Error).message }));
  process.exitCode = 1;
}
