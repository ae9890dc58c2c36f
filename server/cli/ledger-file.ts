// Where `npm run org` keeps the certificate ledger (crypto/ledger.ts), and which copy it trusts.
//
// The ledger file on the admin's machine is the anchor: a copy is accepted only if the organisation
// key signed it AND it equals or extends the local copy. The server keeps a signed copy too (so a
// second admin, or a new laptop, can continue) but the server can only offer copies the organisation
// key signed: it cannot forge an entry, and an older or diverging copy (rollback) is refused against
// the local file. Without a local file the server's copy is taken on first use, and its head is
// printed for the admin to compare with the last one written down (deploy/RUNBOOK.md).
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  fromBase64url,
  isCryptoError,
  toBase64url,
  type Ed25519PublicKey,
} from '../../crypto/index.js';
import {
  assertLedgerExtends,
  ledgerHeadId,
  openLedger,
  type Ledger,
} from '../../crypto/ledger.js';
import type { OrgId, RecordStore } from '../store/ports.js';
import { DEFAULT_ORG, orgRecordId } from '../directory/organisations.js';

const COLLECTION = 'org-ledger';

export interface LoadedLedger {
  readonly ledger: Ledger | null;
  /** What the admin should know about where the ledger came from. */
  readonly notes: string[];
}

function readLocal(path: string, orgPublicKey: Ed25519PublicKey): Ledger | null {
  if (!existsSync(path)) return null;
  const raw = JSON.parse(readFileSync(path, 'utf8')) as { ledger?: unknown };
  if (typeof raw.ledger !== 'string') throw new Error(`${path} is not a ledger file.`);
  try {
    return openLedger(fromBase64url(raw.ledger), orgPublicKey);
  } catch (error) {
    throw new Error(`The local ledger ${path} does not verify under the organisation key (${isCryptoError(error) ? error.code : String(error)}). Restore it from your backup; nothing was signed.`);
  }
}

/**
 * The ledger to work with: the local file, or the server's copy when it verifies and extends the
 * local one. Throws (nothing signed) for a local file that does not verify and for copies that diverge.
 */
export async function loadLedger(path: string, records: RecordStore, orgPublicKey: Ed25519PublicKey, org: OrgId = DEFAULT_ORG): Promise<LoadedLedger> {
  const notes: string[] = [];
  const local = readLocal(path, orgPublicKey);
  // Each organisation of a region keeps its own ledger (the first one under the id it always had).
  const stored = await records.get(COLLECTION, orgRecordId(org));
  let remote: Ledger | null = null;
  if (stored !== null) {
    try {
      remote = openLedger(fromBase64url(stored), orgPublicKey);
    } catch (error) {
      notes.push(`The server's copy of the ledger does not verify (${isCryptoError(error) ? error.code : 'unreadable'}): ignored.`);
    }
  }
  if (local === null) {
    if (remote !== null) notes.push(`No local ledger at ${path}: using the server's signed copy (head ${ledgerHeadId(remote)}). Compare this head with the one written down after the last run.`);
    return { ledger: remote, notes };
  }
  if (remote === null) return { ledger: local, notes };
  try {
    assertLedgerExtends(remote, local);
    if (remote.entries.length > local.entries.length) notes.push(`Took ${remote.entries.length - local.entries.length} newer entries from the server's copy (signed by the organisation key).`);
    return { ledger: remote, notes };
  } catch {
    try {
      assertLedgerExtends(local, remote);
    } catch {
      throw new Error(`The server's ledger (head ${ledgerHeadId(remote)}) and the local one (head ${ledgerHeadId(local)}) diverge. Nothing was signed: find out which admin ran what before going on.`);
    }
    notes.push(`The server's copy of the ledger is older than the local one (head ${ledgerHeadId(remote)}; a rollback?): the local one is used and uploaded again.`);
    return { ledger: local, notes };
  }
}

/** Writes the ledger to the local file (atomically, 0600) and the signed copy to the server. */
export async function saveLedger(path: string, records: RecordStore, ledger: Ledger, org: OrgId = DEFAULT_ORG): Promise<void> {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ head: ledgerHeadId(ledger), savedAt: new Date(ledger.issuedAt).toISOString(), ledger: toBase64url(ledger.wire) }, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, path);
  await records.put(COLLECTION, orgRecordId(org), toBase64url(ledger.wire));
}
