import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../html.js';
import { api } from '../api.js';
import { bytes, shortId } from '../format.js';
import { ErrorBox, Empty, Reputation } from './common.js';

const MIN_REPUTATION = [
  ['', 'any reputation'],
  ['0.5', '≥ 50%'],
  ['0.8', '≥ 80%'],
  ['0.9', '≥ 90%'],
  ['1', '100%'],
];

function toHash(f) {
  const p = new URLSearchParams();
  if (f.q) p.set('q', f.q);
  if (f.category) p.set('category', f.category);
  if (f.tag) p.set('tag', f.tag);
  if (f.min) p.set('min', f.min);
  const s = p.toString();
  return `#/packages${s ? `?${s}` : ''}`;
}

// The registry's front page: a search box and filters, and the ranked hits as cards. The
// filters live in the address, so a search can be bookmarked and the back button works.
export function PackagesPage({ query }) {
  const filters = { q: query.get('q') || '', category: query.get('category') || '', tag: query.get('tag') || '', min: query.get('min') || '' };
  const [draft, setDraft] = useState(filters);
  const [result, setResult] = useState({ data: null, error: null, loading: true });
  const key = toHash(filters);

  // The address changed by the back button or a link: the form follows it. Changed by this form:
  // the form already shows it (and may hold newer typing).
  const pushed = useRef(null);
  const go = (next) => {
    pushed.current = toHash(next);
    location.hash = pushed.current;
  };
  useEffect(() => {
    if (pushed.current !== key) setDraft(filters);
  }, [key]);

  useEffect(() => {
    let live = true;
    setResult((r) => ({ ...r, loading: true }));
    const tags = filters.tag.split(',').map((t) => t.trim()).filter((t) => t);
    api.search({
      query: filters.q,
      category: filters.category.trim() || null,
      tags,
      limit: 50,
      min_reputation: filters.min === '' ? null : Number(filters.min),
    }).then((data) => live && setResult({ data, error: null, loading: false }),
      (error) => live && setResult({ data: null, error, loading: false }));
    return () => {
      live = false;
    };
  }, [key]);

  // Typing in the search box searches after a short pause; the filters apply at once.
  useEffect(() => {
    if (draft.q === filters.q) return undefined;
    const t = setTimeout(() => go(draft), 350);
    return () => clearTimeout(t);
  }, [draft.q]);

  const apply = (patch) => {
    const next = { ...draft, ...patch };
    setDraft(next);
    go(next);
  };

  const hits = result.data ? result.data.results : [];
  return html`
    <section class="hero">
      <h1>Template packs, shared peer to peer</h1>
      <p>Every pack here is signed by its publisher and served by the nodes of the network. Search this node's catalog; when it knows little, it asks its peers too.</p>
      <form class="search" onSubmit=${(e) => { e.preventDefault(); apply({}); }} role="search">
        <input id="search-q" type="search" placeholder="Search packs: rust, cli, web…" value=${draft.q} autocomplete="off"
          onInput=${(e) => setDraft({ ...draft, q: e.currentTarget.value })} aria-label="Search packs" />
        <button type="submit" class="primary">Search</button>
      </form>
      <div class="filters">
        <label>Category <input id="filter-category" value=${draft.category} placeholder="e.g. cli"
          onInput=${(e) => setDraft({ ...draft, category: e.currentTarget.value })} onChange=${(e) => apply({ category: e.currentTarget.value })} /></label>
        <label>Tags <input id="filter-tag" value=${draft.tag} placeholder="e.g. rust, async"
          onInput=${(e) => setDraft({ ...draft, tag: e.currentTarget.value })} onChange=${(e) => apply({ tag: e.currentTarget.value })} /></label>
        <label>Providers
          <select id="filter-min" value=${draft.min} onChange=${(e) => apply({ min: e.currentTarget.value })}>
            ${MIN_REPUTATION.map(([v, label]) => html`<option value=${v}>${label}</option>`)}
          </select>
        </label>
      </div>
    </section>
    <${ErrorBox} error=${result.error} />
    <div class="result-meta">
      ${result.loading ? 'Searching…' : result.data ? html`<span id="result-count">${hits.length} ${hits.length === 1 ? 'pack' : 'packs'}</span>
        ${result.data.peers_asked > 0 ? html` · asked ${result.data.peers_answered} of ${result.data.peers_asked} peers` : null}
        ${filters.q ? html` · ranked by relevance to “${filters.q}”` : html` · the catalog of this node`}` : null}
    </div>
    ${!result.loading && result.data && hits.length === 0 ? html`<${Empty}>
        No pack matches${filters.q ? html` “${filters.q}”` : ''}. Packs arrive as peers announce them; publish one with <code>ggen marketplace p2p publish ./my-pack</code>.
      <//>` : null}
    <ol class="hits">
      ${hits.map((hit) => html`
        <li class="hit" data-id=${hit.id}>
          <div class="hit-main">
            <a class="hit-name" href=${`#/package/${encodeURIComponent(hit.id)}`}>${hit.name || hit.id}</a>
            <span class="badge version">v${hit.version}</span>
            ${hit.source === 'network' ? html`<span class="badge net" title="brought in by a peer during this search">from peers</span>` : null}
            <div class="hit-id">${hit.id}</div>
            <p class="hit-desc">${hit.description}</p>
          </div>
          <dl class="hit-facts">
            <div><dt>Providers</dt><dd>${hit.providers}</dd></div>
            <div><dt>Reputation</dt><dd>${hit.providers > 0 ? html`<${Reputation} value=${hit.avg_reputation} />` : '—'}</dd></div>
            <div><dt>Size</dt><dd>${bytes(hit.size)}</dd></div>
            <div><dt>Publisher</dt><dd class="mono" title=${hit.publisher}>${shortId(hit.publisher)}</dd></div>
          </dl>
        </li>`)}
    </ol>`;
}
