import { useI18n } from '../i18n/I18nProvider';
import { LOCALES } from '../i18n/messages';

/** Two toggle buttons, each named in its own language. */
export function LanguageSwitch() {
  const { locale, setLocale, t } = useI18n();
  return (
    <div className="lang-switch" role="group" aria-label={t('lang.label')}>
      {LOCALES.map((l) => (
        <button key={l} type="button" lang={l} aria-pressed={locale === l} onClick={() => setLocale(l)}>
          {t(`lang.${l}`)}
        </button>
      ))}
    </div>
  );
}
