/**
 * The on-disk shape of one conversation: every message of its tree, flat, plus which child is
 * active under each message. The same shape is the JSON export (versioned), so an export
 * re-imports without loss. Bump CONVERSATION_FILE_VERSION when the shape changes.
 */
import { z } from 'zod';
import { ChatMessage, MAX_MESSAGE_CHARS, SamplingSettings } from '../../common/api/contract.js';

export const CONVERSATION_FORMAT = 'hearth.conversation';
export const CONVERSATION_FILE_VERSION = 1;

/** Bounds for files we did not write ourselves (imports). */
export const MAX_IMPORT_MESSAGES = 20_000;

export const StoredMessage = ChatMessage.extend({
  id: z.string().min(1).max(128),
  parentId: z.string().min(1).max(128).nullable(),
  // An answer may be long, but not unboundedly: twice the largest message a user may send.
  text: z.string().max(2 * MAX_MESSAGE_CHARS),
  thought: z
    .string()
    .max(2 * MAX_MESSAGE_CHARS)
    .optional(),
  /** The child the active path follows from here (the one last sent, regenerated or picked). */
  activeChildId: z.string().nullable(),
});
export type StoredMessage = z.infer<typeof StoredMessage>;

export const ConversationFile = z.object({
  format: z.literal(CONVERSATION_FORMAT),
  version: z.literal(CONVERSATION_FILE_VERSION),
  id: z.string().min(1).max(512),
  title: z.string().max(500),
  /** 'auto': from the first message (replaced until the user renames); 'user': renamed. */
  titleSource: z.enum(['none', 'auto', 'user']),
  createdAt: z.number(),
  updatedAt: z.number(),
  pinned: z.boolean(),
  deletedAt: z.number().nullable(),
  presetId: z.string().nullable(),
  systemPrompt: z.string().max(100_000),
  settings: SamplingSettings,
  /** The first message the active path starts from (first messages can have siblings too). */
  activeRootId: z.string().nullable(),
  messages: z.array(StoredMessage).max(MAX_IMPORT_MESSAGES),
  /** Grounded answers: collections attached to this chat, with their names when attached. */
  collections: z
    .array(z.object({ id: z.string().min(1).max(512), name: z.string().max(500), own: z.boolean() }))
    .max(100)
    .optional(),
});
export type ConversationFile = z.infer<typeof ConversationFile>;
