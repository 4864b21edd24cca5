import { Core1764500000001 } from './migrations/0001-core.js';

/** The schema's history, oldest first. Add a migration here; never edit one that has shipped. */
export const MIGRATIONS = [Core1764500000001];
