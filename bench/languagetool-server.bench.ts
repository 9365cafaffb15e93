/**
 * The LanguageTool server alone, by Java heap: milliseconds per `/v2/check` request (one at a
 * time, from Node's fetch, on a kept-alive connection) for a trivial text and for JFLEG dev
 * sentences in rounds of new ones (the JIT warms up over the first rounds), the JVM's CPU time per
 * sentence and its resident size. Each heap gets a fresh server (stack part `languagetool`).
 *   npx tsx bench/languagetool-server.bench.ts [heaps, default 256m,384m,512m,1g]
 */
import { readFileSync } from 'node:fs';
import { loadJfleg } from '../adapters/jfleg';
import { detokenize } from '../core/text/tokenize';
import { languagetoolServer } from './languagetool';
import { machine } from './machine';

const heaps = (process.argv[2] ?? '256m,384m,512m,1g').split(',');
const ROUND = 200;
const sentences = loadJfleg(0).src.map((s) => detokenize(s));

async function check(url: string, text: string): Promise<void> {
  const res = await fetch(`${url}/v2/check`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ language: 'en-US', text }).toString() });
  await res.text();
}

/** utime + stime of a process, in ms (Linux /proc). */
function cpuMs(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) * (1000 / 100);
}
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

console.log(`# LanguageTool server by heap  (${machine()})\n`);
console.log('| heap | trivial text ms | round 1 ms | round 2 ms | round 3 ms | JVM CPU ms / sentence (round 3) | resident MB |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const heap of heaps) {
  const lt = await languagetoolServer({ heap });
  try {
    const url = lt.url;
    const pid = lt.pid!;
    let t = performance.now();
    for (let i = 0; i < ROUND; i++) await check(url, `Hi ${i}.`);
    const trivial = (performance.now() - t) / ROUND;
    const rounds: number[] = [];
    let cpu = 0;
    for (let r = 0; r < 3; r++) {
      const c0 = cpuMs(pid);
      t = performance.now();
      for (let i = 0; i < ROUND; i++) await check(url, sentences[(r * ROUND + i) % sentences.length]);
      rounds.push((performance.now() - t) / ROUND);
      cpu = (cpuMs(pid) - c0) / ROUND;
    }
    console.log(`| ${heap} | ${trivial.toFixed(1)} | ${rounds.map((x) => x.toFixed(1)).join(' | ')} | ${cpu.toFixed(1)} | ${rssMb(pid).toFixed(0)} |`);
  } finally {
    await lt.stop();
  }
}
