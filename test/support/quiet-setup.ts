// Registered in vitest.config.mts (setupFiles): fails any test, or test file, that writes to the console.
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { captureOutput, strayOutputError, type Capture } from './quiet';

let file: Capture | undefined;
let test: Capture | undefined;

beforeAll(() => {
  file = captureOutput();
});

afterAll(() => {
  const written = file?.stop() ?? [];
  if (written.length > 0) throw strayOutputError('this test file (outside its tests)', written);
});

beforeEach(() => {
  test = captureOutput();
});

afterEach((context) => {
  const written = test?.stop() ?? [];
  if (written.length > 0) throw strayOutputError(`the test "${context.task.name}"`, written);
});
