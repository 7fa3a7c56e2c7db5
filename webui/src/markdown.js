// A readme's Markdown as Preact elements. Safe by construction: the text only ever becomes text
// nodes and attributes set through the DOM, never HTML (raw HTML in the readme shows as the
// text it is); links keep only http, https and mailto targets; images show as their alt text
// linked to their address, because the page loads nothing from outside the node.
import { h } from 'preact';

const MAX_BLOCKS = 2000;
// Quotes nest this deep at most; deeper ones show the rest as text.
const MAX_DEPTH = 8;

export function renderMarkdown(source, depth = 0) {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks = [];
  let i = 0;
  while (i < lines.length && blocks.length < MAX_BLOCKS) {
    const line = lines[i];
    if (/^\s*$/.test(line)) {
      i++;
      continue;
    }
    const fence = line.match(/^\s*(```|~~~)\s*([\w+-]*)/);
    if (fence) {
      const code = [];
      i++;
      while (i < lines.length && !lines[i].trim().startsWith(fence[1])) code.push(lines[i++]);
      i++;
      blocks.push(h('pre', { class: 'code' }, h('code', { 'data-lang': fence[2] || null }, code.join('\n'))));
      continue;
    }
    const heading = line.match(/^(#{1,6})\s+(.*?)\s*#*\s*$/);
    if (heading) {
      blocks.push(h(`h${Math.min(6, heading[1].length + 1)}`, null, inline(heading[2])));
      i++;
      continue;
    }
    if (/^\s{0,3}([-*_])(\s*\1){2,}\s*$/.test(line)) {
      blocks.push(h('hr', null));
      i++;
      continue;
    }
    if (depth < MAX_DEPTH && /^\s{0,3}>/.test(line)) {
      const quote = [];
      while (i < lines.length && /^\s{0,3}>/.test(lines[i])) quote.push(lines[i++].replace(/^\s{0,3}>\s?/, ''));
      blocks.push(h('blockquote', null, renderMarkdown(quote.join('\n'), depth + 1)));
      continue;
    }
    if (/^\s{0,3}([-*+]|\d{1,9}[.)])\s+/.test(line)) {
      const ordered = /^\s{0,3}\d/.test(line);
      const items = [];
      while (i < lines.length && /^\s{0,3}([-*+]|\d{1,9}[.)])\s+/.test(lines[i])) {
        let item = lines[i++].replace(/^\s{0,3}([-*+]|\d{1,9}[.)])\s+/, '');
        while (i < lines.length && /^\s{2,}\S/.test(lines[i]) && !/^\s{0,3}([-*+]|\d{1,9}[.)])\s+/.test(lines[i])) item += ' ' + lines[i++].trim();
        items.push(h('li', null, inline(item)));
      }
      blocks.push(h(ordered ? 'ol' : 'ul', null, items));
      continue;
    }
    if (line.includes('|') && i + 1 < lines.length && /^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/.test(lines[i + 1])) {
      const cells = (l) => l.trim().replace(/^\|/, '').replace(/\|$/, '').split('|').map((c) => c.trim());
      const head = cells(line);
      i += 2;
      const rows = [];
      while (i < lines.length && lines[i].includes('|') && lines[i].trim() !== '') rows.push(cells(lines[i++]));
      blocks.push(h('table', { class: 'md-table' },
        h('thead', null, h('tr', null, head.map((c) => h('th', null, inline(c))))),
        h('tbody', null, rows.map((r) => h('tr', null, r.map((c) => h('td', null, inline(c))))))));
      continue;
    }
    const para = [];
    while (i < lines.length && !/^\s*$/.test(lines[i]) && !/^(#{1,6}\s|\s*(```|~~~))/.test(lines[i]) && !(depth < MAX_DEPTH && /^\s{0,3}>/.test(lines[i]))
      && !/^\s{0,3}([-*+]|\d{1,9}[.)])\s+/.test(lines[i])) {
      para.push(lines[i++].trim());
    }
    if (para.length === 0) {
      para.push(lines[i++]);
    }
    blocks.push(h('p', null, inline(para.join(' '))));
  }
  return blocks;
}

function safeHref(url) {
  const u = url.trim();
  return /^(https?:|mailto:)/i.test(u) ? u : null;
}

// Inline spans: `code`, **strong**, *em* / _em_, [text](url), ![alt](url), <https://autolinks>.
// Every pattern scans only to the next delimiter of its kind, so a paragraph is matched in
// linear time whatever it holds; a paragraph longer than MAX_INLINE is shown as plain text.
const MAX_INLINE = 20000;
const INLINE = /(`+)([^`]+)\1(?!`)|\*\*([^*]+)\*\*|__([^_]+)__|\*([^*\s][^*]*)\*|\b_([^_\s][^_]*)_\b|!\[([^\]]*)\]\(([^)\s]+)(?:\s+"[^"]*")?\)|\[([^\]]+)\]\(([^)\s]+)(?:\s+"[^"]*")?\)|<(https?:\/\/[^>\s]+)>/g;

export function inline(text, depth = 0) {
  if (depth > 4 || text.length > MAX_INLINE) return [text];
  const out = [];
  let last = 0;
  let m;
  INLINE.lastIndex = 0;
  const re = new RegExp(INLINE.source, 'g');
  while ((m = re.exec(text)) !== null) {
    if (m.index > last) out.push(text.slice(last, m.index));
    if (m[1]) out.push(h('code', null, m[2].trim()));
    else if (m[3] || m[4]) out.push(h('strong', null, inline(m[3] || m[4], depth + 1)));
    else if (m[5] || m[6]) out.push(h('em', null, inline(m[5] || m[6], depth + 1)));
    else if (m[8] !== undefined) {
      const href = safeHref(m[8]);
      const alt = `[image: ${m[7] || m[8]}]`;
      out.push(href ? h('a', { href, rel: 'noopener noreferrer', target: '_blank' }, alt) : alt);
    } else if (m[10] !== undefined) {
      const href = safeHref(m[10]);
      out.push(href ? h('a', { href, rel: 'noopener noreferrer', target: '_blank' }, inline(m[9], depth + 1)) : inline(m[9], depth + 1));
    } else if (m[11]) out.push(h('a', { href: m[11], rel: 'noopener noreferrer', target: '_blank' }, m[11]));
    last = re.lastIndex;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}
