// The administration screen's frame: its sections.
import { defineArea } from '../area.js';

export const adminArea = defineArea({
  sv: {
    adminSections: 'Delar av administrationen',
    adminSectionStaff: 'Personal',
    adminSectionTeams: 'Team',
    adminSectionAudit: 'Logg',
  },
  en: {
    adminSections: 'Parts of the administration',
    adminSectionStaff: 'Staff',
    adminSectionTeams: 'Teams',
    adminSectionAudit: 'Log',
  },
  ar: {
    adminSections: 'أقسام الإدارة',
    adminSectionStaff: 'الموظفون',
    adminSectionTeams: 'الفرق',
    adminSectionAudit: 'السجل',
  },
});
