// @ts-check
/**
 * The page's session: who the user is, where tokens come from, and the tab's one connection. Kept in
 * sessionStorage (per tab, gone when the tab closes), so a reload keeps the user, the token and the open
 * conversation.
 *
 * Tokens: the front's `/pages/config.json` names a token URL (`CONSOLE_TOKEN_URL`, called with the browser's
 * cookies, answering `{ token }`); without one (Development) they come from `POST /api/dev/token` for a user named
 * in the address (`?user=u1&role=agent`) or typed into a sign-in form.
 */
import { WeDrawOSClient } from '../lib/realtime/index.js';
import { el } from './dom.js';

/** @typedef {import('../lib/realtime/index.js').TokenRequest} TokenRequest */
/** @typedef {{ tokenUrl: string | null, privateRoomPrefixes: string[] }} PagesConfig */
/** @typedef {{ userId?: string, role?: string, token?: string, openRoom?: string }} StoredSession */

const STORAGE_KEY = 'wedrawos.pages.session';

/** A kept token with less life left than this is not used again after a reload: a fresh one is asked for. */
const TOKEN_MARGIN_MS = 30_000;

/** The roles of the Development sign-in form, with their labels. */
const ROLES = [
  ['customer', '客户 / Customer'],
  ['agent', '客服 / Agent'],
  ['admin', '管理员 / Admin'],
];

export class Session {
  /**
   * @param {PagesConfig} config
   * @param {StoredSession} stored
   */
  constructor(config, stored) {
    this.config = config;
    this.stored = stored;
    /** @type {WeDrawOSClient | undefined} */
    this.connection = undefined;
  }

  /** The user when known before connecting (Development); with a token URL the server names it in `welcome` (`client.userId`). */
  get userId() {
    return this.stored.userId;
  }

  /** True when tokens come from `/api/dev/token` (no token URL configured). */
  get development() {
    return this.config.tokenUrl === null;
  }

  /** The conversation open when the page was left. */
  get openRoom() {
    return this.stored.openRoom;
  }

  set openRoom(room) {
    this.stored.openRoom = room;
    this.save();
  }

  /** The tab's one client, made on the first call: whatever is clicked, a tab never opens a second socket. */
  client() {
    this.connection ??= new WeDrawOSClient({ url: socketUrl(), getToken: (request) => this.token(request) });
    return this.connection;
  }

  /**
   * A token for the client: the kept one while it is valid (after a reload), otherwise a new one.
   * @param {TokenRequest} request
   * @returns {Promise<string>}
   */
  async token(request) {
    const kept = this.stored.token;
    if (request.reason === 'connect' && kept !== undefined && lifeLeft(kept) > TOKEN_MARGIN_MS) {
      return kept;
    }
    const token = this.config.tokenUrl === null ? await devToken(this.stored) : await configuredToken(this.config.tokenUrl);
    this.stored.token = token;
    this.save();
    return token;
  }

  /** Forgets the session and starts the page again, for signing in as someone else (Development). */
  switchUser() {
    sessionStorage.removeItem(STORAGE_KEY);
    location.assign(location.pathname);
  }

  save() {
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(this.stored));
  }
}

/**
 * Starts the page's session: from the tab's kept session, the address (Development) or the sign-in form, which is
 * shown in `container` until a token was obtained.
 * @param {{ defaultRole: string, container: HTMLElement }} options
 * @returns {Promise<Session>}
 */
export async function startSession({ defaultRole, container }) {
  const config = await loadConfig();
  const session = new Session(config, readStored());
  if (!session.development) {
    return session;
  }

  const address = new URLSearchParams(location.search);
  const addressUser = address.get('user');
  if (addressUser !== null) {
    const role = address.get('role') ?? defaultRole;
    if (session.stored.userId !== addressUser || session.stored.role !== role) {
      session.stored = { userId: addressUser, role };
    }
  }

  let problem = '';
  for (;;) {
    if (!session.stored.userId) {
      session.stored = await signIn(container, defaultRole, problem);
    }
    try {
      await session.token({ reason: 'connect' });
      return session;
    } catch (error) {
      problem = error instanceof Error ? error.message : String(error);
      session.stored = {};
    }
  }
}

