// Every catalogue area of the console; index.ts merges them into the three catalogues.
import { adminArea } from './admin.js';
import { teamsArea } from './teams.js';
import { sourcesArea } from './sources.js';
import { staffArea } from './staff.js';
import { statsArea } from './stats.js';

export const AREAS = [adminArea, sourcesArea, teamsArea, staffArea, statsArea] as const;
