import { html } from '../html.js';
import { useStatus, rates, MAX_SAMPLES } from '../status-feed.js';
import { bytes, duration, rate, traffic } from '../format.js';
import { Card, ErrorBox, Loading } from './common.js';

const MIN_SPAN = 30;

const REACH = {
  public: ['reach-public', 'Public', 'Peers can dial this node directly.'],
  private: ['reach-private', 'Private', 'Behind NAT or a firewall: peers reach this node through relays, or not at all.'],
  unknown: ['reach-unknown', 'Unknown', 'Not determined yet: AutoNAT needs peers to dial this node back.'],
};

function TrafficChart() {
  const { bytes: isBytes, points } = rates();
  const W = 1100;
  const H = 240;
  const left = 70;
  const bottom = 24;
  const top = 12;
  const max = Math.max(1, ...points.map((p) => Math.max(p.a, p.b)));
  // The newest sample at the right edge; the time axis spans at least a minute, and grows to
  // the whole history kept as samples arrive.
  const span = Math.max(MIN_SPAN, points.length);
  const x = (i) => left + ((W - left - 8) * (i + span - points.length)) / Math.max(1, span - 1);
  const y = (v) => H - bottom - ((H - bottom - top) * v) / max;
  const line = (key) => points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(p[key]).toFixed(1)}`).join(' ');
  const area = (key) => (points.length < 2 ? '' : `${line(key)} L${x(points.length - 1).toFixed(1)},${H - bottom} L${x(0).toFixed(1)},${H - bottom} Z`);
  const fmt = (v) => (isBytes ? rate(v) : `${v < 10 ? v.toFixed(1) : Math.round(v)}/s`);
  const names = isBytes ? ['in', 'out'] : ['gossip messages', 'DHT requests'];
  const now = points.length ? points[points.length - 1] : null;
  return html`<div>
    <div class="chart-legend"><span class="key series-a"></span>${names[0]} ${now ? html`<b>${fmt(now.a)}</b>` : null}
      <span class="key series-b"></span>${names[1]} ${now ? html`<b>${fmt(now.b)}</b>` : null}</div>
    <svg class="chart" id="traffic-chart" viewBox=${`0 0 ${W} ${H}`} role="img" aria-label="traffic over time">
      ${[0, 0.5, 1].map((f) => html`<g class="axis"><line x1=${left} x2=${W - 8} y1=${y(max * f)} y2=${y(max * f)} /><text x=${left - 8} y=${y(max * f) + 4} text-anchor="end">${fmt(max * f)}</text></g>`)}
      <path d=${area('a')} class="area series-a" />
      <path d=${line('a')} class="line series-a" />
      <path d=${line('b')} class="line series-b" />
      <text x=${left} y=${H - 6} class="caption">the last ${Math.max(1, Math.round((span * 2) / 60))} min (up to ${Math.round((MAX_SAMPLES * 2) / 60)}), sampled every 2 s while the UI is open</text>
    </svg>
    ${isBytes ? null : html`<p class="muted small">This node does not report byte counts; the chart shows the messages it handles instead.</p>`}
  </div>`;
}

/** What the home router forwards to this node ([nat] port_mapping), or why nothing. */
function PortMappings({ nat }) {
  if (!nat.port_mapping) return html`<p class="muted" id="port-mappings">Off (nat.port_mapping = false).</p>`;
  const maps = nat.port_mappings || [];
  if (!maps.length) return html`<p class="muted" id="port-mappings">${nat.port_mapping_error ? `None: ${nat.port_mapping_error}` : 'None yet.'}</p>`;
  return html`<ul class="addrs-list mono" id="port-mappings">${maps.map((m) => html`<li>${m.protocol} ${m.internal_port} → ${m.external_addr}
    <span class="muted">(${m.method}, ${m.permanent ? 'permanent lease' : `expires in ${duration(m.expires_in_secs)}`})</span></li>`)}</ul>`;
}

export function NodePage() {
  const { data: s, error } = useStatus();
  if (!s) return error ? html`<${ErrorBox} error=${error} />` : html`<${Loading} what="the node's status" />`;
  const reach = REACH[s.reachability] || REACH.unknown;
  const t = traffic(s);
  return html`
    <div class="page-head"><h1>This node</h1><p class="muted">ggen ${s.version} · up ${duration(s.uptime_secs)} · pid ${s.pid}</p></div>
    <${ErrorBox} error=${error} />
    <div class="stats">
      <div class="stat"><div class="stat-v" id="stat-peers">${s.connected_peers}</div><div class="stat-k">connected peers</div></div>
      <div class="stat"><div class="stat-v">${s.known_peers}</div><div class="stat-k">known peers</div></div>
      <div class="stat"><div class="stat-v">${s.releases_known}</div><div class="stat-k">releases in the catalog</div></div>
      <div class="stat"><div class="stat-v">${s.dht ? s.dht.routing_table_size : 0}</div><div class="stat-k">DHT routing table</div></div>
      <div class="stat"><div class=${`stat-v reach ${reach[0]}`} id="reachability" title=${reach[2]}>${reach[1]}</div><div class="stat-k">reachability${s.reachability ? '' : ' (not reported)'}</div></div>
      ${t ? html`<div class="stat"><div class="stat-v">${bytes(t.in)} / ${bytes(t.out)}</div><div class="stat-k">received / sent</div></div>` : null}
    </div>
    <${Card} title="Traffic"><${TrafficChart} /><//>
    <div class="two">
      <${Card} title="Identity">
        <dl class="facts">
          <dt>Peer ID</dt><dd class="mono" id="node-peer-id">${s.peer_id}</dd>
          <dt>API</dt><dd class="mono">127.0.0.1:${s.api_port}</dd>
          <dt>Data directory</dt><dd class="mono">${s.data_dir}</dd>
          <dt>Started</dt><dd>${s.started_at.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}</dd>
        </dl>
      <//>
      <${Card} title="Addresses">
        <h3>Listening</h3>
        <ul class="addrs-list mono">${s.listen_addrs.map((a) => html`<li>${a}</li>`)}</ul>
        <h3>Observed by peers</h3>
        ${s.observed_addrs.length ? html`<ul class="addrs-list mono">${s.observed_addrs.map((a) => html`<li>${a}</li>`)}</ul>` : html`<p class="muted">None yet.</p>`}
        ${s.nat ? html`<h3>Port mapping</h3><${PortMappings} nat=${s.nat} />` : null}
      <//>
    </div>
    <div class="two">
      <${Card} title="Gossip topics">
        ${s.pubsub && s.pubsub.topics.length ? html`<table class="grid compact" id="topics"><thead><tr><th>Topic</th><th class="num">Mesh</th><th class="num">Peers</th></tr></thead><tbody>
          ${s.pubsub.topics.map((tp) => html`<tr><td class="mono">${tp.topic}</td><td class="num">${tp.mesh_peers}</td><td class="num">${tp.topic_peers}</td></tr>`)}
        </tbody></table>` : html`<p class="muted">Not subscribed to any topic.</p>`}
        ${s.pubsub ? html`<p class="muted small">${s.pubsub.messages_received} messages received, ${s.pubsub.messages_delivered} delivered, ${s.pubsub.invalid_messages} invalid.</p>` : null}
      <//>
      <${Card} title="DHT">
        ${s.dht ? html`<dl class="facts">
          <dt>Protocol</dt><dd class="mono">${s.dht.protocol}</dd><dt>Mode</dt><dd>${s.dht.mode}</dd>
          <dt>Queries</dt><dd>${s.dht.queries} (mean ${s.dht.mean_hops.toFixed(1)} hops)</dd>
          <dt>Requests</dt><dd>${s.dht.requests_sent} sent (${s.dht.request_failures} failed), ${s.dht.requests_received} received</dd>
          <dt>Stored</dt><dd>${s.dht.records_stored} records, ${s.dht.provider_keys} provider keys</dd>
        </dl>` : null}
      <//>
    </div>
    <${Card} title="Protocols">
      <div class="chips">${s.protocols.map((p) => html`<span class="chip mono">${p}</span>`)}</div>
    <//>`;
}