/** @returns {Promise<PagesConfig>} */
async function loadConfig() {
  const response = await fetch('/pages/config.json', { cache: 'no-store' });
  if (!response.ok) {
    throw new Error(`/pages/config.json: ${response.status}`);
  }
  return response.json();
}

/** @returns {StoredSession} */
function readStored() {
  try {
    const stored = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? '{}');
    return stored !== null && typeof stored === 'object' ? stored : {};
  } catch {
    return {};
  }
}

/**
 * The Development sign-in form: a user id and a role. Resolves when it is sent, and takes the form away.
 * @param {HTMLElement} container
 * @param {string} defaultRole
 * @param {string} problem why the last attempt failed, shown above the form
 * @returns {Promise<StoredSession>}
 */
function signIn(container, defaultRole, problem) {
  const user = el('input', { name: 'user', required: true, maxlength: '128', autocomplete: 'username', spellcheck: 'false' });
  const role = el('select', { name: 'role' },
    ...ROLES.map(([value, label]) => el('option', { value, selected: value === defaultRole }, label)));
  const form = el('form', { class: 'sign-in', 'aria-labelledby': 'sign-in-title' },
    el('h2', { id: 'sign-in-title' }, '登录（开发环境）/ Sign in (Development)'),
    el('p', { class: 'hint' }, '令牌来自 /api/dev/token，仅限开发环境。/ Tokens come from /api/dev/token, in Development only.'),
    problem ? el('p', { role: 'alert', class: 'problem' }, problem) : null,
    el('label', {}, '用户 ID / User id', user),
    el('label', {}, '角色 / Role', role),
    el('button', { type: 'submit' }, '进入 / Enter'));
  container.replaceChildren(form);
  container.hidden = false;
  user.focus();
  return new Promise((resolve) => {
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const userId = user.value.trim();
      if (userId) {
        container.replaceChildren();
        container.hidden = true;
        resolve({ userId, role: role.value });
      }
    });
  });
}

/**
 * @param {StoredSession} stored
 * @returns {Promise<string>}
 */
async function devToken({ userId, role }) {
  const response = await fetch('/api/dev/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ userId, role }),
  });
  if (response.status === 404) {
    throw new Error('此服务器不提供开发令牌，请配置 CONSOLE_TOKEN_URL / This server gives no development tokens: configure CONSOLE_TOKEN_URL');
  }
  return tokenFrom(response);
}

/**
 * @param {string} url
 * @returns {Promise<string>}
 */
async function configuredToken(url) {
  const response = await fetch(url, { credentials: 'include', cache: 'no-store', headers: { Accept: 'application/json' } });
  if (response.status === 401 || response.status === 403) {
    throw new Error('请先登录 WeDrawOS / Sign in to WeDrawOS first');
  }
  return tokenFrom(response);
}

/**
 * The `token` of a token answer, or an error that says what the server said.
 * @param {Response} response
 * @returns {Promise<string>}
 */
async function tokenFrom(response) {
  const body = await response.json().catch(() => ({}));
  if (!response.ok || typeof body?.token !== 'string') {
    const detail = typeof body?.detail === 'string' ? `: ${body.detail}` : '';
    throw new Error(`取令牌失败（${response.status}）/ no token (${response.status})${detail}`);
  }
  return body.token;
}

/**
 * Milliseconds until the token's `exp` (0 when it cannot be read).
 * @param {string} token
 */
function lifeLeft(token) {
  try {
    const payload = token.split('.')[1] ?? '';
    const claims = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/')));
    return typeof claims.exp === 'number' ? claims.exp * 1000 - Date.now() : 0;
  } catch {
    return 0;
  }
}

/** The front's socket endpoint, on this page's origin. */
function socketUrl() {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
}
