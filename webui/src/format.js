// How numbers, sizes, times and ids read on the page.

export function bytes(n) {
  if (n === null || n === undefined || Number.isNaN(n)) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = Number(n);
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${v} B` : `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

export function rate(bytesPerSec) {
  if (bytesPerSec === null || bytesPerSec === undefined) return '—';
  return `${bytes(Math.round(bytesPerSec))}/s`;
}

export function shortId(id) {
  if (!id) return '';
  return id.length > 16 ? `${id.slice(0, 8)}…${id.slice(-6)}` : id;
}

export function percent(x) {
  if (x === null || x === undefined) return '—';
  return `${Math.round(x * 100)}%`;
}

export function ms(x) {
  if (x === null || x === undefined) return '—';
  return x < 10 ? `${x.toFixed(1)} ms` : `${Math.round(x)} ms`;
}

export function duration(secs) {
  const s = Math.max(0, Math.floor(secs));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s % 60}s`;
  return `${s}s`;
}

export function ago(iso) {
  if (!iso) return '—';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '—';
  const secs = (Date.now() - t) / 1000;
  if (secs < 0) return 'just now';
  if (secs < 60) return `${Math.floor(secs)} s ago`;
  if (secs < 3600) return `${Math.floor(secs / 60)} min ago`;
  if (secs < 86400) return `${Math.floor(secs / 3600)} h ago`;
  return new Date(t).toISOString().slice(0, 10);
}

// The bandwidth counters of a status or peer view, wherever the node puts them.
export function traffic(v) {
  if (!v) return null;
  const src = v.bandwidth || v.traffic || v;
  const inn = src.bytes_in ?? src.total_in ?? null;
  const out = src.bytes_out ?? src.total_out ?? null;
  if (inn === null && out === null) return null;
  return { in: inn, out, rateIn: src.rate_in ?? src.bytes_in_per_sec ?? null, rateOut: src.rate_out ?? src.bytes_out_per_sec ?? null };
}
