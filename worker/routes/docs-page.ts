/**
 * Renders an OpenAPI 3.1 document as one self-contained HTML page: every operation with its
 * request fields, an example, its responses, and a form to try it against this server. Pure
 * function of the document; everything interpolated is escaped.
 */

type Schema = {
  $ref?: string;
  type?: string | string[];
  description?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  example?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  [key: string]: unknown;
};

interface Operation {
  summary?: string;
  description?: string;
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: Schema }> }>;
}

export interface OpenApiDocument {
  info: { title: string; version: string; description?: string };
  paths?: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

/** Sends the try-it forms; its sha256 goes into the page's Content-Security-Policy. */
export const DOCS_SCRIPT = `
// Same as curlCommand() in docs-page.ts, with the origin the page was served from and the body as edited.
const quote = (text) => "'" + text.replace(/'/g, "'\\\\''") + "'";
const curlCommand = (method, url, body) => {
  let json = body;
  try { json = JSON.stringify(JSON.parse(body)); } catch {}
  return 'curl -s' + (method === 'GET' ? '' : ' -X ' + method) + ' ' + quote(url) + (body === undefined ? '' : " -H 'content-type: application/json' -d " + quote(json));
};
for (const form of document.querySelectorAll('form.try')) {
  const curl = form.querySelector('code.curl');
  const showCurl = () => (curl.textContent = curlCommand(form.dataset.method, location.origin + form.dataset.path, form.querySelector('textarea')?.value));
  showCurl();
  form.querySelector('textarea')?.addEventListener('input', showCurl);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const out = form.querySelector('output');
    const body = form.querySelector('textarea')?.value;
    out.textContent = '…';
    try {
      const started = performance.now();
      const response = await fetch(form.dataset.path, {
        method: form.dataset.method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body,
      });
      const text = await response.text();
      let shown = text;
      try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch {}
      out.textContent = response.status + ' ' + response.statusText + ' (' + Math.round(performance.now() - started) + ' ms)\\n' + shown;
    } catch (error) {
      out.textContent = String(error);
    }
  });
}
`;

const STYLE = `
:root { color-scheme: light dark; --fg: #1b1f24; --muted: #59636e; --line: #d1d9e0; --bg2: #f6f8fa; --get: #0969da; --post: #1a7f37; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #9198a1; --line: #3d444d; --bg2: #151b23; --get: #4493f8; --post: #3fb950; } }
body { font: 15px/1.5 system-ui, sans-serif; color: var(--fg); max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
h1 { margin-bottom: 0; } h2 { margin-top: 2.5rem; border-bottom: 1px solid var(--line); }
.muted { color: var(--muted); }
code, pre, textarea, output { font: 13px/1.45 ui-monospace, monospace; }
pre, output { display: block; background: var(--bg2); padding: .6rem .8rem; border-radius: 6px; overflow-x: auto; white-space: pre-wrap; }
section.op { border: 1px solid var(--line); border-radius: 8px; padding: .3rem 1rem 1rem; margin: 1rem 0; }
.method { font-weight: 700; font-family: ui-monospace, monospace; margin-right: .5rem; }
.method.get { color: var(--get); } .method.post { color: var(--post); }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
textarea { width: 100%; box-sizing: border-box; min-height: 5rem; }
button { margin: .4rem 0; padding: .3rem 1rem; }
`;

/** Shown until the page's script puts in the origin it was served from. */
const EXAMPLE_ORIGIN = 'http://localhost:8787';

/** A shell command that sends the request (DOCS_SCRIPT has the same for the page). `body` is JSON. */
export function curlCommand(method: string, url: string, body: string | undefined): string {
  const quote = (text: string) => "'" + text.replace(/'/g, "'\\''") + "'";
  const json = body === undefined ? '' : ` -H 'content-type: application/json' -d ${quote(JSON.stringify(JSON.parse(body)))}`;
  return `curl -s${method === 'GET' ? '' : ` -X ${method}`} ${quote(url)}${json}`;
}

export function renderDocsPage(doc: OpenApiDocument): string {
  const schemas = doc.components?.schemas ?? {};
  const operations = Object.entries(doc.paths ?? {}).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method, op })),
  );
  const nav = operations
    .map(({ path, method }) => `<li><a href="#${anchor(method, path)}"><span class="method ${method}">${esc(method.toUpperCase())}</span>${esc(path)}</a></li>`)
    .join('');

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(doc.info.title)} API</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${esc(doc.info.title)}</h1>
<p class="muted">API version ${esc(doc.info.version)} · machine-readable: <a href="openapi.json"><code>/openapi.json</code></a> (OpenAPI 3.1)</p>
${prose(doc.info.description ?? '')}
<ul>${nav}</ul>
${operations.map(({ path, method, op }) => renderOperation(path, method, op, schemas)).join('\n')}
<h2>Schemas</h2>
${Object.entries(schemas)
  .map(([name, schema]) => `<h3 id="schema-${esc(name)}">${esc(name)}</h3><pre>${esc(JSON.stringify(schema, null, 2))}</pre>`)
  .join('\n')}
