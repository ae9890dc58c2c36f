// The responder's open chats: one ChatEngine each, started on a claim or an assignment (or brought back
// from this tab's sealed copy), fed by the responder socket, transferred, closed and dismissed. Each
// chat's session, resume psk, last id and transcript are sealed into the archive after every change.
import { fromBase64url, isCryptoError, verifyResponderCert, type VerifiedResponderCert } from '../../../crypto/api-sumo.js';
import type { Category, Envelope } from '../../shared/api-client.js';
import type { Appended, HandoverTarget } from '../../../contract/rest.js';
import type { UnlockedKeys } from '../crypto/keys.js';
import type { ArchivedChat, ArchivedLine, ChatArchive } from './chat-archive.js';
import type { ChatEngine, ChatEngineDeps, ChatPhase } from './chat-engine.js';
import type { Clock, Guard, Slice, Timers } from './ports.js';
import type { ResponderSocket, ServerFrame } from './socket.js';
import type { TabLocks } from './tab-locks.js';

export type ChatLine = ArchivedLine;

/** What the console knows of a conversation before its session starts. */
export interface ChatMeta {
  readonly id: string;
  readonly team: string;
  readonly category: Category;
  readonly language: string;
  readonly source: string;
  readonly danger: boolean;
  /** The young person has gone (tab closed past the grace, no resume): no capacity used, may be closed. */
  readonly gone?: boolean;
}

export interface ChatView extends ChatMeta {
  /** 'elsewhere': another tab of this browser owns the conversation. */
  readonly phase: ChatPhase | 'elsewhere';
  readonly lines: readonly ChatLine[];
  readonly unread: number;
  readonly typing: boolean;
  readonly safetyCode: string | null;
  /** A handover to another organisation offered in this chat: asked, then declined or accepted by the young person. */
  readonly handover?: { readonly state: 'asked' | 'declined' | 'accepted'; readonly target: HandoverTarget } | null;
}

export interface Colleague {
  readonly id: string;
  readonly displayName: string;
  readonly teams: readonly string[];
  /** The responder certificate, base64url. */
  readonly cert: string;
  readonly onDuty: readonly string[];
}

export interface Colleagues {
  readonly teams: ReadonlyArray<{ id: string; name: string; specialist: boolean }>;
  readonly responders: readonly Colleague[];
}

export interface ChatsState {
  readonly chats: readonly ChatView[];
  readonly activeChat: string | null;
  readonly colleagues: Colleagues | null;
  /** Teams of other organisations this responder may hand over to (an overflow agreement links them). */
  readonly handoverTargets?: readonly HandoverTarget[];
}

export type TransferTarget = { toResponder: string } | { toTeam: string } | { threat: true };

export interface ChatsApi {
  claim(id: string): Promise<unknown>;
  /** Conversations assigned to this responder (claimed here or elsewhere, or auto-assigned). */
  assigned(): Promise<{ items: readonly ChatMeta[] }>;
  colleagues(): Promise<Colleagues>;
  transfer(id: string, to: { toResponder: string } | { toTeam: string }): Promise<unknown>;
  /** Teams of other organisations this responder may offer a conversation to. */
  handoverTargets?(): Promise<{ targets: readonly HandoverTarget[] }>;
  /** Records the offer on the server (the young person's acceptance moves the conversation). */
  offerHandover?(id: string, team: string): Promise<HandoverTarget>;
  /** Hands the conversation to the team for threats. */
  threat(id: string): Promise<unknown>;
  close(id: string, outcome: string): Promise<unknown>;
}

/** Starts an engine for `deps`, continuing the session sealed in `stored` when it opens (chat-engine.ts). */
export type StartEngine = (
  deps: Pick<ChatEngineDeps, 'id' | 'team' | 'keys' | 'post' | 'emit'>,
  stored: ArchivedChat | null,
) => { engine: ChatEngine; after: string | null };

export interface ChatsDeps {
  readonly state: Slice<ChatsState>;
  readonly api: ChatsApi;
  readonly keys: () => UnlockedKeys | null;
  readonly archive: () => ChatArchive | null;
  /** This responder's id (a team transfer goes to everyone else in the team). */
  readonly myId: () => string | null;
  readonly connect: (onFrame: (frame: ServerFrame) => void, lastIdOf: (id: string) => string | null) => ResponderSocket;
  readonly tabs: TabLocks;
  readonly startEngine: StartEngine;
  readonly guard: Guard;
  readonly timers: Timers;
  readonly now: Clock;
  /** The conversation was claimed here (the queue drops its card). */
  readonly claimed: (id: string) => void;
  /** True while the console's tab is not on screen: a text then counts unread even in the open chat. */
  readonly hidden?: () => boolean;
  /** A new text from the young person arrived in `id` (alerts; never given the text). */
  readonly visitorText?: (id: string, unseen: boolean) => void;
}

