import { createHash, randomBytes } from 'node:crypto';
import type { Models } from './models';

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'; // no 0/O or 1/I: codes are read aloud and typed

export function hashLinkCode(code: string): string {
  return createHash('sha256').update(code.trim().toUpperCase()).digest('hex');
}

/**
 * Issues a one-time code that binds a workspace or channel to `tenantId`. Only its hash is stored,
 * so a leaked database does not hand out bindings.
 */
export async function createLinkCode(
  models: Pick<Models, 'LinkCode' | 'Tenant'>,
  tenantId: string,
  now = new Date(),
  ttlMs = 24 * 60 * 60 * 1000,
): Promise<{ code: string; expiresAt: Date }> {
  if (!(await models.Tenant.exists({ tenantId }))) throw new Error(`there is no tenant ${tenantId}`);
  const bytes = randomBytes(10);
  const chars = [...bytes].map((byte) => ALPHABET[byte % ALPHABET.length]).join('');
  const code = `IEX-${chars.slice(0, 5)}-${chars.slice(5)}`;
  const expiresAt = new Date(now.getTime() + ttlMs);
  await models.LinkCode.create({ codeHash: hashLinkCode(code), tenantId, expiresAt });
  return { code, expiresAt };
}
