/**
 * What an uploaded (or downloaded) audio file is and how long it plays, read from its container
 * headers alone: WAV (RIFF fmt/data), MP3 (MPEG audio frames after an optional ID3v2 tag), Ogg
 * (Vorbis or Opus; the last page's granule position). No decoding, no dependency. Shared with the
 * simulator, which times its "speech" by the file it fetched.
 */
export type AudioFormat = 'wav' | 'mp3' | 'ogg';

export type AudioProbe = { ok: true; format: AudioFormat; durationS: number } | { ok: false; notAudio: boolean; reason: string };

export const AUDIO_MEDIA_TYPES: Record<AudioFormat, string> = { wav: 'audio/wav', mp3: 'audio/mpeg', ogg: 'audio/ogg' };

const notAudio = (reason: string): AudioProbe => ({ ok: false, notAudio: true, reason });
const broken = (format: AudioFormat, reason: string): AudioProbe => ({ ok: false, notAudio: false, reason: `${format}: ${reason}` });
const ascii = (b: Buffer, at: number, n: number) => b.toString('latin1', at, at + n);

export function probeAudio(b: Buffer): AudioProbe {
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WAVE') return probeWav(b);
  if (b.length >= 4 && ascii(b, 0, 4) === 'OggS') return probeOgg(b);
  if ((b.length >= 10 && ascii(b, 0, 3) === 'ID3') || (b.length >= 4 && mpegHeader(b, 0))) return probeMp3(b);
  return notAudio('not a WAV, MP3 or Ogg file (no RIFF/WAVE, MPEG frame or OggS header)');
}

function probeWav(b: Buffer): AudioProbe {
  let byteRate = 0;
  for (let at = 12; at + 8 <= b.length; ) {
    const id = ascii(b, at, 4);
    const size = b.readUInt32LE(at + 4);
    if (id === 'fmt ') {
      if (size < 16 || at + 24 > b.length) return broken('wav', 'fmt chunk too short');
      const channels = b.readUInt16LE(at + 10);
      const rate = b.readUInt32LE(at + 12);
      byteRate = b.readUInt32LE(at + 16);
      if (!channels || !rate || !byteRate) return broken('wav', 'fmt chunk has zero channels, sample rate or byte rate');
    } else if (id === 'data') {
      if (!byteRate) return broken('wav', 'data chunk before the fmt chunk');
      // A streaming writer leaves the size unset (0 or 0xFFFFFFFF): then the data runs to the end.
      const bytes = size === 0 || size === 0xffffffff || at + 8 + size > b.length ? b.length - at - 8 : size;
      return { ok: true, format: 'wav', durationS: bytes / byteRate };
    }
    at += 8 + size + (size % 2);
  }
  return broken('wav', 'no data chunk');
}

