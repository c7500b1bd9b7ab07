/**
 * The inspector page: `#/` lists interactions (filters in the query: `#/?status=failed`), `#/i/{id}` shows
 * one. When the server has API keys and none is set (or it is refused), the page asks for one.
 */
import { ApiError, hasKey, setKey } from './api.js';
import { renderDetail } from './detail-view.js';
import { fill, h } from './dom.js';
import { renderList } from './list-view.js';

const view = document.getElementById('view');
const keyDialog = document.getElementById('key-dialog');
const keyForm = document.getElementById('key-form');
const keyInput = document.getElementById('key-input');
const keyRemember = document.getElementById('key-remember');
const keyMessage = document.getElementById('key-message');
const keyButton = document.getElementById('change-key');

let current = new AbortController();

async function route() {
  current.abort();
  current = new AbortController();
  const { signal } = current;
  const hash = location.hash.replace(/^#/, '') || '/';
  fill(view, h('p', { class: 'loading' }, 'Loading…'));
  try {
    if (hash.startsWith('/i/')) await renderDetail(view, decodeURIComponent(hash.slice(3)), signal);
    else await renderList(view, new URLSearchParams(hash.split('?')[1] ?? ''), signal, fail);
  } catch (error) {
    if (!signal.aborted) fail(error);
  }
}

function fail(error) {
  // A request of a view the reader has left.
  if (error?.name === 'AbortError') return;
  if (error instanceof ApiError && error.status === 401) {
    askForKey(hasKey() ? 'The server refused this key. Enter another one.' : error.message);
    return;
  }
  fill(
    view,
    h(
      'div',
      { class: 'error-box' },
      error instanceof ApiError ? h('code', {}, error.code) : null,
      ' ',
      error?.message ?? String(error),
    ),
    h('p', {}, h('a', { href: '#/' }, '← All interactions')),
  );
}

function askForKey(message) {
  keyMessage.textContent = message;
  keyInput.value = '';
  if (!keyDialog.open) keyDialog.showModal();
  keyInput.focus();
}

keyForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const key = keyInput.value.trim();
  if (!key) return;
  setKey(key, keyRemember.checked);
  keyInput.value = '';
  keyDialog.close();
  showKeyState();
  route();
});

keyButton.addEventListener('click', () => askForKey('Enter the API key whose interactions you want to see.'));

function showKeyState() {
  keyButton.textContent = hasKey() ? 'Change API key' : 'Set API key';
}

window.addEventListener('hashchange', route);
showKeyState();
route();
