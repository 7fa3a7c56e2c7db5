import { html } from '../html.js';
import { api } from '../api.js';
import { usePoll } from '../hooks.js';
import { shortId, ms } from '../format.js';
import { Card, ErrorBox, Loading } from './common.js';
import { transportOf } from './peers.js';

const W = 560;
const H = 460;
const CX = W / 2;
const CY = H / 2;
const MAX_DRAWN = 60;

function agentClass(agent) {
  if (!agent) return 'agent-unknown';
  if (agent.startsWith('ggen/')) return 'agent-ggen';
  if (agent.includes('js-libp2p') || agent.includes('libp2p')) return 'agent-js';
  return 'agent-other';
}

// Connected peers on the inner ring (a line from this node, dashed when relayed), the routing
// table's peers this node is not connected to on the outer ring.
function PeerGraph({ self, peers, table }) {
  const connected = peers.filter((p) => p.connected).slice(0, MAX_DRAWN);
  const connectedIds = new Set(connected.map((p) => p.peer_id));
  const inTable = new Set();
  (table ? table.buckets : []).forEach((b) => b.peers.forEach((p) => inTable.add(p.peer_id)));
  const outer = [...inTable].filter((id) => !connectedIds.has(id)).slice(0, MAX_DRAWN);
  const place = (i, n, r) => {
    const a = -Math.PI / 2 + (2 * Math.PI * i) / Math.max(1, n);
    return [CX + r * Math.cos(a), CY + r * Math.sin(a)];
  };
  return html`<svg class="graph" id="network-graph" viewBox=${`0 0 ${W} ${H}`} role="img" aria-label="this node and its peers">
    <circle cx=${CX} cy=${CY} r="200" class="ring" />
    <circle cx=${CX} cy=${CY} r="130" class="ring" />
    ${connected.map((p, i) => {
      const [x, y] = place(i, connected.length, 130);
      return html`<line x1=${CX} y1=${CY} x2=${x} y2=${y} class=${`link ${transportOf(p) === 'relayed' ? 'relayed' : ''}`} />`;
    })}
    ${outer.map((id, i) => {
      const [x, y] = place(i + 0.5, outer.length, 200);
      return html`<g class="peer-node outer"><title>${id} (in the routing table, not connected)</title><circle cx=${x} cy=${y} r="6" /></g>`;
    })}
    ${connected.map((p, i) => {
      const [x, y] = place(i, connected.length, 130);
      const labelY = y + (y >= CY ? 24 : -16);
      return html`<g class=${`peer-node ${agentClass(p.agent_version)} ${inTable.has(p.peer_id) ? 'in-table' : ''}`} data-peer=${p.peer_id}>
        <title>${p.peer_id}\n${p.agent_version || 'agent unknown'}\nlatency ${ms(p.latency_ms)}</title>
        <circle cx=${x} cy=${y} r="13" />
        <text x=${x} y=${labelY} text-anchor="middle">${shortId(p.peer_id)}</text>
      </g>`;
    })}
    <g class="self-node"><circle cx=${CX} cy=${CY} r="26" /><text x=${CX} y=${CY + 5} text-anchor="middle">you</text></g>
    <text x="12" y=${H - 12} class="caption">${self ? shortId(self) : ''}</text>
  </svg>`;
}

// One bar per bucket: its peers out of k, by how many leading bits their keys share with ours.
function BucketChart({ table }) {
  if (!table) return null;
  const maxCpl = table.buckets.reduce((m, b) => Math.max(m, b.common_prefix), 7);
  const n = maxCpl + 1;
  const byCpl = new Map(table.buckets.map((b) => [b.common_prefix, b]));
  const cw = 520;
  const ch = 220;
  const left = 34;
  const bottom = 30;
  const bw = (cw - left - 8) / n;
  const y = (count) => ch - bottom - ((ch - bottom - 12) * Math.min(count, table.k)) / table.k;
  return html`<svg class="buckets" id="bucket-chart" viewBox=${`0 0 ${cw} ${ch}`} role="img" aria-label="routing table buckets">
    ${[0, table.k / 2, table.k].map((v) => html`<g class="axis"><line x1=${left} x2=${cw - 4} y1=${y(v)} y2=${y(v)} /><text x=${left - 6} y=${y(v) + 4} text-anchor="end">${v}</text></g>`)}
    ${Array.from({ length: n }, (_, cpl) => {
      const b = byCpl.get(cpl);
      const count = b ? b.peers.length : 0;
      const x = left + cpl * bw + 2;
      const live = b ? b.peers.filter((p) => p.connected).length : 0;
      return html`<g class="bucket" data-bucket=${cpl}>
        <title>bucket ${cpl}: ${count} of ${table.k} peers, ${live} connected</title>
        <rect x=${x} y=${y(count)} width=${Math.max(2, bw - 4)} height=${ch - bottom - y(count)} class="bar" />
        <rect x=${x} y=${y(live)} width=${Math.max(2, bw - 4)} height=${ch - bottom - y(live)} class="bar live" />
        ${n <= 32 || cpl % 4 === 0 ? html`<text x=${x + (bw - 4) / 2} y=${ch - bottom + 14} text-anchor="middle" class="tick">${cpl}</text>` : null}
      </g>`;
    })}
    <text x=${left} y=${ch - 2} class="caption">bits in common with this node's key →</text>
  </svg>`;
}

export function NetworkPage() {
  const peers = usePoll(() => api.peers(), 3000);
  const table = usePoll(() => api.routingTable(), 3000);
  if (!peers.data && peers.loading) return html`<${Loading} what="the network" />`;
  const list = peers.data ? peers.data.peers : [];
  const t = table.data;
  return html`
    <div class="page-head"><h1>Network</h1><p class="muted">This node, its connections and its DHT routing table, live.</p></div>
    <${ErrorBox} error=${peers.error || table.error} />
    <div class="two">
      <${Card} title="Connections" right=${html`<span class="legend"><span class="key agent-ggen"></span>ggen <span class="key agent-js"></span>js-libp2p <span class="key agent-other"></span>other <span class="key outer"></span>table only</span>`}>
        <${PeerGraph} self=${t ? t.peer_id : ''} peers=${list} table=${t} />
      <//>
      <${Card} title="DHT routing table" right=${t ? html`<span class="muted">${t.size} peers · k=${t.k} · ${t.mode} · <span class="mono">${t.protocol}</span></span>` : null}>
        <${BucketChart} table=${t} />
        <p class="muted small">Kademlia keeps up to k peers per bucket; bucket n holds peers whose keys share exactly n leading bits with this node's. Dark: connected now.</p>
        ${t && t.buckets.length ? html`<table class="grid compact" id="bucket-table"><thead><tr><th>Bucket</th><th>Peers</th></tr></thead><tbody>
          ${t.buckets.map((b) => html`<tr><td>${b.common_prefix}</td><td class="mono">${b.peers.map((p) => shortId(p.peer_id)).join('  ')}</td></tr>`)}
        </tbody></table>` : html`<p class="muted">The routing table is empty: no DHT server among the peers yet.</p>`}
      <//>
    </div>`;
}
