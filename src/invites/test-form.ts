/**
 * The Build Crew test form at `/`: a person enters an API key and calls every route. Its script is a
 * separate file so the Content-Security-Policy can stay `script-src 'self'`.
 */
export const TEST_FORM_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Build Crew API – test form</title>
<link rel="icon" href="data:,">
<style>
  body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #1d1d1f; }
  fieldset { border: 1px solid #ccc; border-radius: 6px; margin: 0 0 1rem; padding: .75rem 1rem; }
  legend { font-weight: 600; }
  label { display: inline-block; margin: .25rem 1rem .25rem 0; }
  input, select, textarea { font: inherit; padding: .25rem .4rem; }
  textarea { width: 100%; min-height: 5rem; }
  button { font: inherit; padding: .3rem .8rem; margin: .25rem .5rem .25rem 0; cursor: pointer; }
  pre { background: #f4f4f6; padding: .75rem; border-radius: 6px; overflow: auto; max-height: 28rem; }
  #status.error { color: #b00020; }
</style>
</head>
<body>
<h1>Build Crew API – test form</h1>
<p>Enter an API key, then try the routes. API docs: <a href="/docs">/docs</a>.</p>
<fieldset>
  <legend>API key</legend>
  <label>X-API-Key <input id="api-key" type="password" size="48" autocomplete="off"></label>
  <button id="test-auth" type="button">Test key</button>
</fieldset>
<fieldset>
  <legend>Codes</legend>
  <label>Cohort <select id="role"><option>BC1</option><option>BC2</option><option>BC3</option></select></label>
  <label>Max uses <input id="max-uses" type="number" min="1" max="10000" value="1"></label>
  <label>Length <input id="code-length" type="number" min="8" max="64" value="16"></label>
  <label>Code <input id="code" placeholder="CUSTOM123"></label><br>
  <button id="generate" type="button">Generate code</button>
  <button id="add" type="button">Add code</button>
  <button id="list" type="button">List codes</button>
  <button id="stats" type="button">Stats</button>
</fieldset>
<fieldset>
  <legend>Accept users</legend>
  <label>E-mail <input id="email" type="email"></label>
  <label>Name <input id="name"></label>
  <button id="accept" type="button">Accept user</button><br>
  <label for="users">Users for bulk accept (JSON list of {email, name, cohort})</label>
  <textarea id="users">[{"email": "user1@example.com", "name": "John", "cohort": "BC1"}]</textarea>
  <button id="bulk-accept" type="button">Bulk accept</button><br>
  <label for="emails">E-mail list (one per line: email, Name &lt;email&gt; or email,Name)</label>
  <textarea id="emails"></textarea>
  <label><input id="send-emails" type="checkbox"> send e-mails</label>
  <button id="bulk-email" type="button">Bulk e-mail accept</button>
</fieldset>
<p id="status" role="status"></p>
<h2>Codes created here</h2>
<ul id="codes"></ul>
<h2>Response</h2>
<pre id="output"></pre>
<script src="/test-form.js"></script>
</body>
</html>
`;

export const TEST_FORM_JS = `'use strict';
(function () {
  const $ = (id) => document.getElementById(id);
  const show = (status, body) => {
    $('status').textContent = 'HTTP ' + status;
    $('status').className = status >= 400 ? 'error' : '';
    $('output').textContent = JSON.stringify(body, null, 2);
  };
  const remember = (code) => {
    if (!code) return;
    const item = document.createElement('li');
    item.textContent = code;
    item.className = 'created-code';
    $('codes').appendChild(item);
  };
  async function call(method, path, body) {
    const headers = { 'X-API-Key': $('api-key').value };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    try {
      const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const data = await res.json().catch(() => ({}));
      show(res.status, data);
      return res.ok ? data : undefined;
    } catch (error) {
      show(0, { error: String(error) });
      return undefined;
    }
  }
  const num = (id) => Number($(id).value);
  $('test-auth').addEventListener('click', () => call('GET', '/test_auth'));
  $('generate').addEventListener('click', async () => {
    const data = await call('POST', '/generate_code', { role: $('role').value, max_uses: num('max-uses'), code_length: num('code-length') });
    if (data) remember(data.code);
  });
  $('add').addEventListener('click', async () => {
    const data = await call('POST', '/add_invite_code', { code: $('code').value, role: $('role').value, max_uses: num('max-uses') });
    if (data) remember(data.code);
  });
  $('list').addEventListener('click', () => call('GET', '/list_codes'));
  $('stats').addEventListener('click', () => call('GET', '/stats'));
  $('accept').addEventListener('click', async () => {
    const body = { cohort: $('role').value };
    if ($('email').value) body.email = $('email').value;
    if ($('name').value) body.name = $('name').value;
    const data = await call('POST', '/accept_user', body);
    if (data) remember(data.invite_code);
  });
  $('bulk-accept').addEventListener('click', async () => {
    let users;
    try {
      users = JSON.parse($('users').value);
    } catch (error) {
      show(0, { error: 'The users box is not valid JSON: ' + error.message });
      return;
    }
    const data = await call('POST', '/bulk_accept', { users });
    if (data) data.results.forEach((r) => remember(r.invite_code));
  });
  $('bulk-email').addEventListener('click', async () => {
    const data = await call('POST', '/bulk_email_accept', { emails: $('emails').value, send_emails: $('send-emails').checked });
    if (data) data.results.forEach((r) => remember(r.invite_code));
  });
})();
`;