<script>${DOCS_SCRIPT}</script>
</body>
</html>
`;
}

function renderOperation(path: string, method: string, op: Operation, schemas: Record<string, Schema>): string {
  const body = op.requestBody?.content?.['application/json']?.schema;
  const resolved = body && resolve(body, schemas);
  const example = resolved && exampleOf(resolved, schemas);
  const responses = Object.entries(op.responses ?? {})
    .map(([status, response]) => {
      const schema = response.content?.['application/json']?.schema;
      return `<tr><td><code>${esc(status)}</code></td><td>${inline(response.description ?? '')}</td><td>${schema ? schemaLink(schema) : ''}</td></tr>`;
    })
    .join('');
  return `<section class="op" id="${anchor(method, path)}">
<h3><span class="method ${esc(method)}">${esc(method.toUpperCase())}</span><code>${esc(path)}</code></h3>
${op.summary ? `<p><strong>${esc(op.summary)}</strong></p>` : ''}
${prose(op.description ?? '')}
${resolved ? `<h4>Request body (JSON) ${schemaLink(body!)}</h4>${fieldsTable(resolved, schemas)}` : ''}
<h4>Responses</h4>
<table><tr><th>status</th><th>meaning</th><th>body</th></tr>${responses}</table>
<h4>Try it</h4>
<form class="try" data-method="${esc(method.toUpperCase())}" data-path="${esc(path)}">
${example !== undefined ? `<textarea spellcheck="false" aria-label="request body">${esc(JSON.stringify(example, null, 2))}</textarea>` : ''}
<button type="submit">Send ${esc(method.toUpperCase())} ${esc(path)}</button>
<output></output>
<p class="muted">The same with curl:</p>
<pre><code class="curl">${esc(curlCommand(method.toUpperCase(), `${EXAMPLE_ORIGIN}${path}`, example !== undefined ? JSON.stringify(example, null, 2) : undefined))}</code></pre>
</form>
</section>`;
}

function fieldsTable(schema: Schema, schemas: Record<string, Schema>): string {
  const rows = Object.entries(schema.properties ?? {}).map(([name, field]) => {
    const f = resolve(field, schemas);
    const required = schema.required?.includes(name) ? 'required' : 'optional';
    return `<tr><td><code>${esc(name)}</code></td><td>${esc(typeOf(f, schemas))}<br><span class="muted">${required}</span></td><td>${esc(constraints(f, schemas))}${f.description ? `<br>${inline(f.description)}` : ''}</td></tr>`;
  });
  return `<table><tr><th>field</th><th>type</th><th>rules</th></tr>${rows.join('')}</table>`;
}

function typeOf(schema: Schema, schemas: Record<string, Schema>): string {
  if (schema.$ref) return refName(schema.$ref);
  if (schema.type === 'array' && schema.items) return `array of ${typeOf(resolve(schema.items, schemas), schemas)}`;
  if (Array.isArray(schema.type)) return schema.type.join(' | ');
  return schema.type ?? (schema.enum ? 'enum' : 'any');
}

function constraints(schema: Schema, schemas: Record<string, Schema>): string {
  const parts: string[] = [];
  if (schema.minItems !== undefined || schema.maxItems !== undefined) parts.push(`${schema.minItems ?? 0}–${schema.maxItems ?? '∞'} items`);
  const item = schema.items ? resolve(schema.items, schemas) : schema;
  if (item.maxLength !== undefined) parts.push(`at most ${item.maxLength} characters${schema.items ? ' each' : ''}`);
  if (schema.enum) parts.push(`one of ${schema.enum.join(', ')}`);
  return parts.join('; ');
}

function exampleOf(schema: Schema, schemas: Record<string, Schema>): unknown {
  if (schema.example !== undefined) return schema.example;
  if (schema.properties) {
    return Object.fromEntries(Object.entries(schema.properties).map(([name, field]) => [name, exampleOf(resolve(field, schemas), schemas)]));
  }
  if (schema.type === 'array' && schema.items) return [exampleOf(resolve(schema.items, schemas), schemas)];
  return schema.type === 'string' ? '' : null;
}

function resolve(schema: Schema, schemas: Record<string, Schema>): Schema {
  return schema.$ref ? (schemas[refName(schema.$ref)] ?? {}) : schema;
}

function schemaLink(schema: Schema): string {
  const name = schema.$ref ? refName(schema.$ref) : schema.items?.$ref ? refName(schema.items.$ref) : undefined;
  return name ? `<a href="#schema-${esc(name)}"><code>${esc(name)}</code></a>` : '';
}

const refName = (ref: string) => ref.slice(ref.lastIndexOf('/') + 1);
const anchor = (method: string, path: string) => esc(`${method}${path.replace(/[^\w]+/g, '-')}`);

/** Paragraphs from blank-line-separated text; `code` spans; lines starting with "- " become lists. */
function prose(text: string): string {
  return text
    .split(/\n\s*\n/)
    .filter((block) => block.trim())
    .map((block) => {
      const lines = block.trim().split('\n');
      if (lines.every((line) => line.startsWith('- '))) return `<ul>${lines.map((line) => `<li>${inline(line.slice(2))}</li>`).join('')}</ul>`;
      return `<p>${inline(block.trim())}</p>`;
    })
    .join('\n');
}

function inline(text: string): string {
  return esc(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

function esc(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}
