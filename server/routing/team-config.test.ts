// The team configuration as a whole: a complete category mapping onto known teams, and overflow
// links without loops.
import { describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../contract/categories.js';
import type { TeamId, TeamRecord } from '../store/ports.js';
import { applyCategoryMapping, categoryMappingProblems, currentCategoryMapping, overflowLoop } from './team-config.js';

const team = (id: string, overflow: string | null, categories: TeamRecord['categories'] = []): TeamRecord => ({ id: id as TeamId, name: id, categories, overflow: overflow as TeamId | null });
const teams = [team('unga', 'konsult', ['chat', 'callback']), team('foraldrar', 'unga', ['parent']), team('konsult', null), team('region', null)];
/** Every category to `id`: a complete mapping the cases change a few categories of. */
const allTo = (id: string) => Object.fromEntries(CATEGORIES.map((c) => [c, id as TeamId])) as Record<(typeof CATEGORIES)[number], TeamId>;

describe('team configuration', () => {
  it('needs every category mapped to a known team', () => {
    expect(categoryMappingProblems({ ...allTo('unga'), parent: 'foraldrar' }, teams)).toEqual([]);
    expect(categoryMappingProblems({ ...allTo('unga'), parent: undefined }, teams)).toEqual(['parent: no team']);
    expect(categoryMappingProblems({ ...allTo('unga'), chat: 'nope', parent: 'foraldrar' }, teams)).toEqual(['chat: unknown team nope']);
  });

  it('puts each category on exactly one team and reads the mapping back', () => {
    const mapping = { ...allTo('unga'), chat: 'region' as TeamId, parent: 'region' as TeamId };
    const mapped = applyCategoryMapping(teams, mapping);
    const rest = CATEGORIES.filter((c) => c !== 'chat' && c !== 'parent'); // callback
    expect(mapped.map((t) => [t.id, t.categories])).toEqual([['unga', rest], ['foraldrar', []], ['konsult', []], ['region', ['chat', 'parent']]]);
    expect(currentCategoryMapping(mapped)).toEqual(mapping);
    // A category held by two teams is not a mapping.
    expect(currentCategoryMapping([team('a', null, ['chat']), team('b', null, ['chat', 'parent'])])).toEqual({ parent: 'b' });
  });

  it('finds overflow loops through the changed team, of any length', () => {
    expect(overflowLoop(teams, 'konsult' as TeamId, 'region' as TeamId)).toBeNull();
    expect(overflowLoop(teams, 'konsult' as TeamId, 'unga' as TeamId)).toEqual(['konsult', 'unga', 'konsult']);
    expect(overflowLoop(teams, 'konsult' as TeamId, 'foraldrar' as TeamId)).toEqual(['konsult', 'foraldrar', 'unga', 'konsult']);
    expect(overflowLoop(teams, 'region' as TeamId, 'region' as TeamId)).toEqual(['region', 'region']);
    expect(overflowLoop(teams, 'unga' as TeamId, null)).toBeNull();
  });
});
