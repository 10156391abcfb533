/**
 * The mock PBX's recording files: a short WAV per recording (8 kHz, 16-bit mono PCM), generated from the
 * recording ID alone, so the same ID always gives the same bytes (a test compares a downloaded file with
 * these bytes). Integer arithmetic only: a triangle wave whose pitch follows the ID.
 */

export const RECORDING_SAMPLE_RATE = 8000;

/** The WAV file of a recording: `milliseconds` of tone (default 250 ms, about 4 KB). */
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
  // A period of 8 to 40 samples (1 kHz down to 200 Hz), by the ID.
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
