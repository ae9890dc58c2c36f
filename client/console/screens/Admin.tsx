// Administration: one section at a time (staff, teams, audit log, …), chosen in a sub-navigation.
// A section is a component in screens/admin/ and one entry in SECTIONS.
import type { ComponentType } from 'preact';
import { useState } from 'preact/hooks';
import { useConsole } from '../context.js';
import type { MessageKey } from '../i18n/index.js';
import { Audit } from './admin/Audit.js';
import { Invitations } from './admin/Staff.js';
import { Settings } from './admin/Teams.js';
import { Sources } from './admin/Sources.js';
import { Statistics } from './admin/Statistics.js';
import { Retention } from './admin/Retention.js';
import { Agreements } from './admin/Agreements.js';

interface Section {
  readonly id: string;
  readonly label: MessageKey;
  /** Roles that see the section (the server checks them again). */
  readonly roles: ReadonlyArray<'responder' | 'supervisor' | 'admin'>;
  readonly view: ComponentType<{ window: Window }>;
}

const SECTIONS: readonly Section[] = [
  { id: 'staff', label: 'adminSectionStaff', roles: ['admin'], view: Invitations },
  { id: 'teams', label: 'adminSectionTeams', roles: ['admin', 'supervisor'], view: Settings },
  { id: 'audit', label: 'adminSectionAudit', roles: ['admin', 'supervisor'], view: Audit },
  { id: 'sources', label: 'adminSectionSources', roles: ['admin', 'supervisor'], view: Sources },
  { id: 'stats', label: 'adminSectionStats', roles: ['admin', 'supervisor'], view: Statistics },
  { id: 'retention', label: 'adminSectionRetention', roles: ['admin'], view: Retention },
  { id: 'agreements', label: 'adminSectionAgreements', roles: ['admin'], view: Agreements },
];

export function Admin(props: { window: Window }) {
  const { state, t } = useConsole();
  const mine = SECTIONS.filter((s) => s.roles.some((r) => state.me?.roles.includes(r) ?? false));
  const [current, setCurrent] = useState(mine[0]?.id ?? '');
  const section = mine.find((s) => s.id === current) ?? mine[0];
  return (
    <div class="admin">
      <h1>{t('adminTitle')}</h1>
      <nav aria-label={t('adminSections')}>
        <ul class="tabs sub-tabs">
          {mine.map((s) => (
            <li key={s.id}>
              <button type="button" aria-current={s.id === section?.id ? 'page' : undefined} onClick={() => setCurrent(s.id)}>
                {t(s.label)}
              </button>
            </li>
          ))}
        </ul>
      </nav>
      {section !== undefined && <section.view window={props.window} />}
    </div>
  );
}
