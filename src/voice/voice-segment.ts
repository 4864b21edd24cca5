import { z } from 'zod';
import type { VoiceSegment } from '../drills/drill.entity.js';
import { speechDurationS } from '../drills/verdicts.js';
import { findBuiltinPattern } from '../protocol/patterns.js';
import type { AudioStore } from './audio-store.service.js';

/** What is spoken (a message, or a drill's voice segment): text in a language, or an uploaded file. */
export const voiceContentShape = {
  language: z.enum(['zh-CN', 'en']).default('zh-CN'),
  text: z.string().trim().min(1).max(2000).optional(),
  audioId: z.string().min(1).max(64).optional(),
  repeat: z.number().int().min(1).max(5).default(1),
  tonePattern: z.string().min(1).max(64).nullable().default(null),
};
export function checkVoiceContent(v: { text?: string; audioId?: string; tonePattern: string | null }, ctx: z.RefinementCtx): void {
  if ((v.text === undefined) === (v.audioId === undefined)) ctx.addIssue({ code: 'custom', path: ['text'], message: 'give either text or audioId (one of the two)' });
  if (v.tonePattern && !findBuiltinPattern(v.tonePattern)) ctx.addIssue({ code: 'custom', path: ['tonePattern'], message: `unknown pattern "${v.tonePattern}"` });
}
export const voiceContentSchema = z.object(voiceContentShape).superRefine(checkVoiceContent);

/** The segment a run plays; an audio file's length comes from its headers, a text's from a slow speech rate. */
export async function voiceSegment(store: AudioStore, messageId: string, c: { language: string; repeat: number; tonePattern: string | null; text?: string | null; audioId?: string | null }): Promise<VoiceSegment> {
  const audio = c.audioId ? await store.require(c.audioId) : null;
  return {
    messageId,
    language: c.language,
    text: audio ? null : (c.text ?? ''),
    audio: audio ? { id: audio.id, sha256: audio.sha256 } : null,
    durationS: audio ? audio.durationS : speechDurationS(c.text ?? ''),
    repeat: c.repeat,
    tonePattern: c.tonePattern,
  };
}
