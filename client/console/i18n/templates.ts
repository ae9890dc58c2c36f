// Team templates and the emergency guidance snippet, in the languages visitors write in.
import type { Locale } from './index.js';

export const TEAM_TEMPLATES: Record<Locale, readonly string[]> = {
  sv: [
    'Hej! Jag heter {name} och jobbar på socialtjänsten. Det är bra att du hör av dig. Vad vill du prata om?',
    'Du behöver inte säga vem du är. Det du skriver här är krypterat.',
    'Vill du att vi ringer upp dig? Du väljer själv tid och nummer.',
    'Det finns hjälp att få för att lämna ett kriminellt sammanhang, även om du är rädd för hot.',
    'Tack för att du berättade. Vi kan hjälpas åt att ta nästa steg.',
  ],
  en: [
    'Hi! My name is {name} and I work at social services. Good that you got in touch. What would you like to talk about?',
    'You do not have to say who you are. What you write here is encrypted.',
    'Would you like us to call you? You choose the time and the number.',
    'There is help to leave a criminal environment, even if you are afraid of threats.',
    'Thank you for telling me. We can take the next step together.',
  ],
  ar: [
    'مرحبًا! اسمي {name} وأعمل في الخدمات الاجتماعية. من الجيد أنك تواصلت معنا. عمّ تريد أن تتحدث؟',
    'لا يلزمك أن تقول من أنت. ما تكتبه هنا مشفّر.',
    'هل تريد أن نتصل بك؟ أنت تختار الوقت والرقم.',
    'هناك مساعدة لترك البيئة الإجرامية، حتى لو كنت خائفًا من التهديد.',
    'شكرًا لأنك أخبرتني. يمكننا أن نأخذ الخطوة التالية معًا.',
  ],
};

export const EMERGENCY_SNIPPET: Record<Locale, string> = {
  sv: 'Om du är i fara just nu: ring 112. Vill du tipsa polisen utan akut fara: 114 14. Är du under 18 kan du också prata med BRIS på 116 111.',
  en: 'If you are in danger right now: call 112. To reach the police when it is not urgent: 114 14. If you are under 18 you can also talk to BRIS on 116 111.',
  ar: 'إذا كنت في خطر الآن: اتصل بـ 112. للتواصل مع الشرطة في غير الحالات الطارئة: 114 14. إذا كان عمرك أقل من 18 يمكنك التحدث مع BRIS على 116 111.',
};

/** The catalogue language for a visitor's BCP 47 tag (Swedish when unknown). */
export const localeOfTag = (tag: string): Locale => (tag.startsWith('ar') ? 'ar' : tag.startsWith('en') ? 'en' : 'sv');
