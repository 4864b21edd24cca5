import { describe, expect, it } from '@jest/globals';
import { probeAudio, wavFile } from './audio-format.js';

/** MPEG-1 Layer III, 128 kbit/s, 44.1 kHz: 417-byte frames of 1152 samples. */
function mp3(frames: number, id3 = true): Buffer {
  const frame = Buffer.alloc(417);
  frame.set([0xff, 0xfb, 0x90, 0x00]);
  const tag = Buffer.from([0x49, 0x44, 0x33, 3, 0, 0, 0, 0, 0, 20, ...new Array(20).fill(0)]);
  return Buffer.concat([...(id3 ? [tag] : []), ...Array.from({ length: frames }, () => frame), Buffer.from('TAG')]);
}

function oggPage(granule: bigint, body: Buffer, serial = 7): Buffer {
  const head = Buffer.alloc(28);
  head.write('OggS', 0, 'latin1');
  head.writeBigInt64LE(granule, 6);
  head.writeUInt32LE(serial, 14);
  head[26] = 1;
  head[27] = body.length;
  return Buffer.concat([head, body]);
}

const opusHead = () => {
  const b = Buffer.alloc(19);
  b.write('OpusHead', 0, 'latin1');
  b[8] = 1;
  b[9] = 1;
  b.writeUInt16LE(312, 10);
  b.writeUInt32LE(48_000, 12);
  return b;
};
const vorbisId = () => {
  const b = Buffer.alloc(30);
  b.write('\x01vorbis', 0, 'latin1');
  b[11] = 2;
  b.writeUInt32LE(44_100, 12);
  return b;
};

describe('probeAudio', () => {
  it('reads WAV length from fmt and data', () => {
    expect(probeAudio(wavFile(3))).toEqual({ ok: true, format: 'wav', durationS: 3 });
  });

  it('counts MPEG frames after an ID3v2 tag, up to an ID3v1 tag', () => {
    const r = probeAudio(mp3(100));
    expect(r).toMatchObject({ ok: true, format: 'mp3' });
    expect(r.ok && r.durationS).toBeCloseTo((100 * 1152) / 44_100, 6);
    expect(probeAudio(mp3(10, false))).toMatchObject({ ok: true, format: 'mp3' });
  });

  it('takes Ogg length from the last granule position (Opus at 48 kHz less pre-skip, Vorbis at its rate)', () => {
    const opus = Buffer.concat([oggPage(0n, opusHead()), oggPage(96_000n, Buffer.alloc(10)), oggPage(4n * 48_000n + 312n, Buffer.alloc(10))]);
    expect(probeAudio(opus)).toEqual({ ok: true, format: 'ogg', durationS: 4 });
    const vorbis = Buffer.concat([oggPage(0n, vorbisId()), oggPage(-1n, Buffer.alloc(5)), oggPage(88_200n, Buffer.alloc(5)), oggPage(1n, Buffer.alloc(5), 8)]);
    expect(probeAudio(vorbis)).toEqual({ ok: true, format: 'ogg', durationS: 2 });
  });

  it('tells what is not audio from audio that is broken, with the reason', () => {
    expect(probeAudio(Buffer.from('\x89PNG\r\n\x1a\n....', 'latin1'))).toMatchObject({ ok: false, notAudio: true, reason: expect.stringContaining('not a WAV, MP3 or Ogg') });
    expect(probeAudio(Buffer.from('hello, world'))).toMatchObject({ ok: false, notAudio: true });
    expect(probeAudio(wavFile(1).subarray(0, 36))).toEqual({ ok: false, notAudio: false, reason: 'wav: no data chunk' });
    expect(probeAudio(Buffer.concat([mp3(3, false).subarray(0, 834), Buffer.from('garbage!')]))).toMatchObject({ ok: false, notAudio: false, reason: 'mp3: no MPEG frame at byte 834' });
    expect(probeAudio(Buffer.concat([oggPage(0n, Buffer.from('FLAC stream'))]))).toMatchObject({ ok: false, reason: 'ogg: neither a Vorbis nor an Opus stream' });
  });
});
