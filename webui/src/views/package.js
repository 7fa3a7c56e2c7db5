import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { api } from '../api.js';
import { bytes, ago, shortId } from '../format.js';
import { renderMarkdown } from '../markdown.js';
import { Card, ErrorBox, Loading, Reputation } from './common.js';

const TRUST = {
  pinned: ['trust-pinned', 'Pinned', 'You pinned this key as the owner of the package.'],
  tofu: ['trust-tofu', 'Trusted on first use', 'The first key this node saw publishing the package; releases signed by any other key are refused.'],
  none: ['trust-none', 'Unknown owner', 'This node has recorded no owner for the package.'],
};

// Copies text: the async clipboard where the page may use it, else a selected, hidden textarea.
async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch (e) {
      // fall through to the selection
    }
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.className = 'offscreen';
  document.body.appendChild(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } finally {
    area.remove();
  }
  return ok;
}

function InstallBox({ command }) {
  const [copied, setCopied] = useState(null);
  const copy = async () => {
    const ok = await copyText(command);
    setCopied(ok ? 'Copied' : 'Select and copy');
    document.body.dataset.copied = ok ? command : '';
    setTimeout(() => setCopied(null), 2000);
  };
  return html`<div class="install">
    <div class="install-label">Install</div>
    <div class="install-row">
      <code id="install-command">${command}</code>
      <button id="copy-install" class="copy" onClick=${copy} title="Copy the command">${copied || 'Copy'}</button>
    </div>
  </div>`;
}

function FetchArchive({ info, onDone }) {
  const [job, setJob] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    if (!job || job.done) return undefined;
    const t = setTimeout(async () => {
      try {
        const next = await api.fetchJob(job.job);
        setJob(next);
        if (next.done) {
          if (next.error) setError(new Error(next.error));
          else onDone();
        }
      } catch (e) {
        setError(e);
      }
    }, 500);
    return () => clearTimeout(t);
  }, [job]);
  const start = async () => {
    setError(null);
    try {
      setJob(await api.fetch(`${info.id}@${info.version}`));
    } catch (e) {
      setError(e);
    }
  };
  const size = info.versions.find((v) => v.version === info.version);
  return html`<div class="fetch-box">
    <p>The readme and the file list come with the archive, which this node has not fetched yet${size ? html` (${bytes(size.size)})` : ''}.</p>
    ${job && !job.done ? html`<div class="progress"><div class="progress-fill" style=${{ width: `${job.bytes_total ? Math.round((100 * job.bytes_done) / job.bytes_total) : 5}%` }}></div></div>`
      : html`<button id="fetch-archive" class="primary" onClick=${start}>Fetch the archive</button>`}
    <${ErrorBox} error=${error} />
  </div>`;
}

