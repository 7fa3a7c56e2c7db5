// The web UI end to end in a real browser: Debian's chromium driven by playwright-core (no
// browser download), against a running ggen node. Run by ggen-cli's WebUiIT, which starts the
// nodes and publishes the packs; it passes what to expect as JSON in argv[2]:
//   { loginUrl, apiPort, packageId, packageName, searchWord, category, tag, yankedVersion,
//     installCommand, readmeHeading, peerId, selfPeerId, screenshots, userDataDir }
// Prints one line per check passed ("ok <what>") and exits 0, or prints the failure and exits 1.
// Every wait is bounded; the whole run stops itself after RUN_LIMIT_MS.
import { chromium } from 'playwright-core';
import http from 'node:http';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

const RUN_LIMIT_MS = 150_000;
const WAIT_MS = 30_000;
const spec = JSON.parse(process.argv[2]);
const origin = `http://127.0.0.1:${spec.apiPort}`;

const killer = setTimeout(() => {
  console.error(`FAIL: the browser test did not finish within ${RUN_LIMIT_MS / 1000} s`);
  process.exit(1);
}, RUN_LIMIT_MS);
killer.unref();

function ok(what) {
  console.log(`ok ${what}`);
}

function check(cond, what) {
  if (!cond) throw new Error(`check failed: ${what}`);
  ok(what);
}

// A raw HTTP request to the node, with exactly the headers given (Host included), as a page on
// another site or a script could send it.
function request(method, path, headers, body) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: spec.apiPort, method, path, headers, setHost: false, timeout: 10_000 }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { data += c; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: data }));
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

async function refusedWithoutLogin() {
  const host = `127.0.0.1:${spec.apiPort}`;
  const page = await request('GET', '/ui/', { Host: host });
  check(page.status === 401, `the UI page without the login cookie is refused (401, got ${page.status})`);
  const api = await request('GET', '/v1/status', { Host: host });
  check(api.status === 401, `the API without the cookie or the token is refused (401, got ${api.status})`);
  const asset = await request('GET', '/ui/app.js', { Host: host });
  check(asset.status === 401, `the UI's script without the login cookie is refused (401, got ${asset.status})`);
  const bogus = await request('GET', '/ui/login?code=' + '0'.repeat(64), { Host: host });
  check(bogus.status === 403 && !bogus.headers['set-cookie'], `a made-up login code is refused and sets no cookie (403, got ${bogus.status})`);
}

async function refusedWithCookie(cookie) {
  const host = `127.0.0.1:${spec.apiPort}`;
  const good = await request('GET', '/v1/status', { Host: host, Cookie: cookie });
  check(good.status === 200, `the session cookie opens the API (200, got ${good.status})`);
  const rebound = await request('GET', '/v1/status', { Host: `attacker.example:${spec.apiPort}`, Cookie: cookie });
  check(rebound.status === 403, `a foreign Host header is refused even with the cookie (DNS rebinding; 403, got ${rebound.status})`);
  const reboundPage = await request('GET', '/ui/', { Host: 'attacker.example', Cookie: cookie });
  check(reboundPage.status === 403, `a foreign Host header is refused for the page too (403, got ${reboundPage.status})`);
  const body = JSON.stringify({ query: spec.searchWord });
  const json = { 'Content-Type': 'application/json' };
  const foreign = await request('POST', '/v1/search', { ...json, Host: host, Cookie: cookie, Origin: 'http://attacker.example' }, body);
  check(foreign.status === 403, `a write with a foreign Origin is refused (403, got ${foreign.status})`);
  const otherPort = await request('POST', '/v1/search', { ...json, Host: host, Cookie: cookie, Origin: `http://127.0.0.1:${spec.apiPort + 1}` }, body);
  check(otherPort.status === 403, `a write from another port of this machine is refused (403, got ${otherPort.status})`);
  const noOrigin = await request('POST', '/v1/search', { ...json, Host: host, Cookie: cookie }, body);
  check(noOrigin.status === 403, `a write on the cookie without an Origin is refused (403, got ${noOrigin.status})`);
  const own = await request('POST', '/v1/search', { ...json, Host: host, Cookie: cookie, Origin: origin }, body);
  check(own.status === 200, `a write from the UI's own Origin is served (200, got ${own.status})`);
  const headers = good.headers;
  check(/default-src 'self'/.test(headers['content-security-policy'] || '') && /frame-ancestors 'none'/.test(headers['content-security-policy']),
    'answers carry the Content-Security-Policy');
  check(headers['x-content-type-options'] === 'nosniff', 'answers carry X-Content-Type-Options: nosniff');
}

