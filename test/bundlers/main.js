// Browser entry of the bundler test: runs the app and leaves its results where the runner reads them.
import { run } from './app.js';

run().then(
  (results) => { window.__kompakt = { ok: true, results }; },
  (e) => { window.__kompakt = { ok: false, error: String(e && e.stack ? e.stack : e) }; },
);