// One package, as a registry shows it: readme, versions, files and dependencies on the left;
// install command, facts, publisher and providers on the right.
export function PackagePage({ id, version }) {
  const [state, setState] = useState({ data: null, error: null });
  const [reload, setReload] = useState(0);
  const [tab, setTab] = useState('readme');
  useEffect(() => {
    let live = true;
    api.packageInfo(id, version).then((data) => live && setState({ data, error: null }), (error) => live && setState({ data: null, error }));
    return () => {
      live = false;
    };
  }, [id, version, reload]);
  // Providers and reputations change as peers come and go: refreshed every 10 s.
  useEffect(() => {
    const t = setInterval(() => !document.hidden && setReload((n) => n + 1), 10000);
    return () => clearInterval(t);
  }, []);

  if (state.error) return html`<a class="back" href="#/packages">← All packs</a><${ErrorBox} error=${state.error} />`;
  const info = state.data;
  if (!info) return html`<${Loading} what=${id} />`;
  const current = info.versions.find((v) => v.version === info.version);
  const trust = TRUST[info.publisher.trust] || TRUST.none;
  const deps = Object.entries(info.dependencies || {});
  const tabs = [
    ['readme', 'Readme'],
    ['versions', `Versions (${info.versions.length})`],
    ['files', `Files${info.archive_local ? ` (${info.file_count})` : ''}`],
    ['deps', `Dependencies (${deps.length})`],
  ];
  return html`
    <a class="back" href="#/packages">← All packs</a>
    <div class="pkg-head">
      <h1 id="package-title">${info.name || info.id}</h1>
      <span class="badge version big">v${info.version}</span>
      ${current && current.yanked ? html`<span class="badge yanked big" title=${current.yank_reason}>yanked</span>` : null}
      <div class="pkg-id mono">${info.id}</div>
      <p class="pkg-desc">${info.description}</p>
      <div class="chips">
        ${info.categories.map((c) => html`<a class="chip cat" href=${`#/packages?category=${encodeURIComponent(c)}`}>${c}</a>`)}
        ${info.tags.map((t) => html`<a class="chip" href=${`#/packages?tag=${encodeURIComponent(t)}`}>#${t}</a>`)}
        ${info.keywords.map((k) => html`<span class="chip kw">${k}</span>`)}
      </div>
    </div>
    <div class="pkg-grid">
      <div class="pkg-main">
        <div class="tabs" role="tablist">
          ${tabs.map(([key, label]) => html`<button role="tab" class=${tab === key ? 'tab active' : 'tab'} data-tab=${key} onClick=${() => setTab(key)}>${label}</button>`)}
        </div>
        <div class="tab-body">
          ${tab === 'readme' ? (info.archive_local
            ? (info.readme ? html`<article class="readme" id="readme">${renderMarkdown(info.readme)}
                ${info.readme_truncated ? html`<p class="muted">(The readme is longer; the rest is in ${info.readme_path}.)</p>` : null}</article>`
              : html`<p class="muted">This pack has no readme.</p>`)
            : html`<${FetchArchive} info=${info} onDone=${() => setReload((n) => n + 1)} />`) : null}
          ${tab === 'versions' ? html`<table class="grid" id="versions">
              <thead><tr><th>Version</th><th>Published</th><th>Size</th><th>CID</th><th></th></tr></thead>
              <tbody>${info.versions.map((v) => html`<tr class=${v.yanked ? 'yanked-row' : ''}>
                <td><a href=${`#/package/${encodeURIComponent(info.id)}?version=${encodeURIComponent(v.version)}`}>${v.version}</a></td>
                <td>${ago(v.published_at)}</td><td>${bytes(v.size)}</td><td class="mono" title=${v.cid}>${shortId(v.cid)}</td>
                <td>${v.yanked ? html`<span class="badge yanked" title=${v.yank_reason || 'yanked by its owner'}>yanked${v.yank_reason ? `: ${v.yank_reason}` : ''}</span>` : null}</td>
              </tr>`)}</tbody></table>` : null}
          ${tab === 'files' ? (info.archive_local ? html`<table class="grid" id="files">
              <thead><tr><th>Path</th><th class="num">Size</th></tr></thead>
              <tbody>${info.files.map((f) => html`<tr><td class="mono">${f.path}</td><td class="num">${bytes(f.size)}</td></tr>`)}</tbody>
              <tfoot><tr><td>${info.file_count} files${info.file_count > info.files.length ? ` (first ${info.files.length} shown)` : ''}</td><td class="num">${bytes(info.unpacked_bytes)}</td></tr></tfoot>
            </table>` : html`<${FetchArchive} info=${info} onDone=${() => setReload((n) => n + 1)} />`) : null}
          ${tab === 'deps' ? (deps.length === 0 ? html`<p class="muted">No dependencies.</p>` : html`<table class="grid" id="deps">
              <thead><tr><th>Package</th><th>Version range</th></tr></thead>
              <tbody>${deps.map(([d, range]) => html`<tr><td><a href=${`#/package/${encodeURIComponent(d)}`}>${d}</a></td><td class="mono">${range}</td></tr>`)}</tbody>
            </table>`) : null}
        </div>
      </div>
      <aside class="pkg-side">
        <${InstallBox} command=${info.install_command} />
        <${Card} title="About">
          <dl class="facts">
            <dt>License</dt><dd>${info.license || '—'}</dd>
            <dt>ggen</dt><dd class="mono">${info.ggen_compat || 'any'}</dd>
            ${current ? html`<dt>Published</dt><dd>${ago(current.published_at)}</dd><dt>Size</dt><dd>${bytes(current.size)}</dd>` : null}
            ${info.authors.length ? html`<dt>Authors</dt><dd>${info.authors.join(', ')}</dd>` : null}
            ${info.homepage ? html`<dt>Homepage</dt><dd><a href=${/^https?:/i.test(info.homepage) ? info.homepage : null} rel="noopener noreferrer" target="_blank">${info.homepage}</a></dd>` : null}
            ${info.repository ? html`<dt>Repository</dt><dd><a href=${/^https?:/i.test(info.repository) ? info.repository : null} rel="noopener noreferrer" target="_blank">${info.repository}</a></dd>` : null}
          </dl>
        <//>
        <${Card} title="Publisher">
          <div class="mono fingerprint" id="publisher-key" title="the publisher key's fingerprint">${info.publisher.fingerprint}</div>
          <div class=${`trust ${trust[0]}`} id="trust-state" title=${trust[2]}>${trust[1]}</div>
          <p class="muted small">${trust[2]}</p>
        <//>
        <${Card} title=${`Providers (${info.providers.length})`}>
          ${info.providers.length === 0 ? html`<p class="muted">No peer is known to serve this version yet.</p>` : html`<ul class="providers" id="providers">
            ${info.providers.map((p) => html`<li><span class="mono" title=${p.peer_id}>${shortId(p.peer_id)}</span>${p.self ? html`<span class="badge self">this node</span>` : null}
              <${Reputation} value=${p.reputation} /></li>`)}
          </ul>`}
        <//>
      </aside>
    </div>`;
}
