/**
 * Where a flow's runs put their result: a JSON-lines file, memory (tests), or a sink the caller
 * made (the workflow runtime, whose workflows write Excel, Teams and mail through stand-ins). Files
 * are overwritten when the sink opens and complete once `close()` resolves.
 */
import * as fs from 'fs';
import * as path from 'path';

export type Item = Record<string, unknown>;

export type SinkSpec =
  | { kind: 'memory' }
  | { kind: 'jsonl'; file: string }
  /** A sink the caller made (the workflow runtime runs a whole workflow per item). */
  | { kind: 'custom'; sink: Sink };

export interface Sink {
  write(item: Item): void;
  close(): Promise<void>;
  readonly count: number;
}

export function valueAt(item: unknown, dotted: string): unknown {
  let node: unknown = item;
  for (const key of dotted.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

export class MemorySink implements Sink {
  readonly items: Item[] = [];
  write(item: Item): void {
    this.items.push(item);
  }
  get count(): number {
    return this.items.length;
  }
  async close(): Promise<void> {}
}

export class JsonLinesSink implements Sink {
  private buffer: string[] = [];
  private written = 0;

  constructor(readonly file: string) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '');
  }

  write(item: Item): void {
    this.buffer.push(JSON.stringify(item));
    this.written++;
    if (this.buffer.length >= 1000) this.flush();
  }

  get count(): number {
    return this.written;
  }

  private flush(): void {
    if (this.buffer.length === 0) return;
    fs.appendFileSync(this.file, this.buffer.join('\n') + '\n');
    this.buffer = [];
  }

  async close(): Promise<void> {
    this.flush();
  }
}

export function openSink(spec: SinkSpec): Sink {
  switch (spec.kind) {
    case 'memory':
      return new MemorySink();
    case 'jsonl':
      return new JsonLinesSink(spec.file);
    case 'custom':
      return spec.sink;
  }
}
