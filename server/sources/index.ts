export { qrPng, qrSvg, sourceUrl, QR_PNG_WIDTH } from './qr.js';
export { withSourceLanguage } from './page.js';
export { createSources, DIRECT_SOURCE, OTHER_SOURCE, preferTeam, SOURCE_LANGUAGES, SOURCE_TAG } from './sources.js';
export type { NewSource, SourceChanges, SourceHint, SourceLanguage, SourceRecord, Sources } from './sources.js';
