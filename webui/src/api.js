// The node's /v1 API from the page: the session cookie goes along by itself (same origin), and
// the browser adds the Origin header the node checks on writes.

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function call(method, path, body) {
  const init = { method, headers: { Accept: 'application/json' }, credentials: 'same-origin', cache: 'no-store' };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, 'the node does not answer (is it still running?)');
  }
  let data = null;
  try {
    data = await res.json();
  } catch (e) {
    data = null;
  }
  if (!res.ok) {
    if (res.status === 401) throw new ApiError(401, 'this browser is not logged in to the node; run "ggen marketplace p2p ui" for a new link');
    throw new ApiError(res.status, (data && data.error) || `the node answered ${res.status}`);
  }
  return data;
}

export const api = {
  status: () => call('GET', '/v1/status'),
  peers: () => call('GET', '/v1/peers?verbose=true'),
  routingTable: () => call('GET', '/v1/dht/routing-table'),
  search: (req) => call('POST', '/v1/search', req),
  packageInfo: (id, version) => call('GET', `/v1/packages/${encodeURIComponent(id)}${version ? `?version=${encodeURIComponent(version)}` : ''}`),
  fetch: (spec) => call('POST', '/v1/fetch', { spec }),
  fetchJob: (job) => call('GET', `/v1/fetch/${encodeURIComponent(job)}`),
};
