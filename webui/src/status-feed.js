import { useEffect, useState } from 'preact/hooks';
import { api } from './api.js';
import { traffic } from './format.js';

// One poll of the node's status for the whole page (the header and the node page share it),
// every 2 s while something watches it, and the history the traffic chart draws: the last
// MAX_SAMPLES samples (6 minutes), no more.
const INTERVAL_MS = 2000;
export const MAX_SAMPLES = 180;

const listeners = new Set();
const samples = [];
let last = { data: null, error: null };
let timer = null;

function sample(s) {
  const t = traffic(s);
  const dht = s.dht || {};
  const ps = s.pubsub || {};
  samples.push({
    at: Date.now(),
    bytesIn: t ? t.in : null,
    bytesOut: t ? t.out : null,
    messages: ps.messages_received ?? 0,
    dhtRequests: (dht.requests_received ?? 0) + (dht.requests_sent ?? 0),
    peers: s.connected_peers ?? 0,
  });
  while (samples.length > MAX_SAMPLES) samples.shift();
}

async function tick() {
  timer = null;
  if (listeners.size === 0) return;
  if (!document.hidden) {
    try {
      const data = await api.status();
      sample(data);
      last = { data, error: null };
    } catch (error) {
      last = { data: last.data, error };
    }
    listeners.forEach((l) => l(last));
  }
  if (listeners.size > 0 && timer === null) timer = setTimeout(tick, INTERVAL_MS);
}

export function useStatus() {
  const [state, setState] = useState(last);
  useEffect(() => {
    listeners.add(setState);
    if (timer === null) tick();
    return () => listeners.delete(setState);
  }, []);
  return state;
}

// Rates per second between consecutive samples: [{at, a, b}] for the two series of the chart.
export function rates() {
  const out = [];
  const bytesKnown = samples.length > 0 && samples[samples.length - 1].bytesIn !== null;
  for (let i = 1; i < samples.length; i++) {
    const p = samples[i - 1];
    const c = samples[i];
    const dt = (c.at - p.at) / 1000;
    if (dt <= 0) continue;
    const d = (x, y) => (x === null || y === null ? 0 : Math.max(0, y - x) / dt);
    out.push(bytesKnown
      ? { at: c.at, a: d(p.bytesIn, c.bytesIn), b: d(p.bytesOut, c.bytesOut), peers: c.peers }
      : { at: c.at, a: d(p.messages, c.messages), b: d(p.dhtRequests, c.dhtRequests), peers: c.peers });
  }
  return { bytes: bytesKnown, points: out };
}
