// Every catalogue area of the console; index.ts merges them into the three catalogues.
import { adminArea } from './admin.js';

export const AREAS = [adminArea] as const;
