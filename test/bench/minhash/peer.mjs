// The npm `minhash` package (duhaime, 0.0.9): the MinHash a JS user finds today. Its signatures take
// our shingles (so shingling is timed the same way) through Minhash.update, one string at a time.
// Its LshIndex has a fixed band size and no threshold; `query` throws a TypeError when a band of the
// query was never inserted, i.e. for every genuinely new document, so the bench catches that and
// counts the query as "no candidates".
import { createRequire } from 'node:module';
import { shingles } from '@kompakt/minhash';

const { Minhash, LshIndex } = createRequire(import.meta.url)('minhash');

export function peerSignatures(docs, k) {
  return docs.map((doc) => {
    const m = new Minhash({ numPerm: k, seed: 1 });
    for (const s of shingles(doc)) m.update(s);
    return m.hashvalues;
  });
}

/** A peer index of `bandSize`-value bands over plain signature arrays. */
export function peerIndex(bandSize) {
  const index = new LshIndex({ bandSize });
  return {
    insert: (key, values) => index.insert(key, { hashvalues: Array.from(values) }),
    query(values) {
      try {
        return index.query({ hashvalues: Array.from(values) });
      } catch (e) {
        if (e instanceof TypeError) return []; // an unseen band (the package's known failure)
        throw e;
      }
    },
  };
}
