/**
 * The mock PBX's recording files and the links to them: the one mechanism behind `recordingURL`. Where the
 * real PBX keeps its files, and what its links ask for, is unconfirmed; the mock writes three kinds of link:
 * - `pbx`: a link on the PBX's own host (`/api/v2/recordings/<id>/audio`) that needs the API key;
 * - `presigned`: a link on another host (a storage service, RECORDING_STORAGE_HOST) whose query signs it:
 *   it needs no key, and refuses a request that brings one (as storage services refuse two credentials);
 * - `redirect`: a link on the PBX's host (`/api/v2/recordings/<id>/download`) that needs the key and
 *   redirects (302) to the pre-signed link.
 * A PBX profile's `recordingLinks` (profiles.ts) says which kinds the PBX writes; they are handed out in
 * turn by recording ID (`recordingLinkKind`; the default profile writes all three, so GetRecordingFile and
 * the recording archive meet each). Every route serves whatever kind a link names, so a link written by
 * hand works too. The file itself is a short WAV generated from the recording ID alone (`recordingAudio`),
 * so a test can compare a downloaded file with the bytes the PBX holds.
 */
import { createHmac } from 'crypto';

/** The storage host of pre-signed links (the sandbox's network resolves it to the mock PBX's server). */
export const RECORDING_STORAGE_HOST = 'recordings.storage.example.invalid';

/** Where the links point when the mock is told no public host (a PBX started by hand, the recorder's tests). */
export const DEFAULT_PBX_HOST = 'pbx.example.invalid';

export type RecordingLinkKind = 'pbx' | 'presigned' | 'redirect';

/** Every kind, in the order a PBX profile lists them (and the default profile's links). */
export const RECORDING_LINK_KINDS: readonly RecordingLinkKind[] = ['pbx', 'presigned', 'redirect'];

export const RECORDING_SAMPLE_RATE = 8000;

/** Pre-signed links never expire in the sandbox (virtual time may run for a month). */
const EXPIRES = '4102444800';
/** The storage service's signing secret: a fixed sandbox value, nothing real. */
const SIGNING_SECRET = 'sandbox-storage-signing';

/** The kind of link a recording gets when the PBX writes `kinds` (in turn by recording ID). */
export function recordingLinkKind(recordingID: number, kinds: readonly RecordingLinkKind[] = RECORDING_LINK_KINDS): RecordingLinkKind {
  return kinds[Math.abs(Math.trunc(recordingID)) % kinds.length];
}

function signature(recordingID: number, expires: string): string {
  return createHmac('sha256', SIGNING_SECRET).update(`${recordingID}:${expires}`).digest('hex').slice(0, 32);
}

/** The pre-signed link of a recording's file on the storage host. */
export function presignedLink(recordingID: number): string {
  return `https://${RECORDING_STORAGE_HOST}/rec/${recordingID}.wav?expires=${EXPIRES}&sig=${signature(recordingID, EXPIRES)}`;
}

/** The `recordingURL` the PBX gives a recording, by its kind among `kinds`. */
export function recordingLink(pbxHost: string, recordingID: number, kinds: readonly RecordingLinkKind[] = RECORDING_LINK_KINDS): string {
  switch (recordingLinkKind(recordingID, kinds)) {
    case 'pbx':
      return `https://${pbxHost}/api/v2/recordings/${recordingID}/audio`;
    case 'redirect':
      return `https://${pbxHost}/api/v2/recordings/${recordingID}/download`;
    case 'presigned':
      return presignedLink(recordingID);
  }
}

/** True when `query` carries a valid signature for the recording (the storage host's check). */
export function validSignature(recordingID: number, query: Record<string, string>): boolean {
  return typeof query.expires === 'string' && query.sig === signature(recordingID, query.expires);
}

/** The WAV file of a recording (8 kHz, 16-bit mono PCM): `milliseconds` of tone (default 250 ms, about 4 KB). */
export function recordingAudio(recordingID: number, milliseconds = 250): Buffer {
  const samples = Math.floor((RECORDING_SAMPLE_RATE * milliseconds) / 1000);
  const data = samples * 2;
  const wav = Buffer.alloc(44 + data);
  wav.write('RIFF', 0, 'ascii');
  wav.writeUInt32LE(36 + data, 4);
  wav.write('WAVE', 8, 'ascii');
  wav.write('fmt ', 12, 'ascii');
  wav.writeUInt32LE(16, 16); // PCM header size
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(RECORDING_SAMPLE_RATE, 24);
  wav.writeUInt32LE(RECORDING_SAMPLE_RATE * 2, 28); // bytes per second
  wav.writeUInt16LE(2, 32); // block align
  wav.writeUInt16LE(16, 34); // bits per sample
  wav.write('data', 36, 'ascii');
  wav.writeUInt32LE(data, 40);
  // Integer arithmetic only (the same bytes everywhere): a triangle wave whose period, 8 to 40 samples
  // (1 kHz down to 200 Hz), follows the ID.
  const period = 8 + (Math.abs(Math.trunc(recordingID)) % 33);
  const amplitude = 8000;
  for (let i = 0; i < samples; i++) {
    const phase = i % period;
    const half = period / 2;
    const value = Math.round(phase < half ? -amplitude + (2 * amplitude * phase) / half : amplitude - (2 * amplitude * (phase - half)) / half);
    wav.writeInt16LE(value, 44 + 2 * i);
  }
  return wav;
}