export type ChatsStore = ReturnType<typeof createChatsStore>;

export function createChatsStore(deps: ChatsDeps) {
  const { state, api, guard } = deps;
  const engines = new Map<string, ChatEngine>();
  /** The log id each chat continues after (null: replay the whole log). */
  const lastIds = new Map<string, string | null>();
  let socket: ResponderSocket | null = null;
  /** Chats removed from the list here: an assignment the server still lists does not bring them back. */
  const dismissed = new Set<string>();

  const update = (id: string, patch: (c: ChatView) => Partial<ChatView>) => {
    state.set({ chats: state.get().chats.map((c) => (c.id === id ? { ...c, ...patch(c) } : c)) });
  };
  /** Adds `line` once (a replayed entry comes again with the same key); counts it unread when not on screen. */
  const addLine = (id: string, line: ChatLine) => {
    let added = false;
    const unseen = line.from === 'visitor' && (state.get().activeChat !== id || (deps.hidden?.() ?? false));
    update(id, (c) => {
      if (c.lines.some((l) => l.key === line.key)) return {};
      added = true;
      return {
        lines: [...c.lines, line],
        unread: unseen ? c.unread + 1 : c.unread,
        typing: line.from === 'visitor' ? false : c.typing,
      };
    });
    if (added && line.from === 'visitor') deps.visitorText?.(id, unseen);
  };
  const systemLine = (id: string, text: 'visitorClosed' | 'tampered' | 'erased', prefix: string) => {
    const at = deps.now();
    addLine(id, { key: `${prefix}-${at}`, from: 'system', text, at });
  };

  /** Seals the chat's session, resume psk, last id and transcript into this tab's archive. */
  const save = (id: string) => {
    const archive = deps.archive();
    const chat = state.get().chats.find((c) => c.id === id);
    if (archive === null || chat === undefined) return;
    const engine = engines.get(id);
    archive.save(id, { snap: engine?.snapshot() ?? null, psk: engine?.resumeSnapshot() ?? null, lastId: engine?.lastId ?? lastIds.get(id) ?? null, lines: chat.lines });
  };

  const start = (meta: ChatMeta, fromArchive: boolean): ChatEngine => {
    const existing = engines.get(meta.id);
    if (existing !== undefined) return existing;
    const keys = deps.keys();
    if (keys === null) throw new Error('locked');
    const stored = fromArchive ? (deps.archive()?.load(meta.id) ?? null) : null;
    const { engine, after } = deps.startEngine(
      {
        id: meta.id,
        team: meta.team,
        keys,
        // Written over the socket like the visitor's messages: acknowledged once stored, resent after a reconnect.
        post: (envelope: Envelope) => (socket === null ? Promise.reject(new Error('not connected')) : socket.send(meta.id, envelope)),
        emit: (event) => {
          if (event.type === 'text') addLine(meta.id, event);
          else if (event.type === 'phase') update(meta.id, () => ({ phase: event.phase }));
          else if (event.type === 'safety') update(meta.id, () => ({ safetyCode: event.code }));
          else if (event.type === 'handover-answer') {
            const asked = state.get().chats.find((c) => c.id === meta.id)?.handover;
            if (asked != null && asked.target.team === event.team) update(meta.id, () => ({ handover: { state: event.accepted ? 'accepted' : 'declined', target: asked.target } }));
          } else if (event.type === 'resume-ready') {
            // Nothing to show; saved below so a reloaded tab can still answer a resume request.
          } else if (event.type === 'visitor-closed') systemLine(meta.id, 'visitorClosed', 'closed');
          else systemLine(meta.id, 'tampered', 'tampered');
          save(meta.id);
        },
      },
      stored,
    );
    engines.set(meta.id, engine);
    if (!state.get().chats.some((c) => c.id === meta.id)) {
      state.set({ chats: [...state.get().chats, { ...meta, phase: engine.phase, lines: stored?.lines ?? [], unread: 0, typing: false, safetyCode: engine.safetyCode }] });
    }
    // A restored session continues after its last id; otherwise the whole log is replayed.
    lastIds.set(meta.id, after);
    return engine;
  };

  /** Subscribes `id` if this tab may own it; otherwise marks the chat as open in another tab. */
  const follow = async (id: string, after: string | null) => {
    if (await deps.tabs.own(id)) socket?.subscribe(id, after);
    else update(id, () => ({ phase: 'elsewhere' }));
  };

  const onFrame = (frame: ServerFrame) => {
    if (!('c' in frame) || frame.c === undefined) return;
    const id = frame.c;
    const engine = engines.get(id);
    if (engine === undefined) return;
    switch (frame.t) {
      case 'msg':
        lastIds.set(id, frame.e.id);
        void engine.onEntry(frame.e).then(() => save(id));
        return;
      case 'ack':
        // A stored send of this tab stands where its message would in the stream: resume after it.
        if (!frame.dup) lastIds.set(id, frame.id);
        return;
      case 'subscribed':
        void engine.replayed().then(() => save(id));
        return;
      case 'typing':
        if (frame.from === 'visitor') {
          update(id, () => ({ typing: true }));
          deps.timers.setTimeout(() => update(id, () => ({ typing: false })), 4000);
        }
        return;
      case 'state':
        if (frame.status === 'closed') engine.ended();
        return;
      case 'erased':
        engine.ended();
        systemLine(id, 'erased', 'erased');
        return;
      case 'unsubscribed': {
        // Moved away while a handover was offered: only the young person's acceptance does that.
        const handover = state.get().chats.find((c) => c.id === id)?.handover;
        if (handover != null && handover.state !== 'declined' && engine.phase === 'open') {
          update(id, () => ({ handover: { state: 'accepted', target: handover.target } }));
          engine.handedOver();
          save(id);
        } else if (engine.phase !== 'transferred' && engine.phase !== 'closed') engine.accessEnded();
        return;
      }
      default:
        return;
    }
  };

  return {
    /** Opens the responder socket (a chat subscribes on it once this tab owns it). */
    connect() {
      socket?.close();
      socket = deps.connect(onFrame, (id) => lastIds.get(id) ?? null);
    },
    disconnect() {
      socket?.close();
      socket = null;
    },

    /** Starts a chat for every conversation assigned to this responder that has none here yet. */
    async refreshAssigned() {
      const { items } = await api.assigned();
      for (const item of items) {
        // Callbacks held by this responder live on the callbacks screen, not as chats.
        if (engines.has(item.id) && state.get().chats.find((c) => c.id === item.id)?.gone !== (item.gone ?? false)) update(item.id, () => ({ gone: item.gone ?? false }));
        if (item.category === 'callback' || engines.has(item.id) || dismissed.has(item.id) || deps.keys() === null) continue;
        const { id, team, category, language, source, danger, gone } = item;
        start({ id, team, category, language, source, danger, gone: gone ?? false }, true);
        await follow(item.id, lastIds.get(item.id) ?? null);
      }
    },

    /**
     * Claims a waiting conversation. The handshake follows from the replayed log: the intake is
     * answered (session 1), or a colleague's handoff waits for the visitor's session request.
     */
    async claim(meta: ChatMeta) {
      if (deps.keys() === null) return;
      await guard(async () => {
        await api.claim(meta.id);
        const { id, team, category, language, source, danger } = meta;
        start({ id, team, category, language, source, danger }, false);
        state.set({ activeChat: id });
        deps.claimed(id);
        await follow(id, null);
      });
    },

    openChat(id: string) {
      state.set({ activeChat: id });
      update(id, () => ({ unread: 0 }));
    },

    /** Sends `text` in chat `id`; false when nothing was sent. */
    async send(id: string, text: string): Promise<boolean> {
      const engine = engines.get(id);
      if (engine === undefined || text.trim() === '') return false;
      const ok = await guard(async () => {
        await engine.send(text);
        return true;
      });
      return ok === true;
    },

    typing(id: string) {
      socket?.typing(id);
    },

    async loadColleagues() {
      await guard(async () => state.set({ colleagues: await api.colleagues() }));
      const targets = await api.handoverTargets?.().catch(() => null);
      if (targets != null) state.set({ handoverTargets: targets.targets });
    },

    /**
     * Offers chat `id` to another organisation's team: the server records the offer, then the offer goes
     * to the young person inside the session. Nothing moves until they accept in the chat.
     */
    async offerHandover(id: string, target: HandoverTarget) {
      const engine = engines.get(id);
      if (engine === undefined || api.offerHandover === undefined) return;
      const offer = api.offerHandover;
      await guard(async () => {
        const confirmed = await offer(id, target.team);
        await engine.offerHandover({ team: confirmed.team, org: confirmed.org, teamName: confirmed.name });
        update(id, () => ({ handover: { state: 'asked', target: confirmed } }));
        save(id);
      });
    },

    /** Transfer to a colleague (pinned) or to every certified member of a team, then move it on the server. */
    async transfer(id: string, target: TransferTarget) {
      const engine = engines.get(id);
      const chat = state.get().chats.find((c) => c.id === id);
      const keys = deps.keys();
      if (engine === undefined || chat === undefined || keys === null) return;
      // Fresh: who is certified now (a colleague may have joined or been revoked since the list loaded).
      const colleagues = await guard(() => api.colleagues());
      if (colleagues === undefined) return;
      state.set({ colleagues });
      const now = new Date(deps.now());
      const me = deps.myId();
      const team = 'toTeam' in target ? target.toTeam : 'threat' in target ? (colleagues.teams.find((t) => t.specialist)?.id ?? null) : null;
      const candidates = colleagues.responders.filter((r) =>
        'toResponder' in target ? r.id === target.toResponder : r.id !== me && team !== null && r.teams.includes(team),
      );
      const certs: VerifiedResponderCert[] = [];
      for (const r of candidates) {
        try {
          // The next responder must be certified for the conversation's own team (the visitor checks it).
          certs.push(verifyResponderCert(keys.anchor, fromBase64url(r.cert), { now, team: chat.team, role: 'responder' }));
        } catch (error) {
          if (!isCryptoError(error)) throw error;
        }
      }
      await guard(async () => {
        if (certs.length === 0) throw new Error('no certified recipient');
        await engine.announceTransfer(certs);
        if ('threat' in target) await api.threat(id);
        else await api.transfer(id, target);
        engine.handedOver();
        socket?.unsubscribe(id);
        save(id);
      });
    },

    async close(id: string, outcome: string) {
      const engine = engines.get(id);
      if (engine === undefined) return;
      await guard(async () => {
        // A chat whose session is gone (the young person left before it started) still closes on the server.
        await engine.close().catch((error: unknown) => {
          if (state.get().chats.find((c) => c.id === id)?.gone !== true) throw error;
        });
        await api.close(id, outcome);
        socket?.unsubscribe(id);
        save(id);
      });
    },

    /** Removes a finished chat from this tab, its sealed copy included. */
    dismiss(id: string) {
      dismissed.add(id);
      // Still assigned on the server (the young person left, access lost): close it there too, so it
      // no longer holds a place in the list after a reload; refused (already closed, moved) is fine.
      const chat = state.get().chats.find((c) => c.id === id);
      if (chat !== undefined && chat.phase !== 'closed' && chat.phase !== 'transferred' && chat.phase !== 'elsewhere') void api.close(id, 'no-contact').catch(() => undefined);
      deps.archive()?.remove(id);
      engines.delete(id);
      deps.tabs.release(id);
      const { chats, activeChat } = state.get();
      state.set({ chats: chats.filter((c) => c.id !== id), activeChat: activeChat === id ? null : activeChat });
    },

    /** Seals every chat and drops its session (before the keys are wiped). */
    wipe() {
      for (const c of state.get().chats) save(c.id);
      engines.clear();
      deps.tabs.releaseAll();
      lastIds.clear();
    },

    /** The lock: every line leaves memory (the sealed copies keep them). */
    hideLines() {
      state.set({ chats: state.get().chats.map((c) => ({ ...c, lines: [], typing: false })) });
    },

    /** Takes the chats off the screen (after an unlock, before the socket opens); `restore` brings them back. */
    detach(): readonly ChatView[] {
      const previous = state.get().chats;
      state.set({ chats: [] });
      return previous;
    },

    /** After an unlock: the chats as they were, each session continued from its sealed copy. */
    async restore(previous: readonly ChatView[]) {
      for (const c of previous) {
        if (c.phase === 'closed' || c.phase === 'transferred' || c.phase === 'lost') {
          // No session to run: its transcript only, from the sealed copy.
          state.set({ chats: [...state.get().chats, { ...c, lines: deps.archive()?.load(c.id)?.lines ?? [] }] });
          continue;
        }
        start(c, true);
        update(c.id, () => ({ unread: c.unread }));
        await follow(c.id, lastIds.get(c.id) ?? null);
      }
    },

    reset() {
      state.set({ chats: [], activeChat: null, colleagues: null });
    },
  };
}
