import { createHmac } from 'node:crypto';

const base64url = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** An HS256 JWT as the front accepts it: `sub`, `role`, `exp` (seconds from now; negative: expired, issued before that). */
export function mintToken(secret, userId, { role = 'customer', expiresIn = 3600 } = {}) {
  const now = Math.floor(Date.now() / 1000);
  const issued = Math.min(now, now + expiresIn - 1);
  const header = base64url({ alg: 'HS256', typ: 'JWT' });
  const payload = base64url({ sub: userId, role, iat: issued, nbf: issued - 1, exp: now + expiresIn });
  const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}
