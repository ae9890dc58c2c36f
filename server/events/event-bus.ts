// The events port over an adapter's raw pub/sub: one channel per conversation and per team (named by
// the adapter's keys, so a conversation's channel shares its keys' cluster slot) and one staff channel.
import type { Keys } from '../store/keys.js';
import type { PubSub } from '../store/ports.js';
import { decodeConversationEvent, decodeStaffEvent, decodeTeamEvent, encodeEvent, type EventBus } from './events.js';

/**
 * Builds the EventBus of a store from its pub/sub transport and key names. Each subscription decodes
 * each payload once (the realtime hub holds one subscription per topic and instance).
 */
export function createEventBus(pubsub: PubSub, keys: Keys): EventBus {
  const staffChannel = keys.staffChannel();
  return {
    toConversation: (id, event) => pubsub.publish(keys.conversationChannel(id), encodeEvent(event)),
    toTeam: (team, event) => pubsub.publish(keys.teamChannel(team), encodeEvent(event)),
    toStaff: (event) => pubsub.publish(staffChannel, encodeEvent(event)),
    onConversation: (id, handler) => pubsub.subscribe(keys.conversationChannel(id), (payload) => handler(decodeConversationEvent(payload))),
    onTeam: (team, handler) => pubsub.subscribe(keys.teamChannel(team), (payload) => handler(decodeTeamEvent(payload))),
    onStaff: (handler) => pubsub.subscribe(staffChannel, (payload) => handler(decodeStaffEvent(payload))),
  };
}
