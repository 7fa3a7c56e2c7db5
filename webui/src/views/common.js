import { html } from '../html.js';

export function ErrorBox({ error }) {
  if (!error) return null;
  return html`<div class="error-box" role="alert">${error.message || String(error)}</div>`;
}

export function Loading({ what }) {
  return html`<div class="loading">Loading ${what}…</div>`;
}

export function Empty({ children }) {
  return html`<div class="empty">${children}</div>`;
}

// A reputation from 0 to 1 as a short bar and a percentage.
export function Reputation({ value }) {
  const v = Math.max(0, Math.min(1, Number(value) || 0));
  const tone = v >= 0.8 ? 'good' : v >= 0.5 ? 'fair' : 'poor';
  return html`<span class="rep" title=${`reputation ${v.toFixed(3)}`}><span class="rep-bar"><span class=${`rep-fill ${tone}`} style=${{ width: `${Math.round(v * 100)}%` }}></span></span>${Math.round(v * 100)}%</span>`;
}

export function Card({ title, children, right, id }) {
  return html`<section class="card" id=${id}>
    ${title ? html`<div class="card-head"><h2>${title}</h2>${right || null}</div>` : null}
    <div class="card-body">${children}</div>
  </section>`;
}
