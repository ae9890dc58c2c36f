// Every catalogue area of the console; index.ts merges them into the three catalogues.
import { adminArea } from './admin.js';
import { teamsArea } from './teams.js';
import { sourcesArea } from './sources.js';
import { staffArea } from './staff.js';
import { chatsArea } from './chats.js';
import { recordsArea } from './records.js';
import { statsArea } from './stats.js';
import { shiftArea } from './shift.js';

export const AREAS = [adminArea, sourcesArea, teamsArea, staffArea, statsArea, recordsArea, chatsArea, shiftArea] as const;
