import type { DrillResult, DrillScope } from './drill-types.js';

/** Spoken messages as the API reports them (API.md "Spoken messages"). */
export interface VoiceMessage {
  id: string;
  state: 'draft' | 'sending' | 'completed';
  scope: DrillScope | { alertId: string };
  language: string;
  text: string | null;
  audioId: string | null;
  repeat: number;
  tonePattern: string | null;
  exercise: boolean;
  createdAt: string;
  sentBy: string | null;
  sentAt: string | null;
  runId: string | null;
  results: (DrillResult & { via: 'voice' | 'tone' | null })[];
  skipped: string[];
  summary: { pass: number; fail: number; pending: number };
}

export interface VoiceTemplate {
  id: string;
  name: string;
  textZh: string;
  textEn: string;
}

/** An audio file the service accepted (POST /api/voice/audio), with the name it had on the operator's disk. */
export interface UploadedAudio {
  id: string;
  sha256: string;
  format: 'wav' | 'mp3' | 'ogg';
  durationS: number;
  sizeBytes: number;
  name: string;
}
