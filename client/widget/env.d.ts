// Build-time variables Vite replaces in the widget (see vite.config.ts).
interface ImportMetaEnv {
  /** The organisation root public key (base64url) pinned at build time; takes precedence over any other pin. */
  readonly VITE_UTVAG_ROOT_KEY?: string;
}
interface ImportMeta {
  readonly env: ImportMetaEnv;
}
