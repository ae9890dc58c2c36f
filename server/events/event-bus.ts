// The events port over an adapter's raw pub/sub: one channel per conversation and per team (named by
// the adapter, so a conversation's channel shares its keys' cluster slot) and one staff channel.
import type { ConversationId, TeamId } from '../../contract/ids.js';
import type { PubSub } from '../store/ports.js';
import { decodeConversationEvent, decodeStaffEvent, decodeTeamEvent, encodeEvent, type EventBus } from './events.js';

/** The channel names an adapter gives its topics (the Redis adapter's key namer is one). */
export interface EventChannels {
  conversationChannel(id: ConversationId): string;
  teamChannel(team: TeamId): string;
  staffChannel(): string;
}

/**
 * Builds the EventBus of a store from its pub/sub transport and channel names. Each subscription
 * decodes each payload once (the realtime hub holds one subscription per topic and instance).
 */
export function createEventBus(pubsub: PubSub, channels: EventChannels): EventBus {
  const staffChannel = channels.staffChannel();
  return {
    toConversation: (id, event) => pubsub.publish(channels.conversationChannel(id), encodeEvent(event)),
    toTeam: (team, event) => pubsub.publish(channels.teamChannel(team), encodeEvent(event)),
    toStaff: (event) => pubsub.publish(staffChannel, encodeEvent(event)),
    onConversation: (id, handler) => pubsub.subscribe(channels.conversationChannel(id), (payload) => handler(decodeConversationEvent(payload))),
    onTeam: (team, handler) => pubsub.subscribe(channels.teamChannel(team), (payload) => handler(decodeTeamEvent(payload))),
    onStaff: (handler) => pubsub.subscribe(staffChannel, (payload) => handler(decodeStaffEvent(payload))),
  };
}
