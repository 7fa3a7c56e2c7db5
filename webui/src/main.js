import { render } from 'preact';
import { html } from './html.js';
import { useRoute } from './hooks.js';
import { useStatus } from './status-feed.js';
import { shortId } from './format.js';
import { PackagesPage } from './views/packages.js';
import { PackagePage } from './views/package.js';
import { PeersPage } from './views/peers.js';
import { NetworkPage } from './views/network.js';
import { NodePage } from './views/node.js';

const NAV = [
  ['packages', 'Packages'],
  ['peers', 'Peers'],
  ['network', 'Network'],
  ['node', 'Node'],
];

function Header({ section }) {
  const status = useStatus();
  const s = status.data;
  return html`
    <header class="top">
      <div class="top-inner">
        <a class="brand" href="#/packages"><img src="favicon.svg" alt="" width="26" height="26" /><span>ggen</span><small>marketplace</small></a>
        <nav>
          ${NAV.map(([key, label]) => html`<a href=${`#/${key}`} class=${section === key ? 'active' : ''} data-nav=${key}>${label}</a>`)}
        </nav>
        <div class="node-chip" title=${s ? s.peer_id : ''}>
          <span class=${`dot ${status.error ? 'down' : s ? 'up' : ''}`}></span>
          ${status.error ? 'node unreachable' : s ? html`${shortId(s.peer_id)} · ${s.connected_peers} peer${s.connected_peers === 1 ? '' : 's'}` : 'connecting…'}
        </div>
      </div>
    </header>`;
}

function App() {
  const { path, query } = useRoute();
  const section = path[0] || 'packages';
  let page;
  switch (section) {
    case 'package':
      page = html`<${PackagePage} id=${path[1] || ''} version=${query.get('version') || ''} />`;
      break;
    case 'peers':
      page = html`<${PeersPage} />`;
      break;
    case 'network':
      page = html`<${NetworkPage} />`;
      break;
    case 'node':
      page = html`<${NodePage} />`;
      break;
    default:
      page = html`<${PackagesPage} query=${query} />`;
  }
  return html`
    <${Header} section=${section === 'package' ? 'packages' : section} />
    <main class="page">${page}</main>
    <footer class="foot">Served by your own node on 127.0.0.1 · nothing on this page comes from anywhere else</footer>`;
}

render(html`<${App} />`, document.getElementById('app'));