const MPEG_BITRATES: Record<string, number[]> = {
  '1-1': [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
  '1-2': [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
  '1-3': [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  '2-1': [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
  '2-2': [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
const MPEG1_RATES = [44_100, 48_000, 32_000];

/** One MPEG audio frame header at `at`: its length in bytes and the seconds it plays, or null. */
function mpegHeader(b: Buffer, at: number): { length: number; seconds: number } | null {
  if (at + 4 > b.length || b[at] !== 0xff || (b[at + 1] & 0xe0) !== 0xe0) return null;
  const versionBits = (b[at + 1] >> 3) & 3; // 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5
  const layer = 4 - ((b[at + 1] >> 1) & 3); // 1, 2 or 3; 4 is reserved
  const bitrateIndex = b[at + 2] >> 4;
  const rateIndex = (b[at + 2] >> 2) & 3;
  if (versionBits === 1 || layer === 4 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) return null;
  const mpeg1 = versionBits === 3;
  const table = mpeg1 ? MPEG_BITRATES[`1-${layer}`] : MPEG_BITRATES[layer === 1 ? '2-1' : '2-2'];
  const bitrate = table[bitrateIndex] * 1000;
  const rate = MPEG1_RATES[rateIndex] / (mpeg1 ? 1 : versionBits === 2 ? 2 : 4);
  const padding = (b[at + 2] >> 1) & 1;
  const samples = layer === 1 ? 384 : layer === 2 || mpeg1 ? 1152 : 576;
  const length = layer === 1 ? (Math.floor((12 * bitrate) / rate) + padding) * 4 : Math.floor((samples / 8) * bitrate / rate) + padding;
  return { length, seconds: samples / rate };
}

function probeMp3(b: Buffer): AudioProbe {
  let at = 0;
  if (ascii(b, 0, 3) === 'ID3') {
    const size = ((b[6] & 0x7f) << 21) | ((b[7] & 0x7f) << 14) | ((b[8] & 0x7f) << 7) | (b[9] & 0x7f);
    at = 10 + size + (b[5] & 0x10 ? 10 : 0);
  }
  let seconds = 0;
  let frames = 0;
  while (at < b.length) {
    const frame = mpegHeader(b, at);
    if (!frame) {
      // An ID3v1 tag (or trailing padding) may follow the last frame.
      if (frames > 0 && (ascii(b, at, 3) === 'TAG' || b.length - at < 4)) break;
      return frames ? broken('mp3', `no MPEG frame at byte ${at}`) : notAudio('an ID3 tag but no MPEG audio frame after it');
    }
    seconds += frame.seconds;
    frames++;
    at += frame.length;
  }
  if (!frames) return notAudio('no MPEG audio frame');
  return { ok: true, format: 'mp3', durationS: seconds };
}

function probeOgg(b: Buffer): AudioProbe {
  let rate = 0;
  let preSkip = 0;
  let serial: number | null = null;
  let lastGranule = -1n;
  for (let at = 0; at < b.length; ) {
    if (at + 27 > b.length || ascii(b, at, 4) !== 'OggS') return broken('ogg', `no page at byte ${at}`);
    const segments = b[at + 26];
    if (at + 27 + segments > b.length) return broken('ogg', `page at byte ${at} is cut short`);
    let bodyLength = 0;
    for (let i = 0; i < segments; i++) bodyLength += b[at + 27 + i];
    const body = at + 27 + segments;
    if (serial === null) {
      serial = b.readUInt32LE(at + 14);
      if (ascii(b, body, 7) === '\x01vorbis') rate = b.readUInt32LE(body + 12);
      else if (ascii(b, body, 8) === 'OpusHead') {
        // Opus granule positions always count 48 kHz samples, less the pre-skip.
        rate = 48_000;
        preSkip = b.readUInt16LE(body + 10);
      } else return broken('ogg', 'neither a Vorbis nor an Opus stream');
    }
    if (b.readUInt32LE(at + 14) === serial) {
      const granule = b.readBigInt64LE(at + 6);
      if (granule >= 0n) lastGranule = granule;
    }
    at = body + bodyLength;
  }
  if (!rate) return broken('ogg', 'sample rate 0');
  if (lastGranule < 0n) return broken('ogg', 'no granule position');
  return { ok: true, format: 'ogg', durationS: Math.max(0, Number(lastGranule) - preSkip) / rate };
}

/** Builders of small valid files, for tests and the simulator's own checks. */
export function wavFile(seconds: number, rate = 8_000): Buffer {
  const data = Math.round(seconds * rate) * 2;
  const b = Buffer.alloc(44 + data);
  b.write('RIFF', 0, 'latin1');
  b.writeUInt32LE(36 + data, 4);
  b.write('WAVEfmt ', 8, 'latin1');
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20);
  b.writeUInt16LE(1, 22);
  b.writeUInt32LE(rate, 24);
  b.writeUInt32LE(rate * 2, 28);
  b.writeUInt16LE(2, 32);
  b.writeUInt16LE(16, 34);
  b.write('data', 36, 'latin1');
  b.writeUInt32LE(data, 40);
  return b;
}
