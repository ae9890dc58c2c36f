// The four steps of an overflow agreement as typed calls over the contract's shapes: the receiving
// admin accepts a sender or ends the agreement (routing there stops at once), the sending admin asks
// or withdraws its request. Pure: builds the request from the organisation as last read.
import type { AcceptOverflow, AskOverflow, Organisation } from '../../../../contract/rest.js';

export type AgreementStep = 'accept' | 'end' | 'ask' | 'withdraw';

export type AgreementCall =
  | { readonly path: '/api/v1/admin/organisation/overflow'; readonly body: AcceptOverflow }
  | { readonly path: '/api/v1/admin/organisation/overflow-requests'; readonly body: AskOverflow };

const without = (list: readonly string[], id: string) => list.filter((x) => x !== id);
const adding = (list: readonly string[], id: string) => (list.includes(id) ? [...list] : [...list, id]);

/** The PUT that takes `step` with `partner`, keeping every other agreement as `org` holds it. */
export function agreementCall(org: Pick<Organisation, 'acceptsOverflowFrom' | 'asksOverflowTo'>, partner: string, step: AgreementStep): AgreementCall {
  switch (step) {
    case 'accept':
      return { path: '/api/v1/admin/organisation/overflow', body: { acceptsOverflowFrom: adding(org.acceptsOverflowFrom, partner) } };
    case 'end':
      return { path: '/api/v1/admin/organisation/overflow', body: { acceptsOverflowFrom: without(org.acceptsOverflowFrom, partner) } };
    case 'ask':
      return { path: '/api/v1/admin/organisation/overflow-requests', body: { asksOverflowTo: adding(org.asksOverflowTo, partner) } };
    case 'withdraw':
      return { path: '/api/v1/admin/organisation/overflow-requests', body: { asksOverflowTo: without(org.asksOverflowTo, partner) } };
  }
}
