// Phone number validation for callback requests: Swedish national formats and international (E.164).

export type PhoneCheck = { readonly ok: true; readonly e164: string } | { readonly ok: false };

/**
 * Accepts Swedish numbers (070-123 45 67, 08-123 456 78, 0046…, +46 70…) and international numbers
 * with a country code (+44 20 …, 0044 …). Spaces, dashes, dots and brackets are ignored. Returns the
 * number in E.164 (+46701234567) or { ok: false }. Pure.
 */
export function checkPhone(input: string): PhoneCheck {
  const trimmed = input.trim();
  if (!/^[+0-9][0-9 ()\-.]*$/.test(trimmed)) return { ok: false };
  let digits = trimmed.replace(/[ ()\-.]/g, '');
  if (digits.startsWith('00')) digits = `+${digits.slice(2)}`;
  if (digits.startsWith('+')) {
    const rest = digits.slice(1);
    if (!/^[1-9][0-9]{6,14}$/.test(rest)) return { ok: false };
    if (rest.startsWith('46')) return swedishNational(`0${rest.slice(2).replace(/^0/, '')}`);
    return { ok: true, e164: `+${rest}` };
  }
  return swedishNational(digits);
}

function swedishNational(digits: string): PhoneCheck {
  // Mobile: 07X + 7 digits. Landline: 0 + area code (1–3 digits) + subscriber number, 8–10 digits in all.
  if (/^07[02369][0-9]{7}$/.test(digits)) return { ok: true, e164: `+46${digits.slice(1)}` };
  if (/^0[1-9][0-9]{6,8}$/.test(digits) && !digits.startsWith('07')) return { ok: true, e164: `+46${digits.slice(1)}` };
  return { ok: false };
}
