// Enrolment from an invitation link: choose a login and password; the browser makes the identity keys,
// wraps them under the password-derived key and sends only public keys, the wrapped blob and the auth
// key; then shows the fingerprint to read to the admin and sets up the authenticator app.
import { useEffect, useState } from 'preact/hooks';
import { generateBoxKeyPair, generateSigningKeyPair, keyFingerprint, newPasswordSalt, toBase64url, wrapPrivateKeys } from '../../../crypto/api-sumo.js';
import type { InvitationView } from '../../../contract/rest.js';
import { createWorkerDeriver } from '../crypto/password.js';
import { useConsole } from '../context.js';

export function Enrol(props: { token: string; window: Window }) {
  const { store, t } = useConsole();
  const [invitation, setInvitation] = useState<InvitationView | null | 'invalid'>(null);
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [enrolled, setEnrolled] = useState<{ fingerprint: string; totpSecret: string; totpUri: string } | null>(null);
  const [code, setCode] = useState('');
  const [done, setDone] = useState(false);

  useEffect(() => {
    void store.api
      .invitation(props.token)
      .then(setInvitation)
      .catch(() => setInvitation('invalid'));
  }, []);

  if (invitation === null) return null;
  if (invitation === 'invalid') return <p role="alert">{t('invitationInvalid')}</p>;

  const submit = async (e: Event) => {
    e.preventDefault();
    if (password.length < 12) return setError(t('passwordShort'));
    if (password !== again) return setError(t('passwordMismatch'));
    setBusy(true);
    setError('');
    try {
      const salt = newPasswordSalt();
      const keys = await createWorkerDeriver()(password, salt, invitation.kdf);
      setPassword('');
      setAgain('');
      const sign = generateSigningKeyPair();
      const box = generateBoxKeyPair();
      const wrapped = wrapPrivateKeys(keys.wrapKey, { signSecretKey: sign.secretKey, boxSecretKey: box.secretKey });
      sign.secretKey.fill(0);
      box.secretKey.fill(0);
      keys.wrapKey.fill(0);
      const result = await store.api.enrol(props.token, {
        login,
        salt: toBase64url(salt),
        opslimit: invitation.kdf.opslimit,
        memlimit: invitation.kdf.memlimit,
        authKey: toBase64url(keys.authKey),
        signPublicKey: toBase64url(sign.publicKey),
        boxPublicKey: toBase64url(box.publicKey),
        wrappedKeys: toBase64url(wrapped),
      });
      keys.authKey.fill(0);
      // The fingerprint shown is computed here from our own keys, not taken from the server.
      const own = await keyFingerprint(sign.publicKey, box.publicKey);
      setEnrolled({ ...result, fingerprint: own });
    } catch {
      setError(t('errGeneric'));
    } finally {
      setBusy(false);
    }
  };
  const confirm = async (e: Event) => {
    e.preventDefault();
    try {
      await store.api.confirmTotp(props.token, { code });
      setDone(true);
    } catch {
      setError(t('errLoginFailed'));
    }
  };
  const finish = () => {
    props.window.history.replaceState(null, '', props.window.location.pathname);
    store.endEnrolment();
  };

  return (
    <section class="card narrow" aria-labelledby="enrol-title">
      <h1 id="enrol-title">{t('enrolTitle')}</h1>
      <p role="alert">{error}</p>
      {enrolled === null ? (
        <form onSubmit={submit} autocomplete="off">
          <p>{t('enrolIntro', { name: invitation.displayName, teams: invitation.teams.join(', ') })}</p>
          <label for="enrol-login">{t('login')}</label>
          <input id="enrol-login" required pattern="[a-z0-9._\-]{3,40}" value={login} onInput={(e) => setLogin(e.currentTarget.value)} />
          <label for="enrol-password">{t('password')}</label>
          <input id="enrol-password" type="password" autocomplete="new-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
          <label for="enrol-again">{t('passwordAgain')}</label>
          <input id="enrol-again" type="password" autocomplete="new-password" required value={again} onInput={(e) => setAgain(e.currentTarget.value)} />
          <button type="submit" class="primary" disabled={busy}>
            {busy ? t('enrolling') : t('enrol')}
          </button>
        </form>
      ) : done ? (
        <>
          <p>{t('enrolDone')}</p>
          <button type="button" onClick={finish}>
            {t('loginTitle')}
          </button>
        </>
      ) : (
        <form onSubmit={confirm} autocomplete="off">
          <p>{t('enrolFingerprint')}</p>
          <p class="code fingerprint" data-testid="fingerprint">
            {enrolled.fingerprint}
          </p>
          <p>{t('enrolTotp')}</p>
          <p class="code" data-testid="totp-secret">
            {enrolled.totpSecret}
          </p>
          <label for="enrol-code">{t('totp')}</label>
          <input id="enrol-code" inputMode="numeric" pattern="[0-9]{6}" maxLength={6} required value={code} onInput={(e) => setCode(e.currentTarget.value)} />
          <button type="submit" class="primary">
            {t('confirmCode')}
          </button>
        </form>
      )}
    </section>
  );
}
