import { html } from '../html.js';
import { api } from '../api.js';
import { bytes, ms, shortId, traffic, ago } from '../format.js';
import { ErrorBox, Empty, Loading, Reputation } from './common.js';
import { useState } from 'preact/hooks';
import { usePoll } from '../hooks.js';

// A connection through a relay has /p2p-circuit in its address.
export function transportOf(peer) {
  const conns = peer.connections || [];
  if (conns.length === 0) return '';
  return conns.some((c) => !String(c.remote_addr).includes('/p2p-circuit')) ? 'direct' : 'relayed';
}

export function PeersPage() {
  const peers = usePeers();
  const [showKnown, setShowKnown] = useState(false);
  if (!peers.data && peers.loading) return html`<${Loading} what="peers" />`;
  const all = peers.data ? peers.data.peers : [];
  const connected = all.filter((p) => p.connected);
  const shown = showKnown ? all : connected;
  return html`
    <div class="page-head">
      <h1>Peers</h1>
      <p class="muted">Peers this node is connected to now${showKnown ? ', then the ones it knows from before' : ''}. Updated every 3 seconds.</p>
      <label class="toggle"><input type="checkbox" checked=${showKnown} onChange=${(e) => setShowKnown(e.currentTarget.checked)} /> show known, unconnected peers (${all.length - connected.length})</label>
    </div>
    <${ErrorBox} error=${peers.error} />
    ${shown.length === 0 ? html`<${Empty}>No peer is connected. Start the node with <code>--bootstrap /ip4/…/tcp/…/p2p/12D3KooW…</code>, or run <code>ggen marketplace p2p bootstrap</code>.<//>` : html`
    <div class="table-wrap">
      <table class="grid peers" id="peers-table">
        <thead><tr><th>Peer</th><th>Agent</th><th>Addresses</th><th>Connection</th><th class="num">Latency</th><th>Reputation</th><th class="num">In</th><th class="num">Out</th><th>Packages</th></tr></thead>
        <tbody>
          ${shown.map((p) => {
            const t = traffic(p);
            const how = transportOf(p);
            return html`<tr class=${p.connected ? 'peer-row' : 'peer-row known'} data-peer=${p.peer_id}>
              <td class="mono" title=${p.peer_id}><span class=${`dot ${p.connected ? 'up' : ''}`}></span>${shortId(p.peer_id)}</td>
              <td>${p.agent_version || '—'}</td>
              <td class="mono addrs" title=${p.addresses.join('\n')}>${p.addresses[0] || '—'}${p.addresses.length > 1 ? html` <span class="muted">+${p.addresses.length - 1}</span>` : null}</td>
              <td>${p.connected ? html`<span class=${`badge ${how}`}>${how || 'direct'}</span> <span class="muted">${p.direction}</span>` : html`<span class="muted">seen ${ago(p.last_seen)}</span>`}</td>
              <td class="num">${ms(p.latency_ms)}</td>
              <td><${Reputation} value=${p.reputation} /></td>
              <td class="num">${t ? bytes(t.in) : '—'}</td>
              <td class="num">${t ? bytes(t.out) : '—'}</td>
              <td class="num">${p.packages_provided}</td>
            </tr>`;
          })}
        </tbody>
      </table>
    </div>`}`;
}

function usePeers() {
  return usePoll(() => api.peers(), 3000);
}
