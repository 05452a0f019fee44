// memsnap dashboard. Plain JavaScript, no build step, no library, nothing fetched from elsewhere.
//
// Data comes from two places: the host's WebSocket, which streams {"memory_snapshot": {...}} events, and the
// dashboard's read-only JSON API (/api/memories, /api/snapshots, /api/snapshots/{id}, /api/history, /api/compare,
// /api/config). The token, when the host has one, is read from this page's address (?token=) and kept in memory
// only; it goes to the API as "Authorization: Bearer" and to the WebSocket as the subprotocol
// "memsnap.token.<token>". One memory is shown at a time (?memory= in the page's address, "default" without it):
// every per-memory call and the event stream carry ?memory= for it.
//
// Everything from the host is put on the page as text (textContent, SVG attributes), never parsed as HTML.
'use strict';

(() => {
  const MAX_EVENTS = 200;      // timeline entries kept
  const MAX_ROWS = 500;        // turns or memories rendered at once; the search narrows the rest
  const MAX_SEEN = 2000;       // event keys remembered to drop replays after a reconnect
  const RETRY_MIN_MS = 500;
  const RETRY_MAX_MS = 5000;
  const POLL_MS = 5000;        // listing refresh when there is no event stream
  const BINS = 10;             // importance histogram bins over [0, 1]
  const LIVE = 'live';

  const MAX_TREE_DEPTH = 40;   // indentation drawn at most; deeper branches line up at this depth
  const DEFAULT_MEMORY = 'default';

  const pageQuery = new URLSearchParams(window.location.search);
  const token = pageQuery.get('token') || '';

  const state = {
    memory: pageQuery.get('memory') || DEFAULT_MEMORY,
    memoryIds: [],
    history: null,
    config: null,
    stopped: false,
    ws: null,
    attempt: 0,
    retryTimer: null,
    refreshTimer: null,
    pollTimer: null,
    eventCount: 0,
    connections: 0,
    seen: new Map(),
    automatic: new Set(),
    snapshots: [],
    selected: null,
    detail: null,
    detailRequest: 0,
    compareRequest: 0,
    searchTimer: null,
  };

  const $ = (id) => document.getElementById(id);

  // ------------------------------------------------------------------------------------------------- DOM helpers

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  const SVG_NS = 'http://www.w3.org/2000/svg';

  function svg(tag, attrs, text) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
    if (text !== undefined) node.textContent = String(text);
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function badge(text, className) {
    return el('span', 'badge ' + className, text);
  }

  // Appends text with every occurrence of the query wrapped in <mark>, as text nodes.
  function appendHighlighted(parent, text, query) {
    const value = String(text);
    if (!query) {
      parent.appendChild(document.createTextNode(value));
      return;
    }
    const lower = value.toLowerCase();
    let at = 0;
    for (;;) {
      const hit = lower.indexOf(query, at);
      if (hit < 0) break;
      if (hit > at) parent.appendChild(document.createTextNode(value.slice(at, hit)));
      parent.appendChild(el('mark', null, value.slice(hit, hit + query.length)));
      at = hit + query.length;
    }
    if (at < value.length) parent.appendChild(document.createTextNode(value.slice(at)));
  }

  // ------------------------------------------------------------------------------------------------- formatting

  // Snapshot timestamps are UTC wall-clock time without a zone: 2025-04-26T12:34:56.789012.
  function parseTime(text) {
    if (!text) return null;
    const date = new Date(String(text).slice(0, 23) + 'Z');
    return Number.isNaN(date.getTime()) ? null : date;
  }

  function clock(text) {
    const date = parseTime(text);
    return date ? date.toLocaleTimeString([], { hour12: false, timeZoneName: 'short' }) : '';
  }

  function dateTime(text) {
    const date = parseTime(text);
    // the browser's locale and zone, with the zone named: one style everywhere on the page
    return date ? date.toLocaleString([], { hour12: false, timeZoneName: 'short' }) : String(text || '');
  }

  function plural(n, word, many) {
    return n + ' ' + (n === 1 ? word : many || word + 's');
  }

  function duration(seconds) {
    const s = Number(seconds) || 0;
    if (s < 60) return s.toFixed(1) + ' s';
    if (s < 3600) return Math.floor(s / 60) + ' min ' + Math.round(s % 60) + ' s';
    return Math.floor(s / 3600) + ' h ' + Math.round((s % 3600) / 60) + ' min';
  }

  function signed(n, digits) {
    const value = digits === undefined ? String(n) : Number(n).toFixed(digits);
    return Number(n) > 0 ? '+' + value : value;
  }

  function shortId(id) {
    return String(id || '').replace(/^snapshot_/, '');
  }

  function valueText(value) {
    if (value === null || value === undefined) return 'null';
    if (typeof value === 'string') return value;
    return JSON.stringify(value);
  }

  // ------------------------------------------------------------------------------------------------- API

  // A per-memory API path, for the memory shown.
  function inMemory(path) {
    return path + (path.includes('?') ? '&' : '?') + 'memory=' + encodeURIComponent(state.memory);
  }

  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  async function api(path) {
    const headers = token ? { Authorization: 'Bearer ' + token } : {};
    let response;
    try {
      response = await fetch(path, { headers, cache: 'no-store', credentials: 'omit' });
    } catch (e) {
      throw new ApiError(0, 'the dashboard is not reachable');
    }
    if (response.status === 401) {
      fatal('401: missing or wrong token',
        'This dashboard is behind a token. Open it with the token in the address: ' + window.location.origin
          + '/?token=<token>.');
      throw new ApiError(401, 'missing or wrong token');
    }
    let body = null;
    try {
      body = await response.json();
    } catch (e) {
      body = null;
    }
    if (!response.ok) {
      throw new ApiError(response.status, (body && body.error) || response.statusText || 'request failed');
    }
    return body;
  }

  // Shows nothing but the error, for good: a wrong token sees no data.
  function fatal(title, message) {
    state.stopped = true;
    clearTimeout(state.retryTimer);
    clearTimeout(state.refreshTimer);
    clearInterval(state.pollTimer);
    if (state.ws) {
      const ws = state.ws;
      state.ws = null;
      ws.close();
    }
    const app = $('app');
    app.hidden = true;
    clear(app);
    const box = $('fatal');
    clear(box);
    box.appendChild(el('h1', null, title));
    box.appendChild(el('p', null, message));
    box.hidden = false;
    setConnection('off', 'not connected');
  }

  // ------------------------------------------------------------------------------------------------- live events

  function setConnection(kind, text, detail) {
    const conn = $('conn');
    conn.dataset.state = kind;
    conn.title = detail || '';
    $('conn-text').textContent = text;
  }

  // Says on the page why live events do not come, and what to set: a browser is told nothing of a refused handshake.
  function showConnectionProblem(text) {
    const box = $('conn-problem');
    if (!box) return;
    box.textContent = text || '';
    box.hidden = !text;
  }

  function connect() {
    if (state.stopped) return;
    const stream = state.config.stream;
    if (stream.enabled && stream.running && stream.page_origin_allowed === false) {
      showConnectionProblem('The event stream refuses pages from ' + stream.page_origin + ', the address this page '
        + 'was opened at. Open the dashboard at one of its own addresses (127.0.0.1, localhost or [::1] on its port),'
        + ' or add ' + stream.page_origin + ' to websocket.allowed_origins on the host.');
    } else if (state.attempt >= 3) {
      showConnectionProblem('The event stream at ' + stream.url + ' does not accept this page'
        + (stream.token_required ? ' (it wants websocket.token: open the page with ?token=<token>)' : '')
        + '; the host\'s log says what it refused.');
    } else {
      showConnectionProblem('');
    }
    if (!stream.enabled) {
      setConnection('off', 'no live events', 'websocket.enabled is false on the host; the list refreshes every '
        + POLL_MS / 1000 + ' s');
      if (!state.pollTimer) state.pollTimer = setInterval(() => refreshSnapshots(), POLL_MS);
      return;
    }
    if (!stream.url) {
      reconnectLater();
      return;
    }
    const protocols = [stream.subprotocol];
    if (token) protocols.push(stream.token_subprotocol_prefix + token);
    setConnection(state.attempt === 0 ? 'connecting' : 'reconnecting', 'connecting…', stream.url);
    let ws;
    try {
      // Only the shown memory's events, live and replayed.
      ws = new WebSocket(stream.url + '?memory=' + encodeURIComponent(state.memory), protocols);
    } catch (e) {
      reconnectLater();
      return;
    }
    state.ws = ws;
    ws.onopen = () => {
      if (state.ws !== ws) return;
      state.attempt = 0;
      showConnectionProblem('');
      state.connections += 1;
      $('conn').dataset.connections = String(state.connections);
      setConnection('live', 'live', stream.url);
      // Whatever happened while disconnected (a restart, say) shows in the listing.
      scheduleRefresh(0);
    };
    ws.onmessage = (message) => {
      if (state.ws === ws) onEvent(message.data);
    };
    ws.onclose = () => {
      if (state.ws !== ws) return;
      state.ws = null;
      reconnectLater();
    };
  }

  // Backs off from 0.5 s to 5 s, with jitter; asks the host where the stream is before each try, since a restarted
  // host may listen on another port.
  function reconnectLater() {
    if (state.stopped) return;
    const base = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** state.attempt);
    const delay = Math.round(base * (0.8 + Math.random() * 0.4));
    state.attempt += 1;
    setConnection('reconnecting', 'reconnecting in ' + Math.max(1, Math.round(delay / 1000)) + ' s…',
      'attempt ' + state.attempt);
    clearTimeout(state.retryTimer);
    state.retryTimer = setTimeout(async () => {
      try {
        state.config = await api('/api/config');
      } catch (e) {
        if (!state.stopped) reconnectLater();
        return;
      }
      connect();
    }, delay);
  }

  function onEvent(text) {
    let message;
    try {
      message = JSON.parse(text);
    } catch (e) {
      return;
    }
    const event = message && message.memory_snapshot;
    if (!event || typeof event.action !== 'string') return;
    // A reconnect replays the server's recent history: drop what is already on the timeline.
    const key = event.action + '|' + (event.snapshot_id || '') + '|' + (event.occurred_at || '');
    if (state.seen.has(key)) return;
    state.seen.set(key, true);
    if (state.seen.size > MAX_SEEN) state.seen.delete(state.seen.keys().next().value);
    if ((event.memory_id || DEFAULT_MEMORY) !== state.memory) return; // the stream is of this memory only
    if (event.automatic && event.snapshot_id) state.automatic.add(event.snapshot_id);
    // Every listing publishes a list event, this page's own refreshes included: on the timeline they would only
    // echo the page (and refreshing on them would never end).
    if (event.action === 'list') return;
    addToTimeline(event);
    scheduleRefresh(150);
  }

  function addToTimeline(event) {
    const item = el('li', 'event fresh');
    item.addEventListener('animationend', () => item.classList.remove('fresh'), { once: true });
    item.dataset.action = event.action;
    item.dataset.automatic = String(Boolean(event.automatic));
    if (event.snapshot_id) item.dataset.snapshotId = event.snapshot_id;
    if (event.action === 'apply') item.dataset.success = String(Boolean(event.success));

    item.appendChild(el('span', 'time', clock(event.occurred_at)));
    const badges = el('span', 'badges');
    badges.appendChild(badge(event.action, 'action action-' + event.action));
    if (event.automatic) badges.appendChild(badge('auto', 'auto'));
    if (event.action === 'apply' && !event.success) badges.appendChild(badge('failed', 'failed'));
    item.appendChild(badges);

    const target = el('span', 'target');
    if (event.snapshot_id) {
      const link = el('button', 'link', shortId(event.snapshot_id));
      link.type = 'button';
      link.title = event.snapshot_id;
      link.addEventListener('click', () => select(event.snapshot_id));
      target.appendChild(link);
    }
    item.appendChild(target);

    const m = event.metadata;
    if (m) {
      const meta = el('span', 'meta', plural(m.short_term_turns, 'turn') + ' · '
        + plural(m.long_term_memories, 'memory', 'memories') + ' · ' + plural(m.topics, 'topic'));
      if (event.filepath) {
        // Where it was saved or loaded: the file's name here, the whole path on hover.
        const where = el('span', 'where', ' · ' + (event.action === 'load' ? 'from ' : 'to ')
          + String(event.filepath).split(/[\\/]/).pop());
        where.title = event.filepath;
        meta.appendChild(where);
      }
      item.appendChild(meta);
    }

    const timeline = $('timeline');
    timeline.insertBefore(item, timeline.firstChild);
    while (timeline.children.length > MAX_EVENTS) timeline.removeChild(timeline.lastChild);
    state.eventCount += 1;
    $('event-count').textContent = String(state.eventCount);
    $('timeline-empty').hidden = true;
  }

  // ------------------------------------------------------------------------------------------------- listing

  function scheduleRefresh(delay) {
    clearTimeout(state.refreshTimer);
    state.refreshTimer = setTimeout(() => refreshSnapshots(), delay);
  }

  async function refreshSnapshots() {
    if (state.stopped) return;
    const memory = state.memory;
    refreshMemories();
    let listing;
    let history;
    try {
      listing = await api(inMemory('/api/snapshots'));
      history = await api(inMemory('/api/history'));
    } catch (e) {
      if (memory === state.memory && e.status !== 401 && e.status !== 0) {
        // The memory shown does not exist (any more), or its id is not one: say so instead of a stale listing.
        state.snapshots = [];
        renderSnapshotList();
        $('snapshots-empty').textContent = 'Cannot list memory ' + memory + ': ' + e.message;
      }
      return; // otherwise the host is away; the reconnect refreshes again
    }
    if (memory !== state.memory) return; // another memory was picked meanwhile
    $('snapshots-empty').textContent = 'No snapshots yet.';
    state.snapshots = listing.snapshots || [];
    state.history = history;
    renderSnapshotList();
    renderTree();
    fillCompareSelects();
    if (!state.selected && state.snapshots.length > 0) select(state.snapshots[0].snapshot_id, false);
  }

  // ------------------------------------------------------------------------------------------------- memories

  async function refreshMemories() {
    let answer;
    try {
      answer = await api('/api/memories');
    } catch (e) {
      return;
    }
    state.memoryIds = answer.memories || [];
    const picker = $('memory');
    clear(picker);
    const ids = state.memoryIds.map((m) => m.memory_id);
    const entries = state.memoryIds.slice();
    // The memory shown stays pickable even when the host no longer lists it.
    if (!ids.includes(state.memory)) entries.push({ memory_id: state.memory, stored_snapshots: 0 });
    for (const m of entries) {
      const option = el('option', null, m.memory_id + ' (' + plural(m.stored_snapshots, 'stored snapshot') + ')');
      option.value = m.memory_id;
      picker.appendChild(option);
    }
    picker.value = state.memory;
    $('memory-total').textContent = plural(state.memoryIds.length, 'memory', 'memories');
  }

  // Shows another memory: its listing, its tree and its events, from scratch.
  function switchMemory(memory) {
    if (memory === state.memory) return;
    state.memory = memory;
    const address = new URL(window.location.href);
    if (memory === DEFAULT_MEMORY) address.searchParams.delete('memory');
    else address.searchParams.set('memory', memory);
    window.history.replaceState(null, '', address.toString());
    state.selected = null;
    state.detail = null;
    state.history = null;
    state.snapshots = [];
    state.seen.clear();
    state.automatic.clear();
    state.eventCount = 0;
    state.detailRequest += 1;
    state.compareRequest = 0;
    $('event-count').textContent = '0';
    clear($('timeline'));
    $('timeline-empty').hidden = false;
    $('details').hidden = true;
    $('details-empty').hidden = false;
    $('details-empty').textContent = 'Pick a snapshot on the left, or wait for one to be taken.';
    $('compare-result').hidden = true;
    $('compare-empty').hidden = false;
    renderSnapshotList();
    renderTree();
    if (state.ws) {
      const ws = state.ws;
      state.ws = null; // its close event then reconnects nothing
      ws.close();
      clearTimeout(state.retryTimer);
      state.attempt = 0;
      connect();
    }
    refreshSnapshots();
  }

  // ------------------------------------------------------------------------------------------------- history tree

  // Draws the memory's snapshots as a tree, oldest at the top: a line goes on at the same depth through each
  // snapshot's oldest child; a later child (taken after applying that snapshot again) starts a branch one level in.
  function renderTree() {
    const tree = $('tree');
    clear(tree);
    const history = state.history;
    const nodes = new Map(((history && history.nodes) || []).map((n) => [n.snapshot_id, n]));
    $('tree-empty').hidden = nodes.size > 0;
    if (!history) return;
    // Iterative, so that a long line of snapshots never overflows the stack.
    const stack = (history.roots || []).slice().reverse().map((id) => [id, 0, false]);
    while (stack.length > 0) {
      const [id, depth, branch] = stack.pop();
      const node = nodes.get(id);
      if (!node) continue;
      tree.appendChild(treeRow(node, depth, branch));
      const children = node.children || [];
      // Pushed so that branches come out before the line goes on, each branch right under its fork.
      if (children.length > 0) stack.push([children[0], depth, false]);
      for (let i = children.length - 1; i >= 1; i -= 1) stack.push([children[i], depth + 1, true]);
    }
  }

  function treeRow(node, depth, branch) {
    const item = el('li', 'tree-node');
    item.dataset.snapshotId = node.snapshot_id;
    item.dataset.depth = String(depth);
    item.dataset.branch = String(branch);
    item.dataset.parent = node.parent_snapshot_id || '';
    item.setAttribute('aria-selected', String(node.snapshot_id === state.selected));
    item.tabIndex = 0;
    for (let i = 0; i < Math.min(depth, MAX_TREE_DEPTH); i += 1) item.appendChild(el('span', 'tree-indent'));
    const dot = el('span', 'tree-dot', branch ? '\u2514' : '\u25cf');
    dot.setAttribute('aria-hidden', 'true');
    item.appendChild(dot);
    const body = el('span', 'tree-body');
    body.appendChild(el('span', 'sid', shortId(node.snapshot_id)));
    if (isAutomatic(node)) body.appendChild(badge('auto', 'auto'));
    if (!node.saved) body.appendChild(badge('unsaved', 'unsaved'));
    if (node.pinned) body.appendChild(badge('pinned', 'pinned'));
    for (const label of node.labels || []) body.appendChild(badge(label, 'label'));
    if (node.parent_snapshot_id && !node.parent_listed) {
      const gone = badge('parent gone', 'unsaved');
      gone.title = 'parent ' + node.parent_snapshot_id + ' is no longer stored';
      body.appendChild(gone);
    }
    body.appendChild(el('span', 'meta', dateTime(node.timestamp) + ' · ' + plural(node.short_term_turns, 'turn')
      + ' · ' + plural(node.long_term_memories, 'memory', 'memories') + ' · ' + plural(node.topics, 'topic')));
    item.appendChild(body);
    item.title = node.snapshot_id;
    item.addEventListener('click', () => select(node.snapshot_id));
    item.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') select(node.snapshot_id);
    });
    return item;
  }

  function isAutomatic(s) {
    return Boolean(s.automatic) || state.automatic.has(s.snapshot_id);
  }

  function renderSnapshotList() {
    const list = $('snapshots');
    clear(list);
    for (const s of state.snapshots) {
      const item = el('li', 'snapshot');
      item.dataset.snapshotId = s.snapshot_id;
      item.dataset.saved = String(Boolean(s.saved));
      item.dataset.automatic = String(isAutomatic(s));
      item.setAttribute('aria-selected', String(s.snapshot_id === state.selected));
      item.tabIndex = 0;
      const row1 = el('div', 'row1');
      row1.appendChild(el('span', 'sid', shortId(s.snapshot_id)));
      if (isAutomatic(s)) row1.appendChild(badge('auto', 'auto'));
      if (!s.saved) row1.appendChild(badge('unsaved', 'unsaved'));
      if (s.pinned) row1.appendChild(badge('pinned', 'pinned'));
      for (const label of s.labels || []) row1.appendChild(badge(label, 'label'));
      item.appendChild(row1);
      item.appendChild(el('div', 'row2', dateTime(s.timestamp) + ' · ' + plural(s.short_term_turns, 'turn') + ' · '
        + plural(s.long_term_memories, 'memory', 'memories') + ' · '
        + plural(s.topics, 'topic')));
      item.addEventListener('click', () => select(s.snapshot_id));
      item.addEventListener('keydown', (e) => {
        if (e.key === 'Enter') select(s.snapshot_id);
      });
      list.appendChild(item);
    }
    $('snapshot-count').textContent = String(state.snapshots.length);
    $('snapshots-empty').hidden = state.snapshots.length > 0;
  }

  // ------------------------------------------------------------------------------------------------- details

  function showView(id) {
    for (const tab of document.querySelectorAll('.tab')) {
      const on = tab.dataset.view === id;
      tab.setAttribute('aria-selected', String(on));
      $(tab.dataset.view).hidden = !on;
    }
  }

  async function select(snapshotId, switchView = true) {
    state.selected = snapshotId;
    for (const item of document.querySelectorAll('#snapshots .snapshot, #tree .tree-node')) {
      item.setAttribute('aria-selected', String(item.dataset.snapshotId === snapshotId));
    }
    if (switchView) showView('view-details');
    const request = ++state.detailRequest;
    // A snapshot never changes: the one shown already is shown (and any other request pending is superseded).
    if (state.detail && state.detail.snapshot_id === snapshotId && !$('details').hidden) return;
    let snapshot;
    try {
      snapshot = await api(inMemory('/api/snapshots/' + encodeURIComponent(snapshotId)));
    } catch (e) {
      if (request === state.detailRequest && e.status !== 401) {
        $('details').hidden = true;
        $('details-empty').hidden = false;
        $('details-empty').textContent = 'Cannot show ' + snapshotId + ': ' + e.message;
      }
      return;
    }
    if (request !== state.detailRequest) return;
    state.detail = snapshot;
    renderDetails();
  }

  function memoriesOf(snapshot) {
    return Object.entries((snapshot.long_term && snapshot.long_term.memories) || {});
  }

  function renderDetails() {
    const s = state.detail;
    $('details-empty').hidden = true;
    $('details').hidden = false;
    const details = $('details');
    details.dataset.snapshotId = s.snapshot_id;
    $('detail-id').textContent = s.snapshot_id;
    $('detail-time').textContent = dateTime(s.timestamp);
    $('detail-time').title = s.timestamp + ' UTC';

    const listed = state.snapshots.find((x) => x.snapshot_id === s.snapshot_id);
    const flags = $('detail-flags');
    clear(flags);
    if (listed && isAutomatic(listed)) flags.appendChild(badge('auto', 'auto'));
    if (listed && !listed.saved) flags.appendChild(badge('unsaved', 'unsaved'));
    if (listed && listed.pinned) flags.appendChild(badge('pinned', 'pinned'));

    const turns = (s.short_term && s.short_term.turns) || [];
    const memories = memoriesOf(s);
    const topics = (s.long_term && s.long_term.topics) || [];
    const stats = s.memory_stats || {};
    const lt = stats.long_term || {};
    const st = stats.short_term || {};
    const sourceTypes = lt.source_types || countSourceTypes(memories);

    setStat('turns', turns.length, turns.length);
    setStat('memories', memories.length, memories.length);
    setStat('topics', topics.length, topics.length);
    setStat('source-types', Object.keys(sourceTypes).length, Object.keys(sourceTypes).length);
    setStat('average-importance', Number(lt.average_importance || 0).toFixed(2), lt.average_importance || 0);
    setStat('session-duration', duration(st.session_duration), st.session_duration || 0);

    renderSourceTypes(sourceTypes);
    renderImportance(memories.map(([, m]) => Number(m.importance)));
    renderTopics(topics, memories);
    renderLists();

    const older = previousSnapshot(s.snapshot_id);
    $('detail-compare-previous').disabled = !older;
  }

  function setStat(name, shown, raw) {
    const card = document.querySelector('.stat[data-stat="' + name + '"]');
    card.dataset.value = String(raw);
    card.querySelector('.value').textContent = String(shown);
  }

  function countSourceTypes(memories) {
    const counts = {};
    for (const [, m] of memories) {
      const type = (m.metadata && m.metadata.source_type) || 'unknown';
      counts[type] = (counts[type] || 0) + 1;
    }
    return counts;
  }

  // Horizontal bars, one per source type, largest first.
  function renderSourceTypes(sourceTypes) {
    const box = $('chart-source-types');
    clear(box);
    const entries = Object.entries(sourceTypes).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    if (entries.length === 0) {
      box.appendChild(el('p', 'empty', 'No memories.'));
      return;
    }
    const shown = entries.slice(0, 8);
    const rowHeight = 20;
    const width = 300;
    const labelWidth = 92;
    const max = Math.max(...shown.map(([, n]) => n), 1);
    const chart = svg('svg', { viewBox: '0 0 ' + width + ' ' + (shown.length * rowHeight + 4), role: 'img',
      'aria-label': 'memories per source type' });
    shown.forEach(([type, count], i) => {
      const y = i * rowHeight + 2;
      const g = svg('g', { 'data-source-type': type, 'data-count': count });
      g.appendChild(svg('title', {}, type + ': ' + count));
      g.appendChild(svg('text', { x: labelWidth - 6, y: y + 13, 'text-anchor': 'end' },
        type.length > 14 ? type.slice(0, 13) + '…' : type));
      const barWidth = Math.max(2, ((width - labelWidth - 34) * count) / max);
      g.appendChild(svg('rect', { class: 'bar', x: labelWidth, y: y + 3, width: barWidth, height: rowHeight - 7,
        rx: 3 }));
      g.appendChild(svg('text', { x: labelWidth + barWidth + 5, y: y + 13, class: 'small' }, count));
      chart.appendChild(g);
    });
    box.appendChild(chart);
    if (entries.length > shown.length) box.appendChild(el('p', 'muted', '+ ' + (entries.length - shown.length) + ' more'));
  }

  // Ten bins over [0, 1]; an importance outside that range counts in the nearest end bin.
  function renderImportance(values) {
    const box = $('chart-importance');
    clear(box);
    if (values.length === 0) {
      box.appendChild(el('p', 'empty', 'No memories.'));
      return;
    }
    const bins = new Array(BINS).fill(0);
    for (const v of values) {
      const i = Number.isFinite(v) ? Math.min(BINS - 1, Math.max(0, Math.floor(v * BINS))) : 0;
      bins[i] += 1;
    }
    const width = 300;
    const height = 110;
    const bottom = height - 16;
    const top = 14;
    const slot = (width - 8) / BINS;
    const max = Math.max(...bins, 1);
    const chart = svg('svg', { viewBox: '0 0 ' + width + ' ' + height, role: 'img',
      'aria-label': 'memories per importance range' });
    chart.appendChild(svg('line', { class: 'axis', x1: 4, x2: width - 4, y1: bottom + 0.5, y2: bottom + 0.5 }));
    bins.forEach((count, i) => {
      const x = 4 + i * slot;
      const h = ((bottom - top) * count) / max;
      const low = (i / BINS).toFixed(1);
      const high = ((i + 1) / BINS).toFixed(1);
      const g = svg('g', { class: 'bin', 'data-bin': i, 'data-count': count });
      g.appendChild(svg('title', {}, low + '–' + high + ': ' + plural(count, 'memory', 'memories')));
      g.appendChild(svg('rect', { class: 'bin-bar', x: x + 2, y: bottom - h, width: slot - 4, height: h, rx: 2 }));
      if (count > 0) {
        g.appendChild(svg('text', { x: x + slot / 2, y: bottom - h - 3, 'text-anchor': 'middle', class: 'small' },
          count));
      }
      chart.appendChild(g);
    });
    for (const at of [0, 0.5, 1]) {
      chart.appendChild(svg('text', { x: 4 + at * (width - 8), y: height - 3, class: 'small',
        'text-anchor': at === 0 ? 'start' : at === 1 ? 'end' : 'middle' }, at));
    }
    box.appendChild(chart);
  }

  function renderTopics(topics, memories) {
    const box = $('topics');
    clear(box);
    if (topics.length === 0) {
      box.appendChild(el('p', 'empty', 'No topics.'));
      return;
    }
    const counts = {};
    for (const [, m] of memories) {
      for (const t of (m.metadata && m.metadata.topics) || []) counts[t] = (counts[t] || 0) + 1;
    }
    for (const topic of topics.slice(0, 40)) {
      const chip = el('span', 'chip', topic);
      chip.dataset.topic = topic;
      chip.appendChild(el('span', 'n', counts[topic] || 0));
      box.appendChild(chip);
    }
    if (topics.length > 40) box.appendChild(el('span', 'muted', '+ ' + (topics.length - 40) + ' more'));
  }

  function turnMatches(turn, query) {
    return !query || String(turn.role).toLowerCase().includes(query)
      || String(turn.content).toLowerCase().includes(query);
  }

  function memoryMatches(id, memory, query) {
    if (!query) return true;
    const meta = memory.metadata || {};
    return String(memory.content).toLowerCase().includes(query) || id.toLowerCase().includes(query)
      || String(meta.source_type || '').toLowerCase().includes(query)
      || (meta.topics || []).some((t) => String(t).toLowerCase().includes(query));
  }

  function renderLists() {
    const s = state.detail;
    if (!s) return;
    const query = $('search').value.trim().toLowerCase();
    const turns = (s.short_term && s.short_term.turns) || [];
    const memories = memoriesOf(s);

    const turnList = $('turns');
    clear(turnList);
    let turnHits = 0;
    turns.forEach((turn, index) => {
      if (!turnMatches(turn, query)) return;
      turnHits += 1;
      if (turnHits > MAX_ROWS) return;
      const item = el('li', 'turn');
      item.dataset.index = String(index);
      item.appendChild(el('span', 'index', '#' + index));
      item.appendChild(el('span', 'role ' + String(turn.role).toLowerCase(), turn.role));
      const content = el('div', 'content');
      appendHighlighted(content, turn.content, query);
      item.appendChild(content);
      turnList.appendChild(item);
    });
    if (turnHits > MAX_ROWS) turnList.appendChild(el('li', 'more', (turnHits - MAX_ROWS) + ' more: narrow the search'));

    const memoryList = $('memories');
    clear(memoryList);
    let memoryHits = 0;
    for (const [id, memory] of memories) {
      if (!memoryMatches(id, memory, query)) continue;
      memoryHits += 1;
      if (memoryHits > MAX_ROWS) continue;
      const meta = memory.metadata || {};
      const item = el('li', 'memory');
      item.dataset.memoryId = id;
      item.dataset.sourceType = meta.source_type || '';
      const content = el('div', 'content');
      appendHighlighted(content, memory.content, query);
      item.appendChild(content);
      const line = el('div', 'meta');
      const source = el('span', 'source');
      appendHighlighted(source, meta.source_type || 'unknown', query);
      line.appendChild(source);
      const importance = el('span', 'importance');
      const bar = svg('svg', { viewBox: '0 0 44 6' });
      bar.appendChild(svg('rect', { class: 'track', x: 0, y: 0, width: 44, height: 6, rx: 3 }));
      const v = Math.min(1, Math.max(0, Number(memory.importance) || 0));
      bar.appendChild(svg('rect', { class: 'fill', x: 0, y: 0, width: 44 * v, height: 6, rx: 3 }));
      importance.appendChild(bar);
      importance.appendChild(document.createTextNode(Number(memory.importance).toFixed(2)));
      line.appendChild(importance);
      for (const topic of meta.topics || []) {
        const chip = el('span', 'chip');
        appendHighlighted(chip, topic, query);
        line.appendChild(chip);
      }
      line.appendChild(el('span', 'mid', id));
      item.appendChild(line);
      memoryList.appendChild(item);
    }
    if (memoryHits > MAX_ROWS) {
      memoryList.appendChild(el('li', 'more', (memoryHits - MAX_ROWS) + ' more: narrow the search'));
    }

    $('turn-count').textContent = query ? turnHits + ' / ' + turns.length : String(turns.length);
    $('memory-count').textContent = query ? memoryHits + ' / ' + memories.length : String(memories.length);
    $('search-count').textContent = query ? turnHits + ' turns, ' + memoryHits + ' memories match' : '';
  }

  // ------------------------------------------------------------------------------------------------- compare

  function optionLabel(s) {
    return dateTime(s.timestamp) + ' · ' + shortId(s.snapshot_id) + ' (' + s.short_term_turns + 't/'
      + s.long_term_memories + 'm)';
  }

  function fillSelect(select, withLive, fallback) {
    const previous = select.value;
    clear(select);
    for (const s of state.snapshots) {
      const option = el('option', null, optionLabel(s));
      option.value = s.snapshot_id;
      select.appendChild(option);
    }
    if (withLive) {
      const option = el('option', null, 'live memory (now)');
      option.value = LIVE;
      select.appendChild(option);
    }
    const values = Array.from(select.options).map((o) => o.value);
    if (values.includes(previous)) select.value = previous;
    else if (fallback && values.includes(fallback)) select.value = fallback;
  }

  function fillCompareSelects() {
    // Newest first: by default, compare the previous snapshot with the latest.
    const newest = state.snapshots[0] && state.snapshots[0].snapshot_id;
    const second = state.snapshots[1] && state.snapshots[1].snapshot_id;
    fillSelect($('compare-before'), false, second || newest);
    fillSelect($('compare-after'), true, newest);
    $('compare-run').disabled = state.snapshots.length === 0;
  }

  function previousSnapshot(snapshotId) {
    const i = state.snapshots.findIndex((s) => s.snapshot_id === snapshotId);
    return i >= 0 && i + 1 < state.snapshots.length ? state.snapshots[i + 1].snapshot_id : null;
  }

  async function compare(before, after) {
    showView('view-compare');
    $('compare-before').value = before;
    $('compare-after').value = after;
    const request = ++state.compareRequest;
    $('compare-error').hidden = true;
    let diff;
    try {
      diff = await api(inMemory('/api/compare?before=' + encodeURIComponent(before) + '&after='
        + encodeURIComponent(after)));
    } catch (e) {
      if (request === state.compareRequest && e.status !== 401) {
        $('compare-result').hidden = true;
        $('compare-error').textContent = 'Cannot compare: ' + e.message;
        $('compare-error').hidden = false;
      }
      return;
    }
    if (request !== state.compareRequest) return;
    renderDiff(diff);
  }

  function pill(className, text) {
    return el('span', 'pill ' + className, text);
  }

  function diffItem(kind, sign, testKind) {
    const item = el('li', kind);
    item.dataset.diff = testKind;
    item.appendChild(el('span', 'sign', sign));
    return item;
  }

  function renderDiff(diff) {
    $('compare-empty').hidden = true;
    const result = $('compare-result');
    result.hidden = false;
    result.dataset.before = diff.before;
    result.dataset.after = diff.after;
    result.dataset.identical = String(Boolean(diff.identical));

    const turns = diff.turns || { added: [], removed: [] };
    const memories = diff.memories || { added: {}, removed: {}, changed: [] };
    const added = Object.entries(memories.added || {});
    const removed = Object.entries(memories.removed || {});
    const changed = memories.changed || [];

    const summary = $('compare-summary');
    clear(summary);
    if (diff.identical) {
      summary.appendChild(pill('same', 'identical memory'));
    } else {
      // a count of zero is no change: shown plain, never in the colour of an addition or a removal
      const counted = (kind, sign, n, what) => summary.appendChild(pill(n ? kind : 'same', (n ? sign : '') + n
        + ' ' + what));
      counted('added', '+', turns.added.length, 'turns');
      counted('removed', '−', turns.removed.length, 'turns');
      counted('added', '+', added.length, 'memories');
      counted('removed', '−', removed.length, 'memories');
      counted('changed', '~', changed.length, 'changed');
    }

    const turnList = $('diff-turns');
    clear(turnList);
    const turnChanges = turns.removed.map((t) => ['removed', t]).concat(turns.added.map((t) => ['added', t]));
    for (const [kind, t] of turnChanges) {
      const item = diffItem(kind, kind === 'added' ? '+' : '−', 'turn-' + kind);
      item.dataset.index = String(t.index);
      item.appendChild(el('span', 'head', '#' + t.index + ' ' + t.role + ' '));
      item.appendChild(el('div', 'content', t.content));
      turnList.appendChild(item);
    }
    if (turnChanges.length === 0) turnList.appendChild(el('li', 'more', 'No turns added or removed.'));

    const memoryList = $('diff-memories');
    clear(memoryList);
    const memoryItem = (kind, sign, id, m) => {
      const item = diffItem(kind, sign, 'memory-' + kind);
      item.dataset.memoryId = id;
      const meta = m.metadata || {};
      item.appendChild(el('span', 'head', id + ' · ' + (meta.source_type || 'unknown') + ' · importance '
        + Number(m.importance).toFixed(2)));
      item.appendChild(el('div', 'content', m.content));
      return item;
    };
    for (const [id, m] of removed) memoryList.appendChild(memoryItem('removed', '−', id, m));
    for (const [id, m] of added) memoryList.appendChild(memoryItem('added', '+', id, m));
    for (const change of changed) {
      const item = diffItem('changed', '~', 'memory-changed');
      item.dataset.memoryId = change.memory_id;
      item.appendChild(el('span', 'head', change.memory_id + ' · ' + plural(change.fields.length, 'field')
        + ' changed'));
      const table = el('table');
      const body = el('tbody');
      for (const f of change.fields) {
        const row = el('tr');
        row.dataset.field = f.field;
        row.appendChild(el('td', 'field', f.field));
        row.appendChild(el('td', 'before', valueText(f.before)));
        row.appendChild(el('td', 'after', valueText(f.after)));
        body.appendChild(row);
      }
      table.appendChild(body);
      item.appendChild(table);
      memoryList.appendChild(item);
    }
    if (removed.length + added.length + changed.length === 0) {
      memoryList.appendChild(el('li', 'more', 'No memories added, removed or changed.'));
    }

    const topicBox = $('diff-topics');
    clear(topicBox);
    const topics = diff.topics || { gained: [], lost: [] };
    for (const t of topics.gained || []) {
      const chip = el('span', 'chip gained', '+' + t);
      chip.dataset.diff = 'topic-gained';
      chip.dataset.topic = t;
      topicBox.appendChild(chip);
    }
    for (const t of topics.lost || []) {
      const chip = el('span', 'chip lost', t);
      chip.dataset.diff = 'topic-lost';
      chip.dataset.topic = t;
      topicBox.appendChild(chip);
    }
    if (topicBox.children.length === 0) topicBox.appendChild(el('span', 'muted', 'No topics gained or lost.'));

    const statsBody = $('diff-stats').querySelector('tbody');
    clear(statsBody);
    const stats = diff.stats || {};
    const rows = [
      ['turns', stats.turns, undefined],
      ['memories', stats.memories, undefined],
      ['topics', stats.topics, undefined],
      ['average importance', stats.average_importance, 3],
      ['session duration (s)', stats.session_duration, 1],
    ];
    for (const [type, delta] of Object.entries(stats.source_types || {})) rows.push(['source type ' + type, delta]);
    for (const [label, delta, digits] of rows) {
      const row = el('tr');
      row.dataset.stat = label;
      row.appendChild(el('td', null, label));
      const n = Number(delta) || 0;
      row.appendChild(el('td', 'delta' + (n > 0 ? ' up' : n < 0 ? ' down' : ''), signed(n, digits)));
      statsBody.appendChild(row);
    }
  }

  // ------------------------------------------------------------------------------------------------- start

  function bindControls() {
    for (const tab of document.querySelectorAll('.tab')) {
      tab.addEventListener('click', () => {
        showView(tab.dataset.view);
        // The first time, show the default comparison (the previous snapshot with the latest) at once.
        const before = $('compare-before').value;
        const after = $('compare-after').value;
        if (tab.dataset.view === 'view-compare' && state.compareRequest === 0 && before && after && before !== after) {
          compare(before, after);
        }
      });
    }
    $('memory').addEventListener('change', () => switchMemory($('memory').value));
    $('search').addEventListener('input', () => {
      clearTimeout(state.searchTimer);
      state.searchTimer = setTimeout(renderLists, 80);
    });
    $('compare-run').addEventListener('click', () => {
      const before = $('compare-before').value;
      const after = $('compare-after').value;
      if (before && after) compare(before, after);
    });
    $('detail-compare-previous').addEventListener('click', () => {
      const current = state.detail && state.detail.snapshot_id;
      const older = current && previousSnapshot(current);
      if (older) compare(older, current);
    });
  }

  async function start() {
    bindControls();
    try {
      state.config = await api('/api/config');
    } catch (e) {
      if (e.status !== 401) fatal('The dashboard is not reachable', e.message);
      return;
    }
    $('app').hidden = false;
    await refreshSnapshots();
    connect();
  }

  start();
})();
