// The readme renderer's safety and shape, on the element trees it returns (no DOM needed):
// text never becomes markup, links keep only http, https and mailto targets, images load nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderMarkdown } from '../src/markdown.js';

// Every element in a tree, depth first.
function* elements(node) {
  if (Array.isArray(node)) {
    for (const n of node) yield* elements(n);
  } else if (node && typeof node === 'object' && node.type) {
    yield node;
    yield* elements(node.props.children);
  }
}

function text(node) {
  if (node === null || node === undefined || node === false) return '';
  if (typeof node === 'string' || typeof node === 'number') return String(node);
  if (Array.isArray(node)) return node.map(text).join('');
  return text(node.props.children);
}

const tags = (tree) => [...elements(tree)].map((e) => e.type);

test('headings, lists, code, quotes and tables become their elements', () => {
  const tree = renderMarkdown('# Title\n\nSome **bold** and *em* and `code`.\n\n- a\n- b\n\n1. one\n2. two\n\n```sh\nls -l\n```\n\n> quoted\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n---\n');
  assert.deepEqual(tags(tree).filter((t) => t !== 'p' && t !== 'li' && t !== 'td' && t !== 'th' && t !== 'tr'),
    ['h2', 'strong', 'em', 'code', 'ul', 'ol', 'pre', 'code', 'blockquote', 'table', 'thead', 'tbody', 'hr']);
  assert.equal(text(tree[0]), 'Title');
  assert.equal(text(tree[4]), 'ls -l');
});

test('HTML in a readme stays text', () => {
  const source = '<script>alert(1)</script>\n\n<img src=x onerror=alert(2)> and <a href="javascript:alert(3)">x</a>\n\n<iframe src="https://example.org"></iframe>';
  const tree = renderMarkdown(source);
  assert.deepEqual(tags(tree), ['p', 'p', 'p']);
  assert.ok(text(tree).includes('<script>alert(1)</script>'));
  assert.ok(text(tree).includes('<img src=x onerror=alert(2)>'));
  for (const e of elements(tree)) assert.equal(e.props.dangerouslySetInnerHTML, undefined);
});

test('links keep only http, https and mailto targets', () => {
  const tree = renderMarkdown('[a](https://example.org) [b](http://example.org) [c](mailto:a@example.org) [d](javascript:alert(1)) [e](data:text/html,x) [f](//evil.example) [g](JAVASCRIPT:alert(1)) <https://example.org/auto>');
  const links = [...elements(tree)].filter((e) => e.type === 'a');
  assert.deepEqual(links.map((a) => a.props.href), ['https://example.org', 'http://example.org', 'mailto:a@example.org', 'https://example.org/auto']);
  for (const a of links) {
    assert.equal(a.props.rel, 'noopener noreferrer');
  }
  assert.ok(text(tree).includes('d') && text(tree).includes('g'), 'a refused link keeps its text');
});

test('images load nothing: they show as a link to their address', () => {
  const tree = renderMarkdown('![logo](https://example.org/logo.png) ![x](javascript:alert(1))');
  assert.equal(tags(tree).includes('img'), false);
  const links = [...elements(tree)].filter((e) => e.type === 'a');
  assert.deepEqual(links.map((a) => a.props.href), ['https://example.org/logo.png']);
  assert.ok(text(tree).includes('[image: logo]'));
});

test('a huge or deeply nested readme is bounded', { timeout: 60_000 }, () => {
  const many = Array.from({ length: 5000 }, (_, i) => `para ${i}`).join('\n\n');
  assert.equal(renderMarkdown(many).length, 2000);
  const quotes = renderMarkdown('>'.repeat(100000) + ' deep');
  assert.equal(tags(quotes).filter((t) => t === 'blockquote').length, 8);
  // Unclosed delimiters everywhere: rendered as text (a quadratic matcher would not finish within the test's limit).
  assert.ok(text(renderMarkdown(('`` ` [x ' + '*a _b ').repeat(2000))).includes('[x'));
  assert.ok(text(renderMarkdown('a ' + '`'.repeat(3000) + 'x'.repeat(10000))).endsWith('x'));
  const deep = '**'.repeat(200) + 'x' + '**'.repeat(200);
  assert.ok(renderMarkdown(deep).length >= 1);
});
