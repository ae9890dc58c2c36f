// Login (password → Argon2id in a Worker → auth key; TOTP code) and the idle-lock screen.
import { useState } from 'preact/hooks';
import { useConsole } from '../context.js';

export function Login() {
  const { store, state, t } = useConsole();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const submit = (e: Event) => {
    e.preventDefault();
    const typed = password;
    setPassword('');
    void store.login(login.trim(), typed, totp.trim());
  };
  return (
    <section class="card narrow" aria-labelledby="login-title">
      <h1 id="login-title">{t('loginTitle')}</h1>
      <p>{t('loginIntro')}</p>
      <form onSubmit={submit} autocomplete="off">
        <label for="login">{t('login')}</label>
        <input id="login" name="username" autocomplete="username" required value={login} onInput={(e) => setLogin(e.currentTarget.value)} />
        <label for="password">{t('password')}</label>
        <input id="password" type="password" autocomplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        <label for="totp">{t('totp')}</label>
        <input
          id="totp"
          inputMode="numeric"
          autocomplete="one-time-code"
          pattern="[0-9]{6}"
          maxLength={6}
          aria-describedby="totp-hint"
          value={totp}
          onInput={(e) => setTotp(e.currentTarget.value)}
        />
        <p id="totp-hint" class="hint">
          {t('totpHint')}
        </p>
        <button type="submit" class="primary" disabled={state.busy}>
          {state.busy ? t('signingIn') : t('signIn')}
        </button>
      </form>
    </section>
  );
}

export function Locked() {
  const { store, state, t } = useConsole();
  const [password, setPassword] = useState('');
  const submit = (e: Event) => {
    e.preventDefault();
    const typed = password;
    setPassword('');
    void store.unlock(typed);
  };
  return (
    <section class="card narrow" aria-labelledby="locked-title">
      <h1 id="locked-title">{t('lockedTitle')}</h1>
      <p>{t('lockedIntro')}</p>
      <form onSubmit={submit} autocomplete="off">
        <label for="unlock-password">{t('password')}</label>
        <input id="unlock-password" type="password" autocomplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        <button type="submit" class="primary" disabled={state.busy}>
          {t('unlock')}
        </button>
        <button type="button" onClick={() => void store.logout()}>
          {t('logout')}
        </button>
      </form>
    </section>
  );
}
