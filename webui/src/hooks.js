import { useEffect, useRef, useState } from 'preact/hooks';

// Polls fn every intervalMs: one request in flight at a time, the next one scheduled when it
// ends, paused while the tab is hidden, stopped when the view goes away. The last good value
// stays on screen while a later poll fails (the error is shown beside it).
export function usePoll(fn, intervalMs, deps = []) {
  const [state, setState] = useState({ data: null, error: null, loading: true });
  const fnRef = useRef(fn);
  fnRef.current = fn;
  useEffect(() => {
    let stopped = false;
    let timer = null;
    const tick = async () => {
      timer = null;
      if (stopped) return;
      if (document.hidden) {
        timer = setTimeout(tick, intervalMs);
        return;
      }
      try {
        const data = await fnRef.current();
        if (!stopped) setState({ data, error: null, loading: false });
      } catch (e) {
        if (!stopped) setState((s) => ({ data: s.data, error: e, loading: false }));
      }
      if (!stopped) timer = setTimeout(tick, intervalMs);
    };
    setState({ data: null, error: null, loading: true });
    tick();
    const onVisible = () => {
      if (!document.hidden && timer !== null) {
        clearTimeout(timer);
        tick();
      }
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, deps);
  return state;
}

// The location hash as a route: '#/package/io.x?version=1.0.0' -> { path: ['package', 'io.x'], query }.
export function useRoute() {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const on = () => setHash(location.hash);
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return parseRoute(hash);
}

export function parseRoute(hash) {
  const raw = hash.replace(/^#\/?/, '');
  const q = raw.indexOf('?');
  const pathPart = q < 0 ? raw : raw.slice(0, q);
  const query = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1));
  const path = pathPart.split('/').filter((s) => s.length > 0).map(decodeURIComponent);
  return { path, query };
}
