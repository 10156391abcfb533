// The quiet-test guard: what it captures, and that it gives the console back.
import { describe, expect, it } from 'vitest';
import { captureOutput, strayOutputError } from '../support/quiet';

describe('captureOutput', () => {
  it('captures console methods and both process streams, and restores them on stop', () => {
    const log = console.log;
    const write = process.stderr.write;
    const capture = captureOutput();
    console.log('a %d', 1);
    console.error(new Error('boom').message);
    process.stdout.write('to stdout\n');
    process.stderr.write(Buffer.from('to stderr\n'));
    expect(capture.stop()).toEqual(['console.log: a 1', 'console.error: boom', 'process.stdout: to stdout\n', 'process.stderr: to stderr\n']);
    expect(console.log).toBe(log);
    expect(process.stderr.write).toBe(write);
    expect(capture.stop()).toHaveLength(4);
  });

  it('names the culprit and shows what it wrote', () => {
    const error = strayOutputError('the test "x"', Array.from({ length: 7 }, (_, i) => `console.log: line ${i}\n`));
    expect(error.message.split('\n')).toEqual([
      'the test "x" wrote to the console (tests must be quiet: give the code under test a sink instead):',
      '  console.log: line 0', '  console.log: line 1', '  console.log: line 2', '  console.log: line 3', '  console.log: line 4',
      '  … and 2 more',
    ]);
  });
});
