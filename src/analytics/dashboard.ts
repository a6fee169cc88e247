/**
 * The analytics dashboard at `/analytics`: staff sign in (password, or Discord through the
 * `analytics` OAuth state), the token stays in sessionStorage, and the page draws the rollups with
 * Chart.js, served from this origin. Scripts are separate files so the Content-Security-Policy can
 * stay `script-src 'self'`.
 */
export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Guildhall analytics</title>
<link rel="icon" href="data:,">
<style>
  body { font-family: system-ui, sans-serif; margin: 0; color: #1d1d1f; background: #f6f6f8; }
  header { display: flex; align-items: center; gap: 1rem; padding: .75rem 1.5rem; background: #fff; border-bottom: 1px solid #ddd; }
  header h1 { font-size: 1.2rem; margin: 0 auto 0 0; }
  main { max-width: 72rem; margin: 1rem auto; padding: 0 1rem; }
  .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(10rem, 1fr)); gap: .75rem; }
  .card, .panel { background: #fff; border-radius: 8px; padding: .75rem 1rem; box-shadow: 0 1px 2px #0001; }
  .card b { display: block; font-size: 1.6rem; }
  .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(22rem, 1fr)); gap: .75rem; margin-top: .75rem; }
  .panel h2 { font-size: 1rem; margin: 0 0 .5rem; }
  #heatmap { display: grid; grid-template-columns: repeat(12, 1fr); gap: 3px; }
  #heatmap div { padding: .4rem 0; text-align: center; font-size: .75rem; border-radius: 3px; background: rgba(173, 20, 87, var(--a)); }
  table { width: 100%; border-collapse: collapse; font-size: .85rem; }
  td, th { text-align: left; padding: .25rem .4rem; border-bottom: 1px solid #eee; }
  button { font: inherit; padding: .3rem .8rem; cursor: pointer; border: 1px solid #ccc; background: #fff; border-radius: 4px; }
  button[aria-pressed="true"] { background: #ad1457; color: #fff; border-color: #ad1457; }
  #login { max-width: 22rem; margin: 4rem auto; }
  #login input { display: block; width: 100%; margin: .25rem 0 .75rem; font: inherit; padding: .35rem; box-sizing: border-box; }
  .error { color: #b00020; }
  [hidden] { display: none !important; }
</style>
</head>
<body>
<section id="login" class="panel" hidden>
  <h2>Guildhall analytics</h2>
  <form id="login-form">
    <label>Username <input id="username" autocomplete="username" required></label>
    <label>Password <input id="password" type="password" autocomplete="current-password" required></label>
    <button id="sign-in" type="submit">Sign in</button>
    <button id="discord" type="button">Sign in with Discord</button>
  </form>
  <p id="login-error" class="error"></p>
</section>
<div id="app" hidden>
  <header>
    <h1>Guildhall analytics</h1>
    <span>Range:</span>
    <button data-range="7">7 days</button>
    <button data-range="30">30 days</button>
    <button data-range="90">90 days</button>
    <button data-range="all">All time</button>
    <button id="sign-out" type="button">Sign out</button>
  </header>
  <main>
    <p id="error" class="error"></p>
    <div class="cards">
      <div class="card">Users <b id="total-users">–</b></div>
      <div class="card">Active (7 days) <b id="active-users">–</b></div>
      <div class="card">Sessions <b id="total-sessions">–</b></div>
      <div class="card">Avg. session <b id="avg-session">–</b></div>
      <div class="card">Actions <b id="total-actions">–</b></div>
    </div>
    <div id="charts" class="grid">
      <div class="panel"><h2>Daily active users</h2><canvas id="chart-users"></canvas></div>
      <div class="panel"><h2>Sessions per day</h2><canvas id="chart-sessions"></canvas></div>
      <div class="panel"><h2>Platforms</h2><canvas id="chart-platforms"></canvas></div>
      <div class="panel"><h2>Top features</h2><canvas id="chart-features"></canvas></div>
      <div class="panel"><h2>Peak hours (UTC)</h2><div id="heatmap"></div></div>
      <div class="panel"><h2>Live sessions <small id="live-count"></small></h2>
        <table><thead><tr><th>User</th><th>Platform</th><th>Last endpoint</th><th>Seen</th></tr></thead><tbody id="live"></tbody></table>
      </div>
    </div>
  </main>
</div>
<script src="/analytics/chart.js"></script>
<script src="/analytics/app.js"></script>
</body>
</html>
`;

export const DASHBOARD_JS = `'use strict';
(function () {
  const KEY = 'guildhall.analytics.token';
  const charts = {};
  let range = '30';
  let liveTimer;
  const $ = (id) => document.getElementById(id);

  const fromUrl = new URLSearchParams(location.search).get('token');
  if (fromUrl) {
    sessionStorage.setItem(KEY, fromUrl);
    history.replaceState(null, '', location.pathname);
  }

  async function api(path, options) {
    const token = sessionStorage.getItem(KEY);
    const res = await fetch(path, {
      ...options,
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: 'Bearer ' + token } : {}) },
    });
    const body = await res.json().catch(() => ({}));
    if (res.status === 401) { signOut(); throw new Error('Please sign in again'); }
    if (!res.ok) throw new Error(body.error || 'HTTP ' + res.status);
    return body;
  }

  function show(signedIn) {
    $('login').hidden = signedIn;
    $('app').hidden = !signedIn;
  }

  function signOut() {
    sessionStorage.removeItem(KEY);
    clearInterval(liveTimer);
    show(false);
  }

  function draw(id, config) {
    if (charts[id]) charts[id].destroy();
    charts[id] = new Chart($(id), { ...config, options: { animation: false, responsive: true, ...(config.options || {}) } });
  }

  async function load() {
    $('error').textContent = '';
    document.querySelectorAll('[data-range]').forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.range === range)));
    try {
      const stats = await api('/api/stats' + (range === 'all' ? '' : '?days=' + range));
      $('total-users').textContent = stats.total_users;
      $('active-users').textContent = stats.active_users_7d;
      $('total-sessions').textContent = stats.total_sessions;
      $('avg-session').textContent = Math.round(stats.avg_session_duration / 60) + ' min';
      $('total-actions').textContent = stats.total_actions;
      const days = stats.daily.map((d) => d.day);
      draw('chart-users', { type: 'line', data: { labels: days, datasets: [{ label: 'Users', data: stats.daily.map((d) => d.unique_users), borderColor: '#ad1457' }] } });
      draw('chart-sessions', { type: 'bar', data: { labels: days, datasets: [{ label: 'Sessions', data: stats.daily.map((d) => d.sessions), backgroundColor: '#5c6bc0' }] } });
      const platforms = Object.entries(stats.platforms);
      draw('chart-platforms', { type: 'doughnut', data: { labels: platforms.map((p) => p[0]), datasets: [{ data: platforms.map((p) => p[1]) }] } });
      const features = stats.top_features.concat(stats.top_endpoints).sort((a, b) => b.count - a.count).slice(0, 10);
      draw('chart-features', { type: 'bar', options: { indexAxis: 'y' }, data: { labels: features.map((f) => f.name), datasets: [{ label: 'Uses', data: features.map((f) => f.count), backgroundColor: '#26a69a' }] } });
      const peak = Math.max(1, ...stats.peak_hours.map((h) => h.count));
      $('heatmap').replaceChildren(...stats.peak_hours.map((h) => {
        const cell = document.createElement('div');
        cell.style.setProperty('--a', String(0.08 + 0.92 * (h.count / peak)));
        cell.title = h.count + ' actions';
        cell.textContent = String(h.hour).padStart(2, '0');
        return cell;
      }));
      $('charts').dataset.ready = range;
    } catch (error) {
      $('error').textContent = error.message;
    }
  }

  async function live() {
    try {
      const data = await api('/api/admin/active-sessions');
      $('live-count').textContent = '(' + data.total_active + ')';
      $('live').replaceChildren(...data.sessions.map((s) => {
        const row = document.createElement('tr');
        for (const text of [s.username, s.platform, s.last_endpoint, s.seconds_ago + ' s ago']) {
          const cell = document.createElement('td');
          cell.textContent = text;
          row.append(cell);
        }
        return row;
      }));
    } catch (error) {
      $('error').textContent = error.message;
    }
  }

  function start() {
    show(true);
    void load();
    void live();
    clearInterval(liveTimer);
    liveTimer = setInterval(live, 30000);
  }

  $('login-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    $('login-error').textContent = '';
    try {
      const res = await fetch('/api/auth/login', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: $('username').value, password: $('password').value }),
      });
      const body = await res.json();
      if (!res.ok) throw new Error(body.error || 'Sign-in failed');
      sessionStorage.setItem(KEY, body.token);
      start();
    } catch (error) {
      $('login-error').textContent = error.message;
    }
  });
  $('discord').addEventListener('click', async () => {
    try {
      const res = await fetch('/api/discord/auth?state=analytics');
      const body = await res.json();
      if (!res.ok) throw new Error(body.error || 'Discord sign-in is not configured');
      location.href = body.auth_url;
    } catch (error) {
      $('login-error').textContent = error.message;
    }
  });
  $('sign-out').addEventListener('click', signOut);
  document.querySelectorAll('[data-range]').forEach((button) =>
    button.addEventListener('click', () => { range = button.dataset.range; void load(); }));

  if (sessionStorage.getItem(KEY)) start(); else show(false);
})();
`;
