/** The mock Zvanu Parvaldnieks PBX: store (domain), seed (data), api (semantics), server (HTTP). */
export * from './model';
export * from './seed';
export * from './store';
export * from './views';
export * from './envelope';
export * from './api';
export * from './server';
export * from './recordings';
export { formatRiga, parseDateFilter } from './time';
