// The benchmark corpus of docs/minhash.md: 10,000 synthetic documents of 204 words drawn from a
// Zipf-like 50k-word vocabulary (≈ 200 distinct word 5-shingles each), fixed seed.
export function corpus(docs = 10_000, words = 204, vocab = 50_000, seed = 7) {
  let s = seed >>> 0;
  const rand = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const lexicon = Array.from({ length: vocab }, (_, i) => `w${i.toString(36)}x`);
  const out = [];
  for (let d = 0; d < docs; d++) {
    const ws = [];
    // Zipf(1) by inverse transform on log-uniform ranks.
    for (let w = 0; w < words; w++) ws.push(lexicon[Math.min(vocab - 1, Math.floor(Math.exp(rand() * Math.log(vocab))) - 1)]);
    out.push(ws.join(' '));
  }
  return out;
}
