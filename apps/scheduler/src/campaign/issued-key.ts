import { createHash } from 'node:crypto';
import { hypFingerprint, type Hyp } from '@hyperevolve/ga-core';

/**
 * A trial's field in the campaign's issued hash: 96 bits of SHA-1 over its hyp fingerprint, 16
 * characters instead of the ~450 of the fingerprint itself (the hash holds one per trial). Two
 * different children sharing a key is harmless: the later one is just drawn again.
 */
export function issuedKey(hyp: Hyp): string {
  return createHash('sha1').update(hypFingerprint(hyp)).digest('base64url').slice(0, 16);
}
