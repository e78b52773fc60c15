import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { DxError, type ProblemName, problems } from '@sangam/core';
import { createServiceApp, escapeHtml, type ServiceMount } from '@sangam/http';
import { problemAdvice } from './problem-advice.js';

/** Redoc renders /openapi.json from the copy installed with the gateway: no CDN, nothing fetched elsewhere. */
const redocBundle = createRequire(import.meta.url).resolve('redoc/bundles/redoc.standalone.js');

// Redoc runs its scripts from here, styles itself inline and searches in a worker; nothing else is allowed.
const docsPolicy =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const pagePolicy = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'";

const style =
  'body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1d2433}code{background:#f2f4f7;padding:0 .25rem}a{color:#0b5cad}table{border-collapse:collapse}td,th{padding:.2rem .6rem;border-bottom:1px solid #dde1e6;text-align:left}';

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${style}</style></head><body>${body}</body></html>`;
}

function problemPage(name: ProblemName): string {
  const spec = problems[name];
  const advice = problemAdvice(name, spec.status);
  return page(
    `${name}: ${spec.title}`,
    `<p><a href="/docs/problems">Problem types</a> · <a href="/docs">API reference</a></p>
<h1><code>${name}</code></h1>
<p><strong>${escapeHtml(spec.title)}</strong> (HTTP ${spec.status})</p>
<p>Its <code>type</code> is <code>urn:dx:&lt;service&gt;:${name}</code>, where the service is the one that answered:
<code>as</code> (identity, MoUs, consents, audit), <code>cat</code> (catalogue), <code>rs</code> (resource proxy),
<code>adp</code> (adapters) or <code>gw</code> (the gateway itself).</p>
<h2>What it means</h2><p>${escapeHtml(advice.means)}</p>
<h2>What to do</h2><p>${escapeHtml(advice.todo)}</p>
<p>The problem's <code>detail</code> says what was wrong with this request, its <code>errors</code> (for a request
that does not fit its schema) name every failing field, and its <code>instance</code> is the request id to quote.</p>`,
  );
}

function problemIndex(): string {
  const rows = (Object.keys(problems) as ProblemName[])
    .map(
      (name) =>
        `<tr><td><a href="/docs/problems/${name}"><code>${name}</code></a></td><td>${problems[name].status}</td><td>${escapeHtml(problems[name].title)}</td></tr>`,
    )
    .join('');
  return page(
    'Problem types',
    `<p><a href="/docs">API reference</a></p><h1>Problem types</h1>
<p>Every error is <code>application/problem+json</code> (RFC 9457) with one of these types.</p>
<table><thead><tr><th>type</th><th>status</th><th>title</th></tr></thead><tbody>${rows}</tbody></table>`,
  );
}

const reference = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Sangam API reference</title></head><body><redoc spec-url="/openapi.json" hide-hostname="true"></redoc><script src="/docs/redoc.standalone.js"></script></body></html>`;

/** `/docs`: the API reference of the whole gateway, and a page per problem type. */
export function createDocsService(): ServiceMount {
  const app = createServiceApp();
  let bundle: Buffer | undefined;
  app.get('/docs', (c) => c.html(reference, 200, { 'content-security-policy': docsPolicy }));
  app.get('/docs/redoc.standalone.js', (c) => {
    bundle ??= readFileSync(redocBundle);
    return c.body(new Uint8Array(bundle), 200, {
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'public, max-age=86400',
    });
  });
  app.get('/docs/problems', (c) => c.html(problemIndex(), 200, { 'content-security-policy': pagePolicy }));
  app.get('/docs/problems/:name', (c) => {
    const name = c.req.param('name');
    if (!Object.hasOwn(problems, name)) {
      throw new DxError('notFound', `No problem type "${name.slice(0, 64)}"; see /docs/problems`);
    }
    return c.html(problemPage(name as ProblemName), 200, { 'content-security-policy': pagePolicy });
  });
  return { code: 'gw', prefixes: ['/docs'], app };
}
