// Holds the unlocked organisation key of this tab (a real organisation's admin), and nothing else:
// the console store wipes it on lock and logout.
import { wipeOrgSigner, type OrgSigner } from './org-admin.js';

export interface OrgSession {
  /** The unlocked signer, or null. */
  signer(): OrgSigner | null;
  /** Keeps `signer`, wiping one held before. */
  hold(signer: OrgSigner): void;
  /** Zeroes and forgets the key. */
  wipe(): void;
}

export function createOrgSession(): OrgSession {
  let held: OrgSigner | null = null;
  return {
    signer: () => held,
    hold(signer) {
      if (held !== null && held !== signer) wipeOrgSigner(held);
      held = signer;
    },
    wipe() {
      if (held !== null) wipeOrgSigner(held);
      held = null;
    },
  };
}
