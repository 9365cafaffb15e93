// The correction page: plain ES module, no build step. Talks to POST /v1/corrections and /v1/feedback.
const form = document.getElementById('ask');
const textarea = document.getElementById('text');
const lang = document.getElementById('lang');
const send = document.getElementById('send');
const log = document.getElementById('log');
const errorBox = document.getElementById('error');

lang.value = localStorage.getItem('correctly.lang') || 'ko';
lang.addEventListener('change', () => localStorage.setItem('correctly.lang', lang.value));

textarea.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    form.requestSubmit();
  }
});

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  const text = textarea.value;
  if (!text.trim()) return showError('Type a sentence first.');
  showError(null);
  send.disabled = true;
  try {
    const res = await fetch('/v1/corrections', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text, reasonLanguage: lang.value }),
    });
    const body = await res.json();
    if (!res.ok) return showError(body.error ? body.error.message : `HTTP ${res.status}`);
    addTurn(text, body);
    textarea.value = '';
  } catch (err) {
    showError(`The server could not be reached: ${err.message}`);
  } finally {
    send.disabled = false;
    textarea.focus();
  }
});

function showError(message) {
  errorBox.hidden = !message;
  errorBox.textContent = message || '';
}

function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  for (const c of children) node.append(c);
  return node;
}

/** The input with each edit shown as a deletion and an insertion. */
function diff(input, edits) {
  const out = el('p', { className: 'diff' });
  let pos = 0;
  for (const e of [...edits].sort((a, b) => a.start - b.start)) {
    out.append(input.slice(pos, e.start));
    if (e.before) out.append(el('del', { title: `removed (${e.type})` }, e.before));
    if (e.after) out.append(el('ins', { title: `added (${e.type})` }, e.after));
    pos = e.end;
  }
  out.append(input.slice(pos));
  return out;
}

function addTurn(text, r) {
  log.append(el('li', { className: 'turn user' }, el('p', {}, text)));
  const changed = r.edits.length > 0;
  const status = el('span', { className: 'status', role: 'status' });
  const up = el('button', { type: 'button', className: 'fb up', textContent: 'Good', ariaLabel: 'Good correction' });
  const down = el('button', { type: 'button', className: 'fb down', textContent: 'Not good', ariaLabel: 'Bad correction' });
  const better = el('textarea', { rows: 2, className: 'better', placeholder: 'Optional: your better correction' });
  better.setAttribute('aria-label', 'Your better correction (optional)');
  for (const [button, rating] of [[up, 'up'], [down, 'down']]) {
    button.setAttribute('aria-pressed', 'false');
    button.addEventListener('click', () => feedback(r.requestId, r.feedbackToken, rating, better.value, [up, down], button, status));
  }
  const meta = [r.engine, r.modelVersion ? `v${r.modelVersion}` : null, r.fallback ? 'fallback' : null, `${Math.round(r.latencyMs)} ms`].filter(Boolean).join(' · ');
  const notes = [];
  if (r.redactions.length) notes.push('Personal data was hidden before correcting.');
  if (r.profanityMasked) notes.push('Profanity was masked.');
  log.append(
    el(
      'li',
      { className: 'turn bot correction' },
      changed ? diff(r.input, r.edits) : el('p', { className: 'diff' }, r.input),
      el('p', { className: 'corrected' }, el('strong', {}, changed ? 'Corrected: ' : 'Looks natural: '), r.corrected),
      r.reason ? el('p', { className: 'reason' }, el('strong', {}, 'Why: '), r.reason) : '',
      notes.length ? el('p', { className: 'note' }, notes.join(' ')) : '',
      el('div', { className: 'feedback' }, up, down, better, status),
      el('p', { className: 'meta' }, meta),
    ),
  );
  log.lastElementChild.dataset.requestId = r.requestId;
  log.lastElementChild.scrollIntoView({ block: 'end' });
}

// The feedback token came with the correction and stays in this page: only it lets us rate it.
async function feedback(requestId, feedbackToken, rating, betterText, buttons, pressed, status) {
  status.textContent = 'Sending…';
  const body = { requestId, feedbackToken, rating };
  if (betterText.trim()) body.betterCorrection = betterText;
  const res = await fetch('/v1/feedback', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = await res.json();
  if (!res.ok) {
    status.textContent = json.error ? json.error.message : `HTTP ${res.status}`;
    return;
  }
  for (const b of buttons) b.setAttribute('aria-pressed', String(b === pressed));
  status.textContent = 'Thanks, feedback saved.';
}
