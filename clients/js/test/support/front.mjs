import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './ports.mjs';
import { mintToken } from './tokens.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repository = resolve(here, '../../../..');

/** The front built by `dotnet build -c Release` (scripts/test.sh builds it before the JS tests run). */
export const frontAssembly = process.env.WEDRAWOS_FRONT_DLL ?? resolve(repository, 'WebFront/bin/Release/net10.0/WeDrawOS.WebFront.dll');

/**
 * Starts the built WeDrawOS front as its own process in Development on free loopback ports (embedded silo, no
 * Redis), with a known JWT secret and API key, and waits until it answers /health/live. `settings` override the
 * environment (`HTTP_PORT`: start again where a stopped front listened).
 */
export async function startFront(settings = {}) {
  if (!existsSync(frontAssembly)) {
    throw new Error(`${frontAssembly} is missing: build the solution first (dotnet build WeDrawOS.Orleans.sln -c Release)`);
  }
  const port = settings.HTTP_PORT === undefined ? await freePort() : Number(settings.HTTP_PORT);
  const secret = 'js-client-tests-secret-0123456789abcdef';
  const apiKey = 'js-client-tests-api-key';
  const env = {
    ...process.env,
    ASPNETCORE_ENVIRONMENT: 'Development',
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: String(port),
    JWT_SECRET: secret,
    API_KEY: apiKey,
    CLUSTER_ID: `js-${Math.random().toString(36).slice(2, 10)}`,
    SILO_PORT: String(await freePort()),
    GATEWAY_PORT: String(await freePort()),
    // A Redis port nobody listens on: the cache stays on its memory fallback.
    REDIS_HOST: '127.0.0.1',
    REDIS_PORT: String(await freePort()),
    REDIS_CONNECT_TIMEOUT_MS: '500',
    DASHBOARD_ENABLED: 'false',
    Logging__LogLevel__Default: 'Warning',
    ...settings,
  };
  const child = spawn('dotnet', [frontAssembly], { cwd: dirname(frontAssembly), env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk) => {
    output = (output + chunk).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((done) => child.once('exit', (code, signal) => done({ code, signal })));

  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`the front exited with ${child.exitCode} before it was ready:\n${output}`);
    }
    try {
      if ((await fetch(`${base}/health/live`)).ok) {
        break;
      }
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the front did not answer /health/live within 90 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    port,
    base,
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    secret,
    token: (userId, options) => mintToken(secret, userId, options),
    /** Posts to a room through the HTTP API as a service; resolves with `{ seq, duplicate }`. */
    async postToRoom(room, data, { from = 'system', id } = {}) {
      return api(`/api/rooms/${encodeURIComponent(room)}/messages`, { from, data, ...(id ? { id } : {}) });
    },
    /** Sends a direct message through the HTTP API; resolves with `{ seq, online, duplicate }`. */
    async sendToUser(userId, data, { from = 'system', id } = {}) {
      return api(`/api/users/${encodeURIComponent(userId)}/messages`, { from, data, ...(id ? { id } : {}) });
    },
    /** Takes a user off a room's member list through the HTTP API (its sockets in the room get `left`). */
    async removeMember(room, userId) {
      const response = await fetch(`${base}/api/rooms/${encodeURIComponent(room)}/members/${encodeURIComponent(userId)}`, {
        method: 'DELETE',
        headers: { 'X-Api-Key': apiKey },
      });
      if (response.status !== 204) {
        throw new Error(`DELETE members answered ${response.status}: ${await response.text()}`);
      }
    },
    async history(room, limit = 200) {
      const response = await fetch(`${base}/api/rooms/${encodeURIComponent(room)}/history?limit=${limit}`, { headers: { 'X-Api-Key': apiKey } });
      return (await response.json()).messages;
    },
    get output() {
      return output;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };

  async function api(path, body) {
    const response = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Api-Key': apiKey },
      body: JSON.stringify(body),
    });
    if (response.status !== 202) {
      throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
    }
    return response.json();
  }
}