let context = null;

async function main() {
  await mkdir(spec.screenshots, { recursive: true });
  await refusedWithoutLogin();

  context = await chromium.launchPersistentContext(spec.userDataDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--no-first-run', '--disable-quic', '--disable-sync'],
    viewport: { width: 1360, height: 900 },
    deviceScaleFactor: 1,
  });
  const outside = [];
  context.on('request', (r) => {
    if (!r.url().startsWith(origin) && !r.url().startsWith('http://attacker.example') && !r.url().startsWith('data:')) outside.push(r.url());
  });
  try {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
    const page = context.pages()[0] || await context.newPage();
    page.setDefaultTimeout(WAIT_MS);
    const consoleErrors = [];
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));

    // Log in with the one-time link: the cookie is set and the front page lists the pack.
    await page.goto(spec.loginUrl);
    check(new URL(page.url()).pathname === '/ui/', `the login link lands on the UI (${page.url()})`);
    const cookies = await context.cookies(origin);
    const session = cookies.find((c) => c.name.startsWith('ggen_ui'));
    check(session && session.httpOnly && session.sameSite === 'Strict' && session.path === '/', 'the session cookie is HttpOnly, SameSite=Strict, Path=/');
    check(!(await page.evaluate(() => document.cookie)).includes(session.name), 'the page\'s script cannot read the session cookie');
    const hit = page.locator(`li.hit[data-id="${spec.packageId}"]`);
    await hit.waitFor();
    ok('the front page lists the pack published on the other node');
    await page.screenshot({ path: join(spec.screenshots, 'packages.png') });

    // Search: a word of the description finds it; a word of nothing finds nothing.
    await page.fill('#search-q', spec.searchWord);
    await page.waitForFunction((w) => location.hash.includes(`q=${w}`), spec.searchWord);
    await hit.waitFor();
    check(await page.locator('#result-count').textContent() !== '', `searching "${spec.searchWord}" finds it`);
    await page.fill('#search-q', 'zzqqxnothing');
    await page.locator('.empty').waitFor();
    check(await hit.count() === 0, 'a search for a word of no pack shows none');
    await page.fill('#search-q', '');
    await page.waitForFunction(() => !location.hash.includes('q='));
    await page.fill('#filter-category', spec.category);
    await page.press('#filter-category', 'Enter');
    await page.waitForFunction((c) => location.hash.includes(`category=${c}`), spec.category);
    await hit.waitFor();
    ok(`the category filter "${spec.category}" keeps it`);
    await page.fill('#filter-category', 'no-such-category');
    await page.press('#filter-category', 'Enter');
    await page.locator('.empty').waitFor();
    check(await hit.count() === 0, 'a category no pack has shows none');
    await page.fill('#filter-category', '');
    await page.press('#filter-category', 'Enter');
    await page.fill('#filter-tag', spec.tag);
    await page.press('#filter-tag', 'Enter');
    await page.waitForFunction((t) => location.hash.includes(`tag=${t}`) && !location.hash.includes('category='), spec.tag);
    await hit.waitFor();
    ok(`the tag filter "${spec.tag}" keeps it`);
    await page.selectOption('#filter-min', '0.9');
    await page.waitForFunction(() => location.hash.includes('min=0.9'));
    await hit.waitFor();
    ok('the minimum reputation filter keeps a pack whose provider has full reputation');

    // The package page: facts, versions (the yanked one marked), the readme after fetching.
    await hit.locator('a.hit-name').click();
    await page.locator('#package-title').waitFor();
    check((await page.locator('#package-title').textContent()) === spec.packageName, 'the package page opens with the pack\'s name');
    check((await page.locator('#trust-state').textContent()).length > 0, `the publisher's trust state shows (${await page.locator('#trust-state').textContent()})`);
    check((await page.locator('#publisher-key').textContent()).length > 10, 'the publisher key fingerprint shows');
    await page.locator('#providers li').first().waitFor();
    ok('the providers of the version show');
    await page.click('button[data-tab="versions"]');
    await page.locator('#versions tr.yanked-row').filter({ hasText: spec.yankedVersion }).waitFor();
    ok(`version ${spec.yankedVersion} is marked yanked`);
    await page.click('button[data-tab="readme"]');
    await page.click('#fetch-archive');
    await page.locator('#readme h2').first().waitFor();
    check((await page.locator('#readme h2').first().textContent()) === spec.readmeHeading, 'the readme renders after fetching the archive');
    check(await page.locator('#readme img, #readme script, #readme iframe').count() === 0, 'HTML in the readme is not rendered as HTML');
    check((await page.locator('#readme').textContent()).includes('<img src=x'), 'HTML in the readme shows as text');
    await page.click('button[data-tab="files"]');
    await page.locator('#files td', { hasText: 'gpack.toml' }).waitFor();
    ok('the files tab lists the archive\'s files');
    await page.click('button[data-tab="deps"]');
    await page.locator('#deps, .tab-body p.muted').first().waitFor();
    ok('the dependencies tab shows');
    await page.click('button[data-tab="readme"]');
    await page.locator('#readme').waitFor();
    await page.screenshot({ path: join(spec.screenshots, 'package.png'), fullPage: true });

    // Copy the install command.
    check((await page.locator('#install-command').textContent()) === spec.installCommand, 'the install command shows');
    await page.click('#copy-install');
    await page.waitForFunction(() => document.body.dataset.copied !== undefined);
    const clip = await page.evaluate(() => navigator.clipboard.readText());
    check(clip === spec.installCommand, `the copy button puts the install command on the clipboard ("${clip}")`);

    // Peers: the other node appears.
    await page.click('a[data-nav="peers"]');
    await page.locator(`#peers-table tr[data-peer="${spec.peerId}"]`).waitFor();
    ok('the peers page lists the other node');
    check((await page.locator(`#peers-table tr[data-peer="${spec.peerId}"]`).textContent()).includes('ggen/'), 'with its agent');
    await page.screenshot({ path: join(spec.screenshots, 'peers.png') });

    // The network picture and the routing table.
    await page.click('a[data-nav="network"]');
    await page.locator(`#network-graph g[data-peer="${spec.peerId}"]`).waitFor();
    ok('the network picture draws the connected peer');
    await page.locator('#bucket-chart g.bucket').first().waitFor();
    ok('the routing table chart draws its buckets');
    await page.screenshot({ path: join(spec.screenshots, 'network.png') });

    // The node: its id, reachability and the traffic chart filling as samples arrive.
    await page.click('a[data-nav="node"]');
    await page.locator('#node-peer-id').waitFor();
    check((await page.locator('#node-peer-id').textContent()) === spec.selfPeerId, 'the node page shows this node\'s peer id');
    await page.locator('#reachability').waitFor();
    // the test harness turns port mapping off (GGEN_P2P_PORT_MAPPING=false), and the page says so
    check((await page.locator('#port-mappings').textContent()).includes('nat.port_mapping = false'), 'the node page shows port mapping');
    await page.waitForFunction(() => {
      const d = document.querySelector('#traffic-chart path.line.series-a');
      return d && (d.getAttribute('d') || '').split('L').length >= 3;
    });
    ok('the traffic chart fills without a reload');
    await page.screenshot({ path: join(spec.screenshots, 'node.png') });

    // A page of another site can neither read the API nor write through the browser's session.
    await context.route('http://attacker.example/**', (r) => r.fulfill({ contentType: 'text/html', body: '<!doctype html><title>elsewhere</title>' }));
    const evil = await context.newPage();
    await evil.goto('http://attacker.example/');
    const read = await evil.evaluate(async (o) => {
      try {
        const r = await fetch(`${o}/v1/status`, { credentials: 'include' });
        return `read ${r.status}`;
      } catch (e) {
        return 'blocked';
      }
    }, origin);
    check(read === 'blocked', `a page of another site cannot read the node's API (${read})`);
    await evil.close();

    check(consoleErrors.length === 0, `no script errors on the pages (${consoleErrors.join(' | ')})`);
    check(outside.length === 0, `the UI made no request outside the node (${outside.join(', ')})`);

    // The login link worked once; the session cookie is what the API checks.
    const again = await request('GET', new URL(spec.loginUrl).pathname + new URL(spec.loginUrl).search, { Host: `127.0.0.1:${spec.apiPort}` });
    check(again.status === 403, `the login link does not work twice (403, got ${again.status})`);
    await refusedWithCookie(`${session.name}=${session.value}`);
  } catch (e) {
    const page = context.pages()[0];
    if (page) {
      console.error(`at ${page.url()}`);
      await page.screenshot({ path: join(spec.screenshots, 'failure.png') }).catch(() => {});
    }
    throw e;
  } finally {
    await context.close();
  }
}

main().then(() => {
  console.log('PASS');
  process.exit(0);
}, async (e) => {
  console.error(`FAIL: ${e && e.stack ? e.stack : e}`);
  process.exit(1);
});
