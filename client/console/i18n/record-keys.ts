// Catalogue keys for what the console shows from records: conversation categories, the audit log's
// actions and the fields of a consented identity, so nothing reaches the screen as an English identifier.
import { isCategory, type Category } from '../../../contract/categories.js';
import type { MessageKey, Translate } from './index.js';
import { sv } from './sv.js';

const CATEGORY_USE = { queue: '', mapping: 'Mapping', stats: 'Stats' } as const;
/** Where a category is named: who wrote (queue, chats, sources), the team mapping, the statistics. */
export type CategoryUse = keyof typeof CATEGORY_USE;
/** The catalogue key of a category's name for one use: "categoryChat", "categoryChatMapping", "categoryChatStats". */
export type CategoryKey<U extends CategoryUse = CategoryUse> = `category${Capitalize<Category>}${(typeof CATEGORY_USE)[U]}`;

/** The key naming `category` for `use`, made from the category's id. */
export function categoryKey<U extends CategoryUse>(category: Category, use: U): CategoryKey<U> {
  return `category${category[0]!.toUpperCase()}${category.slice(1)}${CATEGORY_USE[use]}` as CategoryKey<U>;
}

/**
 * A category as the server sent it, named for `use`; one this build does not know stays as it came.
 * `t` takes only catalogue keys, so a category of contract/categories.ts without its three strings in
 * sv.ts (and so in every catalogue typed by it) does not compile here.
 */
export function categoryName(t: Translate, category: string, use: CategoryUse = 'queue'): string {
  return isCategory(category) ? t(categoryKey(category, use)) : category;
}

/** The catalogue key naming an audit action ("duty-on" → auditActionDutyOn); unknown actions: auditActionOther. */
export function auditActionKey(action: string): MessageKey {
  const key = `auditAction${action.replace(/(^|-)([a-z])/g, (_, _dash: string, c: string) => c.toUpperCase())}`;
  return key in sv ? (key as MessageKey) : 'auditActionOther';
}

/** The catalogue key naming a field of a consented identity. */
export function consentFieldKey(field: string): MessageKey {
  return field === 'name' ? 'consentFieldName' : field === 'phone' ? 'consentFieldPhone' : field === 'text' ? 'consentFieldText' : 'consentFieldOther';
}
